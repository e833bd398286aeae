"""A trial's results as graph rows (issue 22): its outcome measures, the adverse events its results
report, the publications it cites. Pure functions of the record; the shapes are graph/schema.py's
Outcome, AdverseEvent, Publication, HAS_OUTCOME, REPORTED and CITES.

- Outcome (owned by the trial, key ``nct_id:kind:ordinal``, ordinal 1-based within the kind): the
  measure, and where the results report it, a flat summary: param type, unit, the result groups,
  participants analysed per group, every value with its group and class/category (parallel lists),
  the p-values and methods of its analyses. Lists hold no nulls (Neo4j cannot store them): a
  list is written only when every item is known.
- AdverseEvent (shared, key: the term and organ system, case and spacing ignored): the term as
  the most complete spelling has it. REPORTED (one per trial, term and seriousness) carries the
  participants affected and at risk summed over the event groups, per group as parallel lists,
  the trial's vocabulary (MedDRA version) and assessment, and ``arms``: the trial's arms whose
  label is the title (case and spacing ignored) of a group with participants affected.
- Publication (shared, key: the PMID): the citation; CITES carries the reference type. A
  reference without a PMID stays in the trial's reference_citations only.
"""

from __future__ import annotations

import re
from typing import Any

from trialgraph.records import AdverseEvent, Outcome, Trial


def _norm(text: str | None) -> str:
    return " ".join(re.findall(r"\w+", (text or "").casefold()))


def adverse_event_key(term: str, organ_system: str | None) -> str:
    """'Acute Myocardial Infarction' in 'Cardiac disorders' -> 'acute myocardial infarction|cardiac disorders'."""
    return f"{_norm(term)}|{_norm(organ_system)}"


def outcome_key(nct_id: str, kind: str, ordinal: int) -> str:
    return f"{nct_id}:{kind}:{ordinal}"


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if v is not None and v != []}


def outcome_rows(t: Trial) -> list[dict[str, Any]]:
    out, seen = [], {"primary": 0, "secondary": 0, "other": 0}
    for o in t.outcomes:
        seen[o.kind] += 1
        key = outcome_key(t.nct_id, o.kind, seen[o.kind])
        out.append({"key": key, "props": _clean({"key": key, "nct_id": t.nct_id, "kind": o.kind, "ordinal": seen[o.kind],
                                                 "measure": o.measure, "description": o.description,
                                                 "time_frame": o.time_frame, "reported": o.result is not None,
                                                 **_result_props(o)})})
    return out


def _result_props(o: Outcome) -> dict[str, Any]:
    r = o.result
    if r is None:
        return {}
    return {
        "param_type": r.param_type, "dispersion_type": r.dispersion_type, "unit": r.unit, "population": r.population,
        "result_groups": list(r.groups),
        "participants": list(r.participants) if r.participants and None not in r.participants else None,
        "values": [m.value for m in r.measurements],
        "value_groups": [m.group for m in r.measurements],
        "value_categories": [m.category or "" for m in r.measurements] if any(m.category for m in r.measurements) else None,
        "p_values": [a.p_value for a in r.analyses if a.p_value],
        "analysis_methods": list(dict.fromkeys(a.method for a in r.analyses if a.method)),
    }


def adverse_event_rows(t: Trial) -> list[dict[str, Any]]:
    """One row per term and seriousness (a term listed twice under one seriousness is summed)."""
    arms = {_norm(a.label): a.label for a in t.arms}
    rows: dict[tuple[str, bool], dict[str, Any]] = {}
    for ae in t.adverse_events:
        key = adverse_event_key(ae.term, ae.organ_system)
        row = rows.get((key, ae.serious))
        if row is None:
            row = rows[(key, ae.serious)] = {
                "key": key,
                "props": _clean({"key": key, "term": ae.term, "organ_system": ae.organ_system, "vocabulary": ae.vocabulary}),
                "serious": ae.serious, "vocabulary": ae.vocabulary, "assessment": ae.assessment,
                "_events": [],
            }
        row["_events"].append(ae)
    out = []
    for row in rows.values():
        events: list[AdverseEvent] = row.pop("_events")
        counts = [c for e in events for c in e.counts]
        known = all(c.affected is not None and c.at_risk is not None for c in counts) and counts
        affected = [c.affected for c in counts if c.affected is not None]
        at_risk = [c.at_risk for c in counts if c.at_risk is not None]
        row.update(
            affected=sum(affected) if affected else None,
            at_risk=sum(at_risk) if at_risk else None,
            groups=[c.group for c in counts] if known else None,
            group_affected=[c.affected for c in counts] if known else None,
            group_at_risk=[c.at_risk for c in counts] if known else None,
            arms=sorted({arms[_norm(c.group)] for c in counts if c.affected and _norm(c.group) in arms}) or None,
        )
        out.append({k: v for k, v in row.items() if v is not None})
    return out


def publication_rows(t: Trial) -> list[dict[str, Any]]:
    """One row per PMID the trial cites (the first reference naming it gives citation and type)."""
    out: dict[str, dict[str, Any]] = {}
    for r in t.references:
        pmid = (r.pmid or "").strip()
        if not pmid.isdigit() or pmid in out:
            continue
        out[pmid] = {"pmid": pmid, "props": {"pmid": pmid, "citation": r.citation}, **({"type": r.type} if r.type else {})}
    return list(out.values())


def result_rows(t: Trial) -> dict[str, list[dict[str, Any]]]:
    return {"outcomes": outcome_rows(t), "adverse_events": adverse_event_rows(t), "publications": publication_rows(t)}
