"""Golden tests of the results, eligibility, geography and landscape queries (issue 22), on both
engines, on one graph: the 5 seed pages, the 15 API v2 and 5 legacy XML fixtures, and the 7 real
records with results of tests/fixtures/results.

Every expected answer is read off the documents by hand (jq / ElementTree on the raw files),
never produced by the code under test:
- Adverse events: "Headache" (Nervous system disorders) is in the adverse-event lists of five
  records: NCT00790751, NCT01254396, NCT02210780, NCT02552212 (API v2 otherEvents) and
  NCT01642004 (XML other_events); "Cough" (Respiratory, thoracic and mediastinal disorders) of
  four: NCT00023673, NCT00499486, NCT01642004, NCT02552212. NCT00790751 (the one avanafil trial)
  lists 9 seriousEvents and 5 otherEvents, no term in both; its otherEvents "Headache" has
  numAffected 2, 7, 12, 15 over its four groups (36) of numAtRisk 161, 160, 161, 162 (644);
  seriousEvents "Acute myocardial infarction" has 1 affected (Avanafil 50 mg).
- NCT00790751's eventGroups are titled Placebo, Avanafil 50 mg, Avanafil 100 mg, Avanafil 200 mg;
  its armGroups are labelled placebo, avanafil 50 mg, avanafil 100 mg, avanafil 200 mg.
- Pancreatic cancer (with pancreatic ductal carcinoma, narrower in MeSH): NCT03745326 (PHASE1,
  PHASE2; RECRUITING; start 2019-05-16; 70 enrolled; lead NIH; 18-72 years; criteria mention
  brain metastases), NCT04956640 (condition 'Pancreatic Neoplasms' among six; PHASE1, PHASE2;
  RECRUITING; 2021-07-19; 540; INDUSTRY; 18 years, no maximum; sites in Australia, Canada,
  France, Japan, South Korea, United States), NCT05052671 (no phase; RECRUITING; 2022; 50; OTHER; 18-99), NCT05288205
  (PHASE1, PHASE2; RECRUITING; 2022; 240; INDUSTRY; 'Pancreatic Ductal Carcinoma'; China),
  NCT05438667 (EARLY_PHASE1; RECRUITING; 2023; 18; OTHER; China), NCT06008288 (PHASE2;
  RECRUITING; 2023; 88; INDUSTRY; China), NCT06411691 (PHASE1; RECRUITING; 2024; 54; OTHER;
  brain metastases), NCT06898385 (PHASE1; RECRUITING; 2025; 9; OTHER; 18-75; China) and
  NCT00499486 (XML: Phase 2; Completed; January 2005; 47; Other; 18-120; United States). The
  others' sites are in the United States. None accepts healthy volunteers.
- NSCLC in phase 3: NCT01642004 (XML, Phase 3) with primary outcomes "Overall Survival (OS) Time
  in Months for All Randomized Participants at Primary Endpoint", "Overall Survival (OS) Rate in
  All Randomized Participants", "Number of Deaths From Any Cause in All Randomized Participants at
  Primary Endpoint" (reported in its clinical_results; the first with p_value 0.0002), and
  NCT04267848 (API v2, PHASE3) with "Disease free survival (DFS)" (no results).
- NCT02552212's referencesModule: PMIDs 35296532 and 35733363 (RESULT), 34715908 and 30848558
  (DERIVED).
- Drugs in both HCC and colorectal cancer (test_queries' docstring): anlotinib (NCT03945799,
  NCT04344158, NCT05111366; NCT04970914), penpulimab (NCT04344158; NCT04970914).
- Indications (tests/fixtures/indications, from ChEMBL): sorafenib and lenvatinib for thyroid
  carcinoma (max phase 3), for colorectal neoplasm (2 and 3), sorafenib for HCC (3); sorafenib
  is given in NCT04344158 (HCC), lenvatinib in NCT04523493 (HCC).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trialgraph.graph.gateway import Gateway
from trialgraph.queries import library as lib

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
PANCREAS = ["NCT00499486", "NCT03745326", "NCT04956640", "NCT05052671", "NCT05288205", "NCT05438667", "NCT06008288",
            "NCT06411691", "NCT06898385"]


@pytest.fixture(params=["falkordb", "neo4j"])
def g(request: pytest.FixtureRequest, loaded_graph, seeds_dir: Path) -> Gateway:
    return loaded_graph(request.param, "results", seeds_dir, FIXTURES / "ctgov", FIXTURES / "ctgov_xml", FIXTURES / "results")


def q(gw: Gateway, name: str, **params: str) -> list[dict]:
    return lib.run(gw, name, **params)


def test_adverse_events_across_trials_and_for_a_drug(g: Gateway) -> None:
    rows = q(g, "adverse-events")
    top = [(r["term"], r["organ_system"], r["trials"], r["nct_ids"]) for r in rows[:2]]
    assert top == [
        ("Headache", "Nervous system disorders", 5, ["NCT00790751", "NCT01254396", "NCT01642004", "NCT02210780", "NCT02552212"]),
        ("Cough", "Respiratory, thoracic and mediastinal disorders", 4, ["NCT00023673", "NCT00499486", "NCT01642004", "NCT02552212"]),
    ]
    avanafil = q(g, "adverse-events", drug="avanafil")
    assert {n for r in avanafil for n in r["nct_ids"]} == {"NCT00790751"}
    assert len(avanafil) == 14 and sum(r["serious_trials"] for r in avanafil) == 9
    headache = next(r for r in avanafil if r["term"] == "Headache")
    assert (headache["affected"], headache["at_risk"], headache["serious_share"]) == (36, 644, 0)
    ami = next(r for r in avanafil if r["term"] == "Acute myocardial infarction")
    assert (ami["serious_trials"], ami["serious_share"], ami["affected"]) == (1, 1, 1)
    # a drug and a condition: avanafil is tested in no pancreatic cancer trial
    assert q(g, "adverse-events", drug="avanafil", condition="pancreatic cancer") == []


def test_adverse_events_link_to_the_arms_whose_label_is_their_group(g: Gateway) -> None:
    rows = g.read("MATCH (:Trial {nct_id: $nct})-[r:REPORTED]->(ae:AdverseEvent {key: $key}) "
                  "RETURN r.groups AS groups, r.group_affected AS affected, r.arms AS arms",
                  {"nct": "NCT00790751", "key": "acute myocardial infarction|cardiac disorders"})
    assert rows == [{"groups": ["Placebo", "Avanafil 50 mg", "Avanafil 100 mg", "Avanafil 200 mg"],
                     "affected": [0, 1, 0, 0], "arms": ["avanafil 50 mg"]}]


def test_condition_landscape_of_a_mesh_subtree(g: Gateway) -> None:
    rows = [(r["facet"], r["value"], r["trials"], r["enrollment"]) for r in q(g, "condition-landscape", condition="pancreatic cancer")]
    assert [r for r in rows if r[0] == "phase/status"] == [
        ("phase/status", "EARLY_PHASE1 / RECRUITING", 1, 18), ("phase/status", "PHASE1 / RECRUITING", 2, 63),
        ("phase/status", "PHASE1/PHASE2 / RECRUITING", 3, 850), ("phase/status", "PHASE2 / COMPLETED", 1, 47),
        ("phase/status", "PHASE2 / RECRUITING", 1, 88), ("phase/status", "none / RECRUITING", 1, 50),
    ]
    assert [r for r in rows if r[0] == "sponsor class"] == [
        ("sponsor class", "OTHER", 5, 178), ("sponsor class", "INDUSTRY", 3, 868), ("sponsor class", "NIH", 1, 70)]
    assert [r for r in rows if r[0] == "country"] == [
        ("country", "United States", 5, 761), ("country", "China", 4, 355), *(("country", c, 1, 540) for c in (
            "Australia", "Canada", "France", "Japan", "South Korea"))]
    assert [r[1:3] for r in rows if r[0] == "start year"] == [("2005", 1), ("2019", 1), ("2021", 1), ("2022", 2),
                                                            ("2023", 2), ("2024", 1), ("2025", 1)]
    assert len([r for r in rows if r[0] == "sponsor"]) <= 10


def test_outcomes_for_condition_in_a_phase(g: Gateway) -> None:
    rows = q(g, "outcomes-for-condition", condition="NSCLC", phase="Phase 3")
    assert sorted((r["measure"], r["nct_ids"], r["reported"]) for r in rows) == [
        ("Disease free survival (DFS)", ["NCT04267848"], 0),
        ("Number of Deaths From Any Cause in All Randomized Participants at Primary Endpoint", ["NCT01642004"], 1),
        ("Overall Survival (OS) Rate in All Randomized Participants", ["NCT01642004"], 1),
        ("Overall Survival (OS) Time in Months for All Randomized Participants at Primary Endpoint", ["NCT01642004"], 1),
    ]
    os = next(r for r in rows if r["measure"].startswith("Overall Survival (OS) Time"))
    assert "0.0002" in os["p_values"]
    assert q(g, "outcomes-for-condition", condition="NSCLC", phase="PHASE4") == []


def test_recruiting_trials_a_patient_could_join(g: Gateway) -> None:
    def ids(**p: str) -> list[str]:
        return [r["nct_id"] for r in q(g, "recruiting-trials", condition="pancreatic cancer", **p)]

    recruiting = [n for n in PANCREAS if n != "NCT00499486"]  # it completed
    assert ids() == recruiting
    assert ids(age="74") == [n for n in recruiting if n != "NCT03745326"]  # 18-72
    assert ids(age="80") == [n for n in recruiting if n not in ("NCT03745326", "NCT06898385")]  # and 18-75
    assert ids(age="17") == []
    assert ids(country="china") == ["NCT05288205", "NCT05438667", "NCT06008288", "NCT06898385"]
    assert ids(criteria="Brain Metastases") == ["NCT03745326", "NCT06411691"]
    assert ids(healthy_volunteers="true") == []
    assert ids(sex="female") == recruiting  # every one is open to all sexes


def test_trials_by_country(g: Gateway) -> None:
    rows = {r["country"]: (r["trials"], r["nct_ids"]) for r in q(g, "trials-by-country", condition="pancreatic cancer")}
    assert rows == {
        "China": (4, ["NCT05288205", "NCT05438667", "NCT06008288", "NCT06898385"]),
        "United States": (5, ["NCT00499486", "NCT03745326", "NCT04956640", "NCT05052671", "NCT06411691"]),
        **{c: (1, ["NCT04956640"]) for c in ("Australia", "Canada", "France", "Japan", "South Korea")},
    }
    # target to sites: of the NSCLC trials giving a PD-1 drug (NCT01642004, NCT04267848, NCT04956640:
    # nivolumab, pembrolizumab), the countries; Guam only NCT04267848's
    pd1 = {r["country"]: r["nct_ids"] for r in q(g, "trials-by-country", condition="NSCLC", target="PD-1")}
    assert pd1["Guam"] == ["NCT04267848"] and "China" not in pd1


def test_shared_interventions(g: Gateway) -> None:
    rows = [(r["drug"], r["nct_ids"], r["other_nct_ids"]) for r in q(g, "shared-interventions", condition="HCC",
                                                                      other="colorectal cancer")]
    assert rows == [("anlotinib", ["NCT03945799", "NCT04344158", "NCT05111366"], ["NCT04970914"]),
                    ("penpulimab", ["NCT04344158"], ["NCT04970914"])]


def test_publications_for_trial(g: Gateway) -> None:
    rows = [(r["pmid"], r["type"], r["url"]) for r in q(g, "publications-for-trial", nct_id="NCT02552212")]
    assert rows == [
        ("30848558", "DERIVED", "https://pubmed.ncbi.nlm.nih.gov/30848558/"),
        ("34715908", "DERIVED", "https://pubmed.ncbi.nlm.nih.gov/34715908/"),
        ("35296532", "RESULT", "https://pubmed.ncbi.nlm.nih.gov/35296532/"),
        ("35733363", "RESULT", "https://pubmed.ncbi.nlm.nih.gov/35733363/"),
    ]
    # legacy XML: 18 results_reference, 14 with a PMID
    assert len(q(g, "publications-for-trial", nct_id="NCT00007644")) == 14


def test_repurposing_with_indications(g: Gateway) -> None:
    from trialgraph.graph import catalog

    data = json.loads((FIXTURES / "indications" / "indications.json").read_text(encoding="utf-8"))
    write = (FIXTURES / "indications" / "write-indications.cypher").read_text(encoding="utf-8")
    remove = (FIXTURES / "indications" / "remove-indications.cypher").read_text(encoding="utf-8")
    assert catalog.parameters(write) == {"indications", "source"}
    g.write(write, {"indications": data["indications"], "source": "ChEMBL"})
    try:
        # the header's example: drugs indicated for thyroid cancer, tested in HCC
        rows = [(r["drug"], r["max_phase"], r["nct_ids"]) for r in q(g, "repurposing", indication="thyroid cancer", condition="HCC")]
        assert rows == [("lenvatinib", 3.0, ["NCT04523493"]), ("sorafenib", 3.0, ["NCT04344158"])]
        # liver cancer's subtree holds HCC; for colorectal neoplasm lenvatinib reached phase 3, sorafenib 2
        rows = [(r["drug"], r["max_phase"]) for r in q(g, "repurposing", indication="colorectal cancer", condition="liver cancer")]
        assert rows == [("lenvatinib", 3.0), ("sorafenib", 2.0)]
    finally:
        g.write(remove)
