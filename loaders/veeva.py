"""The ClinicalTrials.Veeva trial page (seeds 001 and 003).

Sections are header lines ("Status and phase", "Conditions", ...). Arms are blocks separated
by blank lines after "N participants in K patient group(s)": label, "<Type> group", optional
description, then "Treatment:" and "<Type>: <intervention>" lines. The page gives only the
number of sites, not the sites.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from trialgraph.errors import LoaderError
from trialgraph.loaders import text as tx
from trialgraph.loaders.base import build_trial, require, warn
from trialgraph.records import (
    Arm,
    Contact,
    Design,
    Eligibility,
    Enrollment,
    Identifier,
    Intervention,
    Sponsor,
    Trial,
)

LAYOUT = "veeva"
HEADERS = (
    "Status and phase", "Conditions", "Treatments", "Study type", "Funder types", "Identifiers",
    "Details and patient eligibility", "About", "Full description", "Enrollment", "Sex", "Ages",
    "Volunteers", "Inclusion criteria", "Exclusion criteria", "Trial design", "Primary purpose",
    "Allocation", "Interventional model", "Masking", "GROUPS", "Trial contacts and locations",
    "Central trial contact", "Data sourced from clinicaltrials.gov",
)
_GROUPS = re.compile(r"^(\d+) participants in (\d+) patient groups?", re.I)
ARM_TYPES = {
    "experimental": "EXPERIMENTAL",
    "active comparator": "ACTIVE_COMPARATOR",
    "placebo comparator": "PLACEBO_COMPARATOR",
    "sham comparator": "SHAM_COMPARATOR",
    "no intervention": "NO_INTERVENTION",
    "other": "OTHER",
}
class VeevaLoader:
    name = LAYOUT

    def detect(self, text: str) -> bool:
        head = text.lstrip()[:200]
        return head.startswith("ClinicalTrials.Veeva") and "Status and phase" in text

    def parse(self, text: str, file: str) -> Iterator[Trial]:
        yield _parse(text, file)


def _is_header(header: str, line: str) -> bool:
    return bool(_GROUPS.match(line)) if header == "GROUPS" else line == header


def _parse(text: str, file: str) -> Trial:
    sec = tx.Sections(text.splitlines(), HEADERS, _is_header)
    if "Data sourced from clinicaltrials.gov" not in sec:
        raise LoaderError(file, "footer", "the page ends early (no 'Data sourced from clinicaltrials.gov'): truncated?")
    items, one = sec.items, sec.one

    pre = tx.non_empty(sec.preamble)
    if "Menu" in pre:
        pre = pre[pre.index("Menu") + 1 :]
    title = pre[0] if pre else None
    require(title, file, "title")
    lead = pre[-1] if len(pre) > 1 else None

    ids = items("Identifiers")
    nct = next((i for i in ids if re.fullmatch(r"NCT\d+", i)), None)
    require(nct, file, "Identifiers")
    others = [i for i in ids if i != nct]
    identifiers = tuple(
        Identifier(value=v, type="org_study_id" if k == 0 else "secondary_id") for k, v in enumerate(others)
    )

    status_phase = items("Status and phase")
    phase_lines = [s for s in status_phase if tx.is_phase_text(s)]
    status = next((s for s in status_phase if s not in phase_lines), None)
    phases: tuple[str, ...] = ()
    for p in phase_lines:
        phases += tuple(x for x in tx.phases(p) if x not in phases)

    interventions = tuple(iv for s in items("Treatments") if (iv := _typed_intervention(s, "Treatments")))
    arms = _arms(sec.header_line("GROUPS"), sec.raw("GROUPS"))
    listed = {i.name for i in interventions}
    for k, arm in enumerate(arms):
        unknown = [n for n in arm.interventions if n not in listed]
        if unknown:
            warn("Treatments", f"arm {arm.label!r} gives {unknown[0]!r}, which 'Treatments' does not list: link dropped")
            arms = (*arms[:k], arm.model_copy(update={"interventions": tuple(n for n in arm.interventions if n in listed)}),
                    *arms[k + 1:])

    site_count = None
    contacts_and_sites = items("Trial contacts and locations")
    if contacts_and_sites and contacts_and_sites[0].isdigit():
        site_count = int(contacts_and_sites[0])

    return build_trial(
        file,
        nct_id=nct,
        source={"layout": LAYOUT, "file": file},
        brief_title=title,
        identifiers=identifiers,
        overall_status=tx.enum_value(status) if status else None,
        phases=phases,
        study_type=tx.enum_value(v) if (v := one("Study type")) else None,
        enrollment=_enrollment(one("Enrollment")),
        brief_summary=tx.join_text(sec.raw("About")),
        detailed_description=tx.join_text(sec.raw("Full description")),
        conditions=tuple(items("Conditions")),
        design=_design(one("Primary purpose"), one("Allocation"), one("Interventional model"), one("Masking")),
        arms=arms,
        interventions=interventions,
        eligibility=_eligibility(one("Sex"), one("Ages"), one("Volunteers"), sec),
        sponsors=(Sponsor(name=lead, role="lead"),) if lead else (),
        funder_types=tuple(tx.enum_value(x) for x in items("Funder types")),
        site_count=site_count,
        contacts=tuple(Contact(name=c, role="central") for c in items("Central trial contact")),
    )


def _typed_intervention(line: str, field: str) -> Intervention | None:
    typed = tx.typed_name(line)
    if typed is None:
        warn(field, f"expected '<type>: <name>', got {line!r}: skipped")
        return None
    kind, name = typed
    return Intervention(name=name, type=kind)


def _arms(header_line: str | None, lines: Sequence[str]) -> tuple[Arm, ...]:
    header = _GROUPS.match(header_line or "")
    if header is None:
        return ()
    expected = int(header.group(2))
    arms: list[Arm] = []
    for block in tx.paragraphs(lines):
        if len(block) < 2 or not block[1].lower().endswith(" group"):
            warn("arms", f"expected an arm label and '<type> group', got {block[:2]!r}: skipped")
            continue
        label = block[0]
        arm_type = ARM_TYPES.get(block[1][: -len(" group")].strip().lower(), tx.enum_value(block[1][: -len(" group")]))
        rest = block[2:]
        cut = rest.index("Treatment:") if "Treatment:" in rest else len(rest)
        given = tuple(iv.name for s in rest[cut + 1 :] if (iv := _typed_intervention(s, "arms")))
        arms.append(Arm(label=label, type=arm_type, description="\n".join(rest[:cut]) or None, interventions=given))
    if len(arms) != expected:
        warn("arms", f"the page announces {expected} patient groups but lists {len(arms)}")
    return tuple(arms)


def _enrollment(text: str | None) -> Enrollment | None:
    if text is None:
        return None
    m = re.match(r"^([\d,]+)\s*(estimated|actual)?", text, re.I)
    if not m:
        warn("Enrollment", f"not a number of patients: {text!r}: dropped")
        return None
    kind = m.group(2).upper() if m.group(2) else None
    return Enrollment(count=int(m.group(1).replace(",", "")), type=kind)


def _design(purpose: str | None, allocation: str | None, model: str | None, masking: str | None) -> Design | None:
    if not any((purpose, allocation, model, masking)):
        return None
    mask, who = tx.masking(masking) if masking else (None, ())
    return Design(
        primary_purpose=tx.enum_value(purpose) if purpose else None,
        allocation=tx.enum_or_na(allocation),
        intervention_model=tx.intervention_model(model) if model else None,
        masking=mask,
        who_masked=who,
    )


def _eligibility(sex: str | None, ages: str | None, volunteers: str | None, sec: tx.Sections) -> Eligibility:
    lo = hi = None
    if ages:
        m = re.match(r"^(\d+)\s*to\s*(\d+)\s*(\w+)", ages)
        if m:
            lo = tx.parse_age(f"{m.group(1)} {m.group(3)}")
            hi = tx.parse_age(f"{m.group(2)} {m.group(3)}")
        elif m := re.match(r"^(\d+)\+\s*(\w+)", ages):
            lo = tx.parse_age(f"{m.group(1)} {m.group(2)}")
        elif m := re.match(r"^(?:up to|under)\s*(\d+)\s*(\w+)", ages, re.I):
            hi = tx.parse_age(f"{m.group(1)} {m.group(2)}")
    hv = None
    if volunteers:
        hv = not volunteers.lower().startswith("no ")
    return Eligibility(
        minimum_age=lo,
        maximum_age=hi,
        sex=tx.enum_value(sex) if sex else None,
        healthy_volunteers=hv,
        criteria=sec.titled_text("Inclusion criteria", "Exclusion criteria"),
    )
