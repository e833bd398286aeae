"""A trial as the ClinicalTrials.gov-style study page (seeds 000 and 004).

Faithful to the seeds: title, ``NCT ID:``, ``Last Updated:``, then each section header followed
by its fixed sentence; label/value lines in Basic Information and Study Design; arms with their
interventions (and those interventions' descriptions) inline; "Site Status" closing each site;
markdown characters escaped (``\\<``); an empty "Detailed Description" still printed; Keywords
and References only when there are some; "More Related Trials" last, even when empty.

What the page does not carry: official title, acronym, why stopped, first-posted date, date and
enrollment types, other names of interventions, MeSH terms, contacts, outcomes, site zip codes
and coordinates; identifiers keep their value, domain and whether they are the org study id.
"""

from __future__ import annotations

from typing import Any

from tests.renderers.common import block, dump, line, paragraphs
from trialgraph.loaders.ctgov_page import MASKED_ROLES, SECTIONS
from trialgraph.records import Arm, Design, Eligibility, Enrollment, Identifier, Intervention, Reference, Site, Sponsor, Trial

_ROLE_WORDS = {"PARTICIPANT": "Participants", "CARE_PROVIDER": "Caregivers", "INVESTIGATOR": "Investigators",
               "OUTCOMES_ASSESSOR": "Outcome Assessors"}
_PENDING = ("Results pending", "The study team has not published outcome measurements, participant flow, or safety "
            "data for this trial yet. Check back later for updates.")


def _escape(text: str) -> str:
    """The page escapes markdown: a literal backslash is doubled, '<', '>' and '&' are '\\<' ..."""
    for ch in "\\<>&":
        text = text.replace(ch, "\\" + ch)
    return text


def _sentence(name: str) -> str:
    start = SECTIONS[name]
    endings = {
        "Basic Information": " of the trial, including recruitment status, study phase, enrollment targets, and key timeline milestones.",
        "Brief Summary": " that highlights what the study is about and why it is being conducted.",
        "Detailed Description": " that explains the scientific background, objectives, and procedures in greater depth.",
        "Conditions": " and disease areas that this research is targeting or investigating.",
        "Study Design": ", including allocation methods, masking strategies, primary purpose, and other design elements.",
        "Study Groups": " in the study, along with the interventions and objectives associated with them.",
        "Interventions": ", or behavioral strategies being tested and how they are applied within this trial.",
        "Eligibility Criteria": ", including inclusion and exclusion rules, age limits, and whether healthy volunteers are accepted.",
        "Sponsors": " funding or collaborating on the study and learn about their roles.",
        "Responsible Party": " who holds primary responsibility for the study information submitted to regulators.",
        "Locations": " and check the recruitment status at each participating site.",
        "Countries": " the study has at least one active or historical site.",
        "References": " articles, or registry entries linked to this study.",
        "Other Identifiers": " or institutional identifiers associated with this trial.",
        "More Related Trials": " based on similarity analysis.",
    }
    return (start or "") + endings.get(name, "")


def _given(t: Trial) -> dict[str, Intervention]:
    return {line(i.name): i for i in t.interventions if line(i.name)}


def render(t: Trial) -> str:
    out: list[str] = [line(t.brief_title), f"NCT ID: {t.nct_id}"]
    if t.last_update_date:
        out.append(f"Last Updated: {t.last_update_date.date}")

    def section(name: str, *body: str) -> None:
        out.append(name)
        if SECTIONS.get(name):
            out.append(_sentence(name))
        out.extend(b for b in body if b != "")

    if t.has_results is not None:
        section("Study Results", *(("Results available",) if t.has_results else _PENDING))
    basic: list[str] = []
    for label, value in (
        ("Recruitment Status", t.overall_status), ("Clinical Phase", ", ".join(t.phases) or None),
        ("Total Enrollment", f"{t.enrollment.count} participants" if t.enrollment else None),
        ("Study Classification", t.study_type), ("Study Start Date", t.start_date and t.start_date.date),
        ("Primary Completion Date", t.primary_completion_date and t.primary_completion_date.date),
        ("Study Completion Date", t.completion_date and t.completion_date.date),
    ):
        if value:
            basic += [label, value]
    section("Basic Information", *basic)
    section("Brief Summary", _escape(t.brief_summary or ""))
    section("Detailed Description", _escape(t.detailed_description or ""))
    section("Conditions", *map(line, t.conditions))
    if t.keywords:
        section("Keywords", *map(line, t.keywords))
    d = t.design
    if d and (d.allocation or d.intervention_model or d.primary_purpose or d.masking):
        body: list[str] = []
        for label, value in (("Allocation Method", d.allocation), ("Intervention Model", d.intervention_model),
                             ("Primary Study Purpose", d.primary_purpose), ("Blinding Strategy", d.masking)):
            if value:
                body += [label, value]
        if d.masking and d.who_masked:
            body.append(" ".join(_ROLE_WORDS[w] for w in dict.fromkeys(MASKED_ROLES.values()) if w in d.who_masked))
        section("Study Design", *body)
    given = _given(t)
    if t.arms:
        body = []
        for a in t.arms:
            body += [line(a.label), *map(_escape, paragraphs(a.description)), f"Group Type {a.type or ''}".strip()]
            for name in dict.fromkeys(line(n) for n in a.interventions):
                if name in given:
                    iv = given[name]
                    body += [name, f"Intervention Type {iv.type or ''}".strip(), *map(_escape, paragraphs(iv.description))]
        section("Study Groups", *body)
    if given:
        body = []
        for name, iv in given.items():
            body += [name, *map(_escape, paragraphs(iv.description)), f"Intervention Type {iv.type or ''}".strip()]
        section("Interventions", *body)
    e = t.eligibility
    if e and (e.criteria or e.minimum_age or e.maximum_age or e.sex or e.healthy_volunteers is not None):
        body = [_escape(e.criteria or "")]
        for label, value in (("Minimum Eligible Age", e.minimum_age and e.minimum_age.text),
                             ("Maximum Eligible Age", e.maximum_age and e.maximum_age.text), ("Eligible Sex", e.sex),
                             ("Accepts Healthy Volunteers", None if e.healthy_volunteers is None
                              else "Yes" if e.healthy_volunteers else "No")):
            if value:
                body += [label, value]
        section("Eligibility Criteria", *body)
    if t.sponsors:
        body = []
        for s in t.sponsors:
            body += [line(s.name), *([s.agency_class] if s.agency_class else []), f"Sponsor Role {s.role}"]
        section("Sponsors", *body)
    if t.responsible_party:
        section("Responsible Party", f"Responsibility Role {t.responsible_party}")
    sites = _sites(t)
    if sites:
        body = []
        for s in sites:
            body += [s.facility or "", f"{s.city or ''}, {s.state or ''}, {s.country or ''}", f"Site Status {s.status or ''}".strip()]
        section("Locations", *body)
    countries = _countries(t)
    if countries:
        section("Countries", " ".join(countries))
    if t.references:
        body = []
        for r in t.references:
            body += [line(r.citation), f"Reference Type {r.type or ''}".strip()]
            if r.pmid:
                body.append(f"PMID: {r.pmid} (View on PubMed)")
        section("References", *body)
    body = []
    for i in _identifiers(t):
        body += [i.value, f"Identifier Type: {i.domain or '-'}", f"Identifier Source: {i.type}"]
    section("Other Identifiers", *body)
    section("More Related Trials", *[x for r in t.related_trials
                                     for x in ([line(r.title)] if r.title else []) + [f"{r.nct_id} {r.status or ''} {' '.join(r.phases)}".strip()]])
    return "\n\n".join(x.rstrip("\n") for x in out) + "\n"


