"""Writes of the case desk: intakes, cases and their workflow, tasks, notes, referrals, the link to the
monitoring of events, and requests from the public site.

Input values use one vocabulary for the UI, the API and the CLI: regions and areas by code, users,
individuals, organisations, events and acts by id, dates as ``2026-11-22``. Every error names its field
and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import uuid
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from khronika.accounts.models import User
from khronika.cases import policies
from khronika.cases.models import (
    Case,
    CaseNote,
    CaseOutcome,
    CaseStatus,
    Channel,
    HelpDesk,
    Intake,
    IntakeStatus,
    Referral,
    ReferralStatus,
    RequestLimit,
    Task,
    Urgency,
)
from khronika.core.changes import save_changes, save_record, snapshot
from khronika.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    TooManyRequests,
    ValidationFailed,
    unknown_field_errors,
)
from khronika.core.models import ChangeOperation
from khronika.core.records import live_record
from khronika.directory.models import AreaOfWork, Organisation, Region
from khronika.monitoring import policies as monitoring_policies
from khronika.monitoring.models import Act, Event, Individual
from khronika.monitoring.services import act_add, event_create
from khronika.monitoring.services.events import region_by_code
from khronika.monitoring.services.individuals import individual_create, individual_of

# Where a case may go from where it is. Closing needs an outcome; a closed case may be reopened.
TRANSITIONS = {
    CaseStatus.INTAKE: {CaseStatus.ASSESSMENT, CaseStatus.ASSISTANCE, CaseStatus.CLOSED},
    CaseStatus.ASSESSMENT: {CaseStatus.ASSISTANCE, CaseStatus.REFERRED, CaseStatus.CLOSED},
    CaseStatus.ASSISTANCE: {CaseStatus.ASSESSMENT, CaseStatus.REFERRED, CaseStatus.CLOSED},
    CaseStatus.REFERRED: {CaseStatus.ASSISTANCE, CaseStatus.CLOSED},
    CaseStatus.CLOSED: {CaseStatus.ASSESSMENT},
}
INTAKE_FIELDS = (
    "channel",
    "received_at",
    "caller",
    "caller_name",
    "contact",
    "summary",
    "urgency",
    "language",
    "region",
    "status",
)
CASE_FIELDS = (
    "title",
    "summary",
    "category",
    "client",
    "client_name",
    "region",
    "lawyer",
    "status",
    "outcome",
    "compensation_amount",
    "compensation_currency",
)
TASK_FIELDS = ("title", "due", "assignee", "done")
# The public form: at most this many requests an hour from one visitor, and from everyone together.
PUBLIC_LIMIT_PER_VISITOR = 3
PUBLIC_LIMIT_PER_HOUR = 60


def _check(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(fields=errors)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _choice(value: Any, choices: Any, field: str, errors: dict[str, list[str]]) -> str | None:
    text = _text(value)
    if text in choices.values:
        return text
    errors[field] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)}]
    return None


def _region(value: Any, errors: dict[str, list[str]]) -> Region | None:
    try:
        return region_by_code(_text(value))
    except ValidationFailed as exc:
        errors.update(exc.fields)
        return None


def _individual(value: Any, steward_id: Any, field: str, errors: dict[str, list[str]]) -> Individual | None:
    try:
        return individual_of(value, steward_id=steward_id, field=field)
    except ValidationFailed as exc:
        errors.update(exc.fields)
        return None


def _new_individual(user: User, steward_id: Any, name: str) -> Individual:
    return individual_create(actor=user, steward_id=steward_id, name=name)


def _worker(user: User, steward_id: Any, value: Any, field: str, errors: dict[str, list[str]]) -> User | None:
    """A case worker of the desk, by id or username (a lawyer, an assignee)."""
    if not _text(value):
        return None
    query = User.objects.filter(organisation_id=steward_id, deleted_at__isnull=True, is_active=True)
    try:
        found = query.filter(pk=uuid.UUID(_text(value))).first()
    except ValueError:
        found = query.filter(username=_text(value)).first()
    if found is None or found.role not in policies.CASE_ROLES:
        errors[field] = [_("Choose a lawyer, hotline operator, coordinator or administrator of your group.")]
        return None
    return found


# --- the desk --------------------------------------------------------------------------------------------


@transaction.atomic
def help_desk_set(*, actor: User, values: Mapping[str, Any]) -> HelpDesk:
    """Open or close the group's request form on the public site, and say what it tells visitors."""
    user = policies.require_desk_keeper(actor, getattr(actor, "organisation_id", None))
    _check(unknown_field_errors(values, ("accepts_public_requests", "public_note")))
    desk = HelpDesk.objects.filter(organisation_id=user.organisation_id).first()
    created = desk is None
    desk = desk or HelpDesk(organisation_id=user.organisation_id)
    stored = None if created else snapshot(desk)
    if "accepts_public_requests" in values:
        desk.accepts_public_requests = bool(values["accepts_public_requests"])
    if "public_note" in values:
        desk.public_note = _text(values["public_note"])
    if created:
        return save_record(desk, actor=user, operation=ChangeOperation.CREATE, changed_fields=values)
    assert stored is not None
    return save_changes(desk, actor=user, before=stored)


