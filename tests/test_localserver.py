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
