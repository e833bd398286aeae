"""ClinicalTrials.gov API v2 JSON: one study object, a list of studies, a search-result page
(``{"studies": [...], "nextPageToken": ...}``), or NDJSON (one study per line).

Errors name the file and the JSON path of the field (``studies[3].protocolSection...``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ijson
import orjson

from trialgraph.errors import LoaderError
from trialgraph.loaders import results as rs
from trialgraph.loaders import text as tx
from trialgraph.loaders.base import build_trial, read_text, warn
from trialgraph.records import (
    NCT_ID,
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

LAYOUT = "ctgov_api_v2"


class CtgovJsonLoader:
    name = LAYOUT

    def detect(self, text: str) -> bool:
        """A study, list or page holding protocolSection; or text that opens like JSON but does
        not parse (so a broken study gets "malformed JSON", not "unknown layout")."""
        head = text.lstrip()[:1]
        if head not in ("{", "["):
            return False
        if '"protocolSection"' in text[:200_000]:
            return True
        try:
            loads(text)
        except ValueError:
            return True
        return False

    def parse(self, text: str, file: str) -> Iterator[Trial]:
        if m := ELEMENT.match(file):  # one study of a container, read on its own (see elements)
            yield study_to_trial(loads(text), m["file"], m["where"])
            return
        for where, study in _studies(text, file):
            yield study_to_trial(study, file, where)


def loads(text: str) -> Any:
    """JSON text -> values: orjson (about twice as fast), else the standard library, which
    also reads what orjson refuses (NaN, lone surrogates, integers beyond 64 bits) and words the
    error of malformed JSON (line and column) as before."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


# -- containers, streamed -----------------------------------------------------------------------
#: A document that is one study of a JSON container: ``file#[k]`` (an array) or ``file#studies[k]``
#: (a search page), the same names the records' source file had when the container was read whole.
ELEMENT = re.compile(r"^(?P<file>.+)#(?P<where>(?:studies)?\[\d+\])$")
_PAGE = re.compile(rb'^\s*\{\s*"studies"\s*:\s*\[')
_BOM = b"\xef\xbb\xbf"


def container(head: bytes) -> str | None:
    """The ijson prefix of the studies if a file opening with ``head`` is a JSON array or a
    search page whose first key is ``studies`` (what the registry's API and website write)."""
    head = head.removeprefix(_BOM).lstrip()
    if head.startswith(b"["):
        return "item"
    return "studies.item" if _PAGE.match(head) else None


def elements(path: Path, prefix: str) -> Iterator[tuple[str, Callable[[], str]]]:
    """Each study of a JSON array or search page as its own document (``file#[k]`` or
    ``file#studies[k]``), parsed incrementally (ijson), so a download of any size loads in flat
    memory and a bad study rejects only itself. A container whose first element is not an API v2
    study is one document, as before (its layout is detected, or refused, whole). Malformed JSON
    stops the stream: the element where it broke is reported, naming the file and the position."""
    label = "[{}]" if prefix == "item" else "studies[{}]"
    k = 0
    try:
        with path.open("rb") as f:
            if f.read(3) != _BOM:
                f.seek(0)
            for item in ijson.items(f, prefix, use_float=True):
                if k == 0 and not (isinstance(item, dict) and "protocolSection" in item):
                    yield str(path), lambda: read_text(path)
                    return
                where = label.format(k)
                text = _dumps(item)
                yield f"{path}#{where}", (lambda text=text: text)  # type: ignore[misc]  # the default binds the loop value
                k += 1
    except OSError as e:
        raise LoaderError(str(path), None, f"cannot read file: {e.strerror or e}") from e
    except ijson.JSONError as e:
        where = label.format(k)
        error = LoaderError(str(path), where, f"malformed JSON in study {k} ({e}); it and any after it were not read")

        def fail() -> str:
            raise error

        yield f"{path}#{where}", fail


def _dumps(item: Any) -> str:
    try:
        return orjson.dumps(item).decode()
    except TypeError:  # an integer beyond 64 bits
        return json.dumps(item, ensure_ascii=False)


