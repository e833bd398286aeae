"""The command line, as a user runs it, against the test run's own local server."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from trialgraph.cli import main

pytestmark = pytest.mark.integration


def run(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_load_then_query_json_prints_exactly_the_two_trials(env: dict[str, str], seeds_dir: Path) -> None:
    code, out, _ = run(env, "load", str(seeds_dir))
    assert code == 0 and "read 5 trial record(s) from 5 file(s); wrote 5 trial(s)" in out
    code, out, _ = run(env, "query", "combination-therapies", "-p", "target=PD-1", "-p", "condition=HCC", "--format", "json")
    assert code == 0
    rows = json.loads(out)  # stdout holds the JSON array and nothing else
    assert [r["nct_id"] for r in rows] == ["NCT04344158", "NCT04523493"]
    code, out, _ = run(env, "query", "combination-therapies", "-p", "target=PD-1", "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("nct_id,title,arm") and len(out.splitlines()) == 4
    code, out, _ = run(env, "stats", "--format", "json")
    stats = json.loads(out)
    assert {"label": "Trial", "count": 5} in stats["nodes"]
    code, out, err = run(env, "query", "combination-therapies", "-p", "target=nonsense")
    assert code == 2 and "unknown target 'nonsense'" in err and out == ""


def test_bad_files_are_reported_and_good_ones_still_load(env: dict[str, str], seeds_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_bytes(next(seeds_dir.glob("002_*.txt")).read_bytes())
    (tmp_path / "junk.txt").write_text("not a trial page")
    report = tmp_path.parent / f"{tmp_path.name}-report.json"
    code, out, err = run(env, "load", str(tmp_path), "--report", str(report))
    assert code == 1
    assert "read 1 trial record(s) from 2 file(s); wrote 1 trial(s)" in out and "rejected 1" in out
    assert "junk.txt: unknown layout" in err and "Traceback" not in err
    data = json.loads(report.read_text(encoding="utf-8"))
    assert (data["trials_read"], data["trials_written"]) == (1, 1)
    assert (data["rejected"]["total"], data["rejected"]["by_kind"]) == (1, {"unreadable": 1})
    (rejected,) = data["rejected"]["examples"]
    assert rejected["file"].endswith("junk.txt") and "unknown layout" in rejected["message"]


def test_load_lists_unresolved_names_with_counts(env: dict[str, str], seeds_dir: Path) -> None:
    # seed 001 lists "Adjuvant Therapy" among its conditions (not a disease; left unresolved)
    code, out, _ = run(env, "load", str(seeds_dir), "--unresolved", "50")
    assert code == 0
    assert "unresolved names:" in out
    line = next(ln for ln in out.splitlines() if "Adjuvant Therapy" in ln)
    assert "unresolved-condition" in line and "NCT05111366" in line


def test_db_clear_needs_yes_and_names_the_graph(env: dict[str, str], seeds_dir: Path) -> None:
    run(env, "load", str(next(seeds_dir.glob("002_*.txt"))))
    code, _, err = run(env, "db", "clear")
    assert code == 2 and env["TRIALGRAPH_GRAPH"] in err
    code, out, _ = run(env, "db", "clear", "--yes")
    assert code == 0 and env["TRIALGRAPH_GRAPH"] in out
    _, out, _ = run(env, "stats", "--format", "json")
    assert json.loads(out)["nodes"] == []


def test_queries_lists_the_library(env: dict[str, str]) -> None:
    code, out, _ = run(env, "queries", "--format", "json")
    (q,) = [q for q in json.loads(out) if q["name"] == "combination-therapies"]
    assert q["parameters"] == ["target (target, optional, e.g. PD-1)", "condition (condition, optional, e.g. HCC)",
                               "observational (flag, optional)"]


def test_demo_answers_the_example_question(env: dict[str, str], seeds_dir: Path) -> None:
    # whatever the configured graph holds, the demo answers from its own graph, the same every run
    run(env, "load", str(next(seeds_dir.glob("002_*.txt"))), str(Path(__file__).parent / "fixtures" / "ctgov"))
    code, out, _ = run(env, "demo")
    assert code == 0 and "loaded 5 sample trial(s)" in out and "graph 'trialgraph-demo'" in out
    code, again, _ = run(env, "demo")
    assert code == 0 and again == out
    assert "The local server is still running" in out and out.rstrip().endswith("stop it with: trialgraph server stop")
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    promised = re.search(r"\nexported (\d+) triples; SHACL: conforms", readme).group(1)
    assert f"\nexported {promised} triples; SHACL: conforms" in out  # the README shows what the demo prints
    table = out.split("condition=HCC)", 1)[1].split("exported", 1)[0]
    assert table.count("NCT") == 2 and "NCT04344158" in table and "NCT04523493" in table
    assert "SHACL: conforms" in out
    ttl = Path(env["TRIALGRAPH_HOME"]) / "exports" / "trialgraph.ttl"
    from rdflib import Graph

    g = Graph()
    g.parse(ttl, format="turtle")
    assert len(set(g.subjects(predicate=None, object=None))) > 100


def test_load_of_a_missing_path_is_a_usage_error(env: dict[str, str], tmp_path: Path) -> None:
    code, out, err = run(env, "load", str(tmp_path / "nonexistent.json"))
    assert code == 2 and "nonexistent.json" in err and "does not exist" in err and out == ""


def test_load_names_the_notes_it_skips(env: dict[str, str], seeds_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_bytes(next(seeds_dir.glob("002_*.txt")).read_bytes())
    (tmp_path / "SOURCES.md").write_text("where these came from\n")
    code, out, _ = run(env, "load", str(tmp_path))
    assert code == 0 and "read 1 trial record(s) from 1 file(s)" in out
    assert "skipped 1 file: SOURCES.md (not a trial document)" in out
    (tmp_path / "LICENSE").write_text("CC0\n")
    _, out, _ = run(env, "load", str(tmp_path))
    assert "skipped 2 files: LICENSE, SOURCES.md (not trial documents)" in out


def test_server_stop_says_what_it_did(tmp_path: Path) -> None:
    env = {"TRIALGRAPH_HOME": str(tmp_path / "home"), "NEO4J_URI": "", "TRIALGRAPH_PORT": ""}
    code, out, _ = run(env, "server", "stop")
    assert code == 0 and out.startswith("the local server was not running") and "stopped" not in out
    code, out, _ = run(env, "server", "start")
    assert code == 0 and out.startswith("running")
    code, out, _ = run(env, "server", "stop")
    assert code == 0 and out.startswith("stopped the local server (pid ") and "not running" not in out
    code, out, _ = run(env, "server", "status")
    assert code == 1


def test_help_lists_the_exit_codes() -> None:
    from trialgraph.errors import EXIT_CODES

    out = " ".join(CliRunner().invoke(main, ["--help"]).output.split())
    assert "Exit codes:" in out
    for code, meaning in EXIT_CODES:
        assert f"{int(code)} {meaning}" in out


def test_warnings_are_counted_by_kind_in_the_summary_and_the_report(env: dict[str, str], tmp_path: Path) -> None:
    # the AACT test record NCT55555555 lists the phase "PHASE5" (tests/fixtures/realdata)
    src = Path(__file__).parent / "fixtures" / "realdata" / "ctti-clinicaltrials__aact" / "spec" / "support" / "json_data"
    report = tmp_path / "report.json"
    code, out, err = run(env, "load", str(src / "study_data_5.json"), "--report", str(report))
    assert code == 0, out + err
    assert "rejected 0; 1 warning(s): 1 invalid-value" in out
    assert "phases: NCT55555555: 'PHASE5' is not a value of the registry's phase: dropped" in err
    data = json.loads(report.read_text(encoding="utf-8"))
    assert {k: data["warnings"][k] for k in ("total", "by_kind")} == {"total": 1, "by_kind": {"invalid-value": 1}}
    (w,) = data["warnings"]["examples"]
    assert (w["field"], w["kind"]) == ("phases", "invalid-value") and w["file"].endswith("study_data_5.json")


def test_query_pages_with_skip_and_limit_and_phrases_plain_rows(env: dict[str, str], seeds_dir: Path) -> None:
    code, out, _ = run(env, "load", str(seeds_dir))
    assert code == 0
    args = ("query", "combination-therapies", "-p", "target=PD-1", "--format", "json")
    code, out, _ = run(env, *args)
    whole = [(r["nct_id"], r["arm"]) for r in json.loads(out)]
    assert len(whole) == 3  # the seeds' three PD-1 combination arms (the csv above)
    code, out, err = run(env, *args, "--limit", "1")
    assert code == 0 and [(r["nct_id"], r["arm"]) for r in json.loads(out)] == whole[:1]
    assert "showing rows 1 to 1; more with --skip 1" in err
    code, out, err = run(env, *args, "--skip", "1", "--limit", "5")
    assert code == 0 and [(r["nct_id"], r["arm"]) for r in json.loads(out)] == whole[1:] and "more with" not in err
    code, _, err = run(env, *args, "--limit", "0")
    assert code == 2 and "--limit" in err
    # the row holds maps; the table phrases them as before ("label [type]: what it gives", "name (role)")
    code, out, _ = run(env, "query", "trial", "-p", "nct_id=NCT04344158")
    assert code == 0
    assert re.search(r"^arms +AK105 combined with Anlotinib \[EXPERIMENTAL\]: AK105 Injection, "
                     r"Anlotinib Hydrochloride Capsules$", out, re.M), out
    assert re.search(r"^ +Sorafenib Tosylate Tablets \[ACTIVE_COMPARATOR\]: Sorafenib Tosylate Tablets$", out, re.M), out
    assert re.search(r"^sponsors +Chia Tai Tianqing Pharmaceutical Group Co., Ltd. \(lead\)$", out, re.M), out
