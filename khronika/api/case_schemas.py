"""Schemas of the case desk's part of the API (``api/cases.py``)."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Schema

from khronika.api.schemas import SEALED_HELP, Input, Page


class IntakeFields(Input):
    received_at: str | None = Field(None, description="2026-11-22T14:30; now when not given.")
    caller: uuid.UUID | None = Field(None, description="An individual on record who asks.")
    caller_name: str | None = Field(None, description="A new person's name, sealed at once.")
    contact: str | None = Field(None, description="How to reach them safely; sealed.")
    urgency: str | None = Field(None, description="urgent, high, normal (default) or low.")
    language: str | None = Field(None, description="The language they speak, e.g. ru.")
    region: str | None = Field(None, description="Region code.")


class IntakeIn(IntakeFields):
    channel: str = Field(description="phone, messenger, email, letter, visit or web_form.")
    summary: str = Field(description="What they need, in a few words.")


class IntakeChanges(IntakeFields):
    version: int | None = None
    channel: str | None = None
    summary: str | None = None
    status: str | None = Field(None, description="declined or duplicate; a case is opened from the intake.")


class IntakeOut(Schema):
    id: uuid.UUID
    version: int
    channel: str
    received_at: dt.datetime
    caller: uuid.UUID | None
    caller_name: str | None = Field(None, description="Null while sealed.")
    contact: str | None = Field(None, description="Null while sealed.")
    summary: str
    urgency: str
    language: str
    region: str | None
    status: str
    case: uuid.UUID | None
    case_number: str | None
    sealed: list[str] = Field(default_factory=list, description=SEALED_HELP)


class IntakeRow(Schema):
    id: uuid.UUID
    channel: str
    received_at: dt.datetime
    urgency: str
    status: str
    region: str | None
    case: uuid.UUID | None


class IntakePage(Page):
    items: list[IntakeRow]


class CaseFields(Input):
    summary: str | None = None
    category: str | None = Field(None, description="The category of rights: an area of work's code.")
    client: uuid.UUID | None = Field(None, description="An individual on record.")
    client_name: str | None = Field(None, description="A new client's name, sealed at once.")
    region: str | None = None
    lawyer: str | None = Field(None, description="A case worker of your group, by id or username.")


class CaseIn(CaseFields):
    title: str = Field(description="A title that names nobody: the client is a field of its own.")
    intake: uuid.UUID | None = Field(None, description="The intake the case is opened from.")


class CaseChanges(CaseFields):
    version: int | None = None
    title: str | None = None
    status: str | None = Field(None, description="intake, assessment, assistance, referred or closed.")
    outcome: str | None = Field(
        None, description="On closing: resolved, restitution, compensation, rejected or lost_contact."
    )
    compensation_amount: str | None = None
    compensation_currency: str | None = None


class TaskOut(Schema):
    id: uuid.UUID
    version: int
    title: str
    due_on: dt.date | None
    assignee: str | None
    done_at: dt.datetime | None
    overdue: bool
    case: uuid.UUID | None = None
    case_number: str | None = None


class NoteOut(Schema):
    id: uuid.UUID
    text: str
    created_at: dt.datetime


class ReferralOut(Schema):
    id: uuid.UUID
    version: int
    partner: uuid.UUID
    partner_name: str
    reason: str
    shared_summary: str
    status: str
    answer: str


class CaseRow(Schema):
    id: uuid.UUID
    number: str
    title: str
    status: str
    category: str | None
    region: str | None
    lawyer: str | None
    opened_on: dt.date
    event: uuid.UUID | None


class CasePage(Page):
    items: list[CaseRow]


class CaseOut(Schema):
    id: uuid.UUID
    version: int
    number: str
    title: str
    summary: str
    category: str | None
    client: uuid.UUID | None
    client_name: str | None = Field(None, description="Null while sealed.")
    region: str | None
    status: str
    transitions: list[str] = Field(description="The statuses the case may move to from here.")
    outcome: str
    compensation_amount: str | None
    compensation_currency: str
    lawyer: str | None
    opened_on: dt.date
    closed_on: dt.date | None
    event: uuid.UUID | None
    act: uuid.UUID | None
    tasks: list[TaskOut]
    notes: list[NoteOut]
    referrals: list[ReferralOut]
    sealed: list[str] = Field(default_factory=list, description=SEALED_HELP)


class TimelineOut(Schema):
    at: dt.datetime
    what: str = Field(description="case, task, note, referral or intake.")
    operation: str
    fields: list[str] = Field(description="Names of the fields changed, never their values.")
    who: str
    text: str = Field(description="A note's text.")


class NoteIn(Input):
    text: str


class TaskIn(Input):
    title: str
    due: str | None = Field(None, description="2026-11-30.")
    assignee: str | None = Field(None, description="A case worker of your group, by id or username.")


class TaskChanges(Input):
    version: int | None = None
    title: str | None = None
    due: str | None = None
    assignee: str | None = None
    done: bool | None = None


class ReferralIn(Input):
    partner: uuid.UUID
    reason: str = Field(description="Why this partner (the partner reads it).")
    shared_summary: str = Field(description="All the partner reads of the case.")


class ReferralReceived(Schema):
    id: uuid.UUID
    version: int
    from_organisation: str
    from_organisation_id: uuid.UUID
    category: str | None
    reason: str
    shared_summary: str
    status: str
    answer: str
    sent_at: dt.datetime
    may_answer: bool


class ReferralAnswer(Input):
    status: str = Field(description="accepted, declined or closed.")
    answer: str = ""


class PartnerOut(Schema):
    id: uuid.UUID
    name_ru: str
    home_region: str | None = None


class CaseEventIn(Input):
    event: dict[str, object] = Field(description="The event's fields, as POST /events takes them.")
    act: dict[str, object] = Field(description="The act's fields; the victim is the client unless given.")


class CaseEventLink(Input):
    event: uuid.UUID | None = Field(description="An event on record; null unlinks.")
    act: uuid.UUID | None = None


class CaseEventOut(Schema):
    event: uuid.UUID | None
    act: uuid.UUID | None


class HelpDeskIn(Input):
    accepts_public_requests: bool | None = None
    public_note: str | None = None


class HelpDeskOut(Schema):
    organisation: uuid.UUID
    accepts_public_requests: bool
    public_note: str
