"""Reliability and safety, each property proved here: bad input is named and changes nothing,
a trial lands whole or not at all, loads are idempotent and resumable after a SIGKILL of the
loader or of the local server, hostile text is stored exactly and stays inert, control
characters are removed and reported, credentials never leak, the local server stays on loopback."""

from __future__ import annotations

import copy
import json
import random
import signal
import traceback
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import _cli, _journal_lines, _kill_when_journaled, _many_trials, fingerprint

from trialgraph.cli import main
from trialgraph.graph.gateway import FalkorGateway
from trialgraph.graph.localserver import HOST, LocalServer
from trialgraph.graph.writer import GraphWriter
from trialgraph.ontology.reference import reference_data
from trialgraph.ontology.resolve import default_resolver
from trialgraph.pipeline import LoadReport, load, read_trials, resolved

pytestmark = pytest.mark.integration
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = Path(__file__).resolve().parent.parent / "trialgraph" / "samples" / "seeds"
API = FIXTURES / "ctgov" / "NCT02210780.json"  # a real API v2 record (dupilumab, atopic dermatitis)
HOSTILE = [
    "'}) MATCH (n) DETACH DELETE n //",
    'He said "stop" \\ and `left` $x {a: 1} ${b}',
    "Café 🧪 Ω≈ç√ ∫ 北京协和医院 — ‘quotes’",
    "\\\\server\\share $param `ticks` }{ ) ( ; // /* */",
]


