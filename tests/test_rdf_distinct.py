"""The N-Triples export states each distinct triple once, and the same set of triples as stating
every triple of every row (``rdf.triples``, what the export wrote before duplicates were dropped)."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from trialgraph.graph import rdf
from trialgraph.graph.gateway import Gateway
from trialgraph.ontology.reference import reference_data
from trialgraph.pipeline import LoadReport, trial_rows

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[1]
INPUTS = [ROOT / "trialgraph" / "samples" / "seeds", *(ROOT / "tests" / "fixtures" / d for d in ("ctgov", "ctgov_xml", "renderings", "results"))]


@pytest.fixture(scope="module")
def g(loaded_local_graph) -> Iterator[Gateway]:
    with loaded_local_graph("distinct", *INPUTS) as gw:
        yield gw


def every_statement(rows: rdf.Rows) -> set[str]:
    return {rdf.nt_line(*t) for t in rdf.triples(rows)}


def lines(text: str) -> list[str]:
    return [ln + "\n" for ln in text.splitlines()]


def test_from_the_graph_each_triple_once_and_the_same_set(g: Gateway) -> None:
    stated = [rdf.nt_line(*t) for t in rdf.triples(rdf.rows_from_graph(g, reference_data()))]
    assert len(stated) > len(set(stated))  # the inputs share sites, sponsors, drugs: duplicates to drop
    serial = io.StringIO()
    n = rdf.write(rdf.triples(rdf.rows_from_graph(g, reference_data())), serial, "nt")
    out = lines(serial.getvalue())
    assert [k for k, c in Counter(out).items() if c > 1] == []
    assert set(out) == set(stated) and n == len(out)
    parallel = io.StringIO()
    assert rdf.write_parallel(rdf.rows_from_graph(g, reference_data()), parallel, "nt", workers=2, chunk=3) == n
    assert parallel.getvalue() == serial.getvalue()


def test_from_files_the_same_set() -> None:
    report = LoadReport()
    rows = list(trial_rows(INPUTS, report))
    assert report.ok, report.problems
    data = reference_data()
    buf = io.StringIO()
    rdf.write(rdf.triples(rdf.rows_from_records(rows, data)), buf, "nt")
    out = lines(buf.getvalue())
    assert set(out) == every_statement(rdf.rows_from_records(rows, data))
    assert len(out) < sum(1 for _ in rdf.triples(rdf.rows_from_records(rows, data)))
