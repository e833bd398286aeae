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
from trialgraph.loaders.base import WarningKind, build_trial, require, warn
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
    arms = _arms(items("Arm && Interventions"), [i.name for i in interventions])
    for arm in arms:  # the arm table names interventions the list above may not
        for name in arm.interventions:
            if not any(i.name == name for i in interventions):
                interventions.append(Intervention(name=name))

    target = one("Target Recruitment")
    if target is not None and not re.fullmatch(r"[\d,]+", target):
        warn("Target Recruitment", f"not a number: {target!r}: dropped")
        target = None
    status = one("Status") or next((s for s in pre[1:] if s not in phase_lines), None)
    lead = one("Lead Sponsor")
    return build_trial(
        file,
        nct_id=nct,
        source={"layout": LAYOUT, "file": file},
        brief_title=title,
        overall_status=tx.enum_value(status) if status else None,
        phases=phases,
        study_type=tx.enum_value(v) if (v := one("Study Type")) else None,
        enrollment=Enrollment(count=int(target.replace(",", ""))) if target else None,
        brief_summary=tx.join_text(sec.raw("Brief Summary")),
        detailed_description=tx.join_text(sec.raw("Detailed Description")),
        conditions=tuple(items("Conditions")),
        design=Design(intervention_model=tx.enum_value(v)) if (v := one("Study Design")) else None,
        arms=arms,
        interventions=tuple(interventions),
        eligibility=Eligibility(sex=tx.enum_value(v) if (v := one("Sex")) else None, criteria=sec.titled_text("Inclusion Criteria", "Exclusion Criteria")),
        sponsors=(Sponsor(name=lead, role="lead"),) if lead else (),
        sites=_sites(items("Trial Locations")),
        outcomes=_outcomes(sec.raw("Primary Outcome Measures"), "primary")
        + _outcomes(sec.raw("Secondary Outcome Measures"), "secondary"),
    )


#: Words that open an arm label of their own ("Experimental: ...", "Control group"): evidence
#: that a cell starts there.
ARM_TYPE_WORDS = ("Experimental", "Active Comparator", "Placebo Comparator", "Sham Comparator", "No Intervention",
                  "Control", "Cohort", "Arm", "Group")


MAX_CANDIDATES = 16


def _glue_points(row: str) -> list[int]:
    """Where one cell may end and the next begin: a lower-case letter, digit, closing bracket or
    '%' directly followed by an upper-case letter (``AnlotinibAnlotinib``, ``3)Drug``)."""
    return [i for i in range(1, len(row))
            if (row[i - 1].islower() or row[i - 1].isdigit() or row[i - 1] in ")]%.") and row[i].isupper()]


def _description_points(row: str) -> list[int]:
    """Where a description may begin: a glue point, or a letter followed by a digit (a dose:
    ``Tislelizumab200 mg``)."""
    return sorted(set(_glue_points(row)) | {i for i in range(1, len(row)) if row[i - 1].isalpha() and row[i].isdigit()})


def _find_all(row: str, name: str) -> list[int]:
    """Where a cell holding ``name`` may start: the name as printed, run into the cell before it
    (a name after a space is a word inside a cell: 'Arm I (bleomycin, carboplatin)')."""
    out = []
    k = row.find(name, 1)
    while k != -1 and name:
        if not row[k - 1].isspace():
            out.append(k)
        k = row.find(name, k + 1)
    return out


