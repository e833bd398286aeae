"""The synthetic registry (trialgraph synth): deterministic, shaped like the registry figures of
issue 8 (April 2026 dump: 576k studies, ~1.06M arms, ~1.28M arm-intervention links, ~3.4M
trial-site links, ~1M distinct sites), and loadable, with real names the resolver resolves."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from trialgraph import synth
from trialgraph.loaders.base import load_text
from trialgraph.ontology.normalize import normalize
from trialgraph.ontology.reference import reference_data
from trialgraph.ontology.resolve import default_resolver

pytestmark = pytest.mark.unit
N = 20_000
REGISTRY = {"arms": 1.06e6 / 576e3, "arm_interventions": 1.28e6 / 576e3, "site_links": 3.4e6 / 576e3,
            "distinct_sites": 1.0e6 / 576e3}


@pytest.fixture(scope="module")
def studies() -> list[dict]:
    out = io.StringIO()
    synth.write(N, out, seed=7)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_the_same_seed_gives_the_same_registry_and_another_seed_another() -> None:
    a, b, c = io.StringIO(), io.StringIO(), io.StringIO()
    synth.write(300, a, seed=1)
    synth.write(300, b, seed=1)
    synth.write(300, c, seed=2)
    assert a.getvalue() == b.getvalue() and a.getvalue() != c.getvalue()


def test_per_trial_shape_follows_the_registry_figures(studies: list[dict]) -> None:
    p = [s["protocolSection"] for s in studies]
    arms = sum(len(x["armsInterventionsModule"]["armGroups"]) for x in p) / N
    links = sum(len(a["interventionNames"]) for x in p for a in x["armsInterventionsModule"]["armGroups"]) / N
    locations = [x["contactsLocationsModule"]["locations"] for x in p]
    site_links = sum(map(len, locations)) / N
    distinct = len({loc["facility"] for locs in locations for loc in locs}) / N
    assert abs(arms / REGISTRY["arms"] - 1) < 0.1, arms
    assert abs(links / REGISTRY["arm_interventions"] - 1) < 0.1, links
    assert abs(site_links / REGISTRY["site_links"] - 1) < 0.25, site_links  # a long tail: the mean moves
    assert abs(distinct / REGISTRY["distinct_sites"] - 1) < 0.25, distinct
    assert max(map(len, locations)) > 1000  # the long tail of the registry's largest trials
    assert abs(sum(x["designModule"]["studyType"] == "INTERVENTIONAL" for x in p) / N - 0.79) < 0.02
    assert abs(sum(not locs for locs in locations) / N - 0.12) < 0.02


def test_names_recur_across_trials_without_one_taking_over(studies: list[dict]) -> None:
    from collections import Counter

    sponsors = Counter(s["protocolSection"]["sponsorCollaboratorsModule"]["leadSponsor"]["name"] for s in studies)
    sites = Counter(loc["facility"] for s in studies for loc in s["protocolSection"]["contactsLocationsModule"]["locations"])
    assert len(sponsors) < N / 4 and sponsors.most_common(1)[0][1] < 0.1 * N
    assert sum(1 for n in sites.values() if n > 1) > 1000 and sites.most_common(1)[0][1] < 0.05 * N


def test_every_study_loads_and_real_names_resolve(studies: list[dict]) -> None:
    resolver = default_resolver()
    resolved_drugs, resolved_conditions = set(), set()
    for k, s in enumerate(studies[:3000]):
        (trial,) = load_text(json.dumps(s), f"synth:line {k + 1}")
        assert re.fullmatch(r"NCT9\d{7}", trial.nct_id)
        rt = normalize(trial, resolver)
        resolved_drugs |= {d for r in rt.interventions.values() for d in r.drugs}
        resolved_conditions |= {r.condition_id for _, r in rt.conditions if r.resolved}
    # real names, written as salts, dosage forms, codes and brands, resolve to many reference drugs
    reference = reference_data()
    assert resolved_drugs <= set(reference.drugs) and len(resolved_drugs) >= 15, sorted(resolved_drugs)
    assert resolved_conditions and resolved_conditions <= set(reference.conditions)


def test_the_cli_writes_the_file_and_reports_its_shape(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from trialgraph.cli import main

    out = tmp_path / "s.ndjson"
    result = CliRunner().invoke(main, ["synth", "500", "-o", str(out), "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 500
    assert re.search(r"wrote 500 studies to .*: \d+ arms \(\d\.\d\d/trial\)", result.output)


def test_outcomes_results_adverse_events_and_references_at_registry_proportions(studies: list[dict]) -> None:
    # the real-data sample's figures (benchmarks/results-shape.json, counted off the raw records)
    p = [s["protocolSection"] for s in studies]
    outcomes = {k: sum(len(x["outcomesModule"].get(k, [])) for x in p) / N
                for k in ("primaryOutcomes", "secondaryOutcomes", "otherOutcomes")}
    assert abs(outcomes["primaryOutcomes"] / 1.865 - 1) < 0.05 and min(len(x["outcomesModule"]["primaryOutcomes"]) for x in p) == 1
    assert abs(outcomes["secondaryOutcomes"] / 4.285 - 1) < 0.05 and abs(outcomes["otherOutcomes"] / 0.353 - 1) < 0.1
    results = [s["resultsSection"] for s in studies if "resultsSection" in s]
    assert abs(len(results) / N - 0.0743) < 0.008
    assert all(s["hasResults"] == ("resultsSection" in s) for s in studies)
    serious = sum(len(r["adverseEventsModule"]["seriousEvents"]) for r in results) / len(results)
    other = sum(len(r["adverseEventsModule"]["otherEvents"]) for r in results) / len(results)
    assert abs(serious / 4.73 - 1) < 0.15 and abs(other / 25.02 - 1) < 0.1, (serious, other)
    refs = [r for x in p for r in x.get("referencesModule", {}).get("references", [])]
    assert abs(len(refs) / N / 1.28 - 1) < 0.05 and abs(sum("pmid" in r for r in refs) / len(refs) - 0.971) < 0.01
    # every reported measure is one of the trial's outcomes; terms recur across trials
    for s in studies[:2000]:
        if "resultsSection" in s:
            titles = {o["measure"] for k in ("primaryOutcomes", "secondaryOutcomes", "otherOutcomes")
                      for o in s["protocolSection"]["outcomesModule"].get(k, [])}
            assert {m["title"] for m in s["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]} <= titles
    from collections import Counter

    terms = Counter(e["term"] for r in results for k in ("seriousEvents", "otherEvents") for e in r["adverseEventsModule"][k])
    assert terms.most_common(1)[0][1] > 20 and len(terms) > 1000


def test_a_synthetic_study_with_results_loads_with_them() -> None:
    out = io.StringIO()
    synth.write(200, out, seed=3)
    line = next(ln for ln in out.getvalue().splitlines() if '"resultsSection"' in ln)
    doc = json.loads(line)
    (t,) = load_text(line, "synth.ndjson:line 1")
    ae = doc["resultsSection"]["adverseEventsModule"]
    assert len(t.adverse_events) == len(ae["seriousEvents"]) + len(ae["otherEvents"])
    assert sum(o.result is not None for o in t.outcomes) == len(doc["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"])
