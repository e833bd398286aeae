"""Typed records: what every loader yields and every later stage consumes.

Values keep ClinicalTrials.gov's own vocabulary (``PHASE2``, ``RECRUITING``,
``EXPERIMENTAL`` ...) so that records from every layout compare equal.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

NCT_ID = re.compile(r"^NCT\d{8}$")
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

DateType = Literal["ACTUAL", "ESTIMATED"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Record):
    """Where a record came from: the loader's layout name and the file."""

    layout: str
    file: str


class TrialDate(Record):
    date: str
    type: DateType | None = None

    @field_validator("date")
    @classmethod
    def _iso(cls, v: str) -> str:
        if not PARTIAL_DATE.match(v):
            raise ValueError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {v!r}")
        return v


class Identifier(Record):
    value: str
    type: str | None = None  # e.g. org_study_id, secondary_id, registry
    domain: str | None = None


class Enrollment(Record):
    count: int = Field(ge=0)
    type: DateType | None = None


class Design(Record):
    allocation: str | None = None
    intervention_model: str | None = None
    primary_purpose: str | None = None
    masking: str | None = None
    who_masked: tuple[str, ...] = ()


class Age(Record):
    value: float = Field(ge=0)
    unit: str  # Years, Months, Weeks, Days, Hours, Minutes

    @property
    def text(self) -> str:
        v = int(self.value) if self.value == int(self.value) else self.value
        return f"{v} {self.unit}"


class Eligibility(Record):
    minimum_age: Age | None = None
    maximum_age: Age | None = None
    sex: str | None = None  # ALL, FEMALE, MALE
    healthy_volunteers: bool | None = None
    criteria: str | None = None


class Intervention(Record):
    name: str
    type: str | None = None  # DRUG, BIOLOGICAL, COMBINATION_PRODUCT, ...
    description: str | None = None
    other_names: tuple[str, ...] = ()


class Arm(Record):
    label: str
    type: str | None = None  # EXPERIMENTAL, ACTIVE_COMPARATOR, PLACEBO_COMPARATOR, ...
    description: str | None = None
    interventions: tuple[str, ...] = ()  # names of the trial's interventions given in this arm


class Sponsor(Record):
    name: str
    role: Literal["lead", "collaborator"]
    agency_class: str | None = None  # INDUSTRY, OTHER, NIH, FED, ...


class Site(Record):
    facility: str | None = None  # API records sometimes give only the place
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    country: str | None = None
    status: str | None = None
    latitude: float | None = None
    longitude: float | None = None


class Reference(Record):
    citation: str
    pmid: str | None = None
    type: str | None = None  # BACKGROUND, RESULT, DERIVED


class Measurement(Record):
    """One reported value of an outcome measure: a result group's value, in one class/category."""

    group: str  # the result group's title
    value: str  # as the registry writes it ("83.7", "NA")
    category: str | None = None  # the class and category titles, when the measure has several


class Analysis(Record):
    """One statistical analysis of an outcome measure."""

    groups: tuple[str, ...] = ()  # titles of the result groups compared
    p_value: str | None = None  # as written: "0.0004", "<0.001"
    method: str | None = None
    param_type: str | None = None  # Hazard Ratio (HR), Mean Difference, ...
    param_value: str | None = None


class OutcomeResult(Record):
    """An outcome measure's reported results (the results section), as the registry gives them."""

    param_type: str | None = None  # NUMBER, MEAN, MEDIAN, COUNT_OF_PARTICIPANTS, ...
    dispersion_type: str | None = None
    unit: str | None = None
    population: str | None = None
    groups: tuple[str, ...] = ()  # result group titles, in order
    participants: tuple[int | None, ...] = ()  # analysed participants per group (parallel to groups)
    measurements: tuple[Measurement, ...] = ()
    analyses: tuple[Analysis, ...] = ()


class Outcome(Record):
    kind: Literal["primary", "secondary", "other"]
    measure: str
    time_frame: str | None = None
    description: str | None = None
    result: OutcomeResult | None = None  # a results section reported it


class EventCount(Record):
    group: str  # the adverse-event group's title
    affected: int | None = Field(default=None, ge=0)
    at_risk: int | None = Field(default=None, ge=0)


class AdverseEvent(Record):
    """One adverse event term a trial's results section reports, serious or other, with the
    participants affected and at risk in each of its event groups."""

    term: str
    serious: bool
    organ_system: str | None = None
    vocabulary: str | None = None  # "MedDRA (18.0)"
    assessment: str | None = None  # SYSTEMATIC_ASSESSMENT, NON_SYSTEMATIC_ASSESSMENT
    counts: tuple[EventCount, ...] = ()

    @property
    def affected(self) -> int | None:
        known = [c.affected for c in self.counts if c.affected is not None]
        return sum(known) if known else None

    @property
    def at_risk(self) -> int | None:
        known = [c.at_risk for c in self.counts if c.at_risk is not None]
        return sum(known) if known else None


