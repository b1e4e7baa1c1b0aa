"""Request and response schemas of the API.

Input uses the services' vocabulary: regions and areas by code, organisations and persons by id,
approximate dates as text (``2011-12-10``, ``2011-12``, ``2011``, ``~2011``, or empty for unknown).
Input schemas forbid unknown fields, so a misspelt name is refused instead of silently ignored.

Output follows the reader's projection. A field the reader may not see is **absent** from the response
(``internal_notes`` for a reader outside the steward organisation, ``who_to_ask`` below the protected
tier, contacts above the reader's tier are not listed at all), while a field the reader may see but that
holds nothing is present and empty (``""``, ``null`` or ``[]``). Such fields are typed ``X | None = None``
here; the endpoints answer with ``exclude_unset`` so that an absent key stays absent.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Query, Schema
from pydantic import ConfigDict


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


# --- Output building blocks -------------------------------------------------------------------------------


class OrganisationRef(Schema):
    id: uuid.UUID
    name_ru: str
    name_en: str


class PersonRef(Schema):
    id: uuid.UUID
    name_ru: str
    name_en: str


class Written(Schema):
    """What a write of a dependent record answers: its id and the version to send with the next change."""

    id: uuid.UUID
    version: int


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = Field(description="Field name → messages; __all__ for the whole input.")


class ErrorOut(Schema):
    error: ErrorDetail


# The error statuses documented on each kind of endpoint (the body is always ErrorOut).
READ_ERRORS = frozenset({401, 404, 422})
WRITE_ERRORS = frozenset({401, 403, 404, 409, 422})


class Page(Schema):
    count: int
    limit: int
    offset: int


# --- Organisations ----------------------------------------------------------------------------------------


class OrganisationRow(Schema):
    id: uuid.UUID
    kind: str
    name_ru: str
    name_en: str
    aliases: list[str]
    founded: str = Field(description="Approximate date as text: 2011-12-10, 2011-12, 2011, ~2011 or empty.")
    status: str
    home_region: str | None = Field(description="Region code.")
    areas: list[str] = Field(description="Codes of the areas of work.")
    description: str
    website: str
    is_public: bool
    version: int | None = None
    updated_at: dt.datetime | None = None


class OrganisationPage(Page):
    items: list[OrganisationRow]


class NearbyOrganisation(OrganisationRow):
    proximity: str = Field(description="same_region, neighbour or same_district.")
    practice_notes_in_area: int


class SimilarOrganisation(OrganisationRow):
    similarity: float


SEALED_HELP = (
    "Names of the values that are sealed and were not opened; they are null. A browser session opens them "
    "with ?purpose=; an API token never does, as the server holds no key for it."
)


PURPOSE_QUERY: Any = Query(
    "",
    description=(
        "Why the reader opens the record's sealed values: contact, assist, safety, verify, referral or "
        "oversight. Each opening is audited. Only a signed-in browser session can open them."
    ),
)


class Contact(Schema):
    id: uuid.UUID
    kind: str
    value: str | None
    label: str | None
    tier: str
    version: int | None = None
    sealed: list[str] | None = Field(None, description=SEALED_HELP)


class DesignationOut(Schema):
    id: uuid.UUID
    kind: str
    listed_on: dt.date
    removed_on: dt.date | None
    legal_basis: str
    register_entry: str
    version: int | None = None


class RelationshipOut(Schema):
    id: uuid.UUID
    kind: str
    direction: str = Field(
        description="outgoing: this organisation is <kind> the other; incoming: the reverse."
    )
    other: OrganisationRef
    started: str
    ended: str


class PositionOut(Schema):
    id: uuid.UUID
    version: int
    person: PersonRef | None = None
    organisation: OrganisationRef | None = None
    title: str
    started: str
    ended: str


class PracticeNoteOut(Schema):
    id: uuid.UUID
    tier: str
    area: str | None = None
    region: str | None = None
    title: str | None = None
    summary: str | None = None
    outcome: str | None = None
    lessons: str | None = None
    happened: str | None = None
    who_to_ask: str | None = Field(None, description="Absent below the protected tier.")
    version: int | None = None
    sealed: list[str] | None = Field(None, description=SEALED_HELP)


class OrganisationDetail(OrganisationRow):
    steward: OrganisationRef | None = Field(None, description="Null: the organisation keeps its own record.")
    regions: list[str] = Field(description="Codes of the regions covered.")
    internal_notes: str | None = Field(
        None, description="Absent for readers outside the steward organisation."
    )
    contacts: list[Contact]
    designations: list[DesignationOut]
    relationships: list[RelationshipOut] | None = None
    people: list[PositionOut] | None = None
    practice_notes: list[PracticeNoteOut]
    created_at: dt.datetime | None = None
    read_tier: str = Field(description="The highest tier this reader sees on this record.")
    write_tier: str | None = Field(description="The highest tier this reader may change; null: none.")


class HistoryEntry(Schema):
    seq: int
    version: int
    operation: str
    changed_fields: list[str]
    recorded_at: dt.datetime
    origin_node: str


class OrganisationIn(Input):
    kind: str
    name_ru: str
    name_en: str = ""
    aliases: list[str] = []
    founded: str = ""
    status: str = "active"
    home_region: str | None = None
    regions: list[str] = []
    areas: list[str] = []
    description: str = ""
    website: str = ""
    is_public: bool = False
    internal_notes: str = ""


class OrganisationChanges(Input):
    """Only the fields sent are changed. ``version`` is the version the editor saw: when someone else has
    saved the record since, the change is refused with 409."""

    version: int | None = None
    kind: str | None = None
    name_ru: str | None = None
    name_en: str | None = None
    aliases: list[str] | None = None
    founded: str | None = None
    status: str | None = None
    home_region: str | None = None
    regions: list[str] | None = None
    areas: list[str] | None = None
    description: str | None = None
    website: str | None = None
    is_public: bool | None = None
    internal_notes: str | None = None


class ContactIn(Input):
    kind: str = Field(description="phone, email, address, website or messenger.")
    value: str
    label: str = ""
    tier: str = Field("network", description="public, network, internal or protected.")


class DesignationIn(Input):
    kind: str = Field(description="foreign_agent, undesirable, extremist or terrorist.")
    listed_on: dt.date
    removed_on: dt.date | None = None
    legal_basis: str = ""
    register_entry: str = ""


class DesignationChanges(Input):
    """Only the fields sent are changed; ``removed_on`` records the day the organisation was taken off the
    register. ``version`` is the version the editor saw: a newer stored version gets 409."""

    version: int | None = None
    kind: str | None = None
    listed_on: dt.date | None = None
    removed_on: dt.date | None = None
    legal_basis: str | None = None
    register_entry: str | None = None


class RelationshipIn(Input):
    target: str = Field(description="Id of the other organisation: this one is <kind> the target.")
    kind: str = Field(description="branch_of, partner, member_of_network or successor_of.")
    started: str = ""
    ended: str = ""
    note: str = ""


class PracticeNoteIn(Input):
    area: str
    region: str | None = None
    title: str
    summary: str
    outcome: str = ""
    lessons: str = ""
    who_to_ask: str = ""
    happened: str = ""
    tier: str = Field("network", description="public, network or internal.")


class PracticeNoteChanges(Input):
    version: int | None = None
    area: str | None = None
    region: str | None = None
    title: str | None = None
    summary: str | None = None
    outcome: str | None = None
    lessons: str | None = None
    who_to_ask: str | None = None
    happened: str | None = None
    tier: str | None = None


# --- Persons ----------------------------------------------------------------------------------------------


class PersonRow(Schema):
    id: uuid.UUID
    name_ru: str
    name_en: str
    aliases: list[str]
    version: int | None = None


class PersonPage(Page):
    items: list[PersonRow]


class PersonDetail(PersonRow):
    steward: uuid.UUID | None = Field(None, description="Id of the organisation that keeps this record.")
    notes: str | None = Field(None, description="Absent for readers outside the steward organisation.")
    positions: list[PositionOut]
    contacts: list[Contact]
    read_tier: str
    write_tier: str | None


class PersonIn(Input):
    name_ru: str
    name_en: str = ""
    aliases: list[str] = []
    notes: str = ""


class PersonChanges(Input):
    version: int | None = None
    name_ru: str | None = None
    name_en: str | None = None
    aliases: list[str] | None = None
    notes: str | None = None


class PositionIn(Input):
    organisation: str = Field(description="Id of the organisation.")
    title: str
    started: str = ""
    ended: str = ""


class PositionChanges(Input):
    """Only the fields sent are changed; dates as approximate-date text, empty for unknown."""

    version: int | None = None
    title: str | None = None
    started: str | None = None
    ended: str | None = None


# --- Reference data, networking, accounts -----------------------------------------------------------------


class RegionOut(Schema):
    code: str
    kind: str
    name_ru: str
    name_en: str
    federal_district: str


class AreaOut(Schema):
    code: str
    parent: str | None
    name_ru: str
    name_en: str


# --- Monitoring -----------------------------------------------------------------------------------------


class EventFields(Input):
    description: str | None = None
    started: str | None = Field(None, description="2012-05-06, 2012-05, 2012 or ~2012 (about 2012).")
    ended: str | None = Field(None, description="When a range ends, written as `started`.")
    region: str | None = Field(None, description="Region code, e.g. RU-MOW.")
    place: str | None = None
    latitude: str | None = None
    longitude: str | None = None
    type: str | None = Field(None, description="A term of the event-types vocabulary (code or name).")
    projects: list[str] | None = Field(None, description="Terms of monitoring-projects.")
    violation_status: str | None = Field(None, description="A term of violation-statuses.")
    monitoring_status: str | None = Field(None, description="A term of monitoring-statuses.")
    tier: str | None = Field(None, description="internal (default), network or public.")
    reference: str | None = Field(None, description="The event's id in the source it came from.")


class EventIn(EventFields):
    title: str


class EventChanges(EventFields):
    version: int | None = None
    title: str | None = None


class EventRow(Schema):
    id: uuid.UUID
    title: str
    started: str
    region: str | None
    type: str | None
    monitoring_status: str | None
    tier: str


class EventPage(Page):
    items: list[EventRow]


class EventDetail(Schema):
    id: uuid.UUID
    version: int
    steward: uuid.UUID
    steward_name: str
    tier: str
    title: str
    description: str
    started: str
    ended: str
    region: str | None
    place: str
    latitude: str | None
    longitude: str | None
    type: str | None
    projects: list[str]
    violation_status: str | None
    monitoring_status: str | None
    reference: str
    acts: int = Field(description="How many acts the event holds.")
    victims: int = Field(description="How many victims its acts count (a group of 39 counts 39).")
    may_edit: bool


class EventRelationIn(Input):
    relation: str = Field(description="A term of event-relations: precedes, causes, part-of…")
    other_event: uuid.UUID


class InvolvementOut(Schema):
    id: uuid.UUID
    version: int
    perpetrator_person: uuid.UUID | None = None
    perpetrator_person_name: str | None = None
    perpetrator_organisation: uuid.UUID | None = None
    perpetrator_organisation_name: str | None = None
    perpetrator: str
    degree: str
    perpetrator_type: str | None
    latest_status: str | None
    notes: str


class ActFields(Input):
    victim: uuid.UUID | None = Field(None, description="An individual already on your group's record.")
    victim_name: str | None = Field(
        None, description="A new victim's name, sealed at once. Only roles that read protected values."
    )
    victim_birth_year: int | None = None
    victim_group: str | None = Field(None, description="Who the group was, in words that name nobody.")
    victim_count: int | None = Field(None, description="How many victims a group counts (1 for a person).")
    started: str | None = Field(None, description="2012-05-06, 2012-05, 2012 or ~2012 (about 2012).")
    ended: str | None = None
    region: str | None = Field(None, description="Region code; the event's region when empty.")
    place: str | None = None
    method: str | None = Field(None, description="A term of act-methods.")
    consequences: list[str] | None = Field(None, description="Terms of act-consequences.")
    end_status: str | None = Field(None, description="A term of victim-end-statuses.")
    detention_place: str | None = Field(None, description="A term of detention-places.")
    police_station: str | None = None
    legal_counsel: str | None = None
    court: str | None = None
    case_number: str | None = Field(None, description="Sealed: a case number finds the defendant's name.")
    autopsy: str | None = None
    death_certificate: str | None = None
    medical_attention: str | None = None
    statements_signed: bool | None = None
    property_loss: str | None = None
    compensation: str | None = None
    notes: str | None = None


class ActIn(ActFields):
    type: str = Field(description="A term of act-types (code or name).")


class ActChanges(ActFields):
    version: int | None = None
    type: str | None = None


class ActOut(Schema):
    id: uuid.UUID
    version: int
    event: uuid.UUID
    tier: str
    victim_kind: str
    victim: uuid.UUID | None = Field(None, description="Absent below the internal tier.")
    victim_name: str | None = Field(None, description="Absent below the protected tier; null while sealed.")
    victim_birth_year: int | None = None
    victim_group: str
    victim_count: int
    type: str
    started: str
    ended: str
    region: str | None
    place: str
    method: str | None
    consequences: list[str]
    end_status: str | None
    detention_place: str | None
    police_station: str
    legal_counsel: str
    court: str
    case_number: str | None = Field(None, description="Absent below the protected tier; null while sealed.")
    autopsy: str
    death_certificate: str
    medical_attention: str
    statements_signed: bool | None
    property_loss: str
    compensation: str
    notes: str
    involvements: list[InvolvementOut] = Field(default_factory=list, description="Who was involved.")
    sealed: list[str] = Field(default_factory=list, description=SEALED_HELP)


class DetaineesIn(Input):
    text: str = Field(
        description="One detainee per line: name, then optionally police station and time (14:30), "
        "separated by tabs, semicolons or commas."
    )


class DetaineesAdd(DetaineesIn):
    act_type: str = Field("administrative-detention", description="A term of act-types for every line.")
    matches: dict[int, uuid.UUID] = Field(
        default_factory=dict, description="Line number → the individual on record that line names."
    )


class DetaineeCandidate(Schema):
    individual: uuid.UUID
    name: str
    score: float


class DetaineeLineOut(Schema):
    line: int
    name: str
    police_station: str
    time: str
    errors: list[str]
    repeats: int | None = Field(None, description="An earlier line of this list with the same name.")
    candidates: list[DetaineeCandidate] = Field(
        description="Individuals on record this name may be; only when the request opens names (?purpose=)."
    )


class DetaineesAdded(Schema):
    added: int
    group_before: int | None = Field(description="The event's group of detainees before, if it had one.")
    group_after: int | None = Field(description="The group after the people named now left it.")
    victims: int = Field(description="The event's victims after the entry.")
    acts: list[uuid.UUID]


class InvolvementFields(Input):
    perpetrator_person: uuid.UUID | None = Field(None, description="A person of the directory.")
    perpetrator_organisation: uuid.UUID | None = Field(None, description="An organisation or unit.")
    perpetrator: str | None = Field(None, description="A description where nobody is identified.")
    perpetrator_type: str | None = Field(None, description="A term of perpetrator-types.")
    latest_status: str | None = Field(None, description="A term of perpetrator-statuses.")
    notes: str | None = None


class InvolvementIn(InvolvementFields):
    degree: str = Field(description="A term of involvement-degrees: carried-out, ordered…")


class InvolvementChanges(InvolvementFields):
    version: int | None = None
    degree: str | None = None


class InformationFields(Input):
    act: uuid.UUID | None = Field(None, description="The act the source speaks of, if one.")
    source_kind: str | None = Field(None, description="person, organisation, document or media.")
    source: uuid.UUID | None = Field(None, description="An individual on record who gave evidence.")
    source_name: str | None = Field(None, description="A new person's name, sealed.")
    source_organisation: uuid.UUID | None = None
    title: str | None = Field(None, description="A document's or publication's title.")
    url: str | None = None
    source_type: str | None = Field(None, description="A term of source-types.")
    connection: str | None = Field(None, description="A term of source-connections.")
    language: str | None = Field(None, description="A term of source-languages.")
    dated: str | None = Field(None, description="The date of the material, approximate as events' are.")
    notes: str | None = None


class InformationIn(InformationFields):
    reliability: str = Field(description="A term of reliability.")


class InformationChanges(InformationFields):
    version: int | None = None
    reliability: str | None = None


class InformationOut(Schema):
    id: uuid.UUID
    version: int
    act: uuid.UUID | None
    source_kind: str
    source: uuid.UUID | None
    source_name: str | None = Field(None, description="Absent below the protected tier; null while sealed.")
    source_organisation: uuid.UUID | None
    source_title: str
    url: str
    source_type: str | None
    connection: str | None
    reliability: str | None
    language: str | None
    dated: str
    notes: str
    sealed: list[str] = Field(default_factory=list, description=SEALED_HELP)


class InterventionFields(Input):
    act: uuid.UUID | None = None
    by_organisation: uuid.UUID | None = Field(None, description="Who acted; your organisation if empty.")
    dated: str | None = None
    parties_requested: str | None = None
    response: str | None = Field(None, description="A term of intervention-responses.")
    impact: str | None = Field(None, description="A term of intervention-impacts.")
    priority: str | None = Field(None, description="A term of intervention-priorities.")
    notes: str | None = None


class InterventionIn(InterventionFields):
    type: str = Field(description="A term of intervention-types.")
    status: str = Field(description="A term of intervention-statuses.")


class InterventionChanges(InterventionFields):
    version: int | None = None
    type: str | None = None
    status: str | None = None


class InterventionOut(Schema):
    id: uuid.UUID
    version: int
    act: uuid.UUID | None
    by_organisation: uuid.UUID
    by_organisation_name: str
    type: str
    dated: str
    parties_requested: str
    response: str | None
    impact: str | None
    status: str | None
    priority: str | None
    notes: str


class StatRowOut(Schema):
    key: str = Field(description="A term or region code, 2012-05 for a month, 2012 for a year; unknown.")
    label: str
    acts: int
    victims: int


class StatisticsOut(Schema):
    by: str
    acts: int
    victims: int
    year_only: int = Field(description="By month: acts dated only to a year (their own row, not January).")
    undated: int = Field(description="Acts with no date at all (their own row, `unknown`).")
    rows: list[StatRowOut]


class VocabularyOut(Schema):
    code: str
    name_ru: str
    name_en: str
    edition: str
    term_count: int


class TermOut(Schema):
    code: str
    parent: str | None
    depth: int
    name_ru: str
    name_en: str
    retired: bool


class VocabularyWithTerms(VocabularyOut):
    terms: list[TermOut]


class RegionCoverage(Schema):
    code: str
    name_ru: str
    name_en: str
    covered: dict[str, int] = Field(description="Area code → number of active groups covering it.")
    gaps: list[str] = Field(description="Codes of the top-level areas no active group covers here.")


class CoverageGapsOut(Schema):
    district: str
    areas: list[str] = Field(description="Codes of the top-level areas of work.")
    gap_count: int
    regions: list[RegionCoverage]


class Me(Schema):
    username: str
    display_name: str
    role: str
    organisation: OrganisationRef


# --- Query parameters -------------------------------------------------------------------------------------


class Paging(Schema):
    limit: int = Field(25, ge=1, le=100, description="At most 100.")
    offset: int = Field(0, ge=0)


class OrganisationQuery(Paging):
    q: str = Field("", description="Part of the Russian or English name.")
    region: str = Field("", description="Region code: organisations covering that region.")
    district: str = Field("", description="Federal district: organisations covering a region in it.")
    area: str = Field("", description="Area code: organisations working on it or on an area below it.")
    kind: str = ""
    status: str = ""


class EventFilterQuery(Schema):
    """The event list's filters, as query parameters (``monitoring.selectors.EVENT_FILTERS``)."""

    region: str = Field("", description="Region code.")
    district: str = Field("", description="Federal district.")
    type: str = Field("", description="A term of event-types; its sub-types count too.")
    project: str = Field("", description="A term of monitoring-projects.")
    monitoring_status: str = ""
    violation_status: str = ""
    since: str = Field("", description="2012, 2012-05 or 2012-05-06.")
    until: str = Field("", description="2012, 2012-05 or 2012-05-06.")


class EventQuery(EventFilterQuery):
    limit: int = Field(50, ge=1, le=200, description="At most 200.")
    offset: int = Field(0, ge=0)


class StatisticsQuery(EventFilterQuery):
    by: str = Field("month", description="What to count by.")
    act_type: str = Field("", description="A term of act-types; its sub-types count too.")


class PersonQuery(Paging):
    q: str = Field("", description="Part of the Russian or English name.")
