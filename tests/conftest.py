"""Shared fixtures.

Integration tests run against real servers only: the bundled local server, which every test
run starts itself (on a free loopback port, in a temporary TRIALGRAPH_HOME), and Neo4j: at
NEO4J_URI when the user also sets TRIALGRAPH_TEST_ALLOW_CLEAR=1 (the tests empty that database),
else through testcontainers where a Docker engine answers, else the managed Neo4j server
(graph/neo4jserver.py: Neo4j Community from Maven Central, in a temporary home). Where none can
run, the Neo4j runs are skipped with the reason printed, or fail when TRIALGRAPH_REQUIRE_NEO4J=1
(CI sets it: no Neo4j test is skipped there).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from trialgraph.graph import rdf
from trialgraph.graph.gateway import FalkorGateway, Gateway, Neo4jGateway
from trialgraph.graph.localserver import HOST, LocalServer, free_port
from trialgraph.settings import Neo4jSettings

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/support.py: helpers shared by modules
# The index of the registry tables (ontology/registry.py) is built once per machine and table
# digest, not once per temporary TRIALGRAPH_HOME: every test process and CLI subprocess shares it.
os.environ.setdefault("TRIALGRAPH_CACHE", str(Path(tempfile.gettempdir()) / "trialgraph-test-cache"))
SEEDS = Path(__file__).resolve().parent.parent / "trialgraph" / "samples" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def local_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    home = tmp_path_factory.mktemp("trialgraph-home")
    server = LocalServer(home, free_port())
    server.start()
    yield server
    server.stop()


ENGINES = ("falkordb", "neo4j")
_MANAGED: list = []  # the managed Neo4j, when the tests started one


def _managed_neo4j(tmp_path_factory: pytest.TempPathFactory):
    """The managed Neo4j (graph/neo4jserver.py) in a temporary home, on free loopback ports; or
    the reason it cannot run here."""
    from trialgraph.errors import ServerError
    from trialgraph.graph.neo4jserver import Neo4jServer, java_command, maven_command

    try:
        java_command()
        maven_command()
    except ServerError as e:
        return None, f"no Neo4j: NEO4J_URI is not set, no Docker engine answers, and the managed server cannot run: {e}"
    server = Neo4jServer(tmp_path_factory.mktemp("neo4j-home"), free_port(), free_port(), heap="1g", pagecache="256m")
    server.start()
    _MANAGED.append(server)
    return server, ""


def _neo4j_settings(tmp_path_factory: pytest.TempPathFactory) -> tuple[Neo4jSettings | None, str, Callable[[], None]]:
    """A Neo4j the tests may empty, in this order: NEO4J_URI (with TRIALGRAPH_TEST_ALLOW_CLEAR=1),
    testcontainers where a Docker engine answers, the managed server; else the reason there is none.
    Also what stops it after the session."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        if os.environ.get("TRIALGRAPH_TEST_ALLOW_CLEAR") != "1":
            return None, "NEO4J_URI is set, but the tests would empty that database: set TRIALGRAPH_TEST_ALLOW_CLEAR=1 to allow it", _nothing
        return (
            Neo4jSettings(uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_DATABASE", "neo4j"),
                          os.environ.get("NEO4J_PASSWORD", "")),
            "",
            _nothing,
        )
    try:
        import docker

        docker.from_env().ping()
    except Exception:  # no engine, no socket, no permission: all mean "no Docker here"
        server, reason = _managed_neo4j(tmp_path_factory)
        if server is None:
            return None, reason, _nothing
        return server.settings(), "", server.stop
    from testcontainers.neo4j import Neo4jContainer

    container = Neo4jContainer("neo4j:5.26")
    container.start()
    return Neo4jSettings(container.get_connection_url(), "neo4j", "neo4j", container.password), "", container.stop


def _nothing() -> None:
    pass


@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jSettings]:
    settings, reason, stop = _neo4j_settings(tmp_path_factory)
    if settings is None:
        if os.environ.get("TRIALGRAPH_REQUIRE_NEO4J") == "1":
            pytest.fail(f"TRIALGRAPH_REQUIRE_NEO4J=1 and {reason}")
        pytest.skip(reason)
    yield settings
    stop()


