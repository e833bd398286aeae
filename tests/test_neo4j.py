"""Real Neo4j beside the local server: the same inputs give the same graph and the same answers on
both engines; Neo4j plans start from an index; the bulk path (export neo4j-import, then
neo4j-admin database import full) rebuilds the graph the transactional load writes; and a load
interrupted by a killed Neo4j resumes to the uninterrupted result.

Inputs: the seeds, the API v2 and legacy XML fixtures, the committed real-record samples, and
synthetic trials (trialgraph synth). CI runs this module against the managed Neo4j
(graph/neo4jserver.py) with TRIALGRAPH_REQUIRE_NEO4J=1, so nothing here is skipped there.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from support import _cli, _kill_when_journaled, _many_trials, fingerprint

from trialgraph.errors import TrialgraphError
from trialgraph.graph import neo4jimport
from trialgraph.graph.gateway import Gateway, Neo4jGateway
from trialgraph.queries import library as lib

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = ROOT / "trialgraph" / "samples" / "seeds"
REAL = [p for p in (FIXTURES / "realdata",) if p.exists()]  # committed samples of real registry records


def _synth(path: Path, n: int, seed: int) -> Path:
    if not path.exists():
        subprocess.run([str(Path(sys.executable).parent / "trialgraph"), "synth", str(n), "-o", str(path),
                        "--seed", str(seed)], check=True, capture_output=True)
    return path


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ...]:
    synth = _synth(tmp_path_factory.mktemp("parity") / "synth-2000.ndjson", 2000, 16)
    return (SEEDS, FIXTURES / "ctgov", FIXTURES / "ctgov_xml", *REAL, synth)


@pytest.fixture
def both(loaded_graph, inputs: tuple[Path, ...]) -> tuple[Gateway, Gateway]:
    return loaded_graph("falkordb", "parity", *inputs), loaded_graph("neo4j", "parity", *inputs)


# A sweep of parameters beyond the header examples: every target family and condition the golden
# tests name, and the synthetic registry's real names.
SWEEP: dict[str, list[dict[str, str]]] = {
    "combination-therapies": [{"target": t, "condition": c} for t in ("PD-1", "PD-L1", "VEGFR", "EGFR", "CTLA-4")
                              for c in ("HCC", "NSCLC", "lung cancer", "colorectal cancer")]
                             + [{"target": "PD-1"}, {}],
    "trials-for-drug": [{"drug": d} for d in ("pembrolizumab", "nivolumab", "bevacizumab", "anlotinib", "cisplatin",
                                              "pembrolizumb")],  # the last: an unknown name, the same error on both
    "trials-for-condition": [{"condition": c} for c in ("HCC", "lung cancer", "NSCLC", "gastric cancer")],
    "trials-for-target": [{"target": t} for t in ("PD-1", "VEGFR", "EGFR", "KDR")],
    "drugs-for-target": [{"target": t} for t in ("PD-L1", "VEGF", "CTLA-4")],
    "landscape": [{"condition": c} for c in ("lung cancer", "pancreatic cancer", "colorectal cancer")],
    "co-tested-drugs": [{"drug": d} for d in ("pembrolizumab", "carboplatin", "bevacizumab")],
    "trials-at-site": [{"facility": "Hospital"}, {"facility": "university", "country": "United States"}],
}


def _param_sets(query: lib.Query) -> list[dict[str, str]]:
    example = {p.name: p.example for p in query.params if p.example}
    return [example, *SWEEP.get(query.name, [])]


def test_the_graphs_are_equal_after_the_same_load(both: tuple[Gateway, Gateway]) -> None:
    falkor, neo = both
    a, b = fingerprint(falkor), fingerprint(neo)
    assert a["labels"] == b["labels"] and a["relationships"] == b["relationships"]
    assert a["labels"]["Trial"] > 2000
    mismatched = [x["nct_id"] for x, y in zip(a["trials"], b["trials"], strict=True) if x != y]
    assert not mismatched, f"{len(mismatched)} trials differ, e.g. {mismatched[:5]}"


def _answer(gw: Gateway, name: str, params: dict[str, str]) -> object:
    """A query's rows, or the error it gives (an unknown name's suggestions come from the graph)."""
    try:
        return lib.run(gw, name, **params)  # also checks every row's keys against the header's columns
    except TrialgraphError as e:
        assert "its header declares" not in str(e), e  # a column drift is a failure, even on both engines
        return (type(e).__name__, str(e))


def test_every_library_query_gives_the_same_rows_on_both_engines(both: tuple[Gateway, Gateway]) -> None:
    falkor, neo = both
    compared = nonempty = 0
    for query in lib.library().values():
        for params in _param_sets(query):
            a, b = _answer(falkor, query.name, params), _answer(neo, query.name, params)
            assert a == b, f"{query.name} {params}: the engines differ\nlocal: {a[:3]}\nneo4j: {b[:3]}"
            compared += 1
            nonempty += isinstance(a, list) and bool(a)
    assert compared >= 60 and nonempty >= 40, (compared, nonempty)


# The three queries that match a name inside a text (a sponsor's whole words, a facility's
# substring) scan their label on both engines: an index for that needs each engine's own full-text
# procedure (db.index.fulltext.queryNodes / db.idx.fulltext.queryNodes), i.e. two texts of the query.
SCANNING = {"sponsor-portfolio", "trials-at-site", "trials-for-sponsor"}


def _first_read(plan: list[str]) -> str:
    """The operator a plan reads first: the deepest leaf of the first branch Neo4j lists."""
    leaves = [ln.strip().split(" ")[0] for ln in plan if ln.strip().split(" ")[0].endswith(("Seek", "Scan"))]
    return leaves[0]


def test_each_neo4j_plan_starts_from_an_index(both: tuple[Gateway, Gateway]) -> None:
    _, neo = both
    starts = {}
    for name, query in lib.library().items():
        params = lib.resolve_params(query, {p.name: p.example for p in query.params if p.example})
        starts[name] = _first_read(neo.plan(query.cypher, params))
    scanning = {n for n, op in starts.items() if "Index" not in op}
    assert scanning == SCANNING, starts
    assert all(starts[n] == "NodeByLabelScan" for n in SCANNING), starts


# -- running the trialgraph command against the managed Neo4j ----------------------------------
def _managed_env(server) -> dict[str, str]:
    """The environment under which `trialgraph --engine neo4j` reaches the tests' managed Neo4j."""
    st = server.status()
    return {"TRIALGRAPH_HOME": str(server.dir.parent), "TRIALGRAPH_ENGINE": "neo4j", "NEO4J_URI": "",
            "TRIALGRAPH_NEO4J_BOLT_PORT": str(st.bolt_port), "TRIALGRAPH_NEO4J_HTTP_PORT": str(st.http_port)}