# --- intakes ---------------------------------------------------------------------------------------------


def _apply_intake(user: User, intake: Intake, values: Mapping[str, Any]) -> dict[str, Any]:
    """Set the intake's fields; returns what is to be created with it (``caller_name``)."""
    errors = unknown_field_errors(values, INTAKE_FIELDS)
    if "channel" in values:
        intake.channel = _choice(values["channel"], Channel, "channel", errors) or intake.channel
    if "urgency" in values:
        intake.urgency = _choice(values["urgency"], Urgency, "urgency", errors) or intake.urgency
    if "status" in values:
        intake.status = _choice(values["status"], IntakeStatus, "status", errors) or intake.status
        if intake.status == IntakeStatus.CASE and intake.case_id is None:
            errors["status"] = [_("An intake becomes a case by opening the case from it.")]
    if "received_at" in values:
        when = parse_datetime(_text(values["received_at"])) if _text(values["received_at"]) else None
        if when is None:
            errors["received_at"] = [_("Write the time as 2026-11-22T14:30.")]
        else:
            intake.received_at = when if timezone.is_aware(when) else timezone.make_aware(when)
    for name in ("summary", "contact", "language"):
        if name in values:
            setattr(intake, name, _text(values[name]))
    if "region" in values:
        intake.region = _region(values["region"], errors)
    if "caller" in values:
        intake.caller = _individual(values["caller"], intake.steward_id, "caller", errors)
    new_name = _text(values.get("caller_name"))
    if new_name and _text(values.get("caller")):
        errors["caller_name"] = [_("Give the caller either as an individual on record or as a new name.")]
    if not intake.summary and "summary" not in errors:
        errors["summary"] = [_("Say in a few words what the person needs.")]
    if not intake.channel and "channel" not in errors:
        errors["channel"] = [_("Choose how the request came.")]
    _check(errors)
    return {"caller_name": new_name}


@transaction.atomic
def intake_create(*, actor: User, values: Mapping[str, Any]) -> Intake:
    """A request for help, as an operator takes it during a call: only the channel and what the person
    needs are required; who they are and how to reach them are sealed at once."""
    user = policies.require_desk_worker(actor)
    intake = Intake(steward_id=user.organisation_id)
    extra = _apply_intake(user, intake, values)
    if extra["caller_name"]:
        intake.caller = _new_individual(user, intake.steward_id, extra["caller_name"])
    return save_record(intake, actor=user, operation=ChangeOperation.CREATE, changed_fields=values)