@pytest.fixture(scope="session")
def managed_neo4j(neo4j_settings: Neo4jSettings):
    """The managed Neo4j server itself (for the bulk import and kill tests)."""
    if not _MANAGED:
        pytest.skip("needs the managed Neo4j: these tests run on NEO4J_URI or a container here")
    return _MANAGED[0]


class SharedNeo4j:
    """Neo4j Community has one user database: the tests take turns with it. ``take(key, fill)``
    gives the gateway holding what ``fill`` loads under ``key``, loading it again only when
    another fixture changed the database since."""

    def __init__(self, settings: Neo4jSettings) -> None:
        self.gateway = Neo4jGateway(settings)
        self.gateway.clear()
        self.gateway.ensure_schema()
        self.holder: object = None

    def replaced(self) -> None:
        """The database was replaced behind the gateway's back (neo4j-admin import): empty it at
        once where the server is the managed one, and put the schema back."""
        self.holder = None
        if _MANAGED:
            _MANAGED[0].drop_database()
            self.gateway.close()
            self.gateway = Neo4jGateway(_MANAGED[0].settings())
        self.gateway.ensure_schema()

    def take(self, key: object, fill: Callable[[Gateway], None] | None = None) -> Gateway:
        if key is None or key != self.holder:
            self.gateway.clear()
            self.holder = None
            if fill is not None:
                fill(self.gateway)
            self.holder = key
        return self.gateway


@pytest.fixture(scope="session")
def shared_neo4j(neo4j_settings: Neo4jSettings) -> Iterator[SharedNeo4j]:
    shared = SharedNeo4j(neo4j_settings)
    yield shared
    if not _MANAGED:  # a user's Neo4j is left empty; the managed one is thrown away with its home
        shared.gateway.clear()
    shared.gateway.close()


def _fill(paths: tuple[Path, ...]) -> Callable[[Gateway], None]:
    def fill(gw: Gateway) -> None:
        from trialgraph.pipeline import load

        report = load(list(paths), gw)
        assert report.ok, report.problems

    return fill


@pytest.fixture(scope="session")
def loaded_graph(request: pytest.FixtureRequest, local_server: LocalServer):
    """``loaded_graph(engine, name, *paths)``: a graph on that engine with the schema and the given
    files loaded, for the read-only tests that share it (loaded once per session on the local
    server; on Neo4j again whenever another fixture used the database in between)."""
    graphs: dict[tuple, Gateway] = {}

    def get(engine: str, name: str, *paths: Path) -> Gateway:
        key = (name, *paths)
        if engine == "neo4j":
            shared: SharedNeo4j = request.getfixturevalue("shared_neo4j")
            return shared.take(key, _fill(paths))
        if key not in graphs:
            gw = FalkorGateway(HOST, local_server.status().port, f"{name}-{uuid.uuid4().hex[:8]}")
            gw.ensure_schema()
            _fill(paths)(gw)
            graphs[key] = gw
        return graphs[key]

    yield get
    for gw in graphs.values():
        gw.clear()
        gw.close()


@pytest.fixture(scope="session")
def loaded_local_graph(local_server: LocalServer):
    """``with loaded_local_graph(name, *paths) as gw``: a fresh graph on the local server with the
    schema and the given files loaded, emptied after."""

    @contextlib.contextmanager
    def loaded(name: str, *paths: Path) -> Iterator[Gateway]:
        gw = FalkorGateway(HOST, local_server.status().port, f"{name}-{uuid.uuid4().hex[:8]}")
        gw.ensure_schema()
        try:
            _fill(paths)(gw)
            yield gw
        finally:
            gw.clear()
            gw.close()

    return loaded


