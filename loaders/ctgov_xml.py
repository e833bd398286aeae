"""Legacy ClinicalTrials.gov XML (``<clinical_study>``), the registry's format before API v2.

Dates such as "March 30, 2018" become ISO ("2018-03-30"); "Anticipated" becomes ESTIMATED.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime

from trialgraph.errors import LoaderError
from trialgraph.loaders import results as rs
from trialgraph.loaders import text as tx
from trialgraph.loaders.base import build_trial, warn
from trialgraph.records import (
    AdverseEvent,
    Analysis,
    Arm,
    Contact,
    Design,
    Eligibility,
    Enrollment,
    EventCount,
    EventGroup,
    Identifier,
    Intervention,
    Measurement,
    MeshTerm,
    Outcome,
    OutcomeResult,
    Reference,
    Site,
    Sponsor,
    Trial,
    TrialDate,
)

LAYOUT = "ctgov_xml"
AGENCY_CLASSES = {"industry": "INDUSTRY", "nih": "NIH", "u.s. fed": "FED", "other": "OTHER", "other_gov": "OTHER_GOV"}


class CtgovXmlLoader:
    name = LAYOUT

    def detect(self, text: str) -> bool:
        return "<clinical_study" in text[:2000]

    def parse(self, text: str, file: str) -> Iterator[Trial]:
        try:
            root = ET.fromstring(text.encode("utf-8"))
        except ET.ParseError as e:
            line, col = e.position
            raise LoaderError(file, f"xml line {line}", f"malformed XML at column {col}: {e}") from None
        if root.tag != "clinical_study":
            raise LoaderError(file, root.tag, "expected a <clinical_study> document")
        yield _trial(root, file)


def _t(el: ET.Element | None, path: str) -> str | None:
    if el is None:
        return None
    found = el.find(path)
    if found is None or found.text is None:
        return None
    return re.sub(r"\s+", " ", found.text).strip() or None


def _block(el: ET.Element, path: str) -> str | None:
    """A <textblock>: keep its paragraphs, drop the XML's hard-wrapping indentation."""
    found = el.find(path)
    if found is None or not (found.text or "").strip():
        return None
    lines = [ln.strip() for ln in (found.text or "").strip().splitlines()]
    return tx.join_text(lines)


def _date(el: ET.Element, path: str, file: str) -> TrialDate | None:
    found = el.find(path)
    if found is None or not (found.text or "").strip():
        return None
    raw = (found.text or "").strip()
    for fmt, out in (("%B %d, %Y", "%Y-%m-%d"), ("%B %Y", "%Y-%m"), ("%Y-%m-%d", "%Y-%m-%d"), ("%Y-%m", "%Y-%m")):
        try:
            iso = datetime.strptime(raw, fmt).strftime(out)
            break
        except ValueError:
            continue
    else:
        warn(path, f"not a date: {raw!r}: dropped")
        return None
    kind = (found.get("type") or "").lower()
    return TrialDate(date=iso, type="ACTUAL" if kind == "actual" else "ESTIMATED" if kind in {"anticipated", "estimated"} else None)



