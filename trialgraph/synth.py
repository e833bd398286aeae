"""A synthetic ClinicalTrials.gov registry: API v2-shaped studies, one JSON object per line.

Deterministic for a seed. Used by benchmarks/ to measure the pipeline at registry scale; never
mixed with real data (every NCT id is in the NCT9xxxxxxx range, which is not yet issued).

Where each distribution comes from (also in BENCHMARKS.md):

- Per-trial totals, from the April 2026 registry dump figures in issue 8 (576,000 studies,
  ~1.06M arms, ~1.28M arm-intervention links, ~3.4M trial-site links, ~1M distinct sites):
  1.84 arms, 2.22 arm-intervention links and 5.9 site links per trial; 1.74 distinct sites per
  trial. ``tests/test_synth.py`` checks a generated registry against these ratios.
- Study type: 79% interventional (ClinicalTrials.gov "Trends, Charts, and Maps", May 2020:
  266,997 of 339,863); the rest observational.
- Locations: 12% of studies list none (same page: "Not provided 40,189 (12%)").
- 60% of interventional trials are single-site, 65% randomized, 55% involve a drug
  (Gresham et al., Trials 2022, doi:10.1186/s13063-022-06569-2, AACT 2000-2020).
- Modelling choices, calibrated to the totals above, not sourced shares: multi-site trials draw
  their site count from a discrete Pareto tail (alpha 0.96, from 2, capped at 2,500), which gives
  the long tail (trials with more than 1,000 sites) and the 5.9 mean; a site is new with
  probability 0.21, else drawn from a pool of popular sites (a quarter of N), which gives ~1.74
  distinct sites per trial. Sponsors, drugs, conditions and popular sites are drawn from pools
  with Zipf weights (exponents 0.8, 0.7, 0.75, 0.6), so the same names recur across trials, as
  in the registry, while at 576k the busiest of each holds a few percent of trials at most,
  not a fifth of the registry.
- Real names: 2% of drug interventions and 1.5% of conditions are names from the reference data
  (ontology/data/*.toml), written the ways registries write them (salt and dosage form, code
  name, brand), so resolution does real work and the example questions have answers; the shares
  are chosen so that each real name is in a fraction of a percent of trials. The rest are
  synthetic names, which the resolver tries and reports as unresolved (as it does for real
  names it does not know).
- Outcomes, results, adverse events and references: the shares and means of the API v2 records
  of the project's real-data sample (1,185 distinct full records; ``benchmarks/results_shape.py``
  counts them off the raw files, its output is ``benchmarks/results-shape.json``): 7.43% of
  studies have a results section; per study 1.865 primary (at least one), 4.285 secondary and
  0.353 other outcome measures; per study with results 4.73 serious and 25.02 other adverse-event
  terms; 1.28 references per study, 97.1% with a PMID, of types BACKGROUND 67.3%, RESULT 21.6%,
  DERIVED 11.1%. Counts are Poisson around those means (a modelling choice). Adverse-event terms
  are synthetic names drawn from a Zipf pool (exponent 0.9, a modelling choice, so common terms
  recur across trials), each under one of the 27 MedDRA system organ classes (MedDRA's own list).
"""

from __future__ import annotations

import bisect
import itertools
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from trialgraph.ontology.reference import reference_data

SITE_SHARE_NONE = 0.12
SINGLE_SITE = 0.60
INTERVENTIONAL = 0.79
RANDOMIZED = 0.65
PARETO_ALPHA, SITE_CAP = 0.96, 2500
NEW_SITE = 0.21
REAL_DRUG, REAL_CONDITION = 0.02, 0.015
# benchmarks/results-shape.json (the real-data sample's API v2 records)
RESULTS_SHARE = 0.0743
PRIMARY_OUTCOMES, SECONDARY_OUTCOMES, OTHER_OUTCOMES = 1.865, 4.285, 0.353
SERIOUS_TERMS, OTHER_TERMS = 4.73, 25.02
REFERENCES, PMID_SHARE = 1.28, 0.971
_REFERENCE_TYPES = (("BACKGROUND", 0.673), ("RESULT", 0.216), ("DERIVED", 0.111))
# MedDRA's 27 system organ classes (MedDRA, "System Organ Classes", meddra.org)
_ORGAN_SYSTEMS = (
    "Blood and lymphatic system disorders", "Cardiac disorders", "Congenital, familial and genetic disorders",
    "Ear and labyrinth disorders", "Endocrine disorders", "Eye disorders", "Gastrointestinal disorders",
    "General disorders and administration site conditions", "Hepatobiliary disorders", "Immune system disorders",
    "Infections and infestations", "Injury, poisoning and procedural complications", "Investigations",
    "Metabolism and nutrition disorders", "Musculoskeletal and connective tissue disorders",
    "Neoplasms benign, malignant and unspecified (incl cysts and polyps)", "Nervous system disorders",
    "Pregnancy, puerperium and perinatal conditions", "Psychiatric disorders", "Renal and urinary disorders",
    "Reproductive system and breast disorders", "Respiratory, thoracic and mediastinal disorders",
    "Skin and subcutaneous tissue disorders", "Social circumstances", "Surgical and medical procedures",
    "Vascular disorders", "Product issues",
)

