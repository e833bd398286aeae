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
