"""A trial as the ClinicalTrials.Veeva page (seeds 001 and 003).

Faithful to the seeds: banner and menu, title, the lead sponsor's logo line and name, then
"Status and phase" (status and phase in words: "Unknown", "Phase 2"), conditions, treatments as
"<Type>: <name>", study type and funder types in words, identifiers (the NCT id first), About /
Full description, enrollment ("37 estimated patients"), sex, ages ("18 to 75 years old",
"18+ years old"), volunteers, inclusion and exclusion criteria, the design in words, the patient
groups ("N participants in K patient groups", each a label, "<Type> group", a description and
its treatments), the number of sites only, central contacts, and the footer.

What the page does not carry: official title, acronym, dates, keywords, MeSH terms, intervention
descriptions and other names, collaborators (only their funder types), responsible party,
the sites themselves (only their number), references, outcomes, results; identifiers keep
only their values (the first after the NCT id is read as the org study id).
"""

from __future__ import annotations

import re
from typing import Any

from tests.renderers.common import block, dump, line, paragraphs
from trialgraph.loaders import text as tx
from trialgraph.loaders.veeva import ARM_TYPES
from trialgraph.records import Arm, Contact, Design, Eligibility, Enrollment, Identifier, Intervention, Sponsor, Trial

_ARM_WORDS = {v: k.capitalize() for k, v in ARM_TYPES.items()}
_MODELS = {v: k.title() for k, v in tx.INTERVENTION_MODELS.items()}
_PHASES = {"EARLY_PHASE1": "Early Phase 1", "NA": "N/A"}


def _words(value: str) -> str:
    """'ACTIVE_NOT_RECRUITING' -> 'Active not recruiting' (the page's sentence case)."""
    return value.replace("_", " ").capitalize()


def _type(value: str | None) -> str:
    return (value or "OTHER").replace("_", " ").title()


def _ages(e: Eligibility | None) -> tuple[str | None, Any, Any]:
    """The ages line the page can print, and the ages it carries (whole numbers, one unit)."""
    lo, hi = (e.minimum_age, e.maximum_age) if e else (None, None)
    ok = [a for a in (lo, hi) if a is not None]
    if not ok or any(a.value != int(a.value) for a in ok) or len({a.unit for a in ok}) > 1:
        return None, None, None
    unit = ok[0].unit.lower()
    if lo and hi:
        return f"{int(lo.value)} to {int(hi.value)} {unit} old", lo, hi
    if lo:
        return f"{int(lo.value)}+ {unit} old", lo, None
    return f"up to {int(hi.value)} {unit} old", None, hi


def _criteria(text: str | None) -> tuple[list[str], list[str]]:
    """The criteria text cut into its inclusion and exclusion parts (their headings dropped)."""
    inc: list[str] = []
    exc: list[str] = []
    target = inc
    for raw in (text or "").splitlines():
        low = raw.strip().lower().rstrip(":")
        if low == "exclusion criteria":
            target = exc
            continue
        if low == "inclusion criteria":
            continue
        target.append(re.sub(r"^\s*[*-]\s+", "  • ", raw))  # the registry's markdown bullets, as the page prints them
    return inc, exc


def _funders(t: Trial) -> list[str]:
    return list(dict.fromkeys(t.funder_types or tuple(s.agency_class for s in t.sponsors if s.agency_class)))


def _ids(t: Trial) -> list[str]:
    org = [line(i.value) for i in t.identifiers if i.type == "org_study_id"]
    rest = [line(i.value) for i in t.identifiers if i.type != "org_study_id"]
    return [v for v in dict.fromkeys(org + rest) if v and v != t.nct_id]


def _given(t: Trial) -> dict[str, Intervention]:
    return {line(i.name): i for i in t.interventions if line(i.name)}


def _sites(t: Trial) -> int | None:
    n = t.site_count if t.site_count is not None else len(t.sites)
    return n or None


