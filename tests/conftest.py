"""Shared fixtures.

Integration tests run against real servers only: the bundled local server, which every test
run starts itself (on a free loopback port, in a temporary TRIALGRAPH_HOME), and Neo4j 5
through testcontainers where a Docker engine exists, or at NEO4J_URI when the user also sets
TRIALGRAPH_TEST_ALLOW_CLEAR=1 (the tests empty that database). Elsewhere the Neo4j runs are
skipped with the reason printed.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from trialgraph.graph import catalog, rdf
from trialgraph.graph.gateway import FalkorGateway, Gateway, Neo4jGateway
from trialgraph.graph.localserver import HOST, LocalServer, free_port

from trialgraph.settings import Neo4jSettings

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


def _neo4j_settings() -> tuple[Neo4jSettings | None, str, object]:
    """Settings for a Neo4j the tests may empty, the reason when there is none, and a container to stop."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        if os.environ.get("TRIALGRAPH_TEST_ALLOW_CLEAR") != "1":
            return None, "NEO4J_URI is set, but the tests would empty that database: set TRIALGRAPH_TEST_ALLOW_CLEAR=1 to allow it", None
        return (
            Neo4jSettings(uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_DATABASE", "neo4j"),
                          os.environ.get("NEO4J_PASSWORD", "")),
            "",
            None,
        )
    try:
        import docker

        docker.from_env().ping()
    except Exception as e:  # no engine, no socket, no permission: all mean "no Docker here"
        return None, f"no Neo4j: NEO4J_URI is not set and no Docker engine answers for testcontainers ({type(e).__name__})", None
    from testcontainers.neo4j import Neo4jContainer

    container = Neo4jContainer("neo4j:5")
    container.start()
    return Neo4jSettings(container.get_connection_url(), "neo4j", "neo4j", container.password), "", container


@pytest.fixture(scope="session")
def neo4j_settings() -> Iterator[Neo4jSettings]:
    settings, reason, container = _neo4j_settings()
    if settings is None:
        pytest.skip(reason)
    yield settings
    if container is not None:
        container.stop()  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def loaded_local_graph(local_server: LocalServer):
    """``with loaded_local_graph(name, *paths) as gw``: a fresh graph on the local server with the
    schema and the given files loaded, emptied after; for module-scoped fixtures that many
    read-only tests share."""
    from trialgraph.pipeline import load

    @contextlib.contextmanager
    def loaded(name: str, *paths: Path) -> Iterator[Gateway]:
        gw = FalkorGateway(HOST, local_server.status().port, f"{name}-{uuid.uuid4().hex[:8]}")
        gw.ensure_schema()
        try:
            report = load(list(paths), gw)
            assert report.ok, report.problems
            yield gw
        finally:
            gw.write(catalog.statement("clear"))
            gw.close()

    return loaded


@pytest.fixture(params=["falkordb", "neo4j"])
def graph(request: pytest.FixtureRequest, local_server: LocalServer) -> Iterator[Gateway]:
    """An empty graph with the schema in place, on each engine."""
    if request.param == "falkordb":
        status = local_server.status()
        gw: Gateway = FalkorGateway(HOST, status.port, f"test-{uuid.uuid4().hex[:8]}")
    else:
        gw = Neo4jGateway(request.getfixturevalue("neo4j_settings"))
        gw.write(catalog.statement("clear"))
    gw.ensure_schema()
    yield gw
    gw.write(catalog.statement("clear"))
    gw.close()


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