@transaction.atomic
def intake_update(
    *, actor: User, intake_id: Any, values: Mapping[str, Any], expected_version: int | None = None
) -> Intake:
    intake = live_record(Intake, intake_id, for_update=True)
    user = policies.require_case_worker(actor, intake.steward_id)
    stored = snapshot(intake)
    extra = _apply_intake(user, intake, values)
    if extra["caller_name"]:
        intake.caller = _new_individual(user, intake.steward_id, extra["caller_name"])
    return save_changes(intake, actor=user, before=stored, expected_version=expected_version)


# --- cases -----------------------------------------------------------------------------------------------


def _next_number(steward_id: Any) -> str:
    year = timezone.localdate().year
    taken = Case.objects.filter(steward_id=steward_id, number__startswith=f"{year}-").count()
    return f"{year}-{taken + 1:04d}"


def _apply_case(user: User, case: Case, values: Mapping[str, Any]) -> dict[str, Any]:
    errors = unknown_field_errors(values, CASE_FIELDS)
    for name in ("title", "summary"):
        if name in values:
            setattr(case, name, _text(values[name]))
    if "category" in values:
        code = _text(values["category"])
        case.category = AreaOfWork.objects.filter(code=code).first() if code else None
        if code and case.category is None:
            errors["category"] = [_("No area of work with the code %(code)s.") % {"code": code}]
    if "region" in values:
        case.region = _region(values["region"], errors)
    if "client" in values:
        case.client = _individual(values["client"], case.steward_id, "client", errors)
    new_name = _text(values.get("client_name"))
    if new_name and _text(values.get("client")):
        errors["client_name"] = [_("Give the client either as an individual on record or as a new name.")]
    if "lawyer" in values:
        case.lawyer = _worker(user, case.steward_id, values["lawyer"], "lawyer", errors)
    _apply_status(case, values, errors)
    if not case.title and "title" not in errors:
        errors["title"] = [_("Give the case a title that names nobody: the client is a field of its own.")]
    _check(errors)
    return {"client_name": new_name}


def _apply_status(case: Case, values: Mapping[str, Any], errors: dict[str, list[str]]) -> None:
    before = case.status
    if "status" in values:
        status = _choice(values["status"], CaseStatus, "status", errors)
        if status is not None and status != before:
            if status not in TRANSITIONS[CaseStatus(before)]:
                allowed = ", ".join(sorted(TRANSITIONS[CaseStatus(before)]))
                errors["status"] = [
                    _("A case %(before)s moves on to: %(allowed)s.") % {"before": before, "allowed": allowed}
                ]
            else:
                case.status = status
    if "outcome" in values:
        outcome = _text(values["outcome"])
        if outcome and outcome not in CaseOutcome.values:
            errors["outcome"] = [
                _("Choose one of: %(choices)s.") % {"choices": ", ".join(CaseOutcome.values)}
            ]
        else:
            case.outcome = outcome
    if "compensation_amount" in values:
        raw = _text(values["compensation_amount"]).replace(",", ".").replace(" ", "")
        try:
            amount = Decimal(raw) if raw else None
        except InvalidOperation:
            amount = None
            errors["compensation_amount"] = [_("Give the amount as a number, e.g. 25000.")]
        if amount is not None and (not amount.is_finite() or amount <= 0 or amount >= Decimal("1e12")):
            errors["compensation_amount"] = [_("Give an amount above zero.")]
        else:
            case.compensation_amount = amount
    if "compensation_currency" in values:
        currency = _text(values["compensation_currency"]).upper()
        if currency and (len(currency) != 3 or not currency.isalpha()):
            errors["compensation_currency"] = [_("Give a currency code such as RUB or EUR.")]
        case.compensation_currency = currency
    if errors:
        return
    if case.status == CaseStatus.CLOSED:
        if not case.outcome:
            errors["outcome"] = [_("Say how the case ended before closing it.")]
        paid = case.outcome in (CaseOutcome.COMPENSATION, CaseOutcome.RESTITUTION)
        if paid and case.compensation_amount and not case.compensation_currency:
            errors["compensation_currency"] = [_("Give the currency of the amount.")]
        if case.outcome == CaseOutcome.COMPENSATION and not case.compensation_amount:
            errors["compensation_amount"] = [_("Give the amount of the compensation.")]
        case.closed_on = case.closed_on or timezone.localdate()
    else:
        if "outcome" in values and case.outcome:
            errors["outcome"] = [_("A case gets its outcome when it is closed.")]
        case.closed_on = None
        case.outcome = ""


