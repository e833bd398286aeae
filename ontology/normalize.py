"""Normalization: a loader's Trial record + the resolver -> the entities it refers to.

Unresolved names are not errors: they are kept (as text) and reported as findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from trialgraph.graph.model import unresolved_key
from trialgraph.ontology.arms import arm_option_groups, split_regimen
from trialgraph.ontology.resolve import ConditionResolution, InterventionResolution, Resolver, drug_key
from trialgraph.records import Trial

# Intervention types that give a drug (CT.gov's vocabulary); None: the source does not say.
DRUG_LIKE_TYPES = frozenset({None, "DRUG", "BIOLOGICAL", "COMBINATION_PRODUCT", "GENETIC"})


# A dose written into a name ("40% N2O", "0.2% sevoflurane", "0.35 g/Kg ethanol") says how much,
# never which drug: two doses of one unknown drug are one drug.
_DOSE = re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s*(?:%|mg/kg|g/kg|mg/m2|mg/m²|mcg|µg|mg|g|ml|iu|units?)(?![\w/])", re.I)


def unresolved_drug_name(name: str) -> str:
    """The name an unresolved drug goes by: as written, without a dose ('40% N2O' -> 'N2O')."""
    if not _DOSE.search(name):
        return name  # kept exactly as written
    undosed = " ".join(_DOSE.sub(" ", name).split()).strip(" ,;")
    return undosed if drug_key(undosed) else name


def unresolved_drug_id(name: str) -> str:
    """'JAB-21822' -> 'unresolved:jab21822': the same name written the same way gives one drug;
    '40% N2O' and '0% N2O' -> 'unresolved:n2o'."""
    undosed = _DOSE.sub(" ", name)
    return unresolved_key(drug_key(undosed) or drug_key(name))


class FindingKind(StrEnum):
    """What a finding observed (the load report counts findings by kind)."""

    UNRESOLVED_INTERVENTION = "unresolved-intervention"  # a name the reference data knows no drug by
    UNRESOLVED_CONDITION = "unresolved-condition"  # a condition the reference data does not know


@dataclass(frozen=True)
class Finding:
    """A data-quality observation, collected during a load and reported at its end."""

    nct_id: str
    file: str
    kind: FindingKind
    value: str

    def __str__(self) -> str:
        return f"{self.file}: {self.nct_id}: {self.kind}: {self.value!r}"


@dataclass(frozen=True)
class ResolvedTrial:
    trial: Trial
    interventions: dict[str, InterventionResolution]  # by intervention name
    conditions: tuple[tuple[str, ConditionResolution], ...]  # (as written, resolution)
    findings: tuple[Finding, ...]
    # What an arm gives (ontology/arms.py): drugs in an option group are not given to every
    # participant (a group of several: alternatives, one of them given; a group of one: optional).
    # By intervention name: the groups its own name states ("cisplatin or carboplatin + pemetrexed");
    # by arm label: the groups the arm's texts state, intervention name -> group ('N': one of the
    # group's interventions is given; 'optional-N': given to some participants only).
    intervention_groups: dict[str, dict[str, str]] = field(default_factory=dict)
    arm_groups: dict[str, dict[str, str]] = field(default_factory=dict)

    def drug_ids(self, name: str, type_: str | None) -> list[str]:
        """The drugs an intervention gives, as the graph keys them: a drug the reference data does
        not know is still a drug (kept as written, flagged unresolved)."""
        res = self.interventions[name]
        if res.unresolved and not res.placebo and type_ in DRUG_LIKE_TYPES:
            return [unresolved_drug_id(name)]
        return list(dict.fromkeys(res.drugs))


def normalize(trial: Trial, resolver: Resolver) -> ResolvedTrial:
    findings: list[Finding] = []
    interventions: dict[str, InterventionResolution] = {}
    intervention_groups: dict[str, dict[str, str]] = {}
    for iv in trial.interventions:
        # procedures, devices, radiation, behavioural interventions ... are never drugs of the registry
        res = resolver.intervention(iv.name, iv.other_names, registry=iv.type in DRUG_LIKE_TYPES,
                                    mesh=trial.intervention_mesh)
        if res.unresolved and (split := split_regimen(iv.name, resolver)) is not None:
            res = InterventionResolution(drugs=split[0])  # a regimen string: its drugs, alternatives kept
            if split[1]:
                members = list(split[1].values())
                intervention_groups[iv.name] = {
                    d: str(g) if members.count(g) > 1 else f"optional-{g}" for d, g in split[1].items()}
        interventions[iv.name] = res
        if res.unresolved and iv.type in (None, "DRUG", "BIOLOGICAL", "COMBINATION_PRODUCT"):
            findings.append(Finding(trial.nct_id, trial.source.file, FindingKind.UNRESOLVED_INTERVENTION, iv.name))
    conditions = []
    for text in trial.conditions:
        res = resolver.condition(text, trial.condition_mesh, single=len(trial.conditions) == 1)
        conditions.append((text, res))
        if not res.resolved:
            findings.append(Finding(trial.nct_id, trial.source.file, FindingKind.UNRESOLVED_CONDITION, text))
    rt = ResolvedTrial(trial, interventions, tuple(conditions), tuple(findings), intervention_groups)
    types = {iv.name: iv.type for iv in trial.interventions}
    others = {iv.name: iv.other_names for iv in trial.interventions}
    for arm in trial.arms:
        given = {n: tuple(rt.drug_ids(n, types[n])) for n in arm.interventions if n in interventions}
        if sum(len(d) for d in given.values()) < 2:
            continue
        names: dict[str, tuple[str, ...]] = {o: d for n, d in given.items() if len(d) == 1 for o in others[n]}
        groups = arm_option_groups((arm.label, arm.description or ""), given, names, resolver)
        if groups:
            rt.arm_groups[arm.label] = groups
    return rt
