"""What cannot be parsed costs that field, not the trial (issue 17), and values outside the
registry's enumerations are dropped with a warning (issue 21). Golden values are read off the
seed pages and fixture records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trialgraph.errors import LoaderError
from trialgraph.loaders.base import FieldWarning, load_text
from trialgraph.loaders.medpath import split_arm_row_scored

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).parent / "fixtures"


def _seed(seeds_dir: Path, prefix: str) -> str:
    (path,) = seeds_dir.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def test_a_ctgov_page_that_ends_after_other_identifiers_is_whole(seeds_dir: Path) -> None:
    # "More Related Trials" is the site's recommendations, not trial data
    text = _seed(seeds_dir, "004")
    cut = text[: text.index("More Related Trials")]
    assert cut.rstrip().endswith("Identifier Source: org_study_id")
    warnings: list[FieldWarning] = []
    (t,) = load_text(cut, "004-no-related.txt", warnings)
    assert t.nct_id == "NCT04523493" and t.related_trials == ()
    assert t.org_study_id == "JS001-027-III-HCC"
    assert len(t.sites) == len(load_text(text, "004.txt")[0].sites)
    assert warnings == []


@pytest.mark.parametrize("cut_after, field", [
    ("Identifier Type: -", "Other Identifiers"),  # the last identifier has no source line
    ("at least one active or historical site.\n", "Countries"),  # ends before Other Identifiers
])
def test_a_ctgov_page_cut_inside_its_data_is_rejected(seeds_dir: Path, cut_after: str, field: str) -> None:
    text = _seed(seeds_dir, "000")
    cut = text[: text.index(cut_after) + len(cut_after)]
    with pytest.raises(LoaderError) as e:
        load_text(cut, "cut.txt")
    assert e.value.field == field and "truncated" in e.value.message


def test_a_bad_field_mid_page_costs_the_field_not_the_trial(seeds_dir: Path) -> None:
    text = _seed(seeds_dir, "000")
    # a site whose facility line is lost in the middle of Locations, and an enrollment that is not a number
    bad = text.replace("Anhui Provincial Hospital\n\nHefei, Anhui, China\n\nSite Status\n", "Hefei, Anhui, China\n\nSite Status\n", 1)
    bad = bad.replace("648 participants", "about six hundred")
    warnings: list[FieldWarning] = []
    (t,) = load_text(bad, "bad.txt", warnings)
    good = load_text(text, "good.txt")[0]
    assert t.nct_id == "NCT04344158" and t.enrollment is None
    assert len(t.sites) == len(good.sites) - 1
    fields = sorted(w.field for w in warnings)
    assert fields == ["Locations", "Total Enrollment"], warnings
    assert all(w.nct_id == "NCT04344158" for w in warnings)


def test_medpath_splits_a_name_glued_to_a_dose() -> None:
    row = "TislelizumabTislelizumab200 mg administered intravenously once every 3 weeks"
    assert split_arm_row_scored(row) == (
        "Tislelizumab", "Tislelizumab", "200 mg administered intravenously once every 3 weeks", True)
    # brackets, digits and the page's own intervention list
    row = "Cohort 1Nivolumab (BMS-936558)Nivolumab 3 mg/kg every 2 weeks"
    assert split_arm_row_scored(row, ["Nivolumab (BMS-936558)"])[:3] == (
        "Cohort 1", "Nivolumab (BMS-936558)", "Nivolumab 3 mg/kg every 2 weeks")


def test_medpath_page_with_a_glued_dose_loads(seeds_dir: Path) -> None:
    text = _seed(seeds_dir, "002").replace(
        "AnlotinibAnlotinib HydrochlorideAdministration Anlotinib",
        "TislelizumabTislelizumab200 mg administered intravenously once every 3 weeks; Anlotinib")
    warnings: list[FieldWarning] = []
    (t,) = load_text(text, "medpath.txt", warnings)
    (arm,) = t.arms
    assert (arm.label, arm.interventions) == ("Tislelizumab", ("Tislelizumab",))
    assert arm.description and arm.description.startswith("200 mg administered intravenously")
    assert [i.name for i in t.interventions] == ["Tislelizumab"]


def test_medpath_ambiguous_row_keeps_the_arm_and_says_so(seeds_dir: Path) -> None:
    text = _seed(seeds_dir, "002").replace(
        "AnlotinibAnlotinib HydrochlorideAdministration Anlotinib", "Arm AStudy DrugGiven daily; Anlotinib")
    warnings: list[FieldWarning] = []
    (t,) = load_text(text, "medpath.txt", warnings)
    assert len(t.arms) == 1 and t.arms[0].interventions
    assert [w.kind for w in warnings] == ["ambiguous-cells"]
    assert "Arm AStudy DrugGiven" in warnings[0].message


def test_values_outside_the_registrys_enumerations_are_dropped_with_a_warning() -> None:
    rec = json.loads((FIXTURES / "ctgov" / "NCT02210780.json").read_text(encoding="utf-8"))
    design = rec["protocolSection"]["designModule"]
    before = list(design.get("phases", []))
    design["phases"] = [*before, "PHASE5"]
    rec["protocolSection"]["statusModule"]["overallStatus"] = "PAUSED"
    rec["protocolSection"]["armsInterventionsModule"]["armGroups"][0]["type"] = "EXPERIMENTAL_ARM"
    warnings: list[FieldWarning] = []
    (t,) = load_text(json.dumps(rec), "mod.json", warnings)
    assert t.phases == tuple(before) and t.overall_status is None and t.arms[0].type is None
    got = {(w.kind, w.field, w.nct_id) for w in warnings}
    assert got == {("invalid-value", "phases", "NCT02210780"), ("invalid-value", "overall_status", "NCT02210780"),
                   ("invalid-value", "arms[0].type", "NCT02210780")}
    assert any("'PHASE5'" in w.message for w in warnings)


def test_legacy_spellings_are_the_registrys_values_not_dropped() -> None:
    xml = (FIXTURES / "ctgov_xml" / "NCT00023673.xml").read_text(encoding="utf-8")
    xml = xml.replace("<overall_status>Completed</overall_status>", "<overall_status>Unknown status</overall_status>")
    warnings: list[FieldWarning] = []
    (t,) = load_text(xml, "x.xml", warnings)
    assert t.overall_status == "UNKNOWN" and warnings == []


def test_classic_v1_json_gets_one_unsupported_format_line() -> None:
    doc = {"FullStudiesResponse": {"APIVrs": "1.01.05", "FullStudies": [
        {"Rank": 1, "Study": {"ProtocolSection": {"IdentificationModule": {"NCTId": "NCT00023673"}}}}]}}
    with pytest.raises(LoaderError) as e:
        load_text(json.dumps(doc), "classic.json")
    assert e.value.file == "classic.json"
    assert e.value.message.startswith("unsupported format: the retired classic ClinicalTrials.gov API (v1) JSON")
    assert "NCT00023673" in e.value.message


@pytest.mark.parametrize("change, field", [
    ({"designModule.enrollmentInfo": {"count": "forty"}}, "protocolSection.designModule.enrollmentInfo.count"),
    ({"armsInterventionsModule": "n/a"}, "protocolSection.armsInterventionsModule"),
    ({"statusModule.startDateStruct": {"date": "next spring"}}, "protocolSection.statusModule.startDateStruct.date"),
])
def test_a_wrong_typed_api_field_costs_that_field(change: dict, field: str) -> None:
    rec = json.loads((FIXTURES / "ctgov" / "NCT02210780.json").read_text(encoding="utf-8"))
    for path, value in change.items():
        node = rec["protocolSection"]
        *head, last = path.split(".")
        for k in head:
            node = node[k]
        node[last] = value
    warnings: list[FieldWarning] = []
    (t,) = load_text(json.dumps(rec), "wrong.json", warnings)
    assert t.nct_id == "NCT02210780"
    assert [(w.field, w.nct_id) for w in warnings] == [(field, "NCT02210780")]


def test_a_legacy_xml_date_or_enrollment_that_cannot_be_read_costs_that_field() -> None:
    xml = (FIXTURES / "ctgov_xml" / "NCT00023673.xml").read_text(encoding="utf-8")
    import re

    xml = re.sub(r"<start_date>[^<]*</start_date>", "<start_date>sometime</start_date>", xml)
    xml = re.sub(r"(<enrollment[^>]*>)[^<]*(</enrollment>)", r"\1about 40\2", xml)
    warnings: list[FieldWarning] = []
    (t,) = load_text(xml, "x.xml", warnings)
    assert t.start_date is None and t.enrollment is None
    assert sorted(w.field for w in warnings) == ["enrollment", "start_date"]


def test_a_page_whose_title_opens_with_a_bracket_is_a_page_not_broken_json(seeds_dir: Path) -> None:
    # NCT03182660's title opens "[Trial of device that is not approved ..."
    text = _seed(seeds_dir, "000").replace("A Phase III Clinical Trial of AK105", "[18F]-FDG PET of AK105", 1)
    (t,) = load_text(text, "bracket.txt")
    assert t.source.layout == "ctgov_page" and t.brief_title.startswith("[18F]-FDG PET of AK105")


@pytest.mark.parametrize("place, country", [
    ("Seoul, , Korea, Republic of", "Korea, Republic of"),
    ("Ramallah, , Palestinian Territory, occupied", "Palestinian Territory, occupied"),
    ("Washington, District of Columbia, United States", "United States"),
])
def test_inverted_country_names_stay_whole(place: str, country: str) -> None:
    from trialgraph.loaders.text import location

    assert location(place)[2] == country
