"""A managed Neo4j server, for users without Docker and for the tests.

``trialgraph neo4j start`` resolves Neo4j Community and Neo4j Browser from Maven Central (the
pom in ``graph/neo4j/pom.xml``; the jars are cached in the user's Maven repository after the
first start) and runs a real Neo4j server as its own process, bound to 127.0.0.1 only: Bolt,
and HTTP so that Browser is served at ``/browser/``. Everything it writes lives under
``$TRIALGRAPH_HOME/neo4j``:

- ``conf/neo4j.conf``: the settings (written at every start from the ports and memory chosen);
- ``data/``, ``logs/``: Neo4j's own;
- ``password``: a generated password for the ``neo4j`` user, owner-only (0600), never printed;
- ``server.json``: ``{pid, bolt_port, http_port, version}``; a stale file (dead process, or a
  pid now used by another program) never blocks a start;
- ``classpath.txt``: the resolved jars (resolved again when a jar is missing or the pom changed).

The admin tool (``org.neo4j.cli.AdminTool``, what ``neo4j-admin`` runs) comes from the same jars:
``import_csv`` runs ``neo4j-admin database import full`` into the stopped server's database.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from trialgraph.errors import ServerError
from trialgraph.graph.localserver import HOST, free_port
from trialgraph.settings import Neo4jSettings

log = logging.getLogger(__name__)
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
DEFAULT_PORTS = (7687, 7474)  # Bolt, HTTP: Neo4j's own, used when free
MIN_JAVA = 17


def neo4j_version() -> str:
    """The Neo4j version the shipped pom pins."""
    m = re.search(r"<neo4j.version>([^<]+)</neo4j.version>", _pom_text())
    assert m, "graph/neo4j/pom.xml names no neo4j.version"
    return m.group(1)


def _pom_text() -> str:
    return resources.files("trialgraph.graph").joinpath("neo4j", "pom.xml").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Neo4jStatus:
    running: bool
    pid: int | None = None
    bolt_port: int | None = None
    http_port: int | None = None
    version: str | None = None
    data_bytes: int = 0
    detail: str = ""

    @property
    def bolt_uri(self) -> str:
        return f"bolt://{HOST}:{self.bolt_port}"

    @property
    def browser_url(self) -> str:
        return f"http://{HOST}:{self.http_port}/browser/"

    def __str__(self) -> str:
        if not self.running:
            return f"stopped{': ' + self.detail if self.detail else ''}"
        return (f"running: Neo4j {self.version}, pid {self.pid}, Bolt {self.bolt_uri}, "
                f"Browser {self.browser_url}, data {self.data_bytes / 1e6:.1f} MB")


def java_command(env: dict[str, str] | None = None) -> str:
    """The ``java`` to run Neo4j with: $JAVA_HOME/bin/java, else the one on PATH; 17 or newer."""
    env = dict(os.environ if env is None else env)
    home = env.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home and (Path(home) / "bin" / "java").exists() else shutil.which("java")
    if not java:
        raise ServerError(f"Neo4j needs Java {MIN_JAVA} or newer and no java was found: install OpenJDK {MIN_JAVA} "
                          "(Debian/Ubuntu: apt-get install openjdk-17-jre-headless) or set JAVA_HOME")
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60).stderr
    except (OSError, subprocess.TimeoutExpired) as e:
        raise ServerError(f"cannot run {java} -version: {e}") from e
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    major = int(m.group(1)) if m else 0
    if major == 1 and m and m.group(2):  # "1.8.0" style
        major = int(m.group(2))
    if major < MIN_JAVA:
        raise ServerError(f"Neo4j {neo4j_version()} needs Java {MIN_JAVA} or newer; {java} is Java {major or '?'}: "
                          f"install OpenJDK {MIN_JAVA} or set JAVA_HOME to one")
    return java


def maven_command() -> str:
    mvn = shutil.which("mvn")
    if not mvn:
        raise ServerError("the managed Neo4j is resolved from Maven Central with Maven, and no mvn was found: install "
                          "Maven 3.8+ (Debian/Ubuntu: apt-get install maven), or run Neo4j yourself and set NEO4J_URI")
    return mvn


def _free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((HOST, port))
        except OSError:
            return False
        return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False  # not ours
    try:  # a recycled pid belongs to some other program
        return ENTRY_POINT.encode() in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True


def _du(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return total


class Neo4jServer:
    """The managed Neo4j under ``home / "neo4j"``."""

    def __init__(self, home: Path, bolt_port: int | None = None, http_port: int | None = None,
                 heap: str | None = None, pagecache: str | None = None) -> None:
        self.dir = Path(home) / "neo4j"
        self.bolt_port, self.http_port = bolt_port, http_port
        self.heap = heap or os.environ.get("TRIALGRAPH_NEO4J_HEAP") or "1g"
        self.pagecache = pagecache or os.environ.get("TRIALGRAPH_NEO4J_PAGECACHE") or "512m"

    @classmethod
    def from_env(cls, home: Path, env: dict[str, str] | None = None) -> Neo4jServer:
        env = dict(os.environ if env is None else env)

        def port(name: str) -> int | None:
            text = env.get(name)
            if not text:
                return None
            if not text.isdigit() or not 0 < int(text) < 65536:
                raise ServerError(f"{name} must be a port number, got {text!r}")
            return int(text)

        return cls(home, port("TRIALGRAPH_NEO4J_BOLT_PORT"), port("TRIALGRAPH_NEO4J_HTTP_PORT"))

    # -- files ----------------------------------------------------------------------------
    @property
    def state_file(self) -> Path:
        return self.dir / "server.json"

    @property
    def password_file(self) -> Path:
        return self.dir / "password"

    @property
    def conf_dir(self) -> Path:
        return self.dir / "conf"

    @property
    def log_file(self) -> Path:
        return self.dir / "logs" / "neo4j.log"

    def _state(self) -> dict:
        try:
            return json.loads(self.state_file.read_text())
        except (OSError, ValueError):
            return {}

    def password(self) -> str:
        """The generated password of the ``neo4j`` user (made at the first start)."""
        try:
            return self.password_file.read_text().strip()
        except OSError as e:
            raise ServerError(f"the managed Neo4j has no password yet ({self.password_file}): run trialgraph neo4j start") from e

    def settings(self) -> Neo4jSettings:
        st = self.status()
        if not st.running:
            raise ServerError(f"the managed Neo4j is {st}: start it with trialgraph neo4j start")
        return Neo4jSettings(st.bolt_uri, "neo4j", "neo4j", self.password())

    # -- class path -----------------------------------------------------------------------
    def classpath(self) -> str:
        """The Neo4j jars (resolved with Maven on first use; cached after)."""
        pom = _pom_text()
        digest = hashlib.sha256(pom.encode()).hexdigest()[:16]
        cached = self.dir / "classpath.txt"
        try:
            saved = json.loads(cached.read_text())
            if saved.get("pom") == digest and all(Path(j).exists() for j in saved["jars"]):
                return os.pathsep.join(saved["jars"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
        mvn = maven_command()
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "pom.xml").write_text(pom, encoding="utf-8")
        out = self.dir / "classpath.raw"
        log.info("resolving Neo4j %s from Maven Central (first start only)", neo4j_version())
        try:
            done = subprocess.run(
                [mvn, "-q", "-B", "-f", str(self.dir / "pom.xml"), "dependency:build-classpath",
                 f"-Dmdep.outputFile={out}"],
                capture_output=True, text=True, timeout=1800,
            )
        except (OSError, subprocess.TimeoutExpired) as e:
            raise ServerError(f"Maven could not resolve Neo4j: {e}") from e
        if done.returncode != 0 or not out.exists():
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-8:])
            raise ServerError(f"Maven could not resolve Neo4j {neo4j_version()} (is Maven Central reachable?):\n{tail}")
        jars = [j for j in out.read_text().strip().split(os.pathsep) if j]
        out.unlink()
        cached.write_text(json.dumps({"pom": digest, "jars": jars}))
        return os.pathsep.join(jars)

    # -- configuration --------------------------------------------------------------------
    def _ports(self) -> tuple[int, int]:
        saved = self._state()
        wanted = (self.bolt_port or saved.get("bolt_port") or DEFAULT_PORTS[0],
                  self.http_port or saved.get("http_port") or DEFAULT_PORTS[1])
        chosen = []
        for explicit, port in zip((self.bolt_port, self.http_port), wanted, strict=True):
            if explicit or _free(port):
                chosen.append(port)
            else:
                chosen.append(free_port())
        return chosen[0], chosen[1]

    def _write_conf(self, bolt: int, http: int) -> None:
        self.conf_dir.mkdir(parents=True, exist_ok=True)
        for d in ("data", "logs", "import", "plugins", "run"):
            (self.dir / d).mkdir(exist_ok=True)
        conf = f"""# Written by trialgraph at every start of the managed Neo4j; edit TRIALGRAPH_NEO4J_* instead.
