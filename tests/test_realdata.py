"""A sample of public ClinicalTrials.gov records (tests/fixtures/realdata, provenance in its
README) loads whole: no rejection, every warning named. Figures read off the records by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from trialgraph.pipeline import LoadReport, read_trials
from trialgraph.records import Trial

pytestmark = pytest.mark.unit

REALDATA = Path(__file__).parent / "fixtures" / "realdata"


@pytest.fixture(scope="module")
def loaded() -> tuple[LoadReport, dict[str, list[Trial]]]:
    report = LoadReport()
    by_id: dict[str, list[Trial]] = {}
    for t in read_trials([REALDATA], report):
        by_id.setdefault(t.nct_id, []).append(t)
    return report, by_id


def test_every_record_loads_and_only_the_modified_phase_is_a_warning(loaded) -> None:
    report, by_id = loaded
    assert not report.problems, list(report.problems)
    # NCT06604689, NCT00000102 and NCT00002475 come twice, from two sources each
    assert report.trials_parsed == 68 and len(by_id) == 65
    assert sorted(n for n, ts in by_id.items() if len(ts) > 1) == ["NCT00000102", "NCT00002475", "NCT06604689"]
    assert report.warnings_by_kind() == {"invalid-value": 1}
    (w,) = report.warnings
    assert w.file.endswith("study_data_5.json") and w.field == "phases"
    assert "NCT55555555" in w.message and "'PHASE5'" in w.message


def test_figures_read_off_the_records(loaded) -> None:
    _, by_id = loaded

    def one(nct: str) -> Trial:
        return by_id[nct][0]

    # AACT's modified fixture: designModule.phases PHASE1..PHASE5, statusModule.overallStatus COMPLETED
    t = one("NCT55555555")
    assert t.phases == ("PHASE1", "PHASE2", "PHASE3", "PHASE4") and t.overall_status == "COMPLETED"
    # py_load_clinicaltrialsgov's trimmed variant: 2 locations, 3 arm groups, PHASE3, RECRUITING
    t = one("NCT04267848")
    assert (len(t.sites), len(t.arms), t.phases, t.overall_status) == (2, 3, ("PHASE3",), "RECRUITING")
    # a field-subset search record (no statusModule): loads what it has
    t = one("NCT00675987")
    assert t.brief_title == ("A Randomized Clinical Trial To Study Losartan On Endothelial Dysfunction and "
                             "Insulin Resistance In Obese Patients")
    assert t.overall_status is None and t.start_date is None
    # a search page of two studies
    assert "NCT06382129" in by_id and len(by_id["NCT06604689"]) == 2
    # AACT's NCT00980226-id-mismatch.xml holds NCT00081588: Phase 2, Completed, 1 arm group, 68 locations
    t = one("NCT00081588")
    assert (t.phases, t.overall_status, len(t.arms), len(t.sites)) == (("PHASE2",), "COMPLETED", 1, 68)
    assert [m.term for m in t.condition_mesh] == ["HIV Infections"]
    assert t.source.file.endswith("NCT00980226-id-mismatch.xml")
    # a 2013 record: phase N/A, Terminated, 3 arm groups, 1 location
    t = one("NCT01101477")
    assert (t.phases, t.overall_status, len(t.arms), len(t.sites)) == (("NA",), "TERMINATED", 3, 1)
    # AACT's example_study.xml: NCT00002475, no arm groups, one location, three condition MeSH terms
    (t,) = [t for t in by_id["NCT00002475"] if t.source.file.endswith("example_study.xml")]
    assert (t.phases, t.arms, len(t.sites)) == (("PHASE2",), (), 1)
    assert [m.term for m in t.condition_mesh] == ["Lung Neoplasms", "Mesothelioma", "Pancreatic Neoplasms"]
    # a member of the AllPublicXML zip sample: 'Phase 1/Phase 2', Completed
    zipped = [t for t in by_id["NCT00000102"] if "!" in t.source.file]
    assert len(zipped) == 1 and zipped[0].phases == ("PHASE1", "PHASE2") and zipped[0].overall_status == "COMPLETED"
    assert zipped[0].conditions == ("Congenital Adrenal Hyperplasia",)
