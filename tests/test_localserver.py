"""The bundled local server: start, status, stop, and stale state."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trialgraph.graph.localserver import LocalServer, free_port

pytestmark = pytest.mark.integration


def test_start_status_stop_and_stale_state(tmp_path: Path) -> None:
    home = tmp_path / "home"
    server = LocalServer(home, free_port())
    assert not server.status().running
    home.mkdir()
    server.state_file.write_text(json.dumps({"pid": 2**22 + 12345, "port": 1}))  # a dead pid: stale
    assert "stale" in server.status().detail
    status = server.start()
    try:
        assert status.running and status.port == server.requested_port
        assert server.status().running
        assert server.start().pid == status.pid  # starting again is a no-op
        assert (home / "data").is_dir() and server.log_file.exists()
    finally:
        server.stop()
    assert not server.status().running and not server.state_file.exists()


def _aof(server: LocalServer) -> tuple[bytes, bytes]:
    """The append-only file's RDB base and its incremental part, as the server left them."""
    folder = server.data_dir / "appendonlydir"
    base, = folder.glob("*.base.rdb")
    incr = b"".join(p.read_bytes() for p in sorted(folder.glob("*.incr.aof")))
    return base.read_bytes(), incr


def test_a_graph_with_its_constraints_survives_a_crash_and_a_restart(tmp_path: Path) -> None:
    """FalkorDB cannot use its indexes while it replays the append-only file, so a replay of the
    loader's MERGE statements scanned a label per merged node: ~5,000 real records did not come
    back within the 30 s start timeout. Writes must be logged as their effects, and a stop must
    leave the graph as one snapshot, with the constraints operational after each start."""
    import os
    import signal

    from support import fingerprint

    from trialgraph.graph import catalog, schema
    from trialgraph.graph.gateway import FalkorGateway
    from trialgraph.graph.localserver import HOST
    from trialgraph.pipeline import load

    root = Path(__file__).resolve().parents[1]
    server = LocalServer(tmp_path / "home", free_port())
    status = server.start()
    try:
        with FalkorGateway(HOST, status.port, "restart") as gw:
            gw.ensure_schema()
            assert load([root / "trialgraph" / "samples" / "seeds", root / "tests" / "fixtures" / "ctgov"], gw).ok
            expected = fingerprint(gw)
        assert expected["labels"]["Trial"] > 5
        _, incr = _aof(server)
        # only the schema's statements (its indexes, the full-text index procedure) are logged as
        # Cypher; the loader's writes as effects
        assert incr.count(b"GRAPH.QUERY") == len(catalog.ddl_statements("schema.falkordb")) + 1, incr[:2000]
        assert b"db.idx.fulltext.createNodeIndex" in incr
        assert b"GRAPH.EFFECT" in incr and b"MERGE" not in incr

        os.kill(status.pid, signal.SIGKILL)  # a crash: the next start replays the incremental part
        os.waitpid(status.pid, 0)
        for restart in ("after a crash", "after a stop"):
            status = server.start()
            with FalkorGateway(HOST, status.port, "restart") as gw:
                assert fingerprint(gw) == expected, restart
                gw.ensure_schema()  # idempotent on a restarted graph; waits for the constraints
                constraints = gw.read("CALL db.constraints()")
                assert {(c["label"], c["status"]) for c in constraints} == {
                    (label, "OPERATIONAL") for label in schema.NODES}, restart
                with pytest.raises(Exception, match="unique constraint"):  # still enforced
                    gw.write("CREATE (:Trial {nct_id: 'NCT04344158'})")
                assert any("Index Scan" in ln for ln in gw.plan("MATCH (t:Trial {nct_id: 'x'}) RETURN t")), restart
            if restart == "after a crash":
                server.stop()
                base, incr = _aof(server)
                assert base.startswith(b"REDIS") and incr == b"", "the stop did not compact the file"
    finally:
        server.stop()
