"""Reloading: what the graph holds unchanged is skipped by its content digest; a changed trial is
still replaced exactly; only a real second rendering counts as merged (issue 20, point 9)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from trialgraph.cli import main

pytestmark = pytest.mark.integration
CTGOV = Path(__file__).resolve().parent / "fixtures" / "ctgov"


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout


def test_an_identical_reload_says_unchanged_and_merges_nothing(env: dict[str, str], seeds_dir: Path) -> None:
    code, out = run(env, "load", str(seeds_dir))
    assert code == 0 and "wrote 5 trial(s)" in out and "0 unchanged; merged 0 extra rendering(s)" in out
    code, out = run(env, "load", str(seeds_dir))
    assert code == 0 and "wrote 0 trial(s)" in out and "5 unchanged; merged 0 extra rendering(s)" in out


def test_a_changed_trial_is_written_again_and_the_others_are_not(env: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "studies"
    folder.mkdir()
    for n in ("NCT06411691", "NCT05052671"):
        shutil.copy(CTGOV / f"{n}.json", folder / f"{n}.json")
    code, out = run(env, "load", str(folder))
    assert code == 0 and "wrote 2 trial(s)" in out
    study = json.loads((folder / "NCT05052671.json").read_text(encoding="utf-8"))
    study["protocolSection"]["statusModule"]["overallStatus"] = "TERMINATED"
    (folder / "NCT05052671.json").write_text(json.dumps(study), encoding="utf-8")
    code, out = run(env, "load", str(folder))
    assert code == 0 and "wrote 1 trial(s)" in out and "1 unchanged; merged 0 extra rendering(s)" in out
    code, out = run(env, "query", "trial", "-p", "nct_id=NCT05052671", "--format", "json")
    assert code == 0 and "TERMINATED" in out


def test_the_index_is_not_trusted_without_the_graph(env: dict[str, str], seeds_dir: Path) -> None:
    from trialgraph.graph.gateway import FalkorGateway
    from trialgraph.graph.localserver import HOST

    code, out = run(env, "load", str(seeds_dir))
    assert code == 0, out
    gw = FalkorGateway(HOST, int(env["TRIALGRAPH_PORT"]), env["TRIALGRAPH_GRAPH"])
    # behind the loader's back: the trial and what it owns
    gw.write("MATCH (t:Trial {nct_id: $id}) OPTIONAL MATCH (t)-[:HAS_ARM|HAS_INTERVENTION]->(o) DETACH DELETE t, o",
             {"id": "NCT05111366"})
    gw.close()
    code, out = run(env, "load", str(seeds_dir))
    assert code == 0 and "wrote 1 trial(s)" in out and "4 unchanged" in out


TRIMMED = (Path(__file__).resolve().parent / "fixtures" / "realdata" / "gowthamrao__py_load_clinicaltrialsgov" / "tests"
           / "integration" / "NCT04267848_complex.json")


def test_an_older_version_of_a_record_never_replaces_the_current_one(graph, tmp_path: Path) -> None:
    """NCT04267848 twice, as the registry's API gives it: the current record (tests/fixtures/ctgov,
    last update 2025-09-10, 1,148 locations) and a trimmed copy a public repository keeps of an
    older version (last update 2023-09-10, 2 locations). Whichever comes last, the graph keeps the
    current one; before, loading the copy after the record dropped 1,146 of its sites."""
    from trialgraph.pipeline import load

    current, trimmed = CTGOV / "NCT04267848.json", TRIMMED
    dates = [json.loads(p.read_text(encoding="utf-8"))["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"]
             for p in (current, trimmed)]
    assert dates == ["2025-09-10", "2023-09-10"]
    def held() -> tuple[str, int]:
        (row,) = graph.read("MATCH (t:Trial {nct_id: 'NCT04267848'}) OPTIONAL MATCH (t)-[:HAS_SITE]->(s) "
                            "RETURN t.last_update_date AS d, count(s) AS n")
        return row["d"], row["n"]

    report = load([current], graph)
    alone = held()
    assert alone[0] == "2025-09-10" and alone[1] > 1000
    report = load([trimmed], graph)  # the older copy after the record: skipped
    assert report.renderings_older == 1 and report.trials_written == 0 and held() == alone
    graph.clear()
    load([trimmed], graph)
    assert held() == ("2023-09-10", 2)
    report = load([current], graph)  # the record after its older copy: replaces it
    assert report.renderings_older == 0 and held() == alone