def split_arm_row_scored(row: str, known_interventions: Sequence[str] = (), previous_group: str | None = None
                         ) -> tuple[str, str, str, bool]:
    """Split one run-together arm-table row into (group, intervention, description, sure).

    Candidate cells start where the page's own interventions begin, at case boundaries
    (``AnlotinibAnlotinib``) and, for the description, at a letter running into a digit (a dose).
    The split with the most evidence wins: the middle cell is an intervention the page lists; the
    group is named after it (same name or same first word); the description reads as text.
    ``sure`` is False when nothing but case boundaries supports the split, or two splits are
    equally good. A ValueError when the row has no cell boundary at all (a wrapped line)."""
    row = row.strip()
    known = sorted({k.strip() for k in known_interventions if k and k.strip()}, key=len, reverse=True)
    starts = set(_glue_points(row))
    ends = set(_description_points(row))
    for name in known:
        for k in _find_all(row, name):
            starts.add(k)
            if k + len(name) < len(row):
                ends.add(k + len(name))
    if not starts:
        raise ValueError(f"cannot find the cells of {row!r}")
    glued = [k for name in known for k in _find_all(row, name)]  # listed names run into a cell
    scored: list[tuple[float, int, int]] = []
    lowered = {k.casefold() for k in known}
    for i in sorted(starts)[:MAX_CANDIDATES]:  # cells are names: the cuts come early in the row
        group = row[:i].strip()
        if not group:
            continue
        for j in [*sorted(e for e in ends if e > i)[:MAX_CANDIDATES], len(row)]:
            middle, desc = row[i:j].strip(), row[j:].strip()
            if not middle:
                continue
            score = 0.0
            if middle.casefold() in lowered:
                score += 8
            if previous_group is not None and group == previous_group:
                score += 3  # the same arm's next intervention
            if group.casefold() == middle.casefold():
                score += 3
            elif re.search(r"[\s:(]" + re.escape(middle.casefold()) + "$", group.casefold()):
                score += 2  # 'Arm A: Nivolumab' gives Nivolumab
            elif group.split()[0].casefold() == middle.split()[0].casefold():
                score += 2
            if desc and _glue_points(desc.split()[0]):
                score -= 1  # a description does not open with two cells run together
            if any(k > j for k in glued):
                score -= 2  # a listed intervention still glued on inside the description: the cut is too early
            if desc and " " in desc:
                score += 1
            if not desc:
                score -= 1
            # cells that still hold a case boundary are probably two cells run together
            score -= 0.25 * (len(_glue_points(middle)) + len(_glue_points(group)))
            if middle.casefold() not in lowered and any(middle.startswith(w + " ") for w in ARM_TYPE_WORDS):
                score -= 1  # an arm-type word opens a group, not an intervention
            scored.append((score, i, j))
    if not scored:
        raise ValueError(f"cannot find the cells of {row!r}")
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    best, i, j = scored[0]
    middle = row[i:j].strip()
    tie = len(scored) > 1 and scored[1][0] == best
    sure = middle.casefold() in lowered or (best >= 3 and not tie)
    return row[:i].strip(), middle, row[j:].strip(), sure


def split_arm_row(row: str, known_interventions: Sequence[str] = ()) -> tuple[str, str, str]:
    """Split one run-together arm-table row into (group, intervention, description)."""
    return split_arm_row_scored(row, known_interventions)[:3]


def _arms(lines: Sequence[str], known: Sequence[str]) -> tuple[Arm, ...]:
    """The arm table: one row per arm and intervention (an arm giving two interventions has two
    rows with the same group); a row with no cell boundary continues the previous description."""
    if not lines:
        return ()
    if lines[0].replace(" ", "") != "GroupInterventionDescription":
        warn("Arm && Interventions", f"unexpected table header {lines[0]!r}: table skipped")
        return ()
    arms: list[Arm] = []
    for row in lines[1:]:
        try:
            group, intervention, desc, sure = split_arm_row_scored(row, known, arms[-1].label if arms else None)
        except ValueError:
            if not arms:
                warn("Arm && Interventions", f"cannot split the row {row!r} into its cells: skipped")
                continue
            last = arms.pop()  # a wrapped description line
            arms.append(last.model_copy(update={"description": f"{last.description}\n{row}" if last.description else row}))
            continue
        if not sure:
            warn("Arm && Interventions", f"row {row!r} read as group {group!r}, intervention {intervention!r}, "
                 f"description {desc[:40]!r}: the page does not list that intervention", kind=WarningKind.AMBIGUOUS_CELLS)
        if arms and arms[-1].label == group:  # the same arm's next intervention
            last = arms.pop()
            given = tuple(dict.fromkeys((*last.interventions, intervention)))
            arms.append(last.model_copy(update={"interventions": given}))
            continue
        arms.append(Arm(label=group, interventions=(intervention,), description=desc or None))
    return tuple(arms)


