"""The benchmark's naive writer (benchmarks/naive-writer.cypher) runs on the local server and
builds the graph the batched writer builds: the ratio BENCHMARKS.md reports compares like with like."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest

from trialgraph.graph.gateway import FalkorGateway
from trialgraph.graph.localserver import HOST, LocalServer
from trialgraph.graph.writer import GraphWriter
from trialgraph.ontology.reference import reference_data

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parent.parent


def test_naive_and_batched_writers_build_the_same_graph(local_server: LocalServer, tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import run
    finally:
        sys.path.pop(0)
    from trialgraph import synth

    data = tmp_path / "synth.ndjson"
    synth.write_file(60, data, seed=5)
    rows = run.rows_of(data, 60)
    stmts = run.naive_statements()
    assert len(stmts) == 20 and {k.split(":")[0] for k in stmts} == {"node", "rel"}
    counts = {}
    for kind in ("batched", "naive"):
        gw = FalkorGateway(HOST, local_server.status().port or 0, f"bench-{kind}-{uuid.uuid4().hex[:8]}")
        try:
            writer = GraphWriter(gw, reference_data())
            writer.prepare()
            if kind == "batched":
                writer.write((r["nct_id"], r) for r in rows)
            else:
                assert run.naive_write(gw, rows, stmts) > len(rows)  # one statement per element
            counts[kind] = run.counts(gw)
        finally:
            gw.clear()
            gw.close()
    nodes, rels, per = counts["batched"]
    assert per["Trial"] == 60 and rels > nodes > 60
    assert counts["naive"] == counts["batched"]
