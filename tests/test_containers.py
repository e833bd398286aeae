"""Containers at registry scale: a zip is opened once, JSON arrays and search pages are streamed a
study at a time (a bad study rejects only itself), and the unresolved-name report is bounded."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from trialgraph.loaders import base, documents, load_file
from trialgraph.loaders.base import LoadProblem, ProblemKind, WarningKind
from trialgraph.ontology.normalize import Finding, FindingKind
from trialgraph.pipeline import LoadReport, Unresolved, read_trials

pytestmark = pytest.mark.unit
CTGOV = Path(__file__).resolve().parent / "fixtures" / "ctgov"
GOOD = ("NCT06411691", "NCT05052671", "NCT04956640")


def study(nct: str) -> dict:
    return json.loads((CTGOV / f"{nct}.json").read_text(encoding="utf-8"))


def test_a_zip_is_opened_once_whatever_its_members(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "ctg-studies.json.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for n in GOOD:
            z.write(CTGOV / f"{n}.json", f"{n}.json")
    opened = []

    class Counting(zipfile.ZipFile):
        def __init__(self, *a, **kw) -> None:
            opened.append(a[0])
            super().__init__(*a, **kw)

    monkeypatch.setattr(base.zipfile, "ZipFile", Counting)
    assert sorted(t.nct_id for t in load_file(archive)) == sorted(GOOD)
    assert opened == [archive]


def test_an_array_loads_study_by_study_and_a_bad_study_rejects_only_itself(tmp_path: Path) -> None:
    bad = study(GOOD[1])
    bad["protocolSection"]["identificationModule"]["nctId"] = "NCT123"  # no usable identity: rejected
    array = tmp_path / "ctg-studies.json"
    array.write_text(json.dumps([study(GOOD[0]), bad, study(GOOD[2])], indent=2), encoding="utf-8")
    report = LoadReport()
    trials = list(read_trials([array], report))
    assert [t.nct_id for t in trials] == [GOOD[0], GOOD[2]]
    assert [t.source.file for t in trials] == [f"{array}#[0]", f"{array}#[2]"]  # as when read whole
    (problem,) = report.problems
    assert (problem.file, problem.field) == (str(array), "[1].protocolSection.identificationModule.nctId")


def test_a_search_page_is_streamed_and_broken_json_stops_where_it_breaks(tmp_path: Path) -> None:
    page = tmp_path / "page.json"
    text = json.dumps({"studies": [study(GOOD[0]), study(GOOD[1])], "nextPageToken": "abc"})
    page.write_text(text[: len(text) - 200], encoding="utf-8")  # cut inside the second study
    names = []
    report = LoadReport()
    for t in read_trials([page], report):
        names.append(t.source.file)
    # read whole, the truncated page would give nothing; streamed, the first study is loaded
    assert names == [f"{page}#studies[0]"]
    (problem,) = report.problems
    assert (problem.file, problem.field) == (str(page), "studies[1]") and "malformed JSON" in problem.message


def test_an_array_of_other_objects_is_still_one_document(tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text(json.dumps([{"FullStudiesResponse": {}}, {"x": 1}]), encoding="utf-8")
    assert [name for name, _ in documents(other)] == [str(other)]


def test_the_unresolved_report_is_bounded_and_keeps_the_most_frequent_exactly() -> None:
    un = Unresolved(capacity=3)
    frequent = {"alpha": 50, "beta": 40, "gamma": 30}
    for name, n in frequent.items():
        for k in range(n):
            un.add(Finding(f"NCT{k:08d}", "f", FindingKind.UNRESOLVED_INTERVENTION, name))
    for k in range(1000):  # names seen once each: the long tail of a registry
        un.add(Finding(f"NCT{k:08d}", "f", FindingKind.UNRESOLVED_INTERVENTION, f"rare-{k}"))
    assert len(un.counts) <= 6 and len(un.examples) <= 6
    assert [(r["name"], r["trials"]) for r in un.rows(3)] == list(frequent.items())
    assert un.places == 50 + 40 + 30 + 1000
    assert un.truncated and un.distinct is None and un.floor == 1
    small = Unresolved(capacity=3)
    small.add(Finding("NCT00000001", "f", FindingKind.UNRESOLVED_CONDITION, "x"))
    assert (small.distinct, small.truncated, small.rows()[0]["examples"]) == (1, False, ["NCT00000001"])


def test_the_load_report_counts_every_problem_and_keeps_a_few_of_each_kind(tmp_path: Path) -> None:
    # 100,000 unreadable documents, 100,000 warnings of one kind and 3 of another: exact counts, at
    # most `keep` examples of each kind held (a synthetic count: the report, not the loaders)
    report = LoadReport()
    for k in range(100_000):
        report.reject(LoadProblem(f"doc-{k}.json", None, "not JSON"))
        report.warn(LoadProblem(f"doc-{k}.json", "phases", "'PHASE5' dropped", WarningKind.INVALID_VALUE))
    for k in range(3):
        report.warn(LoadProblem(f"page-{k}.txt", "Text", "removed 1 control character(s)", WarningKind.CONTROL_CHARACTERS))
    keep = report.problems.keep
    assert len(report.problems) == 100_000 and len(list(report.problems)) == keep
    assert [p.file for p in report.problems] == [f"doc-{k}.json" for k in range(keep)]  # the first ones
    assert report.problems.by_kind() == {ProblemKind.UNREADABLE: 100_000}
    assert report.warnings_by_kind() == {"invalid-value": 100_000, "control-characters": 3}
    assert len(list(report.warnings)) == keep + 3 and report.warnings.left_out() == {"invalid-value": 100_000 - keep}
    assert not report.ok
    data = report.as_dict()
    assert data["rejected"]["total"] == 100_000 and data["rejected"]["by_kind"] == {"unreadable": 100_000}
    assert len(data["rejected"]["examples"]) == keep and data["rejected"]["examples"][0]["kind"] == "unreadable"
    assert data["warnings"]["by_kind"] == {"invalid-value": 100_000, "control-characters": 3}
    assert len(data["warnings"]["examples"]) == keep + 3
    json.dumps(data)  # JSON-ready: the kinds are strings


def test_finding_kinds_are_a_closed_enumeration() -> None:
    assert {k.value for k in FindingKind} == {"unresolved-intervention", "unresolved-condition"}
    with pytest.raises(ValueError):
        FindingKind("unresolved-drug")