def _trial(root: ET.Element, file: str) -> Trial:
    nct = _t(root, "id_info/nct_id")
    if nct is None:
        raise LoaderError(file, "id_info/nct_id", "missing")
    title = _t(root, "brief_title") or _t(root, "official_title")
    if title is None:
        raise LoaderError(file, "brief_title", "missing")
    identifiers = [Identifier(value=v, type="org_study_id") for v in [_t(root, "id_info/org_study_id")] if v]
    identifiers += [Identifier(value=e.text.strip(), type="secondary_id") for e in root.findall("id_info/secondary_id") if e.text]

    interventions = []
    by_arm: dict[str, list[str]] = {}
    for iv in root.findall("intervention"):
        name = _t(iv, "intervention_name")
        if not name:
            continue
        interventions.append(
            Intervention(
                name=name,
                type=tx.enum_or_na(_t(iv, "intervention_type")),
                description=_t(iv, "description"),
                other_names=tuple(e.text.strip() for e in iv.findall("other_name") if e.text),
            )
        )
        for label in iv.findall("arm_group_label"):
            if label.text:
                by_arm.setdefault(label.text.strip(), []).append(name)
    arms = tuple(
        Arm(
            label=label,
            type=tx.enum_or_na(_t(a, "arm_group_type")),
            description=_t(a, "description"),
            interventions=tuple(dict.fromkeys(by_arm.get(label, []))),
        )
        for a in root.findall("arm_group")
        if (label := _t(a, "arm_group_label"))
    )
    sponsors = []
    for el, role in [(root.find("sponsors/lead_sponsor"), "lead"), *((c, "collaborator") for c in root.findall("sponsors/collaborator"))]:
        if el is not None and (agency := _t(el, "agency")):
            cls = _t(el, "agency_class")
            sponsors.append(Sponsor(name=agency, role=role, agency_class=AGENCY_CLASSES.get((cls or "").lower(), tx.enum_or_na(cls))))
    sites = tuple(
        Site(
            facility=_t(loc, "facility/name"),
            city=_t(loc, "facility/address/city"),
            state=_t(loc, "facility/address/state"),
            zip=_t(loc, "facility/address/zip"),
            country=_t(loc, "facility/address/country"),
            status=tx.enum_or_na(_t(loc, "status")),
        )
        for loc in root.findall("location")
    )
    enrollment = root.find("enrollment")
    count = (enrollment.text or "").strip() if enrollment is not None else ""
    if count and not count.isdigit():
        warn("enrollment", f"not a whole number: {count!r}: dropped")
        count = ""
    design = root.find("study_design_info")
    mask, who = tx.masking(_t(design, "masking") or "") if design is not None and _t(design, "masking") else (None, ())
    elig = root.find("eligibility")
    hv = _t(elig, "healthy_volunteers")
    refs = [
        Reference(citation=c, pmid=_t(r, "PMID"), type=kind)
        for tag, kind in (("reference", None), ("results_reference", "RESULT"))
        for r in root.findall(tag)
        if (c := _t(r, "citation"))
    ]
    outcomes = tuple(
        Outcome(kind=kind, measure=m, time_frame=_t(o, "time_frame"), description=_t(o, "description"))
        for tag, kind in (("primary_outcome", "primary"), ("secondary_outcome", "secondary"), ("other_outcome", "other"))
        for o in root.findall(tag)
        if (m := _t(o, "measure"))
    )
    outcomes, event_groups, adverse_events = _results(root, outcomes, nct)
    return build_trial(
        file,
        nct_id=nct,
        source={"layout": LAYOUT, "file": file},
        brief_title=title,
        official_title=_t(root, "official_title"),
        acronym=_t(root, "acronym"),
        identifiers=tuple(identifiers),
        overall_status=tx.enum_or_na(_t(root, "overall_status")),
        why_stopped=_t(root, "why_stopped"),
        phases=tx.phases(_t(root, "phase") or ""),
        study_type=tx.enum_or_na(_t(root, "study_type")),
        enrollment=Enrollment(
            count=int(count), type="ACTUAL" if enrollment.get("type", "").lower() == "actual" else "ESTIMATED" if enrollment.get("type") else None
        )
        if count and enrollment is not None
        else None,
        start_date=_date(root, "start_date", file),
        primary_completion_date=_date(root, "primary_completion_date", file),
        completion_date=_date(root, "completion_date", file),
        first_posted_date=_date(root, "study_first_posted", file),
        last_update_date=_date(root, "last_update_posted", file),
        brief_summary=_block(root, "brief_summary/textblock"),
        detailed_description=_block(root, "detailed_description/textblock"),
        conditions=tuple(e.text.strip() for e in root.findall("condition") if e.text and e.text.strip()),
        keywords=tuple(e.text.strip() for e in root.findall("keyword") if e.text and e.text.strip()),
        condition_mesh=tuple(MeshTerm(term=e.text.strip()) for e in root.findall("condition_browse/mesh_term") if e.text),
        intervention_mesh=tuple(MeshTerm(term=e.text.strip()) for e in root.findall("intervention_browse/mesh_term") if e.text),
        design=Design(
            allocation=tx.enum_or_na(_t(design, "allocation")),
            intervention_model=tx.intervention_model(m) if (m := _t(design, "intervention_model")) else None,
            primary_purpose=tx.enum_or_na(_t(design, "primary_purpose")),
            masking=mask,
            who_masked=who,
        )
        if design is not None
        else None,
        arms=arms,
        interventions=tuple(interventions),
        eligibility=Eligibility(
            minimum_age=tx.parse_age(_t(elig, "minimum_age") or ""),
            maximum_age=tx.parse_age(_t(elig, "maximum_age") or ""),
            sex=tx.enum_or_na(_t(elig, "gender")),
            healthy_volunteers=None if hv is None else hv.lower().startswith("accepts"),
            criteria=_block(elig, "criteria/textblock") if elig is not None else None,
        ),
        sponsors=tuple(sponsors),
        responsible_party=tx.enum_or_na(_t(root, "responsible_party/responsible_party_type")),
        sites=sites,
        countries=tuple(e.text.strip() for e in root.findall("location_countries/country") if e.text),
        contacts=tuple(Contact(name=n, role="central") for c in root.findall("overall_contact") if (n := _t(c, "last_name"))),
        references=tuple(refs),
        outcomes=outcomes,
        event_groups=event_groups,
        adverse_events=adverse_events,
        has_results=root.find("clinical_results") is not None,
    )


