"""The MedPath trial page (seed 002).

Its tables lose their cell boundaries: the arm table prints
``AnlotinibAnlotinib HydrochlorideAdministration Anlotinib ...`` for the cells
(group "Anlotinib", intervention "Anlotinib Hydrochloride", description "Administration ...").
Cells are split where a lower-case letter runs straight into an upper-case one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from trialgraph.errors import LoaderError
from trialgraph.loaders import text as tx
from trialgraph.loaders.base import build_trial, require
from trialgraph.records import Arm, Design, Eligibility, Enrollment, Intervention, Outcome, Site, Sponsor, Trial

LAYOUT = "medpath"
HEADERS = (
    "Conditions", "Interventions", "Registration Number", "Lead Sponsor", "Brief Summary",
    "Detailed Description", "Recruitment & Eligibility", "Status", "Sex", "Target Recruitment",
    "Inclusion Criteria", "Exclusion Criteria", "Study & Design", "Study Type", "Study Design",
    "Arm && Interventions", "Primary Outcome Measures", "Secondary Outcome Measures",
    "Trial Locations", "FOOTER",
)


class MedPathLoader:
    name = LAYOUT

    def detect(self, text: str) -> bool:
        return text.lstrip()[:50].startswith("MedPath") and "Registration Number" in text

    def parse(self, text: str, file: str) -> Iterator[Trial]:
        yield _parse(text, file)


def _is_header(header: str, line: str) -> bool:
    return line == header or (header == "FOOTER" and line.startswith("©") and "MedPath" in line)


def _parse(text: str, file: str) -> Trial:
    sec = tx.Sections(text.splitlines(), HEADERS, _is_header)
    if "FOOTER" not in sec:
        raise LoaderError(file, "footer", "the page ends early (no MedPath copyright line): truncated?")
    items, one = sec.items, sec.one

    pre = tx.non_empty(sec.preamble)[1:]  # drop the "MedPath" banner
    title = pre[0] if pre else None
    require(title, file, "title")
    phase_lines = [s for s in pre[1:] if tx.is_phase_text(s)]
    phases: tuple[str, ...] = ()
    for p in phase_lines:
        phases += tuple(x for x in tx.phases(p) if x not in phases)
    nct = one("Registration Number")
    require(nct, file, "Registration Number")

    interventions: list[Intervention] = []
    for line in items("Interventions"):
        typed = tx.typed_name(line)
        interventions.append(Intervention(name=typed[1], type=typed[0]) if typed else Intervention(name=line))
    arms = _arms(items("Arm && Interventions"), [i.name for i in interventions], file)
    for arm in arms:  # the arm table names interventions the list above may not
        for name in arm.interventions:
            if not any(i.name == name for i in interventions):
                interventions.append(Intervention(name=name))

    target = one("Target Recruitment")
    if target is not None and not re.fullmatch(r"[\d,]+", target):
        raise LoaderError(file, "Target Recruitment", f"not a number: {target!r}")
    status = one("Status") or next((s for s in pre[1:] if s not in phase_lines), None)
    lead = one("Lead Sponsor")
    return build_trial(
        file,
        nct_id=nct,
        source={"layout": LAYOUT, "file": file},
        brief_title=title,
        overall_status=tx.enum_value(status) if status else None,
        phases=phases,
        study_type=tx.enum_value(one("Study Type")) if one("Study Type") else None,
        enrollment=Enrollment(count=int(target.replace(",", ""))) if target else None,
        brief_summary=tx.join_text(sec.raw("Brief Summary")),
        detailed_description=tx.join_text(sec.raw("Detailed Description")),
        conditions=tuple(items("Conditions")),
        design=Design(intervention_model=tx.enum_value(one("Study Design"))) if one("Study Design") else None,
        arms=arms,
        interventions=tuple(interventions),
        eligibility=Eligibility(sex=tx.enum_value(one("Sex")) if one("Sex") else None, criteria=sec.titled_text("Inclusion Criteria", "Exclusion Criteria")),
        sponsors=(Sponsor(name=lead, role="lead"),) if lead else (),
        sites=_sites(items("Trial Locations"), file),
        outcomes=_outcomes(items("Primary Outcome Measures"), "primary", file)
        + _outcomes(items("Secondary Outcome Measures"), "secondary", file),
    )


def split_arm_row(row: str, known_interventions: Sequence[str] = ()) -> tuple[str, str, str]:
    """Split one run-together arm-table row into (group, intervention, description).

    Candidate cuts are the lower->upper case boundaries. With more than two, prefer the cut
    whose middle cell is an intervention the page lists, then one whose middle cell shares
    its first word with the group (groups are usually named after their drug), then the
    earliest cuts.
    """
    cuts = tx.camel_boundaries(row)
    if len(cuts) < 2:
        raise ValueError(f"cannot find three cells in {row!r}")
    best: tuple[int, int, int] | None = None
    best_score = -1
    for a in range(len(cuts)):
        for b in range(a + 1, len(cuts)):
            i, j = cuts[a], cuts[b]
            group, middle, desc = row[:i].strip(), row[i:j].strip(), row[j:].strip()
            score = 0
            if middle in known_interventions:
                score += 4
            if group.split()[0].lower() == middle.split()[0].lower():
                score += 2
            if " " in desc:
                score += 1
            if score > best_score:
                best, best_score = (i, j, 0), score
    assert best is not None
    i, j, _ = best
    return row[:i].strip(), row[i:j].strip(), row[j:].strip()


def _arms(lines: Sequence[str], known: Sequence[str], file: str) -> tuple[Arm, ...]:
    if not lines:
        return ()
    if lines[0].replace(" ", "") != "GroupInterventionDescription":
        raise LoaderError(file, "Arm && Interventions", f"unexpected table header {lines[0]!r}")
    arms: list[Arm] = []
    for row in lines[1:]:
        try:
            group, intervention, desc = split_arm_row(row, known)
        except ValueError:
            if not arms:
                raise LoaderError(file, "Arm && Interventions", f"cannot split the row {row!r} into its cells") from None
            last = arms.pop()  # a wrapped description line
            arms.append(last.model_copy(update={"description": f"{last.description}\n{row}"}))
            continue
        arms.append(Arm(label=group, interventions=(intervention,), description=desc or None))
    return tuple(arms)


def _outcomes(lines: Sequence[str], kind: str, file: str) -> tuple[Outcome, ...]:
    if not lines:
        return ()
    if lines[0].replace(" ", "") != "NameTimeMethod":
        raise LoaderError(file, f"{kind} outcomes", f"unexpected table header {lines[0]!r}")
    out: list[Outcome] = []
    for row in lines[1:]:
        cuts = tx.camel_boundaries(row, digits=True)
        if cuts:
            out.append(Outcome(kind=kind, measure=row[: cuts[0]].strip(), time_frame=row[cuts[0] :].strip()))
        elif out and out[-1].description is None:
            out[-1] = out[-1].model_copy(update={"description": row})
        else:
            raise LoaderError(file, f"{kind} outcomes", f"cannot split the row {row!r} into its cells")
    return tuple(out)


def _sites(lines: Sequence[str], file: str) -> tuple[Site, ...]:
    if not lines:
        return ()
    m = re.match(r"^Locations \((\d+)\)$", lines[0])
    if not m:
        raise LoaderError(file, "Trial Locations", f"expected 'Locations (N)', got {lines[0]!r}")
    rows = [x for x in lines[1:] if not tx.is_flag(x)]
    if len(rows) % 2:
        raise LoaderError(file, "Trial Locations", "a site without its place (truncated page?)")
    sites = []
    for k in range(0, len(rows), 2):
        city, state, country = tx.location(rows[k + 1])
        sites.append(Site(facility=rows[k], city=city, state=state, country=country))
    if len(sites) != int(m.group(1)):
        raise LoaderError(file, "Trial Locations", f"the page announces {m.group(1)} locations but lists {len(sites)}")
    return tuple(sites)