#: How a time frame opens ("Up to 1 year", "Baseline", "Cycle 1 (21 Days)", "6 weeks", "From ...").
_TIME_START = re.compile(
    r"(?:\d+(?:[.,]\d+)?\s*(?:-|to|and|or)?\s*(?:\d+\s*)?(?:second|minute|hour|day|week|month|year|cycle|dose)s?\b|(?:up to|from|at|after|before|during|within|through|throughout|until|over|every|each|end of|baseline|"  # noqa: E501
    r"approximately|approx|average|day|week|month|year|hour|minute|cycle|visit|screening|follow|time|date|"
    r"randomi[sz]ation|enrol|pre|post|periop|treatment|study|one|two|three|six|twelve)\b)", re.I)
#: Words a time frame holds anywhere.
_TIME_WORDS = re.compile(r"\b(?:second|minute|hour|day|week|month|year|baseline|cycle|visit)s?\b|\d", re.I)


def split_outcome_row(row: str) -> tuple[str, str] | None:
    """One run-together outcome row -> (measure, time frame), or None when it has no cell
    boundary. Cuts are case boundaries (``survivalFrom``), a closing bracket or letter running into
    a digit (``(DLT)4 weeks``, ``survival1 year``); the first cut after which the rest opens like a
    time frame wins, else the first whose rest holds a time word, else the first cut."""
    cuts = sorted(set(_glue_points(row))
                  | {i for i in range(1, len(row)) if (row[i - 1].isalpha() or row[i - 1] in ")]") and row[i].isdigit()})
    cuts = [i for i in cuts if row[:i].strip() and row[i:].strip()
            and not (row[i - 1].isalpha() and row[i].isdigit() and row[i + 1:i + 2].isalpha())]  # 'RP2D' is one word
    if not cuts:
        return None
    for test in (lambda rest: _TIME_START.match(rest), lambda rest: _TIME_WORDS.search(rest)):
        for i in cuts:
            if test(row[i:]):
                return row[:i].strip(), row[i:].strip()
    return row[: cuts[0]].strip(), row[cuts[0]:].strip()


def _outcomes(raw: Sequence[str], kind: str) -> tuple[Outcome, ...]:
    """An outcome table: after its "NameTimeMethod" header, each row a measure and time frame
    run together, and a description on a line after a blank line."""
    lines = [ln.strip() for ln in raw]
    while lines and not lines[0]:
        lines.pop(0)
    if not lines:
        return ()
    if lines[0].replace(" ", "") != "NameTimeMethod":
        warn(f"{kind} outcomes", f"unexpected table header {lines[0]!r}: table skipped")
        return ()
    out: list[Outcome] = []
    after_blank = False
    expect_description = False
    for row in lines[1:]:
        if not row:
            after_blank = True
            continue
        row = tx.clean(row)
        if out and expect_description and after_blank:
            out[-1] = out[-1].model_copy(update={"description": row})
            expect_description = after_blank = False
            continue
        after_blank = False
        cut = split_outcome_row(row)  # no boundary: a measure with no time frame
        out.append(Outcome(kind=kind, measure=cut[0] if cut else row, time_frame=cut[1] if cut else None))
        expect_description = True
    return tuple(out)


def _sites(lines: Sequence[str]) -> tuple[Site, ...]:
    if not lines:
        return ()
    m = re.match(r"^Locations \((\d+)\)$", lines[0])
    if not m:
        warn("Trial Locations", f"expected 'Locations (N)', got {lines[0]!r}: sites skipped")
        return ()
    rows = [x for x in lines[1:] if not tx.is_flag(x)]
    if len(rows) % 2:
        warn("Trial Locations", f"site {rows[-1]!r} has no place: skipped")
        rows = rows[:-1]
    sites = []
    for k in range(0, len(rows), 2):
        city, state, country = tx.location(rows[k + 1])
        sites.append(Site(facility=rows[k], city=city, state=state, country=country))
    if len(sites) != int(m.group(1)):
        warn("Trial Locations", f"the page announces {m.group(1)} locations but lists {len(sites)}")
    return tuple(sites)