@pytest.fixture
def env(local_server: LocalServer) -> dict[str, str]:
    """The environment under which the trialgraph command uses a fresh graph on the tests' local server."""
    return {"TRIALGRAPH_HOME": str(local_server.home), "TRIALGRAPH_PORT": str(local_server.status().port),
            "TRIALGRAPH_GRAPH": f"cli-{uuid.uuid4().hex[:8]}", "NEO4J_URI": ""}


@pytest.fixture(scope="session")
def cli_env(local_server: LocalServer) -> Callable[[Gateway], dict[str, str]]:
    """``cli_env(gw)``: the environment under which the trialgraph command reaches ``gw``'s graph."""

    def env(gw: Gateway) -> dict[str, str]:
        if isinstance(gw, Neo4jGateway):
            s = gw.settings
            return {"NEO4J_URI": s.uri, "NEO4J_USER": s.user, "NEO4J_PASSWORD": s.password,
                    "NEO4J_DATABASE": s.database, "TRIALGRAPH_HOME": str(local_server.home), "TRIALGRAPH_ENGINE": ""}
        assert isinstance(gw, FalkorGateway)
        return {"TRIALGRAPH_HOME": str(local_server.home), "TRIALGRAPH_PORT": str(gw.port),
                "TRIALGRAPH_GRAPH": gw.graph_name, "NEO4J_URI": "", "TRIALGRAPH_ENGINE": ""}

    return env


@pytest.fixture(params=ENGINES)
def graph(request: pytest.FixtureRequest, local_server: LocalServer) -> Iterator[Gateway]:
    """An empty graph with the schema in place, on each engine."""
    if request.param == "falkordb":
        status = local_server.status()
        gw: Gateway = FalkorGateway(HOST, status.port, f"test-{uuid.uuid4().hex[:8]}")
        gw.ensure_schema()
        yield gw
        gw.clear()
        gw.close()
    else:
        shared: SharedNeo4j = request.getfixturevalue("shared_neo4j")
        yield shared.take(None)
        shared.holder = None  # the test wrote to it


@pytest.fixture
def seeded(graph: Gateway, seeds_dir: Path) -> Gateway:
    from trialgraph.pipeline import load

    report = load([seeds_dir], graph)
    assert report.ok, report.problems
    assert report.trials_written == 5
    return graph


# -- the arm-level combination question in SPARQL, for the RDF parity tests ----------------------
COMBINATION_PREFIXES = "\n".join(f"PREFIX {k}: <{v}>" for k, v in rdf.PREFIXES.items())

# The combination question in SPARQL: a partner is another drug the arm gives, not in the target
# drug's option group (an intervention's own, or the arm's between two interventions), in a trial
# that is not observational.
COMBINATION_SPARQL = """
    SELECT DISTINCT ?nct ?label WHERE {
      ?trial a tg:Trial ; schema:identifier ?nct ; tg:hasArm ?arm .
      %s
      FILTER NOT EXISTS { ?trial tg:studyType "OBSERVATIONAL" }
      ?arm rdfs:label ?label ; tg:gives ?i1, ?i2 .
      ?i1 tg:usesDrug ?drug . ?i2 tg:usesDrug ?partner .
      FILTER (?drug != ?partner)
      FILTER NOT EXISTS { FILTER (?i1 = ?i2) ?i1 tg:hasOptionGroup ?og . ?og tg:optionDrug ?drug, ?partner }
      FILTER NOT EXISTS { FILTER (?i1 != ?i2) ?arm tg:hasOptionGroup ?og . ?og tg:optionIntervention ?i1, ?i2 }
      ?drug tg:actsOn ?target . ?target tg:symbol ?symbol . VALUES ?symbol { %s }
    }"""


def combination_sparql(symbols: list[str], condition: str | None = None) -> str:
    cond = f"?trial schema:healthCondition ?cond . ?cond tg:broader* {condition} ." if condition else ""
    return COMBINATION_PREFIXES + COMBINATION_SPARQL % (cond, " ".join(f'"{s}"' for s in symbols))


@pytest.fixture(scope="session")
def combination_sparql_query():
    """combination_sparql(symbols, condition=None) -> the SPARQL text of combination-therapies."""
    return combination_sparql