def render(t: Trial) -> str:
    lead = t.lead_sponsor
    out = ["ClinicalTrials.Veeva", "Menu", line(t.brief_title)]
    if lead:
        out += [f"{line(lead.name)} logo", line(lead.name)]
    status = [_words(t.overall_status)] if t.overall_status else []
    if t.phases:
        status.append("/".join(_PHASES.get(p, p.replace("PHASE", "Phase ")) for p in t.phases))
    out += ["Status and phase", "\n".join(status)]
    out += ["Conditions", "\n".join(map(line, t.conditions))]
    given = _given(t)
    out += ["Treatments", "\n".join(f"{_type(i.type)}: {n}" for n, i in given.items())]
    if t.study_type:
        out += ["Study type", _words(t.study_type)]
    if _funders(t):
        out += ["Funder types", "\n".join(_type(f) for f in _funders(t))]
    out += ["Identifiers", "\n".join([t.nct_id, *_ids(t)])]
    out += ["Details and patient eligibility", "About", t.brief_summary or ""]
    if t.detailed_description:
        out += ["Full description", t.detailed_description]
    if t.enrollment:
        kind = f" {t.enrollment.type.lower()}" if t.enrollment.type else ""
        out += ["Enrollment", f"{t.enrollment.count}{kind} patients"]
    e = t.eligibility
    if e and e.sex:
        out += ["Sex", _words(e.sex)]
    ages, _, _ = _ages(e)
    if ages:
        out += ["Ages", ages]
    if e and e.healthy_volunteers is not None:
        out += ["Volunteers", "Accepts Healthy Volunteers" if e.healthy_volunteers else "No Healthy Volunteers"]
    inc, exc = _criteria(e.criteria if e else None)
    if tx.join_text(inc):
        out += ["Inclusion criteria", "\n".join(inc)]
    if tx.join_text(exc):
        out += ["Exclusion criteria", "\n".join(exc)]
    d = t.design
    out.append("Trial design")
    if d:
        for label, value in (("Primary purpose", d.primary_purpose and _words(d.primary_purpose)),
                             ("Allocation", d.allocation and ("N/A" if d.allocation == "NA" else _words(d.allocation))),
                             ("Interventional model", d.intervention_model and _MODELS.get(d.intervention_model)),
                             ("Masking", _masking(d))):
            if value:
                out += [label, value]
    if t.arms:
        n = t.enrollment.count if t.enrollment else 0
        out.append(f"{n} participants in {len(t.arms)} patient group{'s' if len(t.arms) != 1 else ''}")
        for a in t.arms:
            rows = [line(a.label), f"{_ARM_WORDS.get(a.type or 'OTHER', _type(a.type))} group", *paragraphs(a.description)]
            names = [n for n in dict.fromkeys(map(line, a.interventions)) if n in given]
            if names:
                rows += ["Treatment:", *(f"{_type(given[n].type)}: {n}" for n in names)]
            out.append("\n".join(rows))
    out += ["Trial contacts and locations"]
    if _sites(t):
        out += [str(_sites(t)), "Loading..."]
    if t.contacts:
        out += ["Central trial contact", "\n\n".join(line(c.name) for c in t.contacts)]
    out += ["Data sourced from clinicaltrials.gov", "Clinical trials", "Find clinical trialsTrials by location",
            "© Copyright 2026 Veeva Systems"]
    return "\n\n".join(out) + "\n"


def _masking(d: Design) -> str | None:
    if not d.masking:
        return None
    if d.masking == "NONE":
        return "None (Open label)"
    who = ", ".join(w.replace("_", " ").title() for w in d.who_masked)
    return f"{d.masking.capitalize()} ({who})" if who else d.masking.capitalize()


def carried(t: Trial) -> dict[str, Any]:
    given = _given(t)
    d = t.design
    design = None
    if d and (d.primary_purpose or d.allocation or d.intervention_model in _MODELS or d.masking):
        design = Design(primary_purpose=d.primary_purpose, allocation=d.allocation,
                        intervention_model=d.intervention_model if d.intervention_model in _MODELS else None,
                        masking=d.masking, who_masked=d.who_masked if d.masking and d.masking != "NONE" else ())
    e = t.eligibility
    _, lo, hi = _ages(e)
    inc, exc = _criteria(e.criteria if e else None)
    parts = [f"{name}\n\n{body}" for name, body in (("Inclusion criteria", tx.join_text(inc)),
                                                    ("Exclusion criteria", tx.join_text(exc))) if body]
    lead = t.lead_sponsor
    ids = _ids(t)
    out = Trial(
        nct_id=t.nct_id, source=t.source, brief_title=line(t.brief_title),
        identifiers=tuple(Identifier(value=v, type="org_study_id" if k == 0 else "secondary_id") for k, v in enumerate(ids)),
        overall_status=t.overall_status, phases=t.phases, study_type=t.study_type,
        enrollment=Enrollment(count=t.enrollment.count, type=t.enrollment.type) if t.enrollment else None,
        brief_summary=block(t.brief_summary), detailed_description=block(t.detailed_description),
        conditions=tuple(x for x in map(line, t.conditions) if x),
        design=design,
        arms=tuple(Arm(label=line(a.label), type=a.type or "OTHER", description="\n".join(paragraphs(a.description)) or None,
                       interventions=tuple(n for n in dict.fromkeys(map(line, a.interventions)) if n in given))
                   for a in t.arms),
        interventions=tuple(Intervention(name=n, type=i.type or "OTHER") for n, i in given.items()),
        eligibility=Eligibility(minimum_age=lo, maximum_age=hi, sex=e.sex if e else None,
                                healthy_volunteers=e.healthy_volunteers if e else None, criteria="\n\n".join(parts) or None),
        sponsors=(Sponsor(name=line(lead.name), role="lead"),) if lead else (),
        funder_types=tuple(_funders(t)), site_count=_sites(t),
        contacts=tuple(Contact(name=line(c.name), role="central") for c in t.contacts if line(c.name)),
    )
    return dump(out)