def _studies(text: str, file: str) -> Iterator[tuple[str, Any]]:
    try:
        doc = loads(text)
    except json.JSONDecodeError as whole_error:
        lines = text.splitlines()
        if sum(1 for ln in lines if ln.strip()) < 2:
            raise LoaderError(file, "json", f"malformed JSON at line {whole_error.lineno}, column {whole_error.colno}: {whole_error.msg}") from None
        for n, line in enumerate(lines, start=1):  # NDJSON: one study per line
            if not line.strip():
                continue
            try:
                yield f"line {n}", loads(line)
            except json.JSONDecodeError as e:
                raise LoaderError(file, f"line {n}", f"malformed JSON at column {e.colno}: {e.msg}") from None
        return
    if isinstance(doc, dict) and "studies" in doc:
        if not isinstance(doc["studies"], list):
            raise LoaderError(file, "studies", "expected a list of studies")
        for k, s in enumerate(doc["studies"]):
            yield f"studies[{k}]", s
    elif isinstance(doc, list):
        for k, s in enumerate(doc):
            yield f"[{k}]", s
    else:
        yield "", doc


class _Study:
    """Typed access to one study object. A value of the wrong type costs that field: it reads as
    absent, with a warning naming its JSON path (the study's identity is checked by the caller)."""

    def __init__(self, doc: Any, file: str, where: str) -> None:
        self.doc, self.file, self.where = doc, file, where
        self.nct: str | None = None

    def _wrong(self, path: str, message: str) -> None:
        warn(path, f"{message}: dropped", nct_id=self.nct)

    def path(self, *keys: str | int) -> str:
        parts = [self.where] if self.where else []
        for k in keys:
            parts.append(f"[{k}]" if isinstance(k, int) else ("." if parts else "") + k)
        return "".join(parts)

    def get(self, *keys: str, kind: type | tuple[type, ...] = object, default: Any = None) -> Any:
        node = self.doc
        for i, k in enumerate(keys):
            if not isinstance(node, dict):
                self._wrong(self.path(*keys[:i]), f"expected an object, got {type(node).__name__}")
                return default
            if k not in node or node[k] is None:
                return default
            node = node[k]
        if kind is not object and not isinstance(node, kind):
            want = kind.__name__ if isinstance(kind, type) else " or ".join(t.__name__ for t in kind)
            self._wrong(self.path(*keys), f"expected {want}, got {type(node).__name__}: {str(node)[:40]!r}")
            return default
        return node

    def text(self, *keys: str) -> str | None:
        v = self.get(*keys, kind=str)
        return v.strip() or None if v is not None else None

    def objects(self, *keys: str) -> list[dict]:
        items = self.get(*keys, kind=list, default=[])
        for k, item in enumerate(items):
            if not isinstance(item, dict):
                self._wrong(self.path(*keys, k), f"expected an object, got {type(item).__name__}")
        return [item for item in items if isinstance(item, dict)]

    def strings(self, *keys: str) -> tuple[str, ...]:
        items = self.get(*keys, kind=list, default=[])
        for k, item in enumerate(items):
            if not isinstance(item, str):
                self._wrong(self.path(*keys, k), f"expected a string, got {type(item).__name__}")
        return tuple(i.strip() for i in items if isinstance(i, str) and i.strip())

    def mesh(self, *keys: str) -> tuple[MeshTerm, ...]:
        return tuple(MeshTerm(id=m["id"], term=m["term"]) for m in self.objects(*keys) if m.get("id"))

    def date(self, *keys: str) -> TrialDate | None:
        d = self.get(*keys, kind=dict)
        if not d or not d.get("date"):
            return None
        try:
            return TrialDate(date=d["date"], type=d.get("type"))
        except ValueError as e:
            self._wrong(self.path(*keys, "date"), str(e).splitlines()[-1])
            return None


def _strip_type(name: str) -> str:
    """Arm groups name interventions as 'Drug: X'; the intervention itself is 'X'."""
    typed = tx.typed_name(name)
    return typed[1] if typed and typed[0] in _INTERVENTION_TYPES else name.strip()


_INTERVENTION_TYPES = {
    "DRUG", "BIOLOGICAL", "DEVICE", "PROCEDURE", "RADIATION", "BEHAVIORAL", "GENETIC", "DIETARY_SUPPLEMENT",
    "COMBINATION_PRODUCT", "DIAGNOSTIC_TEST", "OTHER",
}


