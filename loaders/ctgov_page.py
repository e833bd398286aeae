"""The ClinicalTrials.gov-style study page (seeds 000 and 004).

The page is a title, ``NCT ID:`` and ``Last Updated:`` lines, then sections, each a header
line followed by a fixed explanatory sentence. Arms ("Study Groups") list their
interventions inline; the "Interventions" section gives each intervention's description,
which is what tells an intervention's description apart from the next arm's label.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from trialgraph.errors import LoaderError
from trialgraph.loaders import text as tx
from trialgraph.loaders.base import build_trial, require, warn
from trialgraph.records import (
    PARTIAL_DATE,
    Arm,
    Design,
    Eligibility,
    Enrollment,
    Identifier,
    Intervention,
    Reference,
    RelatedTrial,
    Site,
    Sponsor,
    Trial,
    TrialDate,
)

LAYOUT = "ctgov_page"

# Section header -> the start of the sentence the page prints under it.
SECTIONS: dict[str, str | None] = {
    "Study Results": None,
    "Basic Information": "Get a concise snapshot",
    "Brief Summary": "Review the sponsor-provided synopsis",
    "Detailed Description": "Dive into the extended narrative",
    "Conditions": "See the medical conditions",
    "Keywords": None,
    "Study Design": "Understand how the trial is structured",
    "Study Groups": "Review each arm or cohort",
    "Interventions": "Learn about the drugs, procedures",
    "Eligibility Criteria": "Check the participation requirements",
    "Sponsors": "Meet the organizations",
    "Responsible Party": "Identify the individual or organization",
    "Locations": "Explore where the study is taking place",
    "Countries": "Review the countries where",
    "References": "Explore related publications",
    "Other Identifiers": "Review additional registry numbers",
    "More Related Trials": "Additional clinical trials that may be relevant",
}
ELIGIBILITY_LABELS = ("Minimum Eligible Age", "Maximum Eligible Age", "Eligible Sex", "Accepts Healthy Volunteers")
MASKED_ROLES = {
    "participant": "PARTICIPANT",
    "care provider": "CARE_PROVIDER",
    "caregiver": "CARE_PROVIDER",
    "investigator": "INVESTIGATOR",
    "outcome assessor": "OUTCOMES_ASSESSOR",  # the registry's own enum spelling
}
_NCT_LINE = re.compile(r"^NCT ID:\s*(\S+)\s*$")
_UPDATED = re.compile(r"^Last Updated:\s*(\S+)\s*$")
_RELATED = re.compile(r"^(NCT\d{8})\s+([A-Z_]+)(?:\s+(.+))?$")


class CtgovPageLoader:
    name = LAYOUT

    def detect(self, text: str) -> bool:
        return bool(re.search(r"^NCT ID:\s*NCT\d", text[:4000], re.M))

    def parse(self, text: str, file: str) -> Iterator[Trial]:
        yield _Page(text, file).trial()


class _Page:
    def __init__(self, text: str, file: str) -> None:
        self.file = file
        self.lines = text.splitlines()
        self.sections = self._split_sections()

    # -- structure ---------------------------------------------------------------------------
    def _split_sections(self) -> dict[str, list[str]]:
        found: list[tuple[int, int, str]] = []  # (header line, first body line, name)
        start = 0
        for name, sentence in SECTIONS.items():
            hit = self._find_header(name, sentence, start)
            if hit is not None:
                found.append((hit[0], hit[1], name))
                start = hit[1]
        out: dict[str, list[str]] = {}
        for k, (_, body, name) in enumerate(found):
            end = found[k + 1][0] if k + 1 < len(found) else len(self.lines)
            out[name] = self.lines[body:end]
        self.preamble = self.lines[: found[0][0]] if found else self.lines
        return out

    def _find_header(self, name: str, sentence: str | None, start: int) -> tuple[int, int] | None:
        first_plain = None
        for i in range(start, len(self.lines)):
            if self.lines[i].strip() != name:
                continue
            j = i + 1
            while j < len(self.lines) and not self.lines[j].strip():
                j += 1
            if sentence and j < len(self.lines) and self.lines[j].strip().startswith(sentence):
                return i, j + 1
            if first_plain is None:
                first_plain = (i, i + 1)
        return first_plain if sentence is None else None

    def body(self, name: str) -> list[str]:
        return self.sections.get(name, [])

    # -- the record --------------------------------------------------------------------------
    def trial(self) -> Trial:
        f = self.file
        pre = tx.non_empty(self.preamble)
        title = pre[0] if pre else None
        nct = next((m.group(1) for line in pre if (m := _NCT_LINE.match(line))), None)
        require(nct, f, "NCT ID")
        require(title, f, "title")
        if "Basic Information" not in self.sections:
            raise LoaderError(f, "Basic Information", "section missing (is the page truncated?)")
        updated = next((m.group(1) for line in pre if (m := _UPDATED.match(line))), None)

        basic = _labelled(tx.non_empty(self.body("Basic Information")))
        interventions = self._interventions()
        arms = self._arms()
        sites = self._sites()
        results = tx.non_empty(self.body("Study Results"))
        self._check_end()
        return build_trial(
            f,
            nct_id=nct,
            source={"layout": LAYOUT, "file": f},
            brief_title=title,
            identifiers=self._identifiers(),
            overall_status=basic.get("Recruitment Status"),
            phases=tx.phases(basic.get("Clinical Phase", "")),
            study_type=basic.get("Study Classification"),
            enrollment=_enrollment(basic.get("Total Enrollment")),
            start_date=_date(basic.get("Study Start Date"), "Study Start Date"),
            primary_completion_date=_date(basic.get("Primary Completion Date"), "Primary Completion Date"),
            completion_date=_date(basic.get("Study Completion Date"), "Study Completion Date"),
            last_update_date=_date(updated, "Last Updated"),
            brief_summary=_text(self.body("Brief Summary")),
            detailed_description=_text(self.body("Detailed Description")),
            conditions=tuple(tx.non_empty(self.body("Conditions"))),
            keywords=tuple(tx.non_empty(self.body("Keywords"))),
            design=self._design(),
            arms=arms,
            interventions=interventions,
            eligibility=self._eligibility(),
            sponsors=self._sponsors(),
            responsible_party=self._responsible_party(),
            sites=sites,
            countries=tx.split_countries(
                " ".join(tx.non_empty(self.body("Countries"))), [s.country for s in sites if s.country]
            ),
            references=self._references(),
            related_trials=self._related(),
            has_results=(not results[0].lower().startswith("results pending")) if results else None,
        )

    def _check_end(self) -> None:
        """Is the data cut? "More Related Trials" (the site's recommendations, not trial data)
        closes a whole page; a page without it must still reach its last data section, "Other
        Identifiers" (every registered trial has its org study id), and end with a whole
        identifier (value, "Identifier Type:", "Identifier Source:")."""
        if "More Related Trials" in self.sections:
            return
        f = self.file
        if "Other Identifiers" not in self.sections:
            last = max(self.sections, key=list(SECTIONS).index)
            raise LoaderError(f, last, f"the page ends inside {last!r}, before 'Other Identifiers' (a section every "
                              "trial has): truncated?")
        items = tx.non_empty(self.body("Other Identifiers"))
        if len(items) < 3 or not items[-1].startswith("Identifier Source:") or not items[-2].startswith("Identifier Type:"):
            raise LoaderError(f, "Other Identifiers", "the page ends inside 'Other Identifiers' (its last identifier "
                              "has no value, type or source): truncated?")

    def _design(self) -> Design | None:
        lines = tx.non_empty(self.body("Study Design"))
        if not lines:
            return None
        kv = _labelled(lines)
        who: tuple[str, ...] = ()
        if "Blinding Strategy" in lines:
            k = lines.index("Blinding Strategy")
            if k + 2 < len(lines):
                who = _masked_roles(lines[k + 2])
        return Design(
            allocation=tx.enum_or_na(kv.get("Allocation Method")),
            intervention_model=tx.enum_or_na(kv.get("Intervention Model")),
            primary_purpose=tx.enum_or_na(kv.get("Primary Study Purpose")),
            masking=tx.enum_or_na(kv.get("Blinding Strategy")),
            who_masked=who,
        )

    def _interventions(self) -> tuple[Intervention, ...]:
        out: list[Intervention] = []
        self.raw_descriptions: dict[str, list[str]] = {}
        block: list[str] = []
        for line in tx.non_empty(self.body("Interventions")):
            m = re.match(r"^Intervention Type(?:\s+(\S+))?$", line)
            if not m:
                block.append(line)
                continue
            if not block:
                warn("Interventions", "an 'Intervention Type' line with no intervention name: skipped")
                continue
            self.raw_descriptions[block[0]] = block[1:]
            out.append(
                Intervention(
                    name=block[0],
                    type=m.group(1),
                    description=_text_from(block[1:]),
                )
            )
            block = []
        if block:
            warn("Interventions", f"intervention {block[0]!r} has no 'Intervention Type' line: skipped")
        return tuple(out)

    def _arms(self) -> tuple[Arm, ...]:
        items = tx.non_empty(self.body("Study Groups"))
        if not items:
            return ()
        known = self.raw_descriptions
        arms: list[Arm] = []
        pending: list[str] = []  # label (+ description) of the arm being read
        k = 0
        while k < len(items):
            line = items[k]
            m = re.match(r"^Group Type(?:\s+(\S+))?$", line)
            if not m:
                pending.append(line)
                k += 1
                continue
            if not pending:
                warn("Study Groups", "a 'Group Type' line with no arm label: skipped")
                k += 1
                continue
            label, desc = pending[0], _text_from(pending[1:])
            pending = []
            k += 1
            given: list[str] = []
            while k + 1 < len(items) and re.match(r"^Intervention Type(?:\s+\S+)?$", items[k + 1]):
                name = items[k]
                given.append(name)
                k += 2
                for para in known.get(name, []):  # the intervention's own description, repeated here
                    if k < len(items) and items[k] == para:
                        k += 1
                    else:
                        break
            unknown = [g for g in given if g not in known]
            if unknown:
                warn("Study Groups", f"arm {label!r} gives {unknown[0]!r}, which 'Interventions' does not list: "
                     "link dropped")
                given = [g for g in given if g in known]
            arms.append(Arm(label=label, type=m.group(1), description=desc, interventions=tuple(given)))
        if pending:
            warn("Study Groups", f"arm {pending[0]!r} has no 'Group Type' line: skipped")
        return tuple(arms)

    def _eligibility(self) -> Eligibility | None:
        raw = self.body("Eligibility Criteria")
        if not tx.non_empty(raw):
            return None
        cut = next((i for i, line in enumerate(raw) if line.strip() in ELIGIBILITY_LABELS), len(raw))
        kv = _labelled(tx.non_empty(raw[cut:]))
        hv = kv.get("Accepts Healthy Volunteers")
        return Eligibility(
            minimum_age=tx.parse_age(kv.get("Minimum Eligible Age", "")),
            maximum_age=tx.parse_age(kv.get("Maximum Eligible Age", "")),
            sex=tx.enum_or_na(kv.get("Eligible Sex")),
            healthy_volunteers=None if hv is None else hv.strip().lower() in {"yes", "true"},
            criteria=_text(raw[:cut]),
        )

    def _sponsors(self) -> tuple[Sponsor, ...]:
        out: list[Sponsor] = []
        block: list[str] = []
        for line in tx.non_empty(self.body("Sponsors")):
            m = re.match(r"^Sponsor Role\s+(\w+)$", line, re.I)
            if not m:
                block.append(line)
                continue
            if not block:
                warn("Sponsors", "a 'Sponsor Role' line with no sponsor name: skipped")
                continue
            role = m.group(1).lower()
            role = "lead" if role == "lead" else "collaborator"
            cls = block[-1] if len(block) > 1 and re.fullmatch(r"[A-Z_]+", block[-1]) else None
            name = " ".join(block[:-1]) if cls else " ".join(block)
            out.append(Sponsor(name=name, role=role, agency_class=cls))
            block = []
        return tuple(out)

    def _responsible_party(self) -> str | None:
        lines = tx.non_empty(self.body("Responsible Party"))
        for line in lines:
            m = re.match(r"^Responsibility Role\s+(\S+)$", line)
            if m:
                return m.group(1)
        return lines[0] if lines else None

    def _sites(self) -> tuple[Site, ...]:
        out: list[Site] = []
        block: list[str] = []
        for line in tx.non_empty(self.body("Locations")):
            m = re.match(r"^Site Status(?:\s+(\S+))?$", line)
            if not m:
                block.append(line)
                continue
            if len(block) < 2:
                warn("Locations", f"a site needs a facility and a place, got {block!r}: skipped")
                block = []
                continue
            city, state, country = tx.location(block[-1])
            out.append(
                Site(
                    facility=" ".join(block[:-1]),
                    city=city,
                    state=state,
                    country=country,
                    status=m.group(1),
                )
            )
            block = []
        if block:
            warn("Locations", f"site {block[0]!r} has no 'Site Status' line: skipped")
        return tuple(out)

    def _references(self) -> tuple[Reference, ...]:
        out: list[Reference] = []
        items = tx.non_empty(self.body("References"))
        k = 0
        citation: list[str] = []
        while k < len(items):
            m = re.match(r"^Reference Type(?:\s+(\S+))?$", items[k])
            if not m:
                citation.append(items[k])
                k += 1
                continue
            pmid = None
            if k + 1 < len(items) and (p := re.match(r"^PMID:\s*(\d+)", items[k + 1])):
                pmid = p.group(1)
                k += 1
            if not citation:
                warn("References", "a 'Reference Type' line with no citation: skipped")
                k += 1
                continue
            out.append(Reference(citation=" ".join(citation), pmid=pmid, type=m.group(1)))
            citation = []
            k += 1
        return tuple(out)

    def _identifiers(self) -> tuple[Identifier, ...]:
        out: list[Identifier] = []
        items = tx.non_empty(self.body("Other Identifiers"))
        for k, line in enumerate(items):
            m = re.match(r"^Identifier Source:\s*(.+)$", line)
            if not m:
                continue
            if k < 2 or not items[k - 1].startswith("Identifier Type:"):
                warn("Other Identifiers", "an identifier without its value and type: skipped")
                continue
            id_type = items[k - 1].partition(":")[2].strip()
            source = m.group(1).strip()
            out.append(
                Identifier(
                    value=items[k - 2],
                    type="org_study_id" if source == "org_study_id" else "secondary_id",
                    domain=None if id_type in {"", "-"} else id_type,
                )
            )
        return tuple(out)

    def _related(self) -> tuple[RelatedTrial, ...]:
        out: list[RelatedTrial] = []
        items = tx.non_empty(self.body("More Related Trials"))
        for k, line in enumerate(items):
            m = _RELATED.match(line)
            if m:
                title = items[k - 1] if k > 0 and not _RELATED.match(items[k - 1]) else None
                out.append(
                    RelatedTrial(nct_id=m.group(1), title=title, status=m.group(2), phases=tx.phases(m.group(3) or ""))
                )
        return tuple(out)


def _labelled(lines: Sequence[str]) -> dict[str, str]:
    """Label line followed by value line -> {label: value}, for the page's known labels."""
    labels = {
        "Recruitment Status", "Clinical Phase", "Total Enrollment", "Study Classification",
        "Study Start Date", "Study Completion Date", "Primary Completion Date",
        "Allocation Method", "Intervention Model", "Primary Study Purpose", "Blinding Strategy",
        *ELIGIBILITY_LABELS,
    }
    out: dict[str, str] = {}
    for k, line in enumerate(lines[:-1]):
        if line in labels and lines[k + 1] not in labels:
            out[line] = lines[k + 1]
    return out


def _enrollment(text: str | None) -> Enrollment | None:
    if text is None:
        return None
    m = re.match(r"^([\d,]+)\b", text)
    if not m:
        warn("Total Enrollment", f"not a number: {text!r}: dropped")
        return None
    return Enrollment(count=int(m.group(1).replace(",", "")))


def _date(text: str | None, field: str) -> TrialDate | None:
    if not text:
        return None
    if not PARTIAL_DATE.match(text):
        warn(field, f"not an ISO date: {text!r}: dropped")
        return None
    return TrialDate(date=text)



def _masked_roles(line: str) -> tuple[str, ...]:
    found = []
    low = line.lower()
    for word, role in MASKED_ROLES.items():
        if word in low and role not in found:
            found.append(role)
    return tuple(found)


def _text(lines: Sequence[str]) -> str | None:
    text = tx.join_text(lines)
    return tx.unescape_markdown(text) if text else None


def _text_from(paragraphs: Sequence[str]) -> str | None:
    return tx.unescape_markdown("\n\n".join(paragraphs)) if paragraphs else None