@transaction.atomic
def case_open(*, actor: User, values: Mapping[str, Any], intake_id: Any = None) -> Case:
    """A new case, from an intake if one is named (its client, summary and region carry over, and the
    intake is marked as having become this case)."""
    user = policies.require_desk_worker(actor)
    case = Case(steward_id=user.organisation_id, lawyer=user if user.role == "lawyer" else None)
    intake = None
    if intake_id is not None:
        intake = live_record(Intake, intake_id, for_update=True)
        policies.require_case_worker(user, intake.steward_id)
        if intake.case_id is not None:
            raise Conflict(_("This intake already became a case."))
        case.client_id, case.summary, case.region_id = intake.caller_id, intake.summary, intake.region_id
    extra = _apply_case(user, case, values)
    if extra["client_name"]:
        case.client = _new_individual(user, case.steward_id, extra["client_name"])
    for _attempt in range(3):
        case.number = _next_number(case.steward_id)
        try:
            with transaction.atomic():
                save_record(case, actor=user, operation=ChangeOperation.CREATE, changed_fields=values)
            break
        except IntegrityError:  # another case took the number at the same moment
            continue
    else:
        raise Conflict(_("Another case was opened at the same moment; try again."))
    if intake is not None:
        stored = snapshot(intake)
        intake.case, intake.status = case, IntakeStatus.CASE
        save_changes(intake, actor=user, before=stored)
    return case


@transaction.atomic
def case_update(
    *, actor: User, case_id: Any, values: Mapping[str, Any], expected_version: int | None = None
) -> Case:
    case = live_record(Case, case_id, for_update=True)
    user = policies.require_case_worker(actor, case.steward_id)
    stored = snapshot(case)
    extra = _apply_case(user, case, values)
    if extra["client_name"]:
        case.client = _new_individual(user, case.steward_id, extra["client_name"])
    return save_changes(case, actor=user, before=stored, expected_version=expected_version)


@transaction.atomic
def case_note_add(*, actor: User, case_id: Any, text: str) -> CaseNote:
    case = live_record(Case, case_id)
    user = policies.require_case_worker(actor, case.steward_id)
    if not _text(text):
        raise ValidationFailed(fields={"text": [_("Write the note.")]})
    note = CaseNote(case=case, text=_text(text))
    return save_record(note, actor=user, operation=ChangeOperation.CREATE, changed_fields=["text"])


# --- tasks -----------------------------------------------------------------------------------------------


def _apply_task(user: User, task: Task, values: Mapping[str, Any]) -> None:
    errors = unknown_field_errors(values, TASK_FIELDS)
    if "title" in values:
        task.title = _text(values["title"])
    if "due" in values:
        due = _text(values["due"])
        task.due_on = parse_date(due) if due else None
        if due and task.due_on is None:
            errors["due"] = [_("Write the day as 2026-11-30.")]
    if "assignee" in values:
        task.assignee = _worker(user, task.case.steward_id, values["assignee"], "assignee", errors)
    if "done" in values:
        done = values["done"] in (True, "true", "1", "yes", "on")
        task.done_at = (task.done_at or timezone.now()) if done else None
    if not task.title and "title" not in errors:
        errors["title"] = [_("Say what is to be done.")]
    _check(errors)


@transaction.atomic
def task_add(*, actor: User, case_id: Any, values: Mapping[str, Any]) -> Task:
    case = live_record(Case, case_id)
    user = policies.require_case_worker(actor, case.steward_id)
    task = Task(case=case)
    _apply_task(user, task, values)
    return save_record(task, actor=user, operation=ChangeOperation.CREATE, changed_fields=values)