def study_to_trial(doc: Any, file: str, where: str = "") -> Trial:
    if not isinstance(doc, dict):
        raise LoaderError(file, where or None, f"expected a study object, got {type(doc).__name__}")
    s = _Study(doc, file, where)
    p = ("protocolSection",)
    if s.get(*p, kind=dict) is None:
        raise LoaderError(file, s.path("protocolSection"), "missing: not a ClinicalTrials.gov API v2 study")
    ident, status, design_m = (*p, "identificationModule"), (*p, "statusModule"), (*p, "designModule")
    nct = s.text(*ident, "nctId")
    if nct is None:
        raise LoaderError(file, s.path(*ident, "nctId"), "missing")
    if not NCT_ID.match(nct):
        raise LoaderError(file, s.path(*ident, "nctId"), f"not an NCT identifier (NCT followed by 8 digits): {nct!r}")
    s.nct = nct
    title = s.text(*ident, "briefTitle") or s.text(*ident, "officialTitle")
    if title is None:
        raise LoaderError(file, s.path(*ident, "briefTitle"), "missing")

    identifiers = []
    if org := s.text(*ident, "orgStudyIdInfo", "id"):
        identifiers.append(Identifier(value=org, type="org_study_id"))
    for sec in s.objects(*ident, "secondaryIdInfos"):
        if sec.get("id"):
            identifiers.append(Identifier(value=sec["id"], type=sec.get("type") or "secondary_id", domain=sec.get("domain")))

    arms_m = (*p, "armsInterventionsModule")
    raw_interventions = s.objects(*arms_m, "interventions")
    interventions = tuple(
        Intervention(
            name=iv.get("name", "").strip(),
            type=iv.get("type"),
            description=iv.get("description"),
            other_names=tuple(n for n in iv.get("otherNames", []) if n),
        )
        for iv in raw_interventions
        if iv.get("name")
    )
    names = {i.name for i in interventions}
    by_arm: dict[str, list[str]] = {}
    for iv in raw_interventions:
        for label in iv.get("armGroupLabels", []) or []:
            by_arm.setdefault(label, []).append(iv.get("name", "").strip())
    arms = []
    for a in s.objects(*arms_m, "armGroups"):
        label = (a.get("label") or "").strip()
        if not label:
            continue
        given = [_strip_type(n) for n in a.get("interventionNames", []) or []]
        given = [g for g in given if g in names] or by_arm.get(label, [])
        arms.append(Arm(label=label, type=a.get("type"), description=a.get("description"), interventions=tuple(dict.fromkeys(given))))

    elig_m = (*p, "eligibilityModule")
    masking = s.get(*design_m, "designInfo", "maskingInfo", kind=dict, default={})
    info = s.get(*design_m, "designInfo", kind=dict, default={})
    enrollment = s.get(*design_m, "enrollmentInfo", kind=dict)
    if enrollment is not None and enrollment.get("count") is not None:
        s.get(*design_m, "enrollmentInfo", "count", kind=int)  # "forty" or 40.5: named, and dropped
    sponsors_m = (*p, "sponsorCollaboratorsModule")
    sponsors = []
    if lead := s.text(*sponsors_m, "leadSponsor", "name"):
        sponsors.append(Sponsor(name=lead, role="lead", agency_class=s.text(*sponsors_m, "leadSponsor", "class")))
    for c in s.objects(*sponsors_m, "collaborators"):
        if c.get("name"):
            sponsors.append(Sponsor(name=c["name"].strip(), role="collaborator", agency_class=c.get("class")))
    sites = tuple(
        Site(
            facility=(loc.get("facility") or "").strip() or None,
            city=loc.get("city"),
            state=loc.get("state"),
            zip=loc.get("zip"),
            country=loc.get("country"),
            status=loc.get("status"),
            latitude=(loc.get("geoPoint") or {}).get("lat"),
            longitude=(loc.get("geoPoint") or {}).get("lon"),
        )
        for loc in s.objects(*p, "contactsLocationsModule", "locations")
    )
    outcomes = tuple(
        Outcome(kind=kind, measure=o["measure"].strip(), time_frame=o.get("timeFrame"), description=o.get("description"))
        for kind, key in (("primary", "primaryOutcomes"), ("secondary", "secondaryOutcomes"), ("other", "otherOutcomes"))
        for o in s.objects(*p, "outcomesModule", key)
        if o.get("measure")
    )
    outcomes, event_groups, adverse_events = _results(s, outcomes)
    derived = ("derivedSection",)
    hv = s.get(*elig_m, "healthyVolunteers", kind=bool)
    return build_trial(
        file,
        nct_id=nct,
        source={"layout": LAYOUT, "file": f"{file}#{where}" if where else file},
        brief_title=title,
        official_title=s.text(*ident, "officialTitle"),
        acronym=s.text(*ident, "acronym"),
        identifiers=tuple(identifiers),
        overall_status=s.text(*status, "overallStatus"),
        why_stopped=s.text(*status, "whyStopped"),
        phases=s.strings(*design_m, "phases"),
        study_type=s.text(*design_m, "studyType"),
        enrollment=Enrollment(count=enrollment["count"], type=enrollment.get("type"))
        if enrollment and isinstance(enrollment.get("count"), int)
        else None,
        start_date=s.date(*status, "startDateStruct"),
        primary_completion_date=s.date(*status, "primaryCompletionDateStruct"),
        completion_date=s.date(*status, "completionDateStruct"),
        first_posted_date=s.date(*status, "studyFirstPostDateStruct"),
        last_update_date=s.date(*status, "lastUpdatePostDateStruct"),
        brief_summary=s.text(*p, "descriptionModule", "briefSummary"),
        detailed_description=s.text(*p, "descriptionModule", "detailedDescription"),
        conditions=s.strings(*p, "conditionsModule", "conditions"),
        keywords=s.strings(*p, "conditionsModule", "keywords"),
        condition_mesh=s.mesh(*derived, "conditionBrowseModule", "meshes"),
        intervention_mesh=s.mesh(*derived, "interventionBrowseModule", "meshes"),
        design=Design(
            allocation=info.get("allocation"),
            intervention_model=info.get("interventionModel"),
            primary_purpose=info.get("primaryPurpose"),
            masking=masking.get("masking"),
            who_masked=tuple(masking.get("whoMasked", []) or []),
        )
        if info
        else None,
        arms=tuple(arms),
        interventions=interventions,
        eligibility=Eligibility(
            minimum_age=tx.parse_age(s.text(*elig_m, "minimumAge") or ""),
            maximum_age=tx.parse_age(s.text(*elig_m, "maximumAge") or ""),
            sex=s.text(*elig_m, "sex"),
            healthy_volunteers=hv,
            criteria=s.text(*elig_m, "eligibilityCriteria"),
        ),
        sponsors=tuple(sponsors),
        responsible_party=s.text(*sponsors_m, "responsibleParty", "type"),
        sites=sites,
        contacts=tuple(
            Contact(name=c["name"].strip(), role=c.get("role"))
            for c in s.objects(*p, "contactsLocationsModule", "centralContacts")
            if c.get("name")
        ),
        references=tuple(
            Reference(citation=r.get("citation", "").strip(), pmid=r.get("pmid"), type=r.get("type"))
            for r in s.objects(*p, "referencesModule", "references")
            if r.get("citation")
        ),
        outcomes=outcomes,
        event_groups=event_groups,
        adverse_events=adverse_events,
        has_results=s.get("hasResults", kind=bool),
    )