class EventGroup(Record):
    """A group of participants the adverse events are reported for (usually an arm), with its totals."""

    title: str
    description: str | None = None
    serious_affected: int | None = Field(default=None, ge=0)
    serious_at_risk: int | None = Field(default=None, ge=0)
    other_affected: int | None = Field(default=None, ge=0)
    other_at_risk: int | None = Field(default=None, ge=0)
    deaths: int | None = Field(default=None, ge=0)


class MeshTerm(Record):
    """A MeSH descriptor ClinicalTrials.gov itself assigned to a trial's condition or intervention."""

    id: str | None = None  # legacy XML records give the term only
    term: str


class RelatedTrial(Record):
    nct_id: str
    title: str | None = None
    status: str | None = None
    phases: tuple[str, ...] = ()


class Contact(Record):
    name: str
    role: str | None = None


class Trial(Record):
    """One clinical trial as a source shows it."""

    nct_id: str
    source: Source
    brief_title: str
    official_title: str | None = None
    acronym: str | None = None
    identifiers: tuple[Identifier, ...] = ()
    overall_status: str | None = None
    why_stopped: str | None = None
    phases: tuple[str, ...] = ()
    study_type: str | None = None
    enrollment: Enrollment | None = None
    start_date: TrialDate | None = None
    primary_completion_date: TrialDate | None = None
    completion_date: TrialDate | None = None
    first_posted_date: TrialDate | None = None
    last_update_date: TrialDate | None = None
    brief_summary: str | None = None
    detailed_description: str | None = None
    conditions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    condition_mesh: tuple[MeshTerm, ...] = ()
    intervention_mesh: tuple[MeshTerm, ...] = ()
    design: Design | None = None
    arms: tuple[Arm, ...] = ()
    interventions: tuple[Intervention, ...] = ()
    eligibility: Eligibility | None = None
    sponsors: tuple[Sponsor, ...] = ()
    funder_types: tuple[str, ...] = ()
    responsible_party: str | None = None
    sites: tuple[Site, ...] = ()
    site_count: int | None = Field(default=None, ge=0)  # as the page states it; None = count the sites
    countries: tuple[str, ...] = ()
    contacts: tuple[Contact, ...] = ()
    references: tuple[Reference, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    event_groups: tuple[EventGroup, ...] = ()
    adverse_events: tuple[AdverseEvent, ...] = ()
    related_trials: tuple[RelatedTrial, ...] = ()
    has_results: bool | None = None

    @field_validator("nct_id")
    @classmethod
    def _nct(cls, v: str) -> str:
        if not NCT_ID.match(v):
            raise ValueError(f"not an NCT identifier (NCT followed by 8 digits): {v!r}")
        return v

    @property
    def lead_sponsor(self) -> Sponsor | None:
        return next((s for s in self.sponsors if s.role == "lead"), None)

    @property
    def org_study_id(self) -> str | None:
        return next((i.value for i in self.identifiers if i.type == "org_study_id"), None)


# -- the registry's enumerations ------------------------------------------------------------
# ClinicalTrials.gov API v2's enumerations (the data-structure reference of the API, enum
# types Status, Phase, StudyType, ArmGroupType, InterventionType, DesignAllocation,
# InterventionalAssignment, PrimaryPurpose, DesignMasking, WhoMasked, Sex, RecruitmentStatus,
# AgencyClass, ResponsiblePartyType, ReferenceType). A value outside them (a modified record's
# "PHASE5") is dropped at the loader boundary, with a warning, so every export conforms.
_STATUSES = frozenset(
    """ACTIVE_NOT_RECRUITING COMPLETED ENROLLING_BY_INVITATION NOT_YET_RECRUITING RECRUITING SUSPENDED
    TERMINATED WITHDRAWN AVAILABLE NO_LONGER_AVAILABLE TEMPORARILY_NOT_AVAILABLE APPROVED_FOR_MARKETING
    WITHHELD UNKNOWN""".split()
)
_AGENCY_CLASSES = frozenset("NIH FED OTHER_GOV INDIV INDUSTRY NETWORK AMBIG OTHER UNKNOWN".split())
ENUMERATIONS: dict[str, frozenset[str]] = {
    "status": _STATUSES,
    "phase": frozenset("EARLY_PHASE1 PHASE1 PHASE2 PHASE3 PHASE4 NA".split()),
    "study type": frozenset("INTERVENTIONAL OBSERVATIONAL EXPANDED_ACCESS".split()),
    "arm type": frozenset("EXPERIMENTAL ACTIVE_COMPARATOR PLACEBO_COMPARATOR SHAM_COMPARATOR NO_INTERVENTION OTHER".split()),
    "intervention type": frozenset(
        """BEHAVIORAL BIOLOGICAL COMBINATION_PRODUCT DEVICE DIAGNOSTIC_TEST DIETARY_SUPPLEMENT DRUG GENETIC
        OTHER PROCEDURE RADIATION""".split()
    ),
    "allocation": frozenset("RANDOMIZED NON_RANDOMIZED NA".split()),
    "intervention model": frozenset("SINGLE_GROUP PARALLEL CROSSOVER FACTORIAL SEQUENTIAL".split()),
    "primary purpose": frozenset(
        """TREATMENT PREVENTION DIAGNOSTIC ECT SUPPORTIVE_CARE SCREENING HEALTH_SERVICES_RESEARCH
        BASIC_SCIENCE DEVICE_FEASIBILITY OTHER""".split()
    ),
    "masking": frozenset("NONE SINGLE DOUBLE TRIPLE QUADRUPLE".split()),
    "who masked": frozenset("PARTICIPANT CARE_PROVIDER INVESTIGATOR OUTCOMES_ASSESSOR".split()),
    "sex": frozenset("ALL FEMALE MALE".split()),
    "site status": _STATUSES,
    "agency class": _AGENCY_CLASSES,
    "responsible party type": frozenset("SPONSOR PRINCIPAL_INVESTIGATOR SPONSOR_INVESTIGATOR".split()),
    "reference type": frozenset("BACKGROUND RESULT DERIVED".split()),
}
#: The same value as older renderings spell it (legacy XML, pages): mapped, not dropped.
ENUM_ALIASES: dict[str, dict[str, str]] = {
    "status": {"UNKNOWN_STATUS": "UNKNOWN"},
    "site status": {"UNKNOWN_STATUS": "UNKNOWN"},
    "primary purpose": {"EDUCATIONAL_COUNSELING_TRAINING": "ECT"},
    "study type": {"OBSERVATIONAL_PATIENT_REGISTRY": "OBSERVATIONAL", "EXPANDED_ACCESS_INTERVENTIONAL": "EXPANDED_ACCESS"},
    "masking": {"OPEN_LABEL": "NONE", "NONE_OPEN_LABEL": "NONE", "NO_MASKING": "NONE"},
    "sex": {"BOTH": "ALL"},
    "agency class": {"INDIVIDUAL": "INDIV", "AMBIGUOUS": "AMBIG", "U_S_FED": "FED"},
    "who masked": {"OUTCOME_ASSESSOR": "OUTCOMES_ASSESSOR", "CAREGIVER": "CARE_PROVIDER", "SUBJECT": "PARTICIPANT"},
}
# Where each enumeration is used: (field of the Trial, field of the nested record or None).
_ENUM_FIELDS: tuple[tuple[str, str | None, str], ...] = (
    ("overall_status", None, "status"),
    ("phases", None, "phase"),
    ("study_type", None, "study type"),
    ("responsible_party", None, "responsible party type"),
    ("funder_types", None, "agency class"),
    ("design", "allocation", "allocation"),
    ("design", "intervention_model", "intervention model"),
    ("design", "primary_purpose", "primary purpose"),
    ("design", "masking", "masking"),
    ("design", "who_masked", "who masked"),
    ("eligibility", "sex", "sex"),
    ("arms", "type", "arm type"),
    ("interventions", "type", "intervention type"),
    ("sites", "status", "site status"),
    ("sponsors", "agency_class", "agency class"),
    ("references", "type", "reference type"),
)


def _checked(value: object, enum: str, where: str, dropped: list[tuple[str, object, str]]) -> object:
    """The value in the enumeration (an alias mapped), or None / left out of a tuple when not."""
    allowed, aliases = ENUMERATIONS[enum], ENUM_ALIASES.get(enum, {})
    if isinstance(value, tuple):
        kept = []
        for v in value:
            v2 = aliases.get(v, v)
            if v2 in allowed:
                kept.append(v2)
            else:
                dropped.append((where, v, enum))
        return tuple(dict.fromkeys(kept))
    if value is None:
        return None
    v2 = aliases.get(value, value)  # type: ignore[call-overload]
    if v2 in allowed:
        return v2
    dropped.append((where, value, enum))
    return None


def drop_invalid_values(trial: Trial) -> tuple[Trial, list[tuple[str, object, str]]]:
    """The trial with every enumerated value checked: older spellings mapped to the registry's,
    values outside its enumerations removed. Returns the trial and what was dropped
    ``(field path, value, enumeration)``."""
    dropped: list[tuple[str, object, str]] = []
    updates: dict[str, Any] = {}
    for field, sub, enum in _ENUM_FIELDS:
        value = updates.get(field, getattr(trial, field))
        if sub is None:
            new = _checked(value, enum, field, dropped)
            if new != value:
                updates[field] = new
        elif isinstance(value, tuple):
            items = list(value)
            for k, item in enumerate(items):
                old = getattr(item, sub)
                new = _checked(old, enum, f"{field}[{k}].{sub}", dropped)
                if new != old:
                    items[k] = item.model_copy(update={sub: new})
            if items != list(value):
                updates[field] = tuple(items)
        elif value is not None:
            old = getattr(value, sub)
            new = _checked(old, enum, f"{field}.{sub}", dropped)
            if new != old:
                updates[field] = value.model_copy(update={sub: new})
    return (trial.model_copy(update=updates) if updates else trial), dropped