server.default_listen_address={HOST}
server.default_advertised_address={HOST}
server.bolt.listen_address={HOST}:{bolt}
server.bolt.advertised_address={HOST}:{bolt}
server.http.listen_address={HOST}:{http}
server.http.advertised_address={HOST}:{http}
server.https.enabled=false
server.directories.data={self.dir / 'data'}
server.directories.logs={self.dir / 'logs'}
server.directories.import={self.dir / 'import'}
server.directories.plugins={self.dir / 'plugins'}
server.directories.run={self.dir / 'run'}
server.memory.pagecache.size={self.pagecache}
dbms.security.auth_enabled=true
initial.dbms.default_database=neo4j
dbms.usage_report.enabled=false
# Neo4j Browser: the style sheet and guide that `trialgraph browser --serve` serves on localhost
browser.remote_content_hostname_whitelist=localhost,127.0.0.1
"""
        (self.conf_dir / "neo4j.conf").write_text(conf, encoding="utf-8")

    def _env(self) -> dict[str, str]:
        return {**os.environ, "NEO4J_HOME": str(self.dir), "NEO4J_CONF": str(self.conf_dir)}

    def _ensure_password(self, java: str, cp: str) -> None:
        if self.password_file.exists() and (self.dir / "data" / "dbms").exists():
            return
        password = self.password_file.read_text().strip() if self.password_file.exists() else secrets.token_urlsafe(18)
        self._admin(java, cp, ["dbms", "set-initial-password", password], "set the initial password")
        fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(password + "\n")
        os.chmod(self.password_file, 0o600)

    def _admin(self, java: str, cp: str, args: list[str], what: str, timeout: float = 3600) -> str:
        try:
            done = subprocess.run([java, "-cp", cp, ADMIN_TOOL, *args], env=self._env(), capture_output=True,
                                  text=True, timeout=timeout, cwd=self.dir)  # its import.report lands here
        except (OSError, subprocess.TimeoutExpired) as e:
            raise ServerError(f"neo4j-admin could not {what}: {e}") from e
        if done.returncode != 0:
            lines = [ln for ln in (done.stdout + done.stderr).strip().splitlines() if not ln.startswith("\tat ")]
            raise ServerError(f"neo4j-admin could not {what} (exit {done.returncode}):\n" + "\n".join(lines[-12:]))
        return done.stdout

    # -- life cycle -----------------------------------------------------------------------
    def status(self) -> Neo4jStatus:
        st = self._state()
        pid = st.get("pid")
        if not pid or not _alive(int(pid)):
            return Neo4jStatus(False, detail="" if not st else "a stale state (dead process) was ignored")
        return Neo4jStatus(True, int(pid), st.get("bolt_port"), st.get("http_port"), st.get("version"),
                           _du(self.dir / "data"))

    def start(self, timeout: float = 300.0) -> Neo4jStatus:
        """Start the server (a no-op when it runs) and wait until Bolt answers."""
        st = self.status()
        if st.running:
            return st
        self.state_file.unlink(missing_ok=True)
        java = java_command()
        cp = self.classpath()
        bolt, http = self._ports()
        self._write_conf(bolt, http)
        self._ensure_password(java, cp)
        console = (self.dir / "logs" / "console.log").open("ab")
        cmd = [java, f"-Xms{self.heap}", f"-Xmx{self.heap}", "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow",
               "-XX:+UnlockExperimentalVMOptions", "-XX:+TrustFinalNonStaticFields", "-XX:+DisableExplicitGC",
               "-Djdk.nio.maxCachedBufferSize=262144", "-Dio.netty.tryReflectionSetAccessible=true",
               "-Dfile.encoding=UTF-8", "-Dlog4j2.disable.jmx=true",
               "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
               "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
               "-cp", cp, ENTRY_POINT, f"--home-dir={self.dir}", f"--config-dir={self.conf_dir}"]
        started = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=console, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=self._env(), start_new_session=True, cwd=self.dir)
        console.close()
        self.state_file.write_text(json.dumps({"pid": proc.pid, "bolt_port": bolt, "http_port": http,
                                               "version": neo4j_version()}))
        self._await_bolt(proc, bolt, started + timeout)
        log.info("Neo4j up in %.1f s", time.monotonic() - started)
        return self.status()

    def _await_bolt(self, proc: subprocess.Popen, port: int, deadline: float) -> None:
        import neo4j
        from neo4j.exceptions import AuthError, ServiceUnavailable

        password = self.password()
        while True:
            if proc.poll() is not None:
                self.state_file.unlink(missing_ok=True)
                raise ServerError(f"Neo4j exited with code {proc.returncode} while starting; its log:\n{self._log_tail()}")
            try:
                with neo4j.GraphDatabase.driver(f"bolt://{HOST}:{port}", auth=("neo4j", password)) as d:
                    d.verify_connectivity()
                    d.execute_query("RETURN 1", database_="neo4j")
                return
            except (ServiceUnavailable, OSError):
                pass
            except AuthError as e:
                raise ServerError(f"the managed Neo4j refuses the stored password ({self.password_file}): {e}") from e
            except neo4j.exceptions.Neo4jError as e:  # the default database still starting
                log.debug("Neo4j not ready: %s", e)
            if time.monotonic() > deadline:
                self.stop()
                raise ServerError(f"Neo4j did not answer on Bolt port {port} in time; its log:\n{self._log_tail()}")
            time.sleep(0.25)

    def _log_tail(self, n: int = 15) -> str:
        lines: list[str] = []
        for f in (self.log_file, self.dir / "logs" / "console.log"):
            try:
                lines += f.read_text(errors="replace").splitlines()[-n:]
            except OSError:
                pass
        return "\n".join(lines[-2 * n:])

    def stop(self, timeout: float = 120.0) -> Neo4jStatus:
        """Stop the server cleanly (SIGTERM: Neo4j checkpoints and closes its stores)."""
        st = self.status()
        if st.running and st.pid:
            os.kill(st.pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while _alive(st.pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            if _alive(st.pid):
                log.warning("Neo4j did not stop in %.0f s: killing it", timeout)
                os.kill(st.pid, signal.SIGKILL)
                while _alive(st.pid):
                    time.sleep(0.1)
        self.state_file.unlink(missing_ok=True)
        return self.status()

    def drop_database(self, database: str = "neo4j") -> Neo4jStatus:
        """Empty ``database`` at once (Community cannot DROP DATABASE): stop, remove its store and
        transaction logs, start again; Neo4j recreates it empty (no constraints, no indexes)."""
        self.stop()
        for part in ("databases", "transactions"):
            shutil.rmtree(self.dir / "data" / part / database, ignore_errors=True)
        return self.start()

    def kill(self) -> None:
        """SIGKILL, as a crash would (for tests of interrupted loads)."""
        st = self.status()
        if st.running and st.pid:
            os.kill(st.pid, signal.SIGKILL)
            while _alive(st.pid):
                time.sleep(0.05)

    # -- bulk import ----------------------------------------------------------------------
    def import_csv(self, directory: Path, database: str = "neo4j") -> str:
        """``neo4j-admin database import full`` of a ``trialgraph export neo4j-import`` folder into
        ``database`` (replaced), with the server stopped for it and started again after; then the
        constraints and indexes of ``schema.cypher``. Returns what neo4j-admin printed."""
        from trialgraph.graph.neo4jimport import admin_arguments

        directory = Path(directory).resolve()
        if not (directory / "import.sh").exists():
            raise ServerError(f"{directory} is not a trialgraph export neo4j-import folder (no import.sh)")
        self.stop()
        java, cp = java_command(), self.classpath()
        self._write_conf(*self._ports())
        self._ensure_password(java, cp)
        out = self._admin(java, cp, admin_arguments(directory, database), "import the CSV files")
        self.start()
        return out
