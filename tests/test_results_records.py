"""Results sections as typed records (issue 22): outcome measures with their reported values and
p-values, adverse events with per-group counts, references, eligibility fields.

Every expected figure is read off the raw records with jq / ElementTree, not through the loader:
- tests/fixtures/results/NCT00790751.json (API v2, avanafil in erectile dysfunction, VIVUS LLC):
  resultsSection.adverseEventsModule has 9 seriousEvents and 5 otherEvents over four eventGroups
  (Placebo, Avanafil 50/100/200 mg); "Acute myocardial infarction" (Cardiac disorders, MedDRA
  (11.1)) has numAffected 0,1,0,0 of numAtRisk 161,160,161,162; three primary outcome measures,
  paramType LEAST_SQUARES_MEAN; one reference, PMID 22248153, RESULT; eligibility male, 18 Years,
  no healthy volunteers; lead sponsor class INDUSTRY.
- tests/fixtures/ctgov/NCT02210780.json: 3 seriousEvents, 6 otherEvents; eventGroups "Placebo qw"
  (seriousNumAffected 0 of 97) and "Dupilumab 300 mg qw" (3 of 97); the first primary measure's
  denoms 92 and 90, values 83.7 and 83.3.
- tests/fixtures/ctgov/NCT02552212.json: the first primary measure's analysis pValue "<0.001"
  (Regression, Logistic; Odds Ratio (OR) 15.231).
- tests/fixtures/results/NCT00499486.xml (legacy XML, sirolimus in pancreatic cancer): serious_events
  lists the "Total" row (7 of 31 affected) and 4 terms (Hyperglycemia under Endocrine disorders,
  ...); other_events the Total row and 29 terms; one results_reference, PMID 20664591; 18 Years to
  120 Years, All, healthy volunteers No.
- tests/fixtures/results/NCT00007644.xml: one serious term, "Death" (General disorders); Totals
  171 of 364 (Radical Prostatectomy) and 183 of 367 (Watchful Waiting); 18 results_reference, 14
  with a PMID; agency class U.S. Fed.
- tests/fixtures/ctgov_xml/NCT01642004.xml: the first outcome measure ("Overall Survival (OS)
  Time in Months for All Randomized Participants", a primary outcome) reports medians 9.23
  (Nivolumab) and 6.01 (Docetaxel), analysis p_value 0.0002, Log Rank, Hazard Ratio (HR) 0.59.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trialgraph.loaders import load_file
from trialgraph.loaders.base import FieldWarning, load_text
from trialgraph.records import Trial

pytestmark = pytest.mark.unit
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def one(path: Path) -> Trial:
    (t,) = list(load_file(path))
    return t


def test_api_v2_adverse_events_with_per_group_counts() -> None:
    t = one(FIXTURES / "results" / "NCT00790751.json")
    assert [g.title for g in t.event_groups] == ["Placebo", "Avanafil 50 mg", "Avanafil 100 mg", "Avanafil 200 mg"]
    serious = [a for a in t.adverse_events if a.serious]
    assert len(serious) == 9 and len(t.adverse_events) - len(serious) == 5
    ami = next(a for a in serious if a.term == "Acute myocardial infarction")
    assert (ami.organ_system, ami.vocabulary) == ("Cardiac disorders", "MedDRA (11.1)")
    assert [(c.group, c.affected, c.at_risk) for c in ami.counts] == [
        ("Placebo", 0, 161), ("Avanafil 50 mg", 1, 160), ("Avanafil 100 mg", 0, 161), ("Avanafil 200 mg", 0, 162)]
    assert (ami.affected, ami.at_risk) == (1, 644)
    primary = [o for o in t.outcomes if o.kind == "primary"]
    assert len(primary) == 3 and all(o.result is not None and o.result.param_type == "LEAST_SQUARES_MEAN" for o in primary)
    assert [(r.pmid, r.type) for r in t.references] == [("22248153", "RESULT")]
    e = t.eligibility
    assert (e.sex, e.minimum_age.text, e.maximum_age, e.healthy_volunteers) == ("MALE", "18 Years", None, False)
    assert t.lead_sponsor.agency_class == "INDUSTRY"


def test_api_v2_outcome_values_and_p_values() -> None:
    t = one(FIXTURES / "ctgov" / "NCT02210780.json")
    groups = {g.title: (g.serious_affected, g.serious_at_risk) for g in t.event_groups}
    assert groups == {"Placebo qw": (0, 97), "Dupilumab 300 mg qw": (3, 97)}
    assert (sum(a.serious for a in t.adverse_events), sum(not a.serious for a in t.adverse_events)) == (3, 6)
    first = t.outcomes[0].result
    assert first.participants == (92, 90)
    assert [(m.group, m.value) for m in first.measurements] == [("Placebo qw", "83.7"), ("Dupilumab 300 mg qw", "83.3")]
    t = one(FIXTURES / "ctgov" / "NCT02552212.json")
    (a,) = t.outcomes[0].result.analyses
    assert (a.p_value, a.method, a.param_type, a.param_value) == ("<0.001", "Regression, Logistic", "Odds Ratio (OR)", "15.231")


def test_legacy_xml_reported_events_without_the_total_rows() -> None:
    t = one(FIXTURES / "results" / "NCT00499486.xml")
    serious = [a for a in t.adverse_events if a.serious]
    assert len(serious) == 4 and len(t.adverse_events) - len(serious) == 29
    assert not any(a.term.startswith("Total") for a in t.adverse_events)
    hyper = next(a for a in serious if a.term == "Hyperglycemia")
    assert hyper.organ_system == "Endocrine disorders"
    ((g),) = t.event_groups
    assert (g.title, g.serious_affected, g.serious_at_risk) == ("Sirolimus", 7, 31)
    assert [(r.pmid, r.type) for r in t.references] == [("20664591", "RESULT")]
    e = t.eligibility
    assert (e.minimum_age.text, e.maximum_age.text, e.sex, e.healthy_volunteers) == ("18 Years", "120 Years", "ALL", False)
    t = one(FIXTURES / "results" / "NCT00007644.xml")
    assert [(a.term, a.organ_system, a.serious) for a in t.adverse_events] == [("Death", "General disorders", True)]
    assert [(g.title, g.serious_affected, g.serious_at_risk) for g in t.event_groups] == [
        ("Radical Prostatectomy", 171, 364), ("Watchful Waiting", 183, 367)]
    assert len(t.references) == 18 and sum(r.pmid is not None for r in t.references) == 14
    assert t.lead_sponsor.agency_class == "FED"


def test_legacy_xml_outcome_results_attach_to_the_protocol_outcome() -> None:
    t = one(FIXTURES / "ctgov_xml" / "NCT01642004.xml")
    o = next(o for o in t.outcomes if o.measure.startswith("Overall Survival (OS) Time in Months for All Randomized"))
    assert o.kind == "primary" and o.result is not None
    assert [(m.group, m.value) for m in o.result.measurements] == [("Nivolumab", "9.23"), ("Docetaxel", "6.01")]
    assert [(a.p_value, a.method, a.param_type, a.param_value) for a in o.result.analyses] == [
        ("0.0002", "Log Rank", "Hazard Ratio (HR)", "0.59")]
    # a measure reported once in the results is not a second outcome
    assert len([x for x in t.outcomes if x.measure == o.measure]) == 1


def test_a_wrong_typed_count_costs_that_count_with_a_warning_naming_its_path() -> None:
    doc = json.loads((FIXTURES / "ctgov" / "NCT02210780.json").read_text(encoding="utf-8"))
    doc["resultsSection"]["adverseEventsModule"]["seriousEvents"][0]["stats"][1]["numAffected"] = "one"
    doc["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][0]["type"] = "PRIMARY_ENDPOINT"
    warnings: list[FieldWarning] = []
    (t,) = load_text(json.dumps(doc), "edited.json", warnings)
    ae = next(a for a in t.adverse_events if a.term == "Serum sickness-like reaction")
    assert [(c.affected, c.at_risk) for c in ae.counts] == [(0, 97), (None, 97)]
    fields = {w.field: w.message for w in warnings}
    assert "'one'" in fields["resultsSection.adverseEventsModule.seriousEvents[0].stats[1].numAffected"]
    assert "PRIMARY_ENDPOINT" in fields["resultsSection.outcomeMeasuresModule.outcomeMeasures[0].type"]
    assert sum(o.result is not None for o in t.outcomes) == 10  # that measure's results are dropped, not the trial
