"""Typed records: what every loader yields and every later stage consumes.

Values keep ClinicalTrials.gov's own vocabulary (``PHASE2``, ``RECRUITING``,
``EXPERIMENTAL`` ...) so that records from every layout compare equal.
"""

from __future__ import annotations

import re
from typing import Literal

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


class Outcome(Record):
    kind: Literal["primary", "secondary", "other"]
    measure: str
    time_frame: str | None = None
    description: str | None = None


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
