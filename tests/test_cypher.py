"""Every shipped .cypher file passes Neo4j's own parser and semantic analysis, against our schema;
statements and the code that feeds them cannot drift apart."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from trialgraph.graph import catalog, gencypher, model, schema
from trialgraph.queries.library import PAGING, library

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parent.parent
LINTER = Path(__file__).resolve().parent / "cypherlint"
CYPHER_FILES = sorted([*ROOT.glob("graph/cypher/*.cypher"), *ROOT.glob("queries/*.cypher"), *ROOT.glob("benchmarks/*.cypher"),
                      *ROOT.glob("tests/fixtures/*/*.cypher")])  # the fixtures the tests run too


def lint(queries: list[tuple[str, str]]) -> dict[str, list[dict]]:
    node = shutil.which("node")
    if node is None or not (LINTER / "node_modules" / "@neo4j-cypher" / "language-support").exists():
        pytest.fail("the Cypher linter is not installed: run `npm ci --prefix tests/cypherlint` (needs Node 20+)")
    payload = {"schema": schema.db_schema(), "queries": [{"name": n, "text": t} for n, t in queries]}
    proc = subprocess.run(
        [node, str(LINTER / "lint.mjs")], input=json.dumps(payload), capture_output=True, text=True, check=False, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    out = {r["name"]: r["diagnostics"] for r in json.loads(proc.stdout)}
    for name, text in queries:
        out[name] += [{"severity": 2, "message": f"property {p} is not declared in graph/schema.py", "line": 0}
                      for p in unknown_properties(text)]
    return out


_PATTERN_VARIABLE = re.compile(r"[(\[]\s*(\w+)\s*:\s*\w+")  # (t:Trial ...), [r:ACTS_ON ...]
_COMMENT = re.compile(r"//[^\n]*|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def unknown_properties(text: str) -> set[str]:
    """Properties read or written on a node or relationship variable of a pattern that the schema
    does not declare. The linter pinned for Node 20 (2.0.0-next.20) checks labels and types but
    not property keys, so this keeps that check (map values such as ``row.props`` are not
    pattern variables and are not checked)."""
    code = _COMMENT.sub(" ", text)
    variables = set(_PATTERN_VARIABLE.findall(code))
    used = {m.group(2) for m in re.finditer(r"\b(\w+)\.(\w+)\b", code) if m.group(1) in variables}
    used |= {k for m in re.finditer(r"[(\[]\s*\w*\s*:\s*\w+\s*\{([^}]*)\}", code) for k in re.findall(r"(\w+)\s*:", m.group(1))}
    return used - set(schema.property_keys())


def test_every_cypher_file_passes_neo4j_semantic_analysis() -> None:
    assert len(CYPHER_FILES) >= 10
    results = lint([(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in CYPHER_FILES])
    failures = {name: kept for name, diags in results.items() if (kept := [d for d in diags if not _tolerated(d)])}
    assert not failures, json.dumps(failures, indent=2)


# The one warning the statements keep: Neo4j 5.26 deprecates `CALL { ... }` without a variable
# scope clause in favour of `CALL () { ... }`, which the local server (FalkorDB 4.16) does not
# parse ("expected a procedure name or '{'"). One text runs on both engines, so the library's
# subqueries (a UNION of the ways in, one body after it) keep the form both run.
_SCOPE_CLAUSE = "CALL subquery without a variable scope clause is now deprecated"


def _tolerated(diagnostic: dict) -> bool:
    return diagnostic["severity"] == 2 and diagnostic["message"].startswith(_SCOPE_CLAUSE)


def test_linter_fails_on_broken_or_unknown_cypher() -> None:
    results = lint(
        [
            ("syntax", "MATCH (t:Trial RETURN t"),
            ("label", "MATCH (t:Trail) RETURN t.nct_id"),
            ("reltype", "MATCH (t:Trial)-[:HAS_ARMS]->(a:Arm) RETURN a.label"),
            ("property", "MATCH (t:Trial) RETURN t.nctid"),
            ("neo4j4", "CREATE CONSTRAINT ON (t:Trial) ASSERT t.nct_id IS UNIQUE"),
            ("ok", "MATCH (t:Trial)-[:HAS_ARM]->(a:Arm) WHERE t.nct_id = $nct RETURN a.label"),
        ]
    )
    assert all(results[k] for k in ("syntax", "label", "reltype", "property", "neo4j4")), results
    assert results["ok"] == []


def test_query_parameters_match_their_headers() -> None:
    for q in library().values():
        declared = {p.name for p in q.params}
        assert catalog.parameters(q.cypher) == declared | set(PAGING), q.name  # every statement pages
        returned = q.cypher.rsplit("\nRETURN ", 1)[-1].split("\nORDER BY", 1)[0]
        names = [m.group(1) or m.group(2) for m in re.finditer(r"\bAS (\w+)|(?:^|,)\s*(\w+)\s*(?=,|$)", returned, re.M)]
        assert names == [c.name for c in q.columns], q.name


def registry_index():
    """The index of the registry tables (ontology/registry.py), whether TRIALGRAPH_REGISTRY is on or not."""
    from trialgraph.ontology.registry import Registry, build_index, cache_dir, tables_digest

    path = cache_dir() / f"refdata-{tables_digest()}.sqlite"
    if not path.exists():
        build_index(path)
    return Registry(path)


def test_write_statements_take_what_the_writer_passes(seeds_dir: Path) -> None:
    from trialgraph.graph.writer import GraphWriter, RowBuilder, WriteReport, batch_statements, reference_params
    from trialgraph.loaders import load_file
    from trialgraph.ontology import default_resolver, reference_data
    from trialgraph.ontology.normalize import normalize

    targets, drugs = reference_params(reference_data())
    assert catalog.parameters(catalog.statement("write-targets")) == set(targets)
    assert catalog.parameters(catalog.statement("write-drugs")) == set(drugs)
    builder = RowBuilder(reference_data())
    files = [*sorted(seeds_dir.iterdir()), *sorted((ROOT / "tests" / "fixtures" / "ctgov").glob("*.json"))]
    rows = [builder.row(normalize(t, default_resolver())) for p in files for t in load_file(p)]

    class NoGraph:  # merged_rows reads the graph only for trials it holds: none here
        def read(self, *_: object) -> list:
            return []

    writer = GraphWriter.__new__(GraphWriter)
    writer.gateway = NoGraph()  # type: ignore[assignment]
    merged, _ = writer.merged_rows(rows, WriteReport(), held={})
    seen = set()
    for stored in (set(), {r["nct_id"] for r in merged}):  # trials new to the graph; trials it holds
        for name, params in batch_statements(merged, stored):
            seen.add(name)
            text = catalog.statement(name)
            assert catalog.parameters(text) == {"rows"}, name
            code = _COMMENT.sub(" ", text)
            fields = set(re.findall(r"\br\.(\w+)\b(?!\.)", code)) | {"props"} & set(re.findall(r"\br\.(props)\.", code))
            for item in params:  # every field the statement reads is one the writer passes
                if isinstance(item, dict):
                    assert fields <= set(item), (name, fields, set(item))
                else:
                    assert isinstance(item, str) and re.search(r"UNWIND \$rows AS id\b", code), name
    # the registry facts of the drugs these trials give (GraphWriter.write_drug_facts), the registry
    # on or off: the generated reference statements take the same $rows shape
    facts = RowBuilder(reference_data(), registry_index()).drug_facts(
        d for r in merged for i in r["interventions"] for d in i["drug_ids"])
    for name, params in facts:
        seen.add(name)
        assert catalog.parameters(catalog.statement(name)) == set(params), name
        if set(params) == {"rows"}:
            code = _COMMENT.sub(" ", catalog.statement(name))
            fields = set(re.findall(r"\br\.(\w+)\b(?!\.)", code)) | {"props"} & set(re.findall(r"\br\.(props)\.", code))
            for item in params["rows"]:
                if isinstance(item, dict):
                    assert fields <= set(item), (name, fields, set(item))
                    if name == "write-INDICATED_FOR":
                        model.check_rel_props("INDICATED_FOR", item["props"], name)
                else:
                    assert isinstance(item, str) and re.search(r"UNWIND \$rows AS id\b", code), name
    assert {"write-INDICATED_FOR", "replace-INDICATED_FOR", "write-Condition"} <= {n for n, _ in facts}
    # the records reach every statement but the one for a trial the local server refused part of
    assert set(gencypher.statements()) - seen == {"unmark-Trial-digests"}


def test_committed_write_statements_are_what_the_model_generates() -> None:
    assert gencypher.differences() == [], "run: python -m trialgraph.graph.gencypher"
    # and the check is not empty: every trial entity and relationship type has its statement
    names = set(gencypher.statements())
    assert {f"write-{n.label}" for n in model.TRIAL_NODES} | {f"write-{r.type}" for r in model.TRIAL_RELS} <= names


def test_ddl_covers_every_natural_key_on_both_engines() -> None:
    keys = {(n.label, n.key) for n in schema.NODES.values()}
    neo = catalog.ddl_statements("schema.neo4j")
    falkor = catalog.ddl_statements("schema.falkordb")
    got_neo = {m.groups() for s in neo if (m := re.search(r"FOR \(n:(\w+)\) REQUIRE n\.(\w+) IS UNIQUE", s))}
    got_falkor = {m.groups() for s in falkor if (m := re.search(r"FOR \(n:(\w+)\) ON \(n\.(\w+)\)", s))}
    # plus, on Neo4j, the full-text index on the eligibility criteria (FalkorDB's is a procedure
    # call, graph/cypher/fulltext.falkordb.cypher)
    assert [s for s in neo if "FULLTEXT" in s] == [
        "CREATE FULLTEXT INDEX trial_eligibility IF NOT EXISTS FOR (n:Trial) ON EACH [n.eligibility_criteria]"]
    assert got_neo == keys and len(neo) == len(keys) + 1
    assert got_falkor == keys and len(falkor) == len(keys)
    for name in ("schema.neo4j", "schema.falkordb"):  # splitting on ';' is safe only without literals
        assert not any(re.search(r"['\"`]", s) for s in catalog.ddl_statements(name))


def test_a_library_statement_that_does_not_page_is_refused() -> None:
    from trialgraph.errors import QueryError
    from trialgraph.queries.library import parse_header

    head = "// name: x\n// theme: trials\n// description: d\n// param: nct_id (nct) n\n// column: nct_id n\n"
    body = "MATCH (t:Trial {nct_id: $nct_id})\nRETURN t.nct_id AS nct_id\n"
    assert parse_header("x", head + body + "ORDER BY nct_id\nSKIP $skip LIMIT $limit\n").name == "x"
    for bad in (body, body + "SKIP $skip LIMIT $limit\n", body + "ORDER BY nct_id\nLIMIT 10\n",
                "// param: limit (int) n\n" + body + "ORDER BY nct_id\nSKIP $skip LIMIT $limit\n"):
        with pytest.raises(QueryError, match="SKIP|paging"):
            parse_header("x", head + bad)