@transaction.atomic
def task_update(
    *, actor: User, task_id: Any, values: Mapping[str, Any], expected_version: int | None = None
) -> Task:
    task = live_record(Task.objects.select_related("case"), task_id, for_update=True)
    user = policies.require_case_worker(actor, task.case.steward_id)
    stored = snapshot(task)
    _apply_task(user, task, values)
    return save_changes(task, actor=user, before=stored, expected_version=expected_version)


# --- referrals -------------------------------------------------------------------------------------------


@transaction.atomic
def referral_create(
    *, actor: User, case_id: Any, partner_id: Any, reason: str, shared_summary: str
) -> Referral:
    """Refer a case to a partner group: the partner reads the referral (why, and the summary written for
    them), never the case; the case moves to "referred" unless it is closed."""
    case = live_record(Case, case_id, for_update=True)
    user = policies.require_case_worker(actor, case.steward_id)
    errors: dict[str, list[str]] = {}
    try:
        partner = live_record(Organisation, partner_id)
    except NotFound:
        partner = None
        errors["partner"] = [_("No such organisation.")]
    if partner is not None and partner.pk == case.steward_id:
        errors["partner"] = [_("Refer the case to another group.")]
    if not _text(reason):
        errors["reason"] = [_("Say why this partner.")]
    if not _text(shared_summary):
        errors["shared_summary"] = [_("Write what the partner needs to know; they read nothing else.")]
    _check(errors)
    if (
        Referral.objects.filter(case=case, partner=partner, deleted_at__isnull=True)
        .exclude(status__in=[ReferralStatus.DECLINED, ReferralStatus.CLOSED])
        .exists()
    ):
        raise Conflict(_("This case is already referred to this partner."))
    referral = Referral(
        case=case, partner=partner, reason=_text(reason), shared_summary=_text(shared_summary)
    )
    save_record(
        referral,
        actor=user,
        operation=ChangeOperation.CREATE,
        changed_fields=["partner", "reason", "shared_summary"],
    )
    if case.status in TRANSITIONS and CaseStatus.REFERRED in TRANSITIONS[CaseStatus(case.status)]:
        stored = snapshot(case)
        case.status = CaseStatus.REFERRED
        save_changes(case, actor=user, before=stored)
    return referral


@transaction.atomic
def referral_answer(*, actor: User, referral_id: Any, status: str, answer: str = "") -> Referral:
    """The partner accepts or declines a referral (or closes it when done), with a word for the sender."""
    referral = live_record(Referral.objects.select_related("case"), referral_id, for_update=True)
    if not policies.may_answer_referral(actor, referral):
        if policies.knows_referral(actor, referral):
            raise PermissionDenied(_("The partner's case workers answer a referral."))
        raise NotFound()
    allowed = (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.CLOSED)
    if status not in allowed:
        raise ValidationFailed(fields={"status": [_("Choose one of: %(c)s.") % {"c": ", ".join(allowed)}]})
    stored = snapshot(referral)
    referral.status, referral.answer = status, _text(answer)
    return save_changes(referral, actor=actor, before=stored)


# --- cases and events ------------------------------------------------------------------------------------


@transaction.atomic
def case_event_create(
    *, actor: User, case_id: Any, event_values: Mapping[str, Any], act_values: Mapping[str, Any]
) -> tuple[Event, Act]:
    """From a case, in one step: the event it documents and the act against the client (or against the
    victim ``act_values`` names), both linked to the case."""
    case = live_record(Case, case_id, for_update=True)
    user = policies.require_case_worker(actor, case.steward_id)
    if case.event_id is not None:
        raise Conflict(_("This case already documents an event; link another case to it instead."))
    values = dict(act_values)
    if case.client_id is not None and not {"victim", "victim_name", "victim_group", "victim_count"} & set(
        values
    ):
        values["victim"] = str(case.client_id)
    event_values = {"region": case.region.code if case.region else "", **event_values}
    event = event_create(actor=user, values=event_values)
    act = act_add(actor=user, event_id=event.pk, values=values)
    stored = snapshot(case)
    case.event, case.act = event, act
    save_changes(case, actor=user, before=stored)
    return event, act