_WORDS = ["patients", "with", "advanced", "disease", "receive", "study", "treatment", "until", "progression", "or", "unacceptable", "toxicity", "the", "primary", "endpoint", "is", "progression", "free", "survival", "assessed", "by", "independent", "review", "secondary", "endpoints", "include", "overall", "survival", "objective", "response", "rate", "duration", "of", "response", "and", "safety", "participants", "must", "have", "measurable", "disease", "adequate", "organ", "function", "and", "an", "ECOG", "performance", "status", "of", "0", "or", "1", "prior", "systemic", "therapy", "is", "allowed", "exclusion", "criteria", "include", "active", "autoimmune", "disease", "untreated", "brain", "metastases", "pregnancy", "and", "known", "hypersensitivity", "to", "any", "component", "of", "the", "study", "drugs", "dose", "escalation", "follows", "a", "standard", "design", "with", "expansion", "cohorts", "at", "the", "recommended", "phase", "2", "dose"]
_CITIES = (
    ("Shanghai", None, "China", 31.22222, 121.45806), ("Beijing", None, "China", 39.9075, 116.39723),
    ("Guangzhou", "Guangdong", "China", 23.11667, 113.25), ("Houston", "Texas", "United States", 29.76328, -95.36327),
    ("Boston", "Massachusetts", "United States", 42.35843, -71.05977), ("New York", "New York", "United States", 40.71427, -74.00597),
    ("Paris", None, "France", 48.85341, 2.3488), ("Berlin", None, "Germany", 52.52437, 13.41053),
    ("Madrid", None, "Spain", 40.4165, -3.70256), ("Milan", None, "Italy", 45.46427, 9.18951),
    ("Seoul", None, "Korea, Republic of", 37.566, 126.9784), ("Tokyo", None, "Japan", 35.6895, 139.69171),
    ("London", None, "United Kingdom", 51.50853, -0.12574), ("Toronto", "Ontario", "Canada", 43.70011, -79.4163),
    ("Sydney", "New South Wales", "Australia", -33.86785, 151.20732), ("Sao Paulo", None, "Brazil", -23.5475, -46.63611),
)
_KINDS = ("University Hospital", "Cancer Center", "Medical Center", "General Hospital", "Research Institute", "Clinic")
_STATUSES = (("COMPLETED", 0.45), ("RECRUITING", 0.16), ("UNKNOWN", 0.14), ("NOT_YET_RECRUITING", 0.05),
             ("ACTIVE_NOT_RECRUITING", 0.05), ("TERMINATED", 0.06), ("WITHDRAWN", 0.03), ("ENROLLING_BY_INVITATION", 0.01),
             ("SUSPENDED", 0.01))
_PHASES = ((["NA"], 0.38), (["PHASE1"], 0.12), (["PHASE1", "PHASE2"], 0.05), (["PHASE2"], 0.18), (["PHASE2", "PHASE3"], 0.03),
           (["PHASE3"], 0.13), (["PHASE4"], 0.09), (["EARLY_PHASE1"], 0.02))
_IV_TYPES = (("DRUG", 0.55), ("BIOLOGICAL", 0.08), ("PROCEDURE", 0.10), ("DEVICE", 0.10), ("BEHAVIORAL", 0.10), ("OTHER", 0.07))
_FORMS = ("{} Tablets", "{} Injection", "{} Capsules", "{}", "{}", "{}")
_SPONSOR_CLASSES = (("OTHER", 0.62), ("INDUSTRY", 0.33), ("NIH", 0.02), ("OTHER_GOV", 0.03))


class _Pool:
    """n items drawn with Zipf weights (rank k has weight 1/k**s), made on first use."""

    def __init__(self, rng: random.Random, n: int, s: float, make: Any) -> None:
        self.rng, self.make = rng, make
        self.items: dict[int, Any] = {}
        self.cum = list(itertools.accumulate(1 / (k + 1) ** s for k in range(max(n, 1))))

    def draw(self) -> Any:
        k = bisect.bisect_left(self.cum, self.rng.random() * self.cum[-1])
        if k not in self.items:
            self.items[k] = self.make(k)
        return self.items[k]