# -- clinical_results ---------------------------------------------------------------------------
def _results(root: ET.Element, outcomes: tuple[Outcome, ...], nct: str
             ) -> tuple[tuple[Outcome, ...], tuple[EventGroup, ...], tuple[AdverseEvent, ...]]:
    """<clinical_results>: outcome measures (attached to the protocol's outcomes), the reported
    events' groups and terms. The "Total" rows the XML adds to each event list are totals, not
    terms: they become the groups' totals."""
    cr = root.find("clinical_results")
    if cr is None:
        return outcomes, (), ()
    reported = []
    for k, o in enumerate(cr.findall("outcome_list/outcome")):
        where = f"clinical_results/outcome_list/outcome[{k + 1}]"
        kind = rs.outcome_kind(_t(o, "type"), f"{where}/type", nct)
        title = _t(o, "title")
        if kind is None or title is None:
            continue
        groups = {g.get("group_id"): _t(g, "title") or g.get("group_id") for g in o.findall("group_list/group") if g.get("group_id")}
        m = o.find("measure")
        counts = {c.get("group_id"): c.get("value") for c in (m.findall("analyzed_list/analyzed[1]/count_list/count") if m is not None else [])}
        measurements = []
        for cl in m.findall("class_list/class") if m is not None else []:
            for cat in cl.findall("category_list/category"):
                label = " / ".join(x for x in (_t(cl, "title"), _t(cat, "title")) if x) or None
                for v in cat.findall("measurement_list/measurement"):
                    gid, value = v.get("group_id"), (v.get("value") or "").strip()
                    if gid in groups and value:
                        measurements.append(Measurement(group=groups[gid], value=value, category=label))
        analyses = [
            Analysis(groups=tuple(groups[g.text.strip()] for g in a.findall("group_id_list/group_id") if g.text and g.text.strip() in groups),
                     p_value=_t(a, "p_value"), method=_t(a, "method"), param_type=_t(a, "param_type"), param_value=_t(a, "param_value"))
            for a in o.findall("analysis_list/analysis")
        ]
        result = OutcomeResult(
            param_type=_t(m, "param"), dispersion_type=_t(m, "dispersion"), unit=_t(m, "units"),
            population=_t(o, "population"), groups=tuple(groups.values()),
            participants=tuple(rs.whole(counts.get(g), f"{where}/measure/analyzed_list", nct) for g in groups),
            measurements=tuple(measurements), analyses=tuple(analyses),
        )
        reported.append((kind, title, _t(o, "time_frame"), _t(o, "description"), result))
    ev = cr.find("reported_events")
    if ev is None:
        return rs.attach(outcomes, reported), (), ()
    titles = {g.get("group_id"): _t(g, "title") or g.get("group_id") for g in ev.findall("group_list/group") if g.get("group_id")}
    totals: dict[tuple[str, str], tuple[int | None, int | None]] = {}
    events = []
    for tag, serious in (("serious_events", True), ("other_events", False)):
        block = ev.find(tag)
        if block is None:
            continue
        vocab, assessment = _t(block, "default_vocab"), _t(block, "default_assessment")
        for i, cat in enumerate(block.findall("category_list/category")):
            organ = _t(cat, "title")
            for j, e in enumerate(cat.findall("event_list/event")):
                where = f"clinical_results/reported_events/{tag}/category_list/category[{i + 1}]/event_list/event[{j + 1}]"
                term = _t(e, "sub_title")
                if term is None:
                    continue
                counts = tuple(EventCount(group=titles.get(c.get("group_id"), c.get("group_id") or "?"),
                                          affected=rs.whole(c.get("subjects_affected"), f"{where}/counts", nct),
                                          at_risk=rs.whole(c.get("subjects_at_risk"), f"{where}/counts", nct))
                               for c in e.findall("counts"))
                if organ == "Total" and term.startswith("Total,"):
                    for c, raw in zip(counts, e.findall("counts"), strict=True):
                        totals[(tag, raw.get("group_id") or "?")] = (c.affected, c.at_risk)
                    continue
                sub = e.find("sub_title")
                events.append(AdverseEvent(
                    term=term, serious=serious, organ_system=organ,
                    vocabulary=(sub.get("vocab") if sub is not None and sub.get("vocab") else None) or vocab,
                    assessment=tx.enum_or_na(_t(e, "assessment") or assessment), counts=counts))
    groups_out = tuple(
        EventGroup(title=title, description=_t(g, "description"),
                   serious_affected=totals.get(("serious_events", gid), (None, None))[0],
                   serious_at_risk=totals.get(("serious_events", gid), (None, None))[1],
                   other_affected=totals.get(("other_events", gid), (None, None))[0],
                   other_at_risk=totals.get(("other_events", gid), (None, None))[1])
        for g in ev.findall("group_list/group") if (gid := g.get("group_id")) and (title := titles[gid])
    )
    return rs.attach(outcomes, reported), groups_out, tuple(events)