@transaction.atomic
def case_event_link(*, actor: User, case_id: Any, event_id: Any, act_id: Any = None) -> Case:
    """Link a case to an event on record (and one of its acts); ``event_id`` None unlinks it."""
    case = live_record(Case, case_id, for_update=True)
    user = policies.require_case_worker(actor, case.steward_id)
    stored = snapshot(case)
    if event_id in (None, ""):
        case.event, case.act = None, None
        return save_changes(case, actor=user, before=stored)
    event = live_record(Event, event_id)
    monitoring_policies.require_event_read(user, event)
    act = None
    if act_id not in (None, ""):
        try:
            act = live_record(Act.objects.filter(event=event), act_id)
        except NotFound:
            raise ValidationFailed(fields={"act": [_("This act is not one of the event's.")]}) from None
    case.event, case.act = event, act
    return save_changes(case, actor=user, before=stored)


# --- requests from the public site ----------------------------------------------------------------------


def visitor_key(address: str, *, day: dt.date | None = None) -> str:
    """A keyed hash of a visitor's address for one day: enough to count their requests this hour, not to
    find them again tomorrow, nor to learn the address."""
    day = day or timezone.now().date()
    key = hashlib.sha256(f"{settings.SECRET_KEY}:public-requests:{day.isoformat()}".encode()).digest()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()


def _count_request(visitor: str) -> None:
    now = timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    RequestLimit.objects.filter(hour__lt=now - dt.timedelta(days=1)).delete()
    for who, limit in ((visitor, PUBLIC_LIMIT_PER_VISITOR), ("", PUBLIC_LIMIT_PER_HOUR)):
        row, _created = RequestLimit.objects.select_for_update().get_or_create(visitor=who, hour=hour)
        if row.count >= limit:
            raise TooManyRequests()
        row.count += 1
        row.save(update_fields=["count"])


@transaction.atomic
def public_request_submit(*, organisation_id: Any, values: Mapping[str, Any], visitor: str) -> Intake:
    """A request from the public site's form, without an account: it becomes an intake of the group,
    the person's name and contact sealed at once. Limited per visitor and per hour."""
    desk = HelpDesk.objects.filter(
        organisation_id=organisation_id, accepts_public_requests=True, deleted_at__isnull=True
    ).first()
    if desk is None:
        raise NotFound(_("This group does not take requests on the site."))
    errors = unknown_field_errors(values, ("name", "contact", "summary", "region", "language"))
    name, contact, summary = (
        _text(values.get("name")),
        _text(values.get("contact")),
        _text(values.get("summary")),
    )
    if not summary:
        errors["summary"] = [_("Say what happened and what help you need.")]
    elif len(summary) > 5000:
        errors["summary"] = [_("Use at most 5,000 characters.")]
    if not contact:
        errors["contact"] = [_("Say how the group can reach you safely.")]
    elif len(contact) > 300:
        errors["contact"] = [_("Use at most 300 characters.")]
    if len(name) > 300:
        errors["name"] = [_("Use at most 300 characters.")]
    region = _region(values.get("region"), errors)
    _check(errors)
    _count_request(visitor)
    intake = Intake(
        steward_id=desk.organisation_id,
        channel=Channel.WEB_FORM,
        contact=contact,
        summary=summary,
        region=region,
        language=_text(values.get("language"))[:10] or "ru",
    )
    if name:
        intake.caller = individual_create(actor=None, steward_id=desk.organisation_id, name=name)
    return save_record(
        intake, actor=None, operation=ChangeOperation.CREATE, changed_fields=["summary", "contact"]
    )