# -- the results section ------------------------------------------------------------------------
def _str(v: Any) -> str | None:
    if isinstance(v, str):
        return v.strip() or None
    if isinstance(v, int | float) and not isinstance(v, bool):
        return str(v)
    return None


def _results(s: _Study, outcomes: tuple[Outcome, ...]) -> tuple[tuple[Outcome, ...], tuple[EventGroup, ...], tuple[AdverseEvent, ...]]:
    """resultsSection: outcome measures (attached to the protocol's outcomes), adverse-event
    groups and terms. A field of the wrong type costs that field (or that measure, that term),
    with a warning naming its JSON path."""
    r = ("resultsSection",)
    if s.get(*r, kind=dict) is None:
        return outcomes, (), ()
    reported = []
    for k, m in enumerate(s.objects(*r, "outcomeMeasuresModule", "outcomeMeasures")):
        where = s.path(*r, "outcomeMeasuresModule", "outcomeMeasures", k)
        kind = rs.outcome_kind(_str(m.get("type")), f"{where}.type", s.nct)
        title = _str(m.get("title"))
        if kind is None or title is None:
            if title is None:
                warn(f"{where}.title", "missing: measure dropped", nct_id=s.nct)
            continue
        groups = {g["id"]: _str(g.get("title")) or g["id"] for g in m.get("groups") or [] if isinstance(g, dict) and g.get("id")}
        denoms = next((d for d in m.get("denoms") or [] if isinstance(d, dict)), {})
        counts = {c.get("groupId"): c.get("value") for c in denoms.get("counts") or [] if isinstance(c, dict)}
        measurements = []
        for cl in m.get("classes") or []:
            if not isinstance(cl, dict):
                continue
            for cat in cl.get("categories") or []:
                if not isinstance(cat, dict):
                    continue
                label = " / ".join(x for x in (_str(cl.get("title")), _str(cat.get("title"))) if x) or None
                for v in cat.get("measurements") or []:
                    if isinstance(v, dict) and v.get("groupId") in groups and _str(v.get("value")) is not None:
                        measurements.append(Measurement(group=groups[v["groupId"]], value=_str(v["value"]), category=label))
        analyses = [
            Analysis(groups=tuple(groups[g] for g in a.get("groupIds") or [] if g in groups), p_value=_str(a.get("pValue")),
                     method=_str(a.get("statisticalMethod")), param_type=_str(a.get("paramType")),
                     param_value=_str(a.get("paramValue")))
            for a in m.get("analyses") or [] if isinstance(a, dict)
        ]
        result = OutcomeResult(
            param_type=_str(m.get("paramType")), dispersion_type=_str(m.get("dispersionType")),
            unit=_str(m.get("unitOfMeasure")), population=_str(m.get("populationDescription")),
            groups=tuple(groups.values()),
            participants=tuple(rs.whole(counts.get(g), f"{where}.denoms", s.nct) for g in groups),
            measurements=tuple(measurements), analyses=tuple(analyses),
        )
        reported.append((kind, title, _str(m.get("timeFrame")), _str(m.get("description")), result))
    ae = (*r, "adverseEventsModule")
    titles: dict[str, str] = {}
    groups_out = []
    for k, g in enumerate(s.objects(*ae, "eventGroups")):
        where = s.path(*ae, "eventGroups", k)
        title = _str(g.get("title")) or _str(g.get("id"))
        if title is None:
            continue
        if g.get("id"):
            titles[g["id"]] = title
        groups_out.append(EventGroup(
            title=title, description=_str(g.get("description")),
            **{f: rs.whole(g.get(key), f"{where}.{key}", s.nct) for f, key in (
                ("serious_affected", "seriousNumAffected"), ("serious_at_risk", "seriousNumAtRisk"),
                ("other_affected", "otherNumAffected"), ("other_at_risk", "otherNumAtRisk"),
                ("deaths", "deathsNumAffected"))}))
    events = []
    for key, serious in (("seriousEvents", True), ("otherEvents", False)):
        for k, e in enumerate(s.objects(*ae, key)):
            where = s.path(*ae, key, k)
            term = _str(e.get("term"))
            if term is None:
                warn(f"{where}.term", "missing: event dropped", nct_id=s.nct)
                continue
            stats = [st for st in e.get("stats") or [] if isinstance(st, dict)]
            events.append(AdverseEvent(
                term=term, serious=serious, organ_system=_str(e.get("organSystem")),
                vocabulary=_str(e.get("sourceVocabulary")),
                assessment=_str(e.get("assessmentType")),
                counts=tuple(EventCount(group=titles.get(str(st.get("groupId")), str(st.get("groupId") or "?")),
                                        affected=rs.whole(st.get("numAffected"), f"{where}.stats[{j}].numAffected", s.nct),
                                        at_risk=rs.whole(st.get("numAtRisk"), f"{where}.stats[{j}].numAtRisk", s.nct))
                             for j, st in enumerate(stats))))
    return rs.attach(outcomes, reported), tuple(groups_out), tuple(events)
