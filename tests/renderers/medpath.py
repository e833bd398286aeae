"""A trial as the MedPath page (seed 002).

Faithful to the seed: the banner, the title, phase and status in words, then one line per
value under each heading; the arm table and the outcome tables print their cells run together
(``AnlotinibAnlotinib HydrochlorideAdministration ...``, ``Overall survival1 year``), one row per
arm and intervention, an outcome's description on the line after it; the sites as "Locations
(N)", each a facility, its country's flag and its place; the copyright footer. The
"Interventions" list is printed as "<Type>: <name>" lines (``list_interventions=False`` leaves it
empty, as in the seed).

What the page does not carry: identifiers other than the NCT id, official title, acronym, dates,
keywords, MeSH terms, the design but for the intervention model, arm types, intervention
descriptions and other names, ages, healthy volunteers, collaborators and sponsor classes,
responsible party, site status, zip and coordinates, countries, contacts, references, other
outcomes, results.
"""

from __future__ import annotations

from typing import Any

from tests.renderers.common import block, dump, line
from trialgraph.loaders import text as tx
from trialgraph.ontology.resolve import country_code
from trialgraph.records import Arm, Design, Eligibility, Enrollment, Intervention, Outcome, Site, Sponsor, Trial


def _words(value: str) -> str:
    return value.replace("_", " ").capitalize()


def _type(value: str) -> str:
    return value.replace("_", " ").title()


def _flag(country: str | None) -> str | None:
    code = country_code(country)
    return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in code) if code else None


def _given(t: Trial) -> dict[str, Intervention]:
    return {line(i.name): i for i in t.interventions if line(i.name)}


def _rows(t: Trial) -> list[tuple[str, str, str]]:
    given = _given(t)
    return [(line(a.label), n, line(a.description)) for a in t.arms
            for n in dict.fromkeys(map(line, a.interventions)) if n in given]


def _sites(t: Trial) -> list[Site]:
    return [s for s in t.sites if line(s.facility) and "," not in (s.city or "")]


def _criteria(text: str | None) -> tuple[list[str], list[str]]:
    from tests.renderers.veeva import _criteria as cut

    return cut(text)


def render(t: Trial, list_interventions: bool = True) -> str:
    out = ["MedPath", line(t.brief_title)]
    head = []
    if t.phases:
        head.append("/".join({"EARLY_PHASE1": "Early Phase 1", "NA": "N/A"}.get(p, p.replace("PHASE", "Phase ")) for p in t.phases))
    if t.overall_status:
        head.append(_words(t.overall_status))
    given = _given(t)
    lines = ["Conditions", *map(line, t.conditions), "Interventions"]
    if list_interventions:
        lines += [f"{_type(i.type)}: {n}" if i.type else n for n, i in given.items()]
    lines += ["Registration Number", t.nct_id]
    if t.lead_sponsor:
        lines += ["Lead Sponsor", line(t.lead_sponsor.name)]
    lines.append("Brief Summary")
    out += ["\n".join(head + lines), t.brief_summary or ""]
    if t.detailed_description:
        out += ["Detailed Description", t.detailed_description]
    rec = ["Recruitment & Eligibility", ""]
    body: list[str] = []
    if t.overall_status:
        body += ["Status", t.overall_status]
    e = t.eligibility
    if e and e.sex:
        body += ["Sex", _words(e.sex)]
    if t.enrollment:
        body += ["Target Recruitment", str(t.enrollment.count)]
    inc, exc = _criteria(e.criteria if e else None)
    if tx.join_text(inc):
        body += ["Inclusion Criteria", *inc]
    if tx.join_text(exc):
        body += ["Exclusion Criteria", *exc]
    out.append("\n".join(rec[:1] + [""] + body))
    design = ["Study & Design", ""]
    if t.study_type:
        design += ["Study Type", t.study_type]
    if t.design and t.design.intervention_model:
        design += ["Study Design", t.design.intervention_model]
    if _rows(t):
        design += ["Arm && Interventions", "GroupInterventionDescription", *("".join(r) for r in _rows(t))]
    for kind, title in (("primary", "Primary Outcome Measures"), ("secondary", "Secondary Outcome Measures")):
        outs = [o for o in t.outcomes if o.kind == kind]
        if outs:
            design += [title, "NameTimeMethod"]
            for o in outs:
                design.append(line(o.measure) + line(o.time_frame))
                if o.description:
                    design += ["", line(o.description), ""]
    out.append("\n".join(design))
    sites = _sites(t)
    if sites:
        rows = ["Trial Locations", "", f"Locations ({len(sites)})"]
        for s in sites:
            rows += ["", line(s.facility), ""]
            if _flag(s.country):
                rows += [_flag(s.country), ""]
            rows.append(f"{line(s.city)}, {line(s.state)}, {line(s.country)}")
        out.append("\n".join(rows))
    out.append("© Copyright 2025. All Rights Reserved by MedPath")
    return "\n\n".join(out) + "\n"


def carried(t: Trial, list_interventions: bool = True) -> dict[str, Any]:
    given = _given(t)
    arms: list[Arm] = []
    for group, name, desc in _rows(t):
        if arms and arms[-1].label == group:
            arms[-1] = arms[-1].model_copy(update={"interventions": tuple(dict.fromkeys((*arms[-1].interventions, name)))})
        else:
            arms.append(Arm(label=group, interventions=(name,), description=desc or None))
    listed = [Intervention(name=n, type=i.type) for n, i in given.items()] if list_interventions else []
    for a in arms:
        for n in a.interventions:
            if all(i.name != n for i in listed):
                listed.append(Intervention(name=n))
    e = t.eligibility
    inc, exc = _criteria(e.criteria if e else None)
    parts = [f"{name}\n\n{body}" for name, body in (("Inclusion Criteria", tx.join_text(inc)),
                                                    ("Exclusion Criteria", tx.join_text(exc))) if body]
    out = Trial(
        nct_id=t.nct_id, source=t.source, brief_title=line(t.brief_title),
        overall_status=t.overall_status, phases=t.phases, study_type=t.study_type,
        enrollment=Enrollment(count=t.enrollment.count) if t.enrollment else None,
        brief_summary=block(t.brief_summary), detailed_description=block(t.detailed_description),
        conditions=tuple(x for x in map(line, t.conditions) if x),
        design=Design(intervention_model=t.design.intervention_model) if t.design and t.design.intervention_model else None,
        arms=tuple(arms), interventions=tuple(listed),
        eligibility=Eligibility(sex=e.sex if e else None, criteria="\n\n".join(parts) or None),
        sponsors=(Sponsor(name=line(t.lead_sponsor.name), role="lead"),) if t.lead_sponsor else (),
        sites=tuple(Site(facility=line(s.facility), city=line(s.city) or None, state=line(s.state) or None,
                         country=line(s.country) or None) for s in _sites(t)),
        outcomes=tuple(Outcome(kind=o.kind, measure=line(o.measure), time_frame=line(o.time_frame) or None,
                               description=line(o.description) or None)
                       for o in t.outcomes if o.kind in ("primary", "secondary")),
    )
    return dump(out)
