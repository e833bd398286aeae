"""Legacy ClinicalTrials.gov XML: golden values read off the real records in tests/fixtures/ctgov_xml."""

from __future__ import annotations

from pathlib import Path

import pytest

from trialgraph.errors import LoaderError
from trialgraph.loaders import load_file

pytestmark = pytest.mark.unit
XML = Path(__file__).resolve().parent / "fixtures" / "ctgov_xml"


def one(name: str):
    (trial,) = list(load_file(XML / f"{name}.xml"))
    return trial


def test_nct03424005_morpheus_tnbc() -> None:
    t = one("NCT03424005")
    assert t.source.layout == "ctgov_xml"
    assert t.acronym == "Morpheus-TNBC" and t.org_study_id == "CO40115"
    assert "2017-002038-21" in [i.value for i in t.identifiers]
    assert t.phases == ("PHASE1", "PHASE2") and t.overall_status == "RECRUITING" and t.study_type == "INTERVENTIONAL"
    assert t.start_date and (t.start_date.date, t.start_date.type) == ("2018-03-30", "ACTUAL")
    assert t.completion_date and (t.completion_date.date, t.completion_date.type) == ("2021-08-17", "ESTIMATED")
    assert t.enrollment and (t.enrollment.count, t.enrollment.type) == (310, "ESTIMATED")
    assert len(t.arms) == 9  # <number_of_arms>9</number_of_arms>
    assert (t.arms[0].label, t.arms[0].type, t.arms[0].interventions) == ("Capecitabine", "ACTIVE_COMPARATOR", ("Capecitabine",))
    assert [(s.name, s.role, s.agency_class) for s in t.sponsors][:2] == [
        ("Hoffmann-La Roche", "lead", "INDUSTRY"), ("Seattle Genetics, Inc.", "collaborator", "INDUSTRY"),
    ]
    assert t.design and (t.design.allocation, t.design.intervention_model, t.design.masking) == ("RANDOMIZED", "PARALLEL", "NONE")
    assert t.eligibility and t.eligibility.minimum_age and t.eligibility.minimum_age.text == "18 Years"
    assert t.eligibility.maximum_age is None and t.eligibility.healthy_volunteers is False
    site = t.sites[0]
    assert (site.city, site.state, site.zip, site.country, site.status) == ("La Jolla", "California", "92093", "United States", "RECRUITING")
    assert "Breast Neoplasms" in [m.term for m in t.condition_mesh]
    assert t.has_results is False


def test_site_counts_and_results() -> None:
    assert len(one("NCT01642004").sites) == 106
    assert len(one("NCT02481830").sites) == 149
    old = one("NCT00023673")
    assert len(old.sites) == 41 and old.has_results is True
    assert old.start_date and (old.start_date.date, old.start_date.type) == ("2001-07", None)


def test_masking_roles_use_the_registry_vocabulary() -> None:
    t = one("NCT02679963")
    assert t.design and t.design.masking == "QUADRUPLE"
    assert t.design.who_masked == ("PARTICIPANT", "CARE_PROVIDER", "INVESTIGATOR", "OUTCOMES_ASSESSOR")


def test_malformed_xml_names_the_line(tmp_path: Path) -> None:
    text = (XML / "NCT02679963.xml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.xml"
    bad.write_text(text[: len(text) // 2])
    with pytest.raises(LoaderError) as e:
        list(load_file(bad))
    assert e.value.file == str(bad) and e.value.field and e.value.field.startswith("xml line")