def run(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def fresh_graph(local_server: LocalServer) -> Iterator[FalkorGateway]:
    gw = FalkorGateway(HOST, local_server.status().port, f"rel-{uuid.uuid4().hex[:8]}")
    gw.ensure_schema()
    yield gw
    gw.clear()
    gw.close()


def api_record(**changes) -> dict:
    rec = json.loads(API.read_text(encoding="utf-8"))
    ps = rec["protocolSection"]
    for path, value in changes.items():
        node = ps
        *head, last = path.split(".")
        for k in head:
            node = node[int(k)] if k.isdigit() else node.setdefault(k, {})
        node[int(last) if last.isdigit() else last] = value
    return rec


# -- bad input ------------------------------------------------------------------------------------
def _bad_corpus(folder: Path) -> dict[str, str | None]:
    """Malformed inputs -> the field their rejection must name (None: the file as a whole)."""
    folder.mkdir()
    seed = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    rec = api_record()
    cases: dict[str, tuple[bytes, str | None]] = {
        "empty.json": (b"", None),
        "binary.bin": (bytes(random.Random(7).randrange(256) for _ in range(600)), "encoding"),
        "unknown.html": (b"<html><body><h1>Another registry</h1><p>Study 12</p></body></html>", None),
        "broken.json": (b'{"protocolSection": {"identificationModule": ', "json"),
        "bad-nct.json": (json.dumps(api_record(**{"identificationModule.nctId": "NCT123"})).encode(),
                         "protocolSection.identificationModule.nctId"),
        # (a wrong-typed field costs that field, not the trial: tests/test_loader_rules.py)
        "truncated.txt": (seed[: len(seed) // 3].encode(), "Eligibility Criteria"),  # where the cut falls
        "latin1.txt": (seed.replace("Hospital", "Hôpital").encode("latin-1", "replace"), "encoding"),
    }
    missing = copy.deepcopy(rec)
    del missing["protocolSection"]["identificationModule"]["nctId"]
    cases["missing-nct.json"] = (json.dumps(missing).encode(), "protocolSection.identificationModule.nctId")
    for name, (data, _) in cases.items():
        (folder / name).write_bytes(data)
    return {name: fld for name, (_, fld) in cases.items()}


def test_bad_inputs_are_each_named_once_and_change_nothing(env: dict[str, str], tmp_path: Path,
                                                            fresh_graph: FalkorGateway) -> None:
    bad = _bad_corpus(tmp_path / "bad")
    good = [next(SEEDS.glob("000_*.txt")), next(SEEDS.glob("004_*.txt"))]
    # an NDJSON file mixing good and bad records: the good lines load, the bad one is named by line
    mixed = tmp_path / "mixed.ndjson"
    lines = [json.dumps(api_record()), '{"protocolSection": [1, 2', json.dumps(json.loads((FIXTURES / "ctgov" / "NCT05786924.json").read_text()))]
    mixed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(env, "load", str(tmp_path / "bad"), *map(str, good), str(mixed))
    assert code == 1, out + err
    assert "Traceback" not in out + err
    rejected = [line for line in err.splitlines() if line.startswith("rejected: ")]
    for name, fld in bad.items():
        mine = [line for line in rejected if line.startswith(f"rejected: {tmp_path / 'bad' / name}: ")]
        assert len(mine) == 1, (name, rejected)
        if fld:
            assert mine[0].startswith(f"rejected: {tmp_path / 'bad' / name}: {fld}: "), mine[0]
    assert [line for line in rejected if f"{mixed}:line 2" in line] and len(rejected) == len(bad) + 1
    assert "wrote 4 trial(s)" in out
    # the graph holds exactly what the good inputs give
    report = load([*good, mixed], fresh_graph)
    assert report.trials_written == 4 and len(report.problems) == 1
    with FalkorGateway(HOST, int(env["TRIALGRAPH_PORT"]), env["TRIALGRAPH_GRAPH"]) as gw:
        assert fingerprint(gw)["labels"] == fingerprint(fresh_graph)["labels"]
        assert fingerprint(gw)["relationships"] == fingerprint(fresh_graph)["relationships"]


def test_an_unexpected_error_is_one_line_without_debug(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    from trialgraph import pipeline

    def boom(*a, **k):
        raise KeyError("a bug")

    monkeypatch.setattr(pipeline, "load", boom)
    code, out, err = run(env, "load", str(SEEDS))
    assert code == 3 and "Traceback" not in err and "internal error (KeyError: 'a bug')" in err
    result = CliRunner().invoke(main, ["--debug", "load", str(SEEDS)], env=env)
    assert isinstance(result.exception, KeyError)


# -- control characters ---------------------------------------------------------------------------
def test_control_characters_are_removed_at_the_boundary_and_reported(env: dict[str, str], tmp_path: Path) -> None:
    rec = api_record(**{"identificationModule.briefTitle": "Dupilumab\u0000 in atopic\u0007 dermatitis\u009b",
                        "sponsorCollaboratorsModule.leadSponsor.name": "Regeneron\u0000 Pharmaceuticals"})
    f = tmp_path / "controls.json"
    f.write_text(json.dumps(rec), encoding="utf-8")
    report_file = tmp_path / "report.json"
    code, out, err = run(env, "load", str(f), "--report", str(report_file))
    assert code == 0, err
    warnings = json.loads(report_file.read_text())["warnings"]["examples"]
    assert {(w["file"], w["field"]) for w in warnings} == {(str(f), "brief_title"), (str(f), "sponsors[0].name")}
    assert all("NCT02210780: removed" in w["message"] for w in warnings)
    assert f"warning: {f}: brief_title: NCT02210780: removed 3 control character(s)" in err
    code, out, _ = run(env, "query", "trial", "-p", "nct_id=NCT02210780", "--format", "json")
    row = json.loads(out)[0]
    assert row["title"] == "Dupilumab in atopic dermatitis"
    assert row["sponsors"][0] == {"name": "Regeneron Pharmaceuticals", "role": "lead"}


# -- hostile text ------------------------------------------------------------------------------
def test_hostile_text_is_stored_exactly_and_never_changes_a_query(env: dict[str, str], tmp_path: Path) -> None:
    sites = api_record()["protocolSection"]["contactsLocationsModule"]["locations"][:2]
    sites[0]["facility"], sites[0]["city"] = HOSTILE[1], HOSTILE[3]
    sites[1]["facility"] = HOSTILE[0]
    rec = api_record(**{"identificationModule.briefTitle": HOSTILE[0], "identificationModule.officialTitle": HOSTILE[1],
                        "identificationModule.acronym": HOSTILE[2], "sponsorCollaboratorsModule.leadSponsor.name": HOSTILE[3],
                        "contactsLocationsModule.locations": sites})
    f = tmp_path / "hostile.json"
    f.write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    run(env, "load", str(SEEDS))
    code, _, err = run(env, "load", str(f))
    assert code == 0, err
    with FalkorGateway(HOST, int(env["TRIALGRAPH_PORT"]), env["TRIALGRAPH_GRAPH"]) as gw:
        before = fingerprint(gw)
        (t,) = [x for x in before["trials"] if x["nct_id"] == "NCT02210780"]
        assert (t["props"]["brief_title"], t["props"]["official_title"], t["props"]["acronym"]) == tuple(HOSTILE[:3])
        assert HOSTILE[3] in [s["props"]["name"] for s in t["sponsors"]]  # the lead; Sanofi collaborates
        assert {(s["props"]["facility"], s["props"]["city"]) for s in t["sites"]} == {
            (HOSTILE[1], HOSTILE[3]), (HOSTILE[0], sites[1]["city"])}
        # hostile values as query parameters are only ever values
        for value in HOSTILE:
            for name, param in (("trials-for-sponsor", "sponsor"), ("trials-for-drug", "drug"), ("path", "from")):
                args = ["query", name, "-p", f"{param}={value}", "--format", "json"]
                if name == "path":
                    args += ["-p", "to=PD-1"]
                code, _, _ = run(env, *args)
                assert code in (0, 2)
        code, out, _ = run(env, "query", "trials-for-sponsor", "-p", f"sponsor={HOSTILE[3]}", "--format", "json")
        assert [r["nct_id"] for r in json.loads(out)] == ["NCT02210780"]
        assert fingerprint(gw) == before
    # labels and relationship types come only from the schema: no statement builds one from data
    root = Path(__file__).resolve().parent.parent
    for py in [*root.glob("graph/*.py"), *root.glob("queries/*.py"), *root.glob("trialgraph/*.py"), *root.glob("loaders/*.py")]:
        if py.name == "gencypher.py":  # writes the generated .cypher files (tests/test_cypher.py: committed == generated)
            continue
        text = py.read_text(encoding="utf-8")
        for marker in ("MERGE (", "CREATE (", "MATCH (", "SET n:", "apoc.create"):
            assert marker not in text, f"{py.name} writes Cypher inline ({marker!r}): statements live in .cypher files"


# -- whole or nothing ---------------------------------------------------------------------------
def test_a_failure_mid_batch_leaves_no_partial_trial(fresh_graph: FalkorGateway, monkeypatch: pytest.MonkeyPatch) -> None:
    """A value the graph would refuse, in the 4th trial of a batch of 6 real records: the model's
    type check refuses that trial before anything of the batch is written (the engine-level
    refusal mid-transaction is tests/test_integration.py's), the other 5 land whole."""
    report = LoadReport()
    trials = list(resolved(read_trials([FIXTURES / "ctgov"], report), default_resolver(), report))[:6]
    writer = GraphWriter(fresh_graph, reference_data(), batch_size=6)
    writer.prepare()
    rows = [writer.row(rt) for rt in trials]
    poisoned = rows[3]["nct_id"]
    rows[3]["sites"][-1]["props"]["facility"] = {"not": {"a": "primitive"}}
    transactions: list[list[str]] = []
    real_write_rows = writer.write_rows
    monkeypatch.setattr(writer, "write_rows", lambda rs, stored, ent=None: transactions.append([r["nct_id"] for r in rs])
                        or real_write_rows(rs, stored, ent))
    result = writer.write([(r["nct_id"], r) for r in rows])
    assert transactions == [[r["nct_id"] for r in rows if r["nct_id"] != poisoned]]  # one transaction, without it
    assert [n for n, _ in result.failed] == [poisoned] and result.trials_written == 5
    assert "Site.facility must be string" in list(result.failed)[0][1]
    leftovers = fresh_graph.read("MATCH (n) WHERE n.nct_id = $n RETURN count(n) AS c", {"n": poisoned})
    assert leftovers[0]["c"] == 0  # no trial node, arm or intervention of it
    assert fresh_graph.read("MATCH (:Trial {nct_id: $n})-[:HAS_SITE]->(s) RETURN count(s) AS c", {"n": poisoned})[0]["c"] == 0
    written = fresh_graph.read("MATCH (t:Trial) RETURN t.nct_id AS n ORDER BY n")
    assert [r["n"] for r in written] == sorted(r["nct_id"] for r in rows if r["nct_id"] != poisoned)


def test_loading_twice_changes_nothing(fresh_graph: FalkorGateway) -> None:
    paths = [SEEDS, FIXTURES / "ctgov", FIXTURES / "ctgov_xml"]
    load(paths, fresh_graph)
    once = fingerprint(fresh_graph)
    load(paths, fresh_graph, batch_size=7)
    assert fingerprint(fresh_graph) == once


# -- interrupted loads ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def reference_fingerprint(loaded_local_graph, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    data = _many_trials(tmp_path_factory.mktemp("many") / "many.ndjson", 120)
    with loaded_local_graph("uninterrupted", data) as gw:
        return data, fingerprint(gw)


def test_a_killed_loader_reruns_to_exactly_the_uninterrupted_result(env: dict[str, str], reference_fingerprint) -> None:
    data, expected = reference_fingerprint
    env = {**env, "TRIALGRAPH_BATCH_SIZE": "1"}
    at = random.Random().randint(5, 100)
    proc = _cli(env, "load", str(data))
    killed = _kill_when_journaled(proc, Path(env["TRIALGRAPH_HOME"]), at)
    proc.communicate(timeout=60)
    assert killed and proc.returncode == -signal.SIGKILL, f"not killed mid-load (at {at})"
    code, out, err = run(env, "load", str(data))
    assert code == 0, err
    skipped = int(out.split("skipped ")[1].split(" ")[0])
    assert skipped >= at, out
    assert f"read {120 - skipped} trial record(s)" in out
    with FalkorGateway(HOST, int(env["TRIALGRAPH_PORT"]), env["TRIALGRAPH_GRAPH"]) as gw:
        assert fingerprint(gw) == expected
    assert _journal_lines(Path(env["TRIALGRAPH_HOME"])) <= 0  # finished: nothing left to resume


def test_a_killed_server_gives_a_clear_error_and_the_rerun_completes(tmp_path: Path, reference_fingerprint) -> None:
    data, expected = reference_fingerprint
    home = tmp_path / "home"
    server = LocalServer(home)
    status = server.start()
    env = {"TRIALGRAPH_HOME": str(home), "TRIALGRAPH_GRAPH": "killed", "TRIALGRAPH_BATCH_SIZE": "1", "NEO4J_URI": ""}
    try:
        proc = _cli(env, "load", str(data))
        at = random.Random().randint(5, 100)
        killed = _kill_when_journaled(proc, home, at, victim=status.pid)
        out, err = proc.communicate(timeout=60)
        assert killed, f"the load ended before the server was killed (at {at})"
        assert proc.returncode == 4 and "Traceback" not in err, err  # 4: the graph server cannot be reached (trialgraph/errors.py)
        assert "lost the local graph server" in err and "rerun the same load to resume" in err
        code, out, _ = run(env, "server", "status")
        assert "not running" in out  # the truth, though the state file still names the dead process
        code, out, err = run(env, "load", str(data))  # starts the server again over the stale state
        assert code == 0, err
        assert "resumed an interrupted load" in out
        with FalkorGateway(HOST, LocalServer(home).status().port, "killed") as gw:
            assert fingerprint(gw) == expected
    finally:
        LocalServer(home).stop()


# -- credentials -----------------------------------------------------------------------------------
def test_the_neo4j_password_never_appears_in_output_logs_or_errors(caplog: pytest.LogCaptureFixture) -> None:
    secret = "Pa55-" + uuid.uuid4().hex
    env = {"NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_PASSWORD": secret, "NEO4J_USER": "neo4j", "TRIALGRAPH_HOME": "/nonexistent"}
    caplog.set_level("DEBUG")
    seen = []
    for args in (["stats"], ["--debug", "stats"], ["--debug", "load", str(SEEDS)], ["query", "trial", "-p", "nct_id=NCT04344158"]):
        result = CliRunner().invoke(main, args, env=env)
        seen += [result.output, result.stderr, repr(result.exception)]
        if result.exception:
            seen.append("".join(traceback.format_exception(result.exception)))
        assert result.exit_code != 0
    seen += [r.getMessage() for r in caplog.records]
    assert not [s for s in seen if secret in s]
    assert any("127.0.0.1:9" in s for s in seen)  # the error does say where it tried
    # and no command takes a password as an option
    def options(cmd) -> Iterator[str]:
        for p in cmd.params:
            yield from p.opts
        for sub in getattr(cmd, "commands", {}).values():
            yield from options(sub)
    assert not [o for o in options(main) if "pass" in o.lower()]


# -- local server -------------------------------------------------------------------------------
def test_the_local_server_listens_on_loopback_only_on_the_port_asked(tmp_path: Path) -> None:
    from trialgraph.graph.localserver import free_port

    port = free_port()
    server = LocalServer(tmp_path / "home", port=port)
    try:
        status = server.start()
        assert status.port == port
        listening = []
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in Path(table).read_text().splitlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                addr, p = local.rsplit(":", 1)
                if state == "0A" and int(p, 16) == port:  # LISTEN
                    listening.append(addr)
        assert listening and set(listening) <= {"0100007F", "00000000000000000000000001000000"}, listening
        assert server.data_dir.is_relative_to(tmp_path / "home") and any(server.data_dir.iterdir())
    finally:
        server.stop()
