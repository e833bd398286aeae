"""`trialgraph export neo4j-import`: CSV files for neo4j-admin database import full.

Checked here: the header of every file (one :ID per node file in its label's id space, typed
properties, :START_ID/:END_ID in the id spaces the schema names), every relationship's ends exist,
typed values parse, and the files hold exactly what the transactional path put in the graph:
the same counts per label and type, and the same values, from the graph and from the files.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from trialgraph.cli import main
from trialgraph.graph import catalog, neo4jimport, schema
from trialgraph.graph.gateway import Gateway
from trialgraph.graph.rdf import rows_from_graph
from trialgraph.ontology.reference import reference_data

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parent.parent
INPUTS = [ROOT / "trialgraph" / "samples" / "seeds", ROOT / "tests" / "fixtures" / "ctgov", ROOT / "tests" / "fixtures" / "ctgov_xml"]
TYPES = {"string", "long", "double", "boolean", "string[]", "long[]"}


@pytest.fixture(scope="module")
def loaded(loaded_graph) -> Gateway:
    return loaded_graph("falkordb", "nimport", *INPUTS)


@pytest.fixture(scope="module")
def files(loaded: Gateway, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("neo4j-import")
    neo4jimport.write(rows_from_graph(loaded, reference_data()), out)
    return out


def _table(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def test_headers_name_id_spaces_and_types_the_schema_declares(files: Path) -> None:
    for label, spec in schema.NODES.items():
        header, rows = _table(files / f"nodes-{label}.csv")
        assert header[0] == f"{spec.key}:ID({label})" and header[-1] == ":LABEL"
        assert [c.split(":")[0] for c in header[1:-1]] == [p for p in spec.properties if p != spec.key]
        assert all(c.split(":", 1)[1] in TYPES for c in header[1:-1]), header
        assert {r[-1] for r in rows} == {label}
        assert len({r[0] for r in rows}) == len(rows), f"duplicate ids in {label}"
    for rel_type, spec in schema.RELATIONSHIPS.items():
        header, rows = _table(files / f"rels-{rel_type}.csv")
        assert header[:2] == [f":START_ID({spec.start})", f":END_ID({spec.end})"] and header[-1] == ":TYPE"
        assert [c.split(":")[0] for c in header[2:-1]] == list(spec.properties)
        assert {r[-1] for r in rows} == {rel_type} or (not rows and rel_type == "INDICATED_FOR")  # no indications here: a header


def test_every_relationship_end_is_a_node_of_its_id_space(files: Path) -> None:
    ids = {label: {r[0] for r in _table(files / f"nodes-{label}.csv")[1]} for label in schema.NODES}
    for rel_type, spec in schema.RELATIONSHIPS.items():
        for r in _table(files / f"rels-{rel_type}.csv")[1]:
            assert r[0] in ids[spec.start], (rel_type, r[0])
            assert r[1] in ids[spec.end], (rel_type, r[1])


def test_counts_equal_the_graph_the_transactional_path_wrote(files: Path, loaded: Gateway) -> None:
    labels = {r["label"]: r["count"] for r in loaded.read(catalog.statement("count-labels"))}
    types = {r["type"]: r["count"] for r in loaded.read(catalog.statement("count-relationships"))}
    assert labels["Trial"] == 25 and types["HAS_SITE"] > 1000  # the inputs, not an empty graph
    assert {label: len(_table(files / f"nodes-{label}.csv")[1]) for label in labels} == labels
    assert {t: len(_table(files / f"rels-{t}.csv")[1]) for t in types} == types


def test_typed_values_parse_and_arrays_hold_the_graph_lists(files: Path, loaded: Gateway) -> None:
    header, rows = _table(files / "nodes-Trial.csv")
    col = {c.split(":")[0]: k for k, c in enumerate(header)}
    kinds = {c.split(":")[0]: c.split(":", 1)[1] for c in header[1:-1]}
    for r in rows:
        for name, kind in kinds.items():
            v = r[col[name]]
            if v == "":
                continue
            if kind == "long":
                int(v)
            elif kind == "double":
                float(v)
            elif kind == "boolean":
                assert v in ("true", "false")
    row = next(r for r in rows if r[0] == "NCT04344158")
    stored = loaded.read("MATCH (t:Trial {nct_id: $n}) RETURN properties(t) AS p", {"n": "NCT04344158"})[0]["p"]
    assert row[col["phases"]].split(neo4jimport.ARRAY_DELIMITER) == stored["phases"]
    # 81 locations listed, two of them one hospital ("Hunan Cancar Hospital", "Hunan Cancer Hospital(Department II ...)")
    assert int(row[col["site_count"]]) == stored["site_count"] == 80
    assert row[col["brief_title"]] == stored["brief_title"]  # text with commas and quotes survives CSV
    assert "\n" in stored["eligibility_criteria"] and row[col["eligibility_criteria"]] == stored["eligibility_criteria"]


def test_files_from_the_graph_and_from_the_input_files_are_the_same(files: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRIALGRAPH_HOME", str(tmp_path / "home"))  # --from needs no server
    out = tmp_path / "from-files"
    args = ["export", "neo4j-import", str(out)] + [a for p in INPUTS for a in ("--from", str(p))]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    n_files = len(schema.NODES) + len(schema.RELATIONSHIPS)  # one per declared type, if only a header
    assert re.search(rf"wrote \d+ nodes and \d+ relationships in {n_files} CSV files", result.output), result.output
    assert "neo4j-admin database import full neo4j" in result.output and "--array-delimiter=U+001F" in result.output
    for path in sorted(files.glob("*.csv")):
        a, b = _table(path), _table(out / path.name)
        assert a[0] == b[0] and sorted(a[1]) == sorted(b[1]), path.name


def test_the_import_script_names_every_file_and_the_schema_is_the_neo4j_one(files: Path) -> None:
    script = (files / "import.sh").read_text(encoding="utf-8")
    for path in files.glob("*.csv"):
        kind = "--nodes" if path.name.startswith("nodes-") else "--relationships"
        assert f"{kind}={path.name}" in script
    assert (files / "schema.cypher").read_text(encoding="utf-8") == catalog.statement("schema.neo4j")