def _trialgraph(env: dict[str, str], *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "trialgraph"), *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=timeout)


# -- interrupted loads ----------------------------------------------------------------------------
def test_a_killed_neo4j_gives_a_clear_error_and_the_rerun_completes(
    managed_neo4j, shared_neo4j, loaded_graph, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data = _many_trials(tmp_path_factory.mktemp("killed") / "many.ndjson", 120)
    expected = fingerprint(loaded_graph("falkordb", "uninterrupted-neo4j", data))
    shared_neo4j.take(("killed", random.random()))  # emptied, and this test's
    env = {**_managed_env(managed_neo4j), "TRIALGRAPH_BATCH_SIZE": "1"}
    home = managed_neo4j.dir.parent
    at = random.Random().randint(5, 100)
    proc = _cli(env, "load", str(data))
    try:
        killed = _kill_when_journaled(proc, home, at, victim=managed_neo4j.status().pid)
        out, err = proc.communicate(timeout=240)
    finally:
        managed_neo4j.start()
        shared_neo4j.holder = None
    assert killed, f"the load ended before Neo4j was killed (at {at})"
    assert proc.returncode != 0 and "Traceback" not in err, err
    assert "lost Neo4j" in err and "rerun the same load to resume" in err, err
    done = _trialgraph(env, "load", str(data))
    assert done.returncode == 0, done.stderr
    assert "resumed an interrupted load" in done.stdout
    with Neo4jGateway(managed_neo4j.settings()) as gw:
        assert fingerprint(gw) == expected


# -- the bulk path (last: it replaces the shared database with 3,000 synthetic trials) ----------
def test_neo4j_admin_import_rebuilds_the_transactional_graph(
    managed_neo4j, shared_neo4j, loaded_graph, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """seeds + fixtures (results sections included) + 3,000 synthetic trials (about 220 with results, at
    the registry's share): the transactional load (on the local server, which
    the parity test shows equal to Neo4j's) against `trialgraph export neo4j-import --from` then
    `trialgraph neo4j import` (neo4j-admin database import full into the managed Neo4j)."""
    work = tmp_path_factory.mktemp("bulk")
    # no second rendering of a trial among these: an export from files keeps a trial's first
    # rendering (it says so), where the graph merges them (the real-record samples repeat trials)
    inputs = (SEEDS, FIXTURES / "ctgov", FIXTURES / "ctgov_xml", FIXTURES / "results",
              _synth(work / "synth-3000.ndjson", 3000, 7))
    expected = fingerprint(loaded_graph("falkordb", "bulk", *inputs))
    csv_dir = work / "csv"
    env = _managed_env(managed_neo4j)
    froms = [x for p in inputs for x in ("--from", str(p))]
    done = _trialgraph(env, "export", "neo4j-import", str(csv_dir), *froms)
    assert done.returncode == 0, done.stderr
    shared_neo4j.holder = None  # the import replaces the shared database
    done = _trialgraph(env, "neo4j", "import", str(csv_dir))
    assert done.returncode == 0, done.stderr
    assert "imported" in done.stdout
    try:
        with Neo4jGateway(managed_neo4j.settings()) as gw:
            got = fingerprint(gw)
    finally:
        shared_neo4j.replaced()  # thousands of imported trials: dropped at once, not deleted in batches
    assert got["labels"] == expected["labels"] and got["relationships"] == expected["relationships"]
    assert got["trials"] == expected["trials"]
    # import.sh holds exactly the command that ran (its paths relative to its folder)
    script = (csv_dir / "import.sh").read_text(encoding="utf-8")
    ran = " ".join(a.replace(f"{csv_dir}/", "") for a in neo4jimport.admin_arguments(csv_dir))
    written = next(ln for ln in script.splitlines() if ln.startswith("neo4j-admin "))
    assert sorted(written.replace("./", "").split()) == sorted(("neo4j-admin " + ran).split())


def test_neo4j_settings_never_show_the_password(managed_neo4j) -> None:
    password = managed_neo4j.password()
    assert oct(managed_neo4j.password_file.stat().st_mode & 0o777) == "0o600"
    logs = "".join(p.read_text(errors="replace") for p in (managed_neo4j.dir / "logs").glob("*.log"))
    assert password not in logs and password not in repr(managed_neo4j.settings())
    assert password not in str(managed_neo4j.status())
