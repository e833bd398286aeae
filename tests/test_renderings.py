"""One trial, many renderings (graph/merge.py), on a real server.

NCT04970914 is loaded from its Veeva page (seed 003) and from an API v2 transcription of the same
page (tests/fixtures/renderings). What the page shows and the transcription omits (the count of 8
sites) is read off the page; the rest is the same values, so the two must merge without a
disagreement.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trialgraph.graph.gateway import Gateway
from trialgraph.graph.merge import agree, rank
from trialgraph.pipeline import load

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[1]
VEEVA = next((ROOT / "trialgraph" / "samples" / "seeds").glob("003_*.txt"))
API = ROOT / "tests" / "fixtures" / "renderings" / "NCT04970914.json"
NCT = "NCT04970914"


def trial(gw: Gateway) -> list[dict]:
    return gw.read("MATCH (t:Trial {nct_id: $id}) RETURN properties(t) AS p", {"id": NCT})


def structure(gw: Gateway) -> dict:
    arms = gw.read(
        "MATCH (:Trial {nct_id: $id})-[:HAS_ARM]->(a:Arm)-[:GIVES]->(i:Intervention) "
        "RETURN a.label AS arm, i.name AS iv ORDER BY arm, iv",
        {"id": NCT},
    )
    owned = gw.read("MATCH (:Trial {nct_id: $id})-[:HAS_INTERVENTION]->(i) RETURN count(i) AS n", {"id": NCT})
    return {"arms": [(r["arm"], r["iv"]) for r in arms], "interventions": owned[0]["n"]}


@pytest.mark.parametrize("order", ["veeva-first", "api-first"])
def test_two_layouts_make_one_trial_with_both_sources(graph: Gateway, order: str) -> None:
    files = [VEEVA, API] if order == "veeva-first" else [API, VEEVA]
    for f in files:  # separate loads: the second merges into what the graph holds
        report = load([f], graph)
        assert report.ok, report.problems
    (row,) = trial(graph)
    p = row["p"]
    assert p["source_layout"] == "ctgov_api_v2" and p["source_file"] == API.name
    assert sorted(p["sources"]) == sorted([f"ctgov_api_v2:{API.name}", f"veeva:{VEEVA.name}"])
    assert p["site_count"] == 8  # only the page states it
    assert "site_count=veeva" in p["field_sources"]
    assert p["enrollment"] == 32 and p["phases"] == ["PHASE2"]
    assert not p.get("disagreements")
    assert structure(graph) == {"arms": [("Anlotinib+Penpulimab", "Anlotinib"), ("Anlotinib+Penpulimab", "Penpulimab")],
                                "interventions": 2}
    assert report.renderings_merged == 1 and not report.disagreements


def test_order_of_loading_does_not_change_the_result(graph: Gateway, tmp_path: Path) -> None:
    load([VEEVA], graph)
    load([API], graph)
    a = trial(graph)[0]["p"]
    graph.write("MATCH (n) DETACH DELETE n")
    load([API, VEEVA], graph)  # and in one batch, the other way round
    b = trial(graph)[0]["p"]
    assert a == b


def test_reloading_both_renderings_changes_nothing(graph: Gateway) -> None:
    load([VEEVA], graph)
    load([API], graph)
    before = (trial(graph), structure(graph))
    load([VEEVA, API], graph)
    load([API], graph)
    assert (trial(graph), structure(graph)) == before


def test_a_disagreement_is_reported_and_precedence_decides(graph: Gateway, tmp_path: Path) -> None:
    study = json.loads(API.read_text(encoding="utf-8"))
    study["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = 40
    changed = tmp_path / "NCT04970914-40.json"
    changed.write_text(json.dumps(study), encoding="utf-8")
    load([changed], graph)
    report = load([VEEVA], graph)  # the lower-precedence page arrives second and says 32
    assert [(d.field, d.kept_layout, d.kept, d.other_layout, d.other) for d in report.disagreements] == [
        ("enrollment", "ctgov_api_v2", 40, "veeva", 32)
    ]
    p = trial(graph)[0]["p"]
    assert p["enrollment"] == 40
    assert p["disagreements"] == ["enrollment: ctgov_api_v2 kept, veeva differs"]


def test_a_newer_version_replaces_the_old_one_and_leaves_nothing_stale(graph: Gateway, tmp_path: Path) -> None:
    load([API, VEEVA], graph)
    study = json.loads(API.read_text(encoding="utf-8"))
    aim = study["protocolSection"]["armsInterventionsModule"]
    aim["armGroups"][0]["label"] = "Penpulimab + Anlotinib (amended)"
    aim["armGroups"][0]["interventionNames"] = ["Drug: Penpulimab"]
    aim["interventions"] = aim["interventions"][1:]
    study["protocolSection"]["statusModule"]["overallStatus"] = "COMPLETED"
    newer = tmp_path / "newer" / "NCT04970914.json"
    newer.parent.mkdir()
    newer.write_text(json.dumps(study), encoding="utf-8")
    report = load([newer], graph)
    assert report.ok
    assert structure(graph) == {"arms": [("Penpulimab + Anlotinib (amended)", "Penpulimab")], "interventions": 1}
    p = trial(graph)[0]["p"]
    assert p["overall_status"] == "COMPLETED" and p["source_file"] == newer.name
    # the newer API version replaced the older one; the Veeva page is still a source
    assert sorted(p["sources"]) == sorted([f"ctgov_api_v2:{newer.name}", f"veeva:{VEEVA.name}"])
    # the page's status (UNKNOWN) disagrees with the newer record and loses
    assert "overall_status: ctgov_api_v2 kept, veeva differs" not in p.get("disagreements", [])  # not re-read yet
    report = load([VEEVA], graph)
    assert ("overall_status", "ctgov_api_v2", "veeva") in [(d.field, d.kept_layout, d.other_layout) for d in report.disagreements]
    assert trial(graph)[0]["p"]["overall_status"] == "COMPLETED"
    orphans = graph.read("MATCH (i:Intervention) WHERE NOT ()-[:HAS_INTERVENTION]->(i) RETURN count(i) AS n")
    assert orphans == [{"n": 0}]


@pytest.mark.unit
def test_comparison_ignores_formatting_but_not_content() -> None:
    assert agree("Inclusion criteria\n\n• Patients", "Inclusion Criteria:\n\n* Patients")
    assert agree("2021-07", "2021-07-19")  # month precision agrees with the day
    assert agree(["PHASE2", "PHASE1"], ["PHASE1", "PHASE2"])
    assert not agree(32, 40) and not agree("RECRUITING", "COMPLETED") and not agree(["PHASE2"], ["PHASE3"])
    assert rank("ctgov_api_v2") > rank("ctgov_page") > rank("ctgov_xml") > rank("veeva") > rank("medpath") > rank("other")