def _choice(rng: random.Random, weighted: tuple) -> Any:
    x, acc = rng.random() * sum(w for _, w in weighted), 0.0
    for value, w in weighted:
        acc += w
        if x < acc:
            return value
    return weighted[-1][0]


@dataclass
class Shape:
    """What a generated registry holds, counted while writing (the totals the issue gives)."""

    trials: int = 0
    arms: int = 0
    arm_interventions: int = 0
    site_links: int = 0
    interventions: int = 0
    max_sites: int = 0
    outcomes: int = 0
    with_results: int = 0
    adverse_events: int = 0  # serious and other terms reported, per trial
    references: int = 0

    def per_trial(self) -> dict[str, float]:
        n = max(self.trials, 1)
        return {"arms": self.arms / n, "arm_interventions": self.arm_interventions / n, "site_links": self.site_links / n,
                "outcomes": self.outcomes / n, "results_share": self.with_results / n, "references": self.references / n,
                "adverse_events_per_trial_with_results": self.adverse_events / max(self.with_results, 1)}


class Registry:
    def __init__(self, n: int, seed: int = 0) -> None:
        self.n, self.rng = n, random.Random(seed)
        rng = self.rng
        ref = reference_data()
        self.real_drugs = [name for d in ref.drugs.values() for name in d.all_names]
        self.real_conditions = [name for c in ref.conditions.values() for name in c.all_names]
        self.sponsors = _Pool(rng, max(n // 12, 10), 0.8, lambda k: (f"Synthetic Sponsor {k:06d} {_choice(rng, (('Inc.', 1), ('Co., Ltd.', 1), ('University', 1), ('Hospital', 1)))}",
                                                                     _choice(rng, _SPONSOR_CLASSES)))
        self.drugs = _Pool(rng, max(n // 8, 10), 0.7, lambda k: f"SYN-{k:06d}")
        self.conditions = _Pool(rng, max(n // 5, 10), 0.75, lambda k: f"Synthetic Condition {k:06d}")
        self.popular_sites = _Pool(rng, max(n // 4, 10), 0.6, self._site)
        self.ae_terms = _Pool(rng, max(n // 4, 50), 0.9, lambda k: (f"Synthetic adverse event {k:06d}", rng.choice(_ORGAN_SYSTEMS)))
        self.new_sites = itertools.count(10_000_000)
        self.shape = Shape()

    def _site(self, k: int) -> dict[str, Any]:
        city, state, country, lat, lon = self.rng.choice(_CITIES)
        loc = {"facility": f"{city} {self.rng.choice(_KINDS)} {k:07d}", "city": city, "country": country,
               "geoPoint": {"lat": lat, "lon": lon}}
        if state:
            loc["state"] = state
        return loc

    def _text(self, words: int) -> str:
        start = self.rng.randrange(len(_WORDS))
        return " ".join(_WORDS[(start + i) % len(_WORDS)] for i in range(words))

    def _site_count(self) -> int:
        r = self.rng.random()
        if r < SITE_SHARE_NONE:
            return 0
        if self.rng.random() < SINGLE_SITE:
            return 1
        return min(SITE_CAP, int(2 * (1 - self.rng.random()) ** (-1 / PARETO_ALPHA)))

    def _poisson(self, mean: float) -> int:
        """Knuth's method (the means here are small)."""
        limit, k, p = pow(2.718281828459045, -mean), 0, self.rng.random()
        while p > limit:
            k += 1
            p *= self.rng.random()
        return k

    def _outcomes(self) -> dict[str, list[dict[str, str]]]:
        out = {}
        for key, n, years in (("primaryOutcomes", 1 + self._poisson(PRIMARY_OUTCOMES - 1), 2),
                              ("secondaryOutcomes", self._poisson(SECONDARY_OUTCOMES), 3),
                              ("otherOutcomes", self._poisson(OTHER_OUTCOMES), 3)):
            if n:
                out[key] = [{"measure": self._text(5), "description": self._text(20), "timeFrame": f"{years} years"}
                            for _ in range(n)]
            self.shape.outcomes += n
        return out

    def _results(self, outcomes: dict[str, list[dict[str, str]]], arms: list[dict[str, Any]], enrollment: int) -> dict[str, Any]:
        rng = self.rng
        labels = [a["label"] for a in arms] or ["All participants"]
        per_group = max(enrollment // len(labels), 1)
        measures = []
        for key, kind in (("primaryOutcomes", "PRIMARY"), ("secondaryOutcomes", "SECONDARY"), ("otherOutcomes", "OTHER_PRE_SPECIFIED")):
            for o in outcomes.get(key, []):
                m: dict[str, Any] = {
                    "type": kind, "title": o["measure"], "timeFrame": o["timeFrame"], "paramType": "MEAN", "unitOfMeasure": "units",
                    "groups": [{"id": f"OG{g:03d}", "title": t} for g, t in enumerate(labels)],
                    "denoms": [{"units": "Participants", "counts": [{"groupId": f"OG{g:03d}", "value": str(per_group)} for g in range(len(labels))]}],
                    "classes": [{"categories": [{"measurements": [{"groupId": f"OG{g:03d}", "value": f"{rng.uniform(0, 100):.1f}"}
                                                                  for g in range(len(labels))]}]}],
                }
                if len(labels) > 1:
                    m["analyses"] = [{"groupIds": [f"OG{g:03d}" for g in range(len(labels))], "pValue": f"{rng.random():.3f}",
                                      "statisticalMethod": "ANCOVA"}]
                measures.append(m)
        groups = [{"id": f"EG{g:03d}", "title": t, "seriousNumAffected": 0, "seriousNumAtRisk": per_group,
                   "otherNumAffected": 0, "otherNumAtRisk": per_group} for g, t in enumerate(labels)]
        events: dict[str, list[dict[str, Any]]] = {"seriousEvents": [], "otherEvents": []}
        for key, mean in (("seriousEvents", SERIOUS_TERMS), ("otherEvents", OTHER_TERMS)):
            seen: set[str] = set()
            for _ in range(self._poisson(mean)):
                term, organ = self.ae_terms.draw()
                if term in seen:
                    continue
                seen.add(term)
                events[key].append({"term": term, "organSystem": organ, "sourceVocabulary": "MedDRA (synthetic)",
                                    "assessmentType": "SYSTEMATIC_ASSESSMENT",
                                    "stats": [{"groupId": f"EG{g:03d}", "numAffected": rng.randrange(0, max(per_group // 5, 1) + 1),
                                               "numAtRisk": per_group} for g in range(len(labels))]})
        self.shape.adverse_events += len(events["seriousEvents"]) + len(events["otherEvents"])
        return {"outcomeMeasuresModule": {"outcomeMeasures": measures},
                "adverseEventsModule": {"frequencyThreshold": "5", "eventGroups": groups, **events}}

    def _references(self) -> list[dict[str, str]]:
        refs = []
        for _ in range(self._poisson(REFERENCES)):
            ref = {"type": _choice(self.rng, _REFERENCE_TYPES), "citation": f"Synthetic citation. {self._text(10)}."}
            if self.rng.random() < PMID_SHARE:
                ref["pmid"] = str(90_000_000 + self.rng.randrange(10_000_000))  # beyond PubMed's issued ids
            refs.append(ref)
        self.shape.references += len(refs)
        return refs

    def _drug_name(self) -> str:
        if self.real_drugs and self.rng.random() < REAL_DRUG:
            return self.rng.choice(_FORMS).format(self.rng.choice(self.real_drugs))
        return self.drugs.draw()

    def study(self, i: int) -> dict[str, Any]:
        rng, shape = self.rng, self.shape
        nct = f"NCT{90_000_000 + i:08d}"
        interventional = rng.random() < INTERVENTIONAL
        n_arms = (_choice(rng, ((1, 0.35), (2, 0.42), (3, 0.12), (4, 0.06), (5, 0.05))) if interventional
                  else _choice(rng, ((0, 0.45), (1, 0.25), (2, 0.20), (3, 0.10))))
        interventions: dict[str, dict[str, Any]] = {}
        arms = []
        for a in range(n_arms):
            label = f"Arm {chr(65 + a)}"
            k = _choice(rng, ((0, 0.03), (1, 0.65), (2, 0.24), (3, 0.08))) if interventional else _choice(rng, ((0, 0.6), (1, 0.4)))
            given = []
            for _ in range(k):
                placebo = interventional and a > 0 and rng.random() < 0.12
                iv_type = "DRUG" if placebo else _choice(rng, _IV_TYPES)
                if placebo:
                    name = "Placebo"
                elif iv_type in ("DRUG", "BIOLOGICAL"):
                    name = self._drug_name()
                else:
                    name = f"{iv_type.title()} intervention {rng.randrange(1000):03d}"
                iv = interventions.setdefault(name, {"type": iv_type, "name": name, "armGroupLabels": []})
                if label not in iv["armGroupLabels"]:
                    iv["armGroupLabels"].append(label)
                    given.append(f"{iv['type'].title()}: {name}")
            shape.arm_interventions += len(given)
            arms.append({"label": label, "type": "EXPERIMENTAL" if a == 0 else "ACTIVE_COMPARATOR",
                         "description": self._text(12), "interventionNames": given})
        shape.arms += len(arms)
        shape.interventions += len(interventions)
        conditions = []
        for _ in range(_choice(rng, ((1, 0.6), (2, 0.25), (3, 0.1), (4, 0.05)))):
            if self.real_conditions and rng.random() < REAL_CONDITION:
                conditions.append(rng.choice(self.real_conditions))
            else:
                conditions.append(self.conditions.draw())
        conditions = list(dict.fromkeys(conditions))
        sites: dict[str, dict[str, Any]] = {}
        for _ in range(self._site_count()):
            loc = self._site(next(self.new_sites)) if rng.random() < NEW_SITE else self.popular_sites.draw()
            sites.setdefault(loc["facility"], dict(loc, status=_choice(rng, (("RECRUITING", 1), ("COMPLETED", 2)))))
        shape.site_links += len(sites)
        shape.max_sites = max(shape.max_sites, len(sites))
        lead, lead_class = self.sponsors.draw()
        sponsors: dict[str, Any] = {"responsibleParty": {"type": "SPONSOR"}, "leadSponsor": {"name": lead, "class": lead_class}}
        if rng.random() < 0.25:
            name, cls = self.sponsors.draw()
            if name != lead:
                sponsors["collaborators"] = [{"name": name, "class": cls}]
        year = rng.randrange(2000, 2027)
        study_type = "INTERVENTIONAL" if interventional else "OBSERVATIONAL"
        design: dict[str, Any] = {"studyType": study_type, "enrollmentInfo": {"count": rng.randrange(10, 1000), "type": "ACTUAL"}}
        if interventional:
            design["phases"] = _choice(rng, _PHASES)
            design["designInfo"] = {"allocation": "RANDOMIZED" if rng.random() < RANDOMIZED else "NA",
                                    "interventionModel": "PARALLEL" if n_arms > 1 else "SINGLE_GROUP",
                                    "primaryPurpose": "TREATMENT", "maskingInfo": {"masking": "NONE"}}
        shape.trials += 1
        outcomes = self._outcomes()
        references = self._references()
        with_results = rng.random() < RESULTS_SHARE
        study: dict[str, Any] = {
            "protocolSection": {
                "identificationModule": {
                    "nctId": nct, "orgStudyIdInfo": {"id": f"SYN-{i}"},
                    "briefTitle": f"A Study of {conditions[0]} ({self._text(6)})",
                    "officialTitle": f"A {study_type.title()} Study in {', '.join(conditions)}: {self._text(14)}",
                },
                "statusModule": {
                    "overallStatus": _choice(rng, _STATUSES),
                    "startDateStruct": {"date": f"{year}-{rng.randrange(1, 13):02d}", "type": "ACTUAL"},
                    "primaryCompletionDateStruct": {"date": f"{year + rng.randrange(1, 5)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}", "type": "ESTIMATED"},
                    "studyFirstPostDateStruct": {"date": f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"},
                },
                "sponsorCollaboratorsModule": sponsors,
                "descriptionModule": {"briefSummary": self._text(120), "detailedDescription": self._text(rng.randrange(0, 400))},
                "conditionsModule": {"conditions": conditions, "keywords": [self._text(2) for _ in range(rng.randrange(0, 4))]},
                "designModule": design,
                "armsInterventionsModule": {"armGroups": arms, "interventions": list(interventions.values())},
                "outcomesModule": outcomes,
                "eligibilityModule": {"eligibilityCriteria": self._text(rng.randrange(50, 600)), "sex": "ALL",
                                      "minimumAge": "18 Years", "healthyVolunteers": False},
                "contactsLocationsModule": {"locations": list(sites.values())},
            },
            "hasResults": with_results,
        }
        if references:
            study["protocolSection"]["referencesModule"] = {"references": references}
        if with_results:
            shape.with_results += 1
            study["resultsSection"] = self._results(outcomes, arms, design["enrollmentInfo"]["count"])
        return study

    def studies(self) -> Iterator[dict[str, Any]]:
        for i in range(self.n):
            yield self.study(i)


def write(n: int, out: TextIO, seed: int = 0) -> Shape:
    reg = Registry(n, seed)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for study in reg.studies():
        out.write(dumps(study))
        out.write("\n")
    return reg.shape


def write_file(n: int, path: Path, seed: int = 0) -> Shape:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        return write(n, out, seed)
