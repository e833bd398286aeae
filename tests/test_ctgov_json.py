"""ClinicalTrials.gov API v2 JSON: golden values read off the real records in tests/fixtures/ctgov."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trialgraph.errors import LoaderError
from trialgraph.loaders import load_file, load_text

pytestmark = pytest.mark.unit
CTGOV = Path(__file__).resolve().parent / "fixtures" / "ctgov"


def one(name: str):
    (trial,) = list(load_file(CTGOV / f"{name}.json"))
    return trial


def test_nct04956640() -> None:
    t = one("NCT04956640")
    assert t.source.layout == "ctgov_api_v2"
    assert t.brief_title == "Study of LY3537982 in Cancer Patients With a Specific Genetic Mutation (KRAS G12C)"
    assert t.phases == ("PHASE1", "PHASE2") and t.overall_status == "RECRUITING"
    assert t.enrollment and (t.enrollment.count, t.enrollment.type) == (540, "ESTIMATED")
    assert t.start_date and (t.start_date.date, t.start_date.type) == ("2021-07-19", "ACTUAL")
    assert t.primary_completion_date and (t.primary_completion_date.date, t.primary_completion_date.type) == ("2027-04", "ESTIMATED")
    assert t.org_study_id == "LOXO-RAS-20001"
    assert ("2021-000595-12", "EUDRACT_NUMBER") in [(i.value, i.type) for i in t.identifiers]
    assert [(s.name, s.role, s.agency_class) for s in t.sponsors] == [
        ("Eli Lilly and Company", "lead", "INDUSTRY"), ("Merck Sharp & Dohme LLC", "collaborator", "INDUSTRY"),
    ]
    assert t.design and (t.design.allocation, t.design.intervention_model, t.design.masking) == (
        "NON_RANDOMIZED", "SEQUENTIAL", "NONE",
    )
    assert len(t.arms) == 3 and len(t.interventions) == 6 and len(t.sites) == 49
    # armGroups name interventions as "Drug: X"; the arm links to the intervention "X"
    assert t.arms[0].label == "LY3537982 (Dose Escalation)" and t.arms[0].interventions == ("LY3537982",)
    first = t.sites[0]
    assert (first.facility, first.city, first.state, first.zip, first.country, first.status) == (
        "University of Alabama at Birmingham", "Birmingham", "Alabama", "35233", "United States", "RECRUITING",
    )
    assert (first.latitude, first.longitude) == (33.52066, -86.80249)
    e = t.eligibility
    assert e and e.minimum_age and e.minimum_age.text == "18 Years" and e.healthy_volunteers is False and e.sex == "ALL"
    assert ("D015179", "Colorectal Neoplasms") in [(m.id, m.term) for m in t.condition_mesh]
    assert t.has_results is False


def test_large_and_wide_records() -> None:
    big = one("NCT04267848")
    assert len(big.sites) == 1148 and len(big.arms) == 3 and len(big.interventions) == 12
    wide = one("NCT05786924")
    assert len(wide.arms) == 16 and len(wide.conditions) == 32


def test_observational_record_without_arms() -> None:
    t = one("NCT05052671")
    assert t.study_type == "OBSERVATIONAL" and t.arms == () and t.phases == ()
    assert [s.role for s in t.sponsors] == ["lead", "collaborator"]


def test_non_ascii_title() -> None:
    assert one("NCT06171568").brief_title.startswith("Lariboisière Cognitive Assessment")


def test_wrappers_list_search_page_and_ndjson(tmp_path: Path) -> None:
    studies = [json.loads((CTGOV / f"{n}.json").read_text()) for n in ("NCT06411691", "NCT05052671")]
    forms = {
        "list.json": json.dumps(studies),
        "page.json": json.dumps({"studies": studies, "nextPageToken": "abc"}),
        "studies.ndjson": "\n".join(json.dumps(s) for s in studies) + "\n",
    }
    for name, text in forms.items():
        (tmp_path / name).write_text(text)
        assert [t.nct_id for t in load_file(tmp_path / name)] == ["NCT06411691", "NCT05052671"], name


def test_bad_json_names_file_and_place(tmp_path: Path) -> None:
    good = (CTGOV / "NCT06411691.json").read_text()
    truncated = tmp_path / "truncated.json"
    truncated.write_text(good[: len(good) // 2])
    with pytest.raises(LoaderError) as e:
        list(load_file(truncated))
    assert e.value.file == str(truncated) and e.value.field is not None

    ndjson = tmp_path / "bad.ndjson"
    ndjson.write_text(json.dumps(json.loads(good)) + "\n{not json\n")
    with pytest.raises(LoaderError) as e:
        list(load_file(ndjson))
    assert (e.value.file, e.value.field) == (f"{ndjson}:line 2", "json")

    study = json.loads(good)
    study["protocolSection"]["designModule"]["phases"] = "PHASE1"  # a string, not a list
    wrong = tmp_path / "wrong-type.json"
    wrong.write_text(json.dumps({"studies": [study]}))
    # a wrong-typed field costs that field, not the study: it loads, with a warning naming the path
    warnings: list = []
    (t,) = load_text(wrong.read_text(), str(wrong), warnings)
    assert t.phases == () and [w.field for w in warnings] == ["studies[0].protocolSection.designModule.phases"]

    del study["protocolSection"]["identificationModule"]["nctId"]
    missing = tmp_path / "missing-id.json"
    missing.write_text(json.dumps(study))
    with pytest.raises(LoaderError) as e:
        list(load_file(missing))
    assert e.value.field == "protocolSection.identificationModule.nctId"


def test_zip_bulk_download(tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "ctg-studies.json.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for n in ("NCT06411691", "NCT05052671"):
            z.write(CTGOV / f"{n}.json", f"{n}.json")
    trials = list(load_file(archive))
    assert [t.nct_id for t in trials] == ["NCT05052671", "NCT06411691"]
    assert trials[0].source.file == f"{archive}!NCT05052671.json"


def test_a_bad_zip_member_is_reported_and_the_others_load(tmp_path: Path) -> None:
    import zipfile

    from trialgraph.pipeline import LoadReport, read_trials

    archive = tmp_path / "mixed.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(CTGOV / "NCT06411691.json", "NCT06411691.json")
        z.writestr("broken.json", '{"protocolSection": {')
    report = LoadReport()
    assert [t.nct_id for t in read_trials([archive], report)] == ["NCT06411691"]
    (problem,) = report.problems
    assert problem.file == f"{archive}!broken.json"


# (arms, interventions, locations, phases, has results), counted in each file's JSON by hand
EVERY_SAMPLE = {
    "NCT02210780": (2, 2, 42, ("PHASE2",), True),
    "NCT02552212": (2, 2, 105, ("PHASE3",), True),
    "NCT03745326": (2, 4, 1, ("PHASE1", "PHASE2"), False),
    "NCT04267848": (3, 12, 1148, ("PHASE3",), False),
    "NCT04956640": (3, 6, 49, ("PHASE1", "PHASE2"), False),
    "NCT05052671": (0, 0, 2, (), False),
    "NCT05288205": (2, 2, 27, ("PHASE1", "PHASE2"), False),
    "NCT05438667": (1, 1, 1, ("EARLY_PHASE1",), False),
    "NCT05594173": (0, 1, 1, (), True),
    "NCT05786924": (16, 7, 10, ("PHASE1", "PHASE2"), False),
    "NCT06008288": (1, 1, 31, ("PHASE2",), False),
    "NCT06171568": (0, 1, 1, (), False),
    "NCT06385925": (2, 1, 6, ("PHASE1", "PHASE2"), False),
    "NCT06411691": (1, 3, 1, ("PHASE1",), False),
    "NCT06898385": (1, 3, 1, ("PHASE1",), False),
}


@pytest.mark.parametrize("nct", sorted(EVERY_SAMPLE))
def test_every_sample_loads(nct: str) -> None:
    t = one(nct)
    arms, interventions, sites, phases, results = EVERY_SAMPLE[nct]
    assert t.nct_id == nct
    assert (len(t.arms), len(t.interventions), len(t.sites), t.phases, t.has_results) == (
        arms, interventions, sites, phases, results,
    )
    # every arm's intervention link names an intervention of the trial
    names = {iv.name for iv in t.interventions}
    assert all(set(a.interventions) <= names for a in t.arms)


def test_arm_links_of_a_multi_drug_arm() -> None:
    t = one("NCT06898385")
    (arm,) = t.arms
    assert arm.label == "IX001 TCR-T injection"
    assert set(arm.interventions) == {"IX001 TCR-T injection", "Fludarabine", "Cyclophosphamide"}
    dupi = one("NCT02210780")
    assert dupi.arms[0].label == "Placebo qw" and dupi.arms[0].interventions == ("Placebo",)


def test_ndjson_streams_line_by_line_and_a_bad_line_rejects_only_itself(tmp_path: Path) -> None:
    from trialgraph.pipeline import LoadReport, read_trials

    good = [json.dumps(json.loads((CTGOV / f"{n}.json").read_text())) for n in ("NCT06411691", "NCT05052671")]
    broken = json.loads((CTGOV / "NCT06008288.json").read_text())
    broken["protocolSection"]["identificationModule"]["nctId"] = "NCT-BAD"
    path = tmp_path / "fetched.ndjson"
    path.write_text("\n".join([good[0], '{"protocolSection": ', json.dumps(broken), "", good[1]]) + "\n")
    report = LoadReport()
    trials = read_trials([path], report)
    first = next(trials)  # lazily: the first trial arrives before the rest of the file is parsed
    assert first.nct_id == "NCT06411691" and report.trials_parsed == 1
    assert [t.nct_id for t in trials] == ["NCT05052671"]
    assert [(p.file, p.field) for p in report.problems] == [
        (f"{path}:line 2", "json"),  # malformed JSON
        (f"{path}:line 3", "protocolSection.identificationModule.nctId"),  # "NCT-BAD"
    ]
