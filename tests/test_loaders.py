"""Golden tests: field values read off the seed documents by a person, not from the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from trialgraph.errors import LoaderError, UnknownLayoutError
from trialgraph.loaders import detect, load_file, read_text
from trialgraph.loaders.medpath import split_arm_row
from trialgraph.records import Trial

pytestmark = pytest.mark.unit


def seed(seeds_dir: Path, prefix: str) -> Trial:
    (path,) = seeds_dir.glob(f"{prefix}_*.txt")
    (trial,) = list(load_file(path))
    return trial


def test_layout_is_detected_from_content_not_name(seeds_dir: Path, tmp_path: Path) -> None:
    expected = {"000": "ctgov_page", "001": "veeva", "002": "medpath", "003": "veeva", "004": "ctgov_page"}
    for prefix, layout in expected.items():
        (path,) = seeds_dir.glob(f"{prefix}_*.txt")
        renamed = tmp_path / f"page-{prefix}.html"
        renamed.write_bytes(path.read_bytes())
        assert detect(read_text(renamed), str(renamed)).name == layout
        assert seed(seeds_dir, prefix).source.layout == layout


def test_seed_000_ctgov_page(seeds_dir: Path) -> None:
    t = seed(seeds_dir, "000")
    assert t.nct_id == "NCT04344158"
    assert t.brief_title.startswith("A Phase III Clinical Trial of AK105 Injection Combined With Anlotinib")
    assert t.brief_title.endswith("in Subjects With Advanced Hepatocellular Carcinoma (HCC)")
    assert t.overall_status == "ACTIVE_NOT_RECRUITING"
    assert t.phases == ("PHASE3",)
    assert t.enrollment is not None and t.enrollment.count == 648
    assert t.study_type == "INTERVENTIONAL"
    assert t.start_date and t.start_date.date == "2020-08-11"
    assert t.completion_date and t.completion_date.date == "2026-12-31"
    assert t.last_update_date and t.last_update_date.date == "2025-02-20"
    assert t.conditions == ("Advanced Hepatocellular Carcinoma (HCC)",)
    assert t.design and (t.design.allocation, t.design.intervention_model, t.design.primary_purpose, t.design.masking) == (
        "RANDOMIZED", "PARALLEL", "TREATMENT", "NONE",
    )
    assert [(a.label, a.type, a.interventions) for a in t.arms] == [
        ("AK105 combined with Anlotinib", "EXPERIMENTAL", ("AK105 Injection", "Anlotinib Hydrochloride Capsules")),
        ("Sorafenib Tosylate Tablets", "ACTIVE_COMPARATOR", ("Sorafenib Tosylate Tablets",)),
    ]
    assert t.arms[0].description.startswith("AK105 200mg intravenously (IV) on day 1 of each 21-day cycle plus Anlotinib")
    assert t.arms[1].description == "Sorafenib Tosylate Tablets 400mg given orally, twice daily in 21-day cycle."
    assert [(i.name, i.type) for i in t.interventions] == [
        ("AK105 Injection", "DRUG"), ("Anlotinib Hydrochloride Capsules", "DRUG"), ("Sorafenib Tosylate Tablets", "DRUG"),
    ]
    assert t.interventions[0].description == "AK105 200mg intravenously (IV) on day 1 of each 21-day cycle."
    e = t.eligibility
    assert e and e.minimum_age and e.minimum_age.text == "18 Years" and e.maximum_age and e.maximum_age.text == "75 Years"
    assert (e.sex, e.healthy_volunteers) == ("ALL", False)
    assert e.criteria and e.criteria.startswith("Inclusion Criteria")
    assert "Exclusion Criteria" in e.criteria
    assert e.criteria.rstrip().endswith("other factors that may lead to the termination of the study.")
    assert "Minimum Eligible Age" not in e.criteria
    assert [(s.name, s.role, s.agency_class) for s in t.sponsors] == [
        ("Chia Tai Tianqing Pharmaceutical Group Co., Ltd.", "lead", "INDUSTRY")
    ]
    assert t.responsible_party == "SPONSOR"
    assert len(t.sites) == 81
    first, last = t.sites[0], t.sites[-1]
    assert (first.facility, first.city, first.state, first.country) == (
        "The First Affiliated Hospital of Bengbu Medical College", "Bengbu", "Anhui", "China",
    )
    assert (last.facility, last.city, last.state, last.country) == ("Wenzhou People's Hospital", "Wenzhou", "Zhejiang", "China")
    xian = [s for s in t.sites if s.facility == "First Affiliated Hospital of Xi'an Jiaotong University"]
    assert xian and xian[0].city == "Xi’an" and xian[0].state == "Shanxi"
    assert t.countries == ("China",)
    (ref,) = t.references
    assert ref.pmid == "40349716" and ref.type == "DERIVED"
    assert "(APOLLO): a randomised, controlled, phase 3 trial" in ref.citation
    assert t.org_study_id == "ALTN-AK105-III-02"
    assert [(r.nct_id, r.status, r.phases, r.title) for r in t.related_trials] == [
        ("NCT04947371", "WITHDRAWN", ("PHASE2",), "Adjuvant Therapy With Anlotinib for HCC"),
        ("NCT06309485", "NOT_YET_RECRUITING", ("PHASE2",), "Phase 2 Study of WGI-0301 for Advanced HCC"),
    ]
    assert t.has_results is False


def test_seed_004_ctgov_page(seeds_dir: Path) -> None:
    t = seed(seeds_dir, "004")
    assert t.nct_id == "NCT04523493"
    assert t.brief_title == "Phase III Study of Toripalimab(JS001) Combined With Lenvatinib for Advanced HCC"
    assert (t.overall_status, t.phases, t.enrollment.count if t.enrollment else None) == (
        "ACTIVE_NOT_RECRUITING", ("PHASE3",), 530,
    )
    assert t.start_date and t.start_date.date == "2020-06-29"
    assert t.completion_date and t.completion_date.date == "2026-09-01"
    assert t.last_update_date and t.last_update_date.date == "2025-12-09"
    assert t.design and t.design.intervention_model == "FACTORIAL" and t.design.masking == "QUADRUPLE"
    assert t.design.who_masked == ("PARTICIPANT", "CARE_PROVIDER", "INVESTIGATOR", "OUTCOMES_ASSESSOR")
    assert [(a.label, a.type, a.description, a.interventions) for a in t.arms] == [
        ("Experimental group", "EXPERIMENTAL", "Toripalimab combined with Lenvatinib", ("Toripalimab combined with Lenvatinib",)),
        ("Control group", "PLACEBO_COMPARATOR", "Placebo combined with Lenvatinib", ("Placebo combined with Lenvatinib",)),
    ]
    assert [(i.name, i.type) for i in t.interventions] == [
        ("Toripalimab combined with Lenvatinib", "COMBINATION_PRODUCT"),
        ("Placebo combined with Lenvatinib", "COMBINATION_PRODUCT"),
    ]
    # The intervention's description (two paragraphs on the page) is not mistaken for the next arm.
    assert t.interventions[0].description.startswith("Experimental group:\n\nToripalimab, 240mg, IV infusion")
    assert "(Body Weight<60 kg)" in t.interventions[0].description  # the page's markdown escape undone
    assert [(s.name, s.role, s.agency_class) for s in t.sponsors] == [("Shanghai Junshi Bioscience Co., Ltd.", "lead", "OTHER")]
    assert len(t.sites) == 22
    assert t.sites[0].facility == "Qinhuai Medical Area, General Hospital of PLA Eastern Theater Command"
    milan = t.sites[1]
    assert (milan.city, milan.state, milan.country) == ("Milan", None, "Italy")
    assert t.sites[-1].facility.startswith("Communal Non-commercial Enterprise Zaporizhzhia Regional Antitumor Center")
    assert t.countries == ("China", "Italy", "Poland", "Singapore", "Ukraine")
    assert t.org_study_id == "JS001-027-III-HCC"
    assert t.related_trials == ()


def test_seed_001_veeva(seeds_dir: Path) -> None:
    t = seed(seeds_dir, "001")
    assert t.nct_id == "NCT05111366"
    assert t.brief_title == (
        "TQB2450 Plus Anlotinib as Adjuvant Therapy in HCC Patients at High Risk of Recurrence After Resection (ALTER-H006)"
    )
    assert (t.overall_status, t.phases, t.study_type) == ("UNKNOWN", ("PHASE2",), "INTERVENTIONAL")
    assert t.conditions == ("Hepatocellular Carcinoma", "Adjuvant Therapy")
    assert [(i.type, i.name) for i in t.interventions] == [
        ("DRUG", "Anlotinib hydrochloride capsules"), ("DRUG", "TQB2450 injection"),
    ]
    assert t.funder_types == ("OTHER", "INDUSTRY")
    assert t.org_study_id == "20210727"
    assert t.enrollment and (t.enrollment.count, t.enrollment.type) == (37, "ESTIMATED")
    e = t.eligibility
    assert e and (e.sex, e.minimum_age.text, e.maximum_age.text, e.healthy_volunteers) == ("ALL", "18 Years", "75 Years", False)
    assert t.design and (t.design.primary_purpose, t.design.allocation, t.design.intervention_model, t.design.masking) == (
        "TREATMENT", "NA", "SINGLE_GROUP", "NONE",
    )
    assert [(a.label, a.type, a.interventions) for a in t.arms] == [
        (
            "TQB2450 injection combined with Anlotinib hydrochloride capsules",
            "EXPERIMENTAL",
            ("Anlotinib hydrochloride capsules", "TQB2450 injection"),
        )
    ]
    assert [(s.name, s.role) for s in t.sponsors] == [("Xianhai Mao", "lead")]
    assert t.site_count == 1 and t.sites == ()
    assert [c.name for c in t.contacts] == ["Xianhai Mao, PhD"]
    assert t.brief_summary and t.brief_summary.startswith("This is An Open, Single Arm, Multicenter, Exploratory Phase II study")
    assert t.detailed_description and t.detailed_description.startswith("TQB-2450 is a humanized mAb of PD-L1")


def test_seed_003_veeva(seeds_dir: Path) -> None:
    t = seed(seeds_dir, "003")
    assert t.nct_id == "NCT04970914"
    assert t.brief_title == "Anlotinib Plus Penpulimab (AK105) for Chemo-refractory Metastatic Colorectal Cancer:ALTER-C003"
    assert [(s.name, s.role) for s in t.sponsors] == [
        ("Chinese Academy of Medical Sciences & Peking Union Medical College", "lead")
    ]
    assert t.conditions == ("Colorectal Cancer",)
    assert t.org_study_id == "HS-2986B"
    assert t.enrollment and t.enrollment.count == 32
    e = t.eligibility
    assert e and e.minimum_age and e.minimum_age.text == "18 Years" and e.maximum_age is None
    assert [(a.label, a.type, a.interventions) for a in t.arms] == [
        ("Anlotinib+Penpulimab", "EXPERIMENTAL", ("Penpulimab", "Anlotinib"))
    ]
    assert t.site_count == 8
    assert [c.name for c in t.contacts] == ["Jianfeng Zhou"]


def test_seed_002_medpath(seeds_dir: Path) -> None:
    t = seed(seeds_dir, "002")
    assert t.nct_id == "NCT03945799"
    assert t.brief_title == (
        "A Multicenter Study of Anlotinib in Hepatocellular Carcinoma (HCC) Patients at High Risk of Post Surgery Recurrence"
    )
    assert (t.phases, t.overall_status, t.study_type) == (("PHASE1",), "TERMINATED", "INTERVENTIONAL")
    assert t.enrollment and t.enrollment.count == 28
    assert t.conditions == ("Hepatocellular Carcinoma",)
    assert [(s.name, s.role) for s in t.sponsors] == [("Zhejiang University", "lead")]
    assert t.design and t.design.intervention_model == "SINGLE_GROUP"
    # "AnlotinibAnlotinib HydrochlorideAdministration Anlotinib and it ..." split into its cells
    (arm,) = t.arms
    assert arm.label == "Anlotinib"
    assert arm.interventions == ("Anlotinib Hydrochloride",)
    assert arm.description == (
        "Administration Anlotinib and it should be continued until relapse of HCC or intolerable toxicity "
        "or patients withdrawal of consent."
    )
    assert [(o.kind, o.measure, o.time_frame) for o in t.outcomes] == [
        ("primary", "Disease free survival", "From randomization to recurrence of HCC or death (up to 1year)"),
        ("secondary", "Overall survival", "1 year"),
        ("secondary", "Adverse effect", "Up to 1year"),
    ]
    assert t.outcomes[0].description == "The period from resection surgery to recurrence of HCC"
    (site,) = t.sites
    assert (site.facility, site.city, site.state, site.country) == (
        "The First Affiliated Hospital of Medical School of Zhejiang University", "Hangzhou", "Zhejiang", "China",
    )
    assert t.eligibility and t.eligibility.sex == "ALL"
    assert t.eligibility.criteria and "No allergic history of Anlotinib" in t.eligibility.criteria


def test_medpath_row_split_prefers_listed_intervention() -> None:
    row = "PembroPlusPembrolizumab InjectionLenvatinibGiven together every 3 weeks"
    # Without knowledge the split is ambiguous; the page's intervention list decides it.
    assert split_arm_row(row, ["Pembrolizumab Injection"]) == (
        "PembroPlus", "Pembrolizumab Injection", "LenvatinibGiven together every 3 weeks",
    )
    assert split_arm_row("AnlotinibAnlotinib HydrochlorideAdministration daily") == (
        "Anlotinib", "Anlotinib Hydrochloride", "Administration daily",
    )
    with pytest.raises(ValueError):
        split_arm_row("no cells here")


# -- bad input: a clear error naming the file and the field ---------------------------------
def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_unknown_layout(tmp_path: Path) -> None:
    p = _write(tmp_path, "x.txt", b"Some unrelated web page\nwith text\n")
    with pytest.raises(UnknownLayoutError) as e:
        list(load_file(p))
    assert str(p) in str(e.value) and "unknown layout" in str(e.value)


@pytest.mark.parametrize("data, field", [(b"", None), (b"\x00\x01\x02binary", "encoding"), ("Caf\xe9".encode("latin-1"), "encoding")])
def test_unreadable_files(tmp_path: Path, data: bytes, field: str | None) -> None:
    p = _write(tmp_path, "bad.txt", data)
    with pytest.raises(LoaderError) as e:
        list(load_file(p))
    assert e.value.file == str(p) and e.value.field == field


def test_truncated_pages(seeds_dir: Path, tmp_path: Path) -> None:
    for prefix, cut_at, field in [
        ("000", "Hefei, Anhui, China\n\nSite Status", "Locations"),  # a site with no status line
        ("001", "Trial contacts and locations", "footer"),
        ("002", "Trial Locations", "footer"),
        ("000", "Basic Information", "Basic Information"),
    ]:
        (src,) = seeds_dir.glob(f"{prefix}_*.txt")
        text = src.read_text(encoding="utf-8")
        cut = text[: text.index(cut_at) + (len(cut_at) - len("Site Status") if field == "Locations" else 0)]
        p = _write(tmp_path, f"cut-{prefix}-{field}.txt", cut.encode())
        with pytest.raises(LoaderError) as e:
            list(load_file(p))
        assert e.value.file == str(p)
        assert e.value.field == field, str(e.value)


def test_wrong_nct_id_is_named(seeds_dir: Path, tmp_path: Path) -> None:
    (src,) = seeds_dir.glob("000_*.txt")
    p = _write(tmp_path, "badid.txt", src.read_text(encoding="utf-8").replace("NCT ID: NCT04344158", "NCT ID: NCT123").encode())
    with pytest.raises(LoaderError) as e:
        list(load_file(p))
    assert e.value.field == "nct_id" and "NCT123" in e.value.message


def test_folder_walk_skips_hidden_files_and_notes(tmp_path: Path) -> None:
    from trialgraph.loaders import iter_files

    (tmp_path / "sub").mkdir()
    for name in ("a.json", "sub/b.txt", ".hidden.json", "README.md", "sub/SOURCES.md", "LICENSE"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path])] == ["a.json", "sub/b.txt"]
    # a note named explicitly is still read (and rejected by the loaders if it is not a trial)
    assert list(iter_files([tmp_path / "README.md"])) == [tmp_path / "README.md"]
