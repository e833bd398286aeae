"""Normalization: a loader's Trial record + the resolver -> the entities it refers to.

Unresolved names are not errors: they are kept (as text) and reported as findings.
"""

from __future__ import annotations

from dataclasses import dataclass

from trialgraph.ontology.resolve import ConditionResolution, InterventionResolution, Resolver
from trialgraph.records import Trial


@dataclass(frozen=True)
class Finding:
    """A data-quality observation, collected during a load and reported at its end."""

    nct_id: str
    file: str
    kind: str  # unresolved-intervention, unresolved-condition
    value: str

    def __str__(self) -> str:
        return f"{self.file}: {self.nct_id}: {self.kind}: {self.value!r}"


@dataclass(frozen=True)
class ResolvedTrial:
    trial: Trial
    interventions: dict[str, InterventionResolution]  # by intervention name
    conditions: tuple[tuple[str, ConditionResolution], ...]  # (as written, resolution)
    findings: tuple[Finding, ...]


def normalize(trial: Trial, resolver: Resolver) -> ResolvedTrial:
    findings: list[Finding] = []
    interventions: dict[str, InterventionResolution] = {}
    for iv in trial.interventions:
        res = resolver.intervention(iv.name, iv.other_names)
        interventions[iv.name] = res
        if res.unresolved and iv.type in (None, "DRUG", "BIOLOGICAL", "COMBINATION_PRODUCT"):
            findings.append(Finding(trial.nct_id, trial.source.file, "unresolved-intervention", iv.name))
    conditions = []
    for text in trial.conditions:
        res = resolver.condition(text, trial.condition_mesh)
        conditions.append((text, res))
        if not res.resolved:
            findings.append(Finding(trial.nct_id, trial.source.file, "unresolved-condition", text))
    return ResolvedTrial(trial, interventions, tuple(conditions), tuple(findings))