def _sites(t: Trial) -> list[Site]:
    """Sites the page can show: a facility and a place (a site without a facility is left out)."""
    return [s for s in t.sites if line(s.facility) and "," not in (s.city or "")]


def _countries(t: Trial) -> list[str]:
    return list(dict.fromkeys(t.countries or tuple(s.country for s in _sites(t) if s.country)))


def _identifiers(t: Trial) -> list[Identifier]:
    out = []
    for i in t.identifiers:
        if line(i.value):
            out.append(Identifier(value=line(i.value), type="org_study_id" if i.type == "org_study_id" else "secondary_id",
                                  domain=line(i.domain) or None if i.domain not in (None, "-") else None))
    return out


def carried(t: Trial) -> dict[str, Any]:
    """The record as the page carries it (what the page loader can read back)."""
    given = _given(t)
    d = t.design
    design = None
    if d and (d.allocation or d.intervention_model or d.primary_purpose or d.masking):
        who = tuple(w for w in MASKED_ROLES.values() if w in d.who_masked) if d.masking else ()
        design = Design(allocation=d.allocation, intervention_model=d.intervention_model, primary_purpose=d.primary_purpose,
                        masking=d.masking, who_masked=tuple(dict.fromkeys(who)))
    e = t.eligibility
    elig = None
    if e and (e.criteria or e.minimum_age or e.maximum_age or e.sex or e.healthy_volunteers is not None):
        elig = Eligibility(minimum_age=e.minimum_age, maximum_age=e.maximum_age, sex=e.sex,
                           healthy_volunteers=e.healthy_volunteers, criteria=block(e.criteria))
    sites = _sites(t)
    out = Trial(
        nct_id=t.nct_id, source=t.source, brief_title=line(t.brief_title), identifiers=tuple(_identifiers(t)),
        overall_status=t.overall_status, phases=t.phases, study_type=t.study_type,
        enrollment=Enrollment(count=t.enrollment.count) if t.enrollment else None,
        start_date=t.start_date and t.start_date.model_copy(update={"type": None}),
        primary_completion_date=t.primary_completion_date and t.primary_completion_date.model_copy(update={"type": None}),
        completion_date=t.completion_date and t.completion_date.model_copy(update={"type": None}),
        last_update_date=t.last_update_date and t.last_update_date.model_copy(update={"type": None}),
        brief_summary=block(t.brief_summary), detailed_description=block(t.detailed_description),
        conditions=tuple(x for x in map(line, t.conditions) if x), keywords=tuple(x for x in map(line, t.keywords) if x),
        design=design,
        arms=tuple(Arm(label=line(a.label), type=a.type, description="\n\n".join(paragraphs(a.description)) or None,
                       interventions=tuple(dict.fromkeys(n for n in map(line, a.interventions) if n in given)))
                   for a in t.arms),
        interventions=tuple(Intervention(name=n, type=i.type, description="\n\n".join(paragraphs(i.description)) or None)
                            for n, i in given.items()),
        eligibility=elig,
        sponsors=tuple(Sponsor(name=line(s.name), role=s.role, agency_class=s.agency_class) for s in t.sponsors),
        responsible_party=t.responsible_party,
        sites=tuple(Site(facility=line(s.facility), city=line(s.city) or None, state=line(s.state) or None,
                         country=line(s.country) or None, status=s.status) for s in sites),
        countries=tuple(_countries(t)),
        references=tuple(Reference(citation=line(r.citation), pmid=r.pmid, type=r.type) for r in t.references),
        related_trials=t.related_trials,
        has_results=t.has_results,
    )
    return dump(out)
