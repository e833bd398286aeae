"""`trialgraph validate rdf FILE.nt` validates a trial at a time (plus the shared nodes), in flat
memory, and finds exactly what validating the whole graph finds."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from trialgraph.graph import rdf
from trialgraph.graph.validate import graph_results, stream_results, validate
from trialgraph.ontology.reference import reference_data

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[1]
INPUTS = [ROOT / "trialgraph" / "samples" / "seeds", *(ROOT / "tests" / "fixtures" / d for d in ("ctgov", "ctgov_xml", "renderings", "results"))]


@pytest.fixture(scope="module")
def nt(loaded_local_graph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with loaded_local_graph("validate", *INPUTS) as gw:
        buf = io.StringIO()
        rdf.write(rdf.triples(rdf.rows_from_graph(gw, reference_data())), buf, "nt")
    path = tmp_path_factory.mktemp("nt") / "export.nt"
    path.write_text(buf.getvalue(), encoding="utf-8")
    yield path


def whole(path: Path) -> set:
    g = Graph()
    g.parse(path, format="nt")
    return graph_results(g)


def test_the_export_conforms_both_ways(nt: Path) -> None:
    assert stream_results(nt, chunk=7, shared_chunk=400) == whole(nt) == set()
    conforms, text = validate(nt)
    assert conforms and "Conforms: True" in text


def test_a_broken_trial_and_a_broken_site_are_found_as_the_whole_graph_finds_them(nt: Path, tmp_path: Path) -> None:
    t = f"<{rdf.trial_iri('NCT04344158')}>"
    lines = nt.read_text(encoding="utf-8").splitlines(keepends=True)
    broken = [ln for ln in lines if not ln.startswith(f"{t} <https://schema.org/identifier>")]
    assert len(broken) == len(lines) - 1
    broken.append(f'{t} <{rdf.TG.enrollment}> "many" .\n')
    site = next(ln.split(" ", 1)[0] for ln in lines if ln.endswith("<https://schema.org/Place> .\n"))
    broken.append(f'{site} <http://www.w3.org/2000/01/rdf-schema#label> "a second label" .\n')
    bad = tmp_path / "broken.nt"
    bad.write_text("".join(broken), encoding="utf-8")
    expected = whole(bad)
    assert {r[0] for r in expected} == {t[1:-1], site[1:-1]}  # what was broken, and nothing else
    assert stream_results(bad, chunk=7, shared_chunk=400) == expected
    conforms, text = validate(bad)
    assert not conforms and "NCT04344158" in text
