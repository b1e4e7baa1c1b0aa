"""Reads of the case desk, for its case workers only (``policies``); a partner reads its referrals.

Who asked and how to reach them are sealed: a row holds ``SEALED`` until the reader's keyring opens it
(an ``Opening``), each opening audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from khronika.accounts import policies as account_policies
from khronika.accounts.models import User
from khronika.accounts.sealing import Opening, open_rows
from khronika.cases import policies
from khronika.cases.models import Case, CaseNote, CaseStatus, HelpDesk, Intake, IntakeStatus, Referral, Task
from khronika.core.errors import NotAuthenticated, ValidationFailed
from khronika.core.models import AuditEntry, ChangeLogEntry
from khronika.core.projection import Projection, project
from khronika.core.records import live_record
from khronika.core.tiers import Tier
from khronika.directory.selectors import organisations_near

CASE_FILTERS = ("status", "lawyer", "category", "region", "open")


def _choose(values: list[str]) -> str:
    return _("Choose one of: %(choices)s.") % {"choices": ", ".join(values)}


def _desk_user(actor: Any) -> User:
    user = account_policies.signed_in(actor)
    if user is None:
        raise NotAuthenticated()
    return user


def _with_person(rows: list[tuple[Any, Projection]], person_field: str, opening: Opening | None) -> None:
    """Put each row's person's sealed name in ``<person_field>_name`` (opened when the keyring can)."""
    people = []
    for record, row in rows:
        person = getattr(record, person_field)
        if person is not None:
            projected = project(person, ceiling=Tier.PROTECTED)
            people.append((person, projected))
            row[f"_{person_field}"] = projected
    open_rows(people, opening)
    for _record, row in rows:
        projected = row.pop(f"_{person_field}", None)
        if projected is not None:
            row[f"{person_field}_name"] = projected["name"]


# --- intakes ---------------------------------------------------------------------------------------------


def intake_list(*, actor: Any, status: str = "new") -> QuerySet[Intake]:
    user = _desk_user(actor)
    if not policies.is_case_worker(user, user.organisation_id):
        return Intake.objects.none()
    intakes = Intake.objects.filter(steward_id=user.organisation_id, deleted_at__isnull=True)
    if status:
        if status not in IntakeStatus.values:
            raise ValidationFailed(
                fields={"status": [_("Choose one of: %(c)s.") % {"c": ", ".join(IntakeStatus.values)}]}
            )
        intakes = intakes.filter(status=status)
    return intakes.select_related("region", "case").order_by("-received_at")


def intake_card(*, actor: Any, intake_id: Any, opening: Opening | None = None) -> Projection:
    intake = live_record(Intake.objects.select_related("caller", "region", "case"), intake_id)
    policies.require_case_worker(actor, intake.steward_id)
    row = project(intake, ceiling=Tier.PROTECTED)
    open_rows([(intake, row)], opening)
    _with_person([(intake, row)], "caller", opening)
    row["region_code"] = intake.region.code if intake.region else None
    row["case_number"] = intake.case.number if intake.case else None
    row["channel_label"] = intake.get_channel_display()
    row["urgency_label"] = intake.get_urgency_display()
    row["status_label"] = intake.get_status_display()
    return row


# --- cases -----------------------------------------------------------------------------------------------


def case_list(*, actor: Any, filters: dict[str, str] | None = None) -> QuerySet[Case]:
    """The cases of the reader's desk, newest first; other readers get none."""
    user = _desk_user(actor)
    if not policies.is_case_worker(user, user.organisation_id):
        return Case.objects.none()
    filters = {k: v.strip() for k, v in (filters or {}).items() if v and v.strip()}
    unknown = sorted(set(filters) - set(CASE_FILTERS))
    if unknown:
        raise ValidationFailed(fields={name: [_("Unknown filter.")] for name in unknown})
    cases = Case.objects.filter(steward_id=user.organisation_id, deleted_at__isnull=True)
    if "status" in filters:
        if filters["status"] not in CaseStatus.values:
            raise ValidationFailed(
                fields={"status": [_("Choose one of: %(c)s.") % {"c": ", ".join(CaseStatus.values)}]}
            )
        cases = cases.filter(status=filters["status"])
    if filters.get("open") in ("1", "true", "yes"):
        cases = cases.exclude(status=CaseStatus.CLOSED)
    if filters.get("lawyer") == "me":
        cases = cases.filter(lawyer=user)
    elif "lawyer" in filters:
        cases = cases.filter(lawyer__username=filters["lawyer"])
    if "category" in filters:
        cases = cases.filter(category__code=filters["category"])
    if "region" in filters:
        cases = cases.filter(region__code=filters["region"])
    return cases.select_related("category", "region", "lawyer", "event")


def case_rows(cases: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": case.pk,
            "number": case.number,
            "title": case.title,
            "status": case.status,
            "status_label": case.get_status_display(),
            "category": case.category.code if case.category else None,
            "region": case.region.code if case.region else None,
            "lawyer": case.lawyer.username if case.lawyer else None,
            "opened_on": case.opened_on,
            "event": case.event_id,
        }
        for case in cases
    ]


def case_card(*, actor: Any, case_id: Any, opening: Opening | None = None) -> Projection:
    """One case with its client (sealed), tasks, notes, referrals and the event it documents."""
    case = live_record(
        Case.objects.select_related("client", "category", "region", "lawyer", "event"), case_id
    )
    policies.require_case_worker(actor, case.steward_id)
    card = project(case, ceiling=Tier.PROTECTED)
    _with_person([(case, card)], "client", opening)
    card["status_label"] = case.get_status_display()
    card["outcome_label"] = case.get_outcome_display() if case.outcome else ""
    card["category_code"] = case.category.code if case.category else None
    card["category_name"] = case.category.name_ru if case.category else ""
    card["region_code"] = case.region.code if case.region else None
    card["lawyer_username"] = case.lawyer.username if case.lawyer else None
    card["event_title"] = case.event.title if case.event else None
    card["tasks"] = [
        _task_row(t) for t in case.tasks.filter(deleted_at__isnull=True).select_related("assignee")
    ]
    card["notes"] = [project(n, ceiling=Tier.INTERNAL) for n in case.notes.filter(deleted_at__isnull=True)]
    card["referrals"] = [
        _referral_row(r) for r in case.referrals.filter(deleted_at__isnull=True).select_related("partner")
    ]
    card["intakes"] = list(case.intakes.filter(deleted_at__isnull=True).values_list("pk", flat=True))
    card["transitions"] = sorted(_transitions(case.status))
    return card


def _transitions(status: str) -> set[str]:
    from khronika.cases.services import TRANSITIONS

    return {str(s) for s in TRANSITIONS[CaseStatus(status)]}


def _task_row(task: Task) -> Projection:
    row = project(task, ceiling=Tier.INTERNAL)
    row["assignee_username"] = task.assignee.username if task.assignee else None
    row["overdue"] = task.done_at is None and task.due_on is not None and task.due_on < timezone.localdate()
    return row


def _referral_row(referral: Referral) -> Projection:
    row = project(referral, ceiling=Tier.INTERNAL)
    row["partner_name"] = referral.partner.name_ru
    row["status_label"] = referral.get_status_display()
    return row


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    what: str  # the kind of record: case, task, note, referral, intake
    operation: str
    fields: list[str]
    who: str  # the actor's display name, or "" for the system and the public form
    text: str = ""  # a note's text


def case_timeline(*, actor: Any, case_id: Any) -> list[TimelineEntry]:
    """Every change of the case and of its tasks, notes, referrals and intakes, oldest first: when, what,
    which fields (names only), who; notes with their text."""
    case = live_record(Case, case_id)
    policies.require_case_worker(actor, case.steward_id)
    ids = {
        "cases.case": [case.pk],
        "cases.task": list(case.tasks.values_list("pk", flat=True)),
        "cases.casenote": list(case.notes.values_list("pk", flat=True)),
        "cases.referral": list(case.referrals.values_list("pk", flat=True)),
        "cases.intake": list(case.intakes.values_list("pk", flat=True)),
    }
    query = Q()
    for entity, keys in ids.items():
        if keys:
            query |= Q(entity=entity, entity_id__in=keys)
    entries = list(ChangeLogEntry.objects.filter(query).order_by("seq"))
    actors = _actors(entries)
    notes = dict(CaseNote.objects.filter(case=case).values_list("pk", "text"))
    timeline = []
    for entry in entries:
        is_note = entry.entity == "cases.casenote" and entry.operation == "create"
        timeline.append(
            TimelineEntry(
                at=entry.recorded_at,
                what=entry.entity.split(".")[1].replace("casenote", "note"),
                operation=entry.operation,
                fields=list(entry.changed_fields or []),
                who=actors.get(entry.seq, ""),
                text=notes.get(entry.entity_id, "") if is_note else "",
            )
        )
    return timeline


def _actors(entries: list[ChangeLogEntry]) -> dict[int, str]:
    """Who made each change (by change-log seq): the audit log writes one entry per change, in the same
    order, naming the actor by pseudonym."""
    if not entries:
        return {}
    writes = (
        AuditEntry.objects.filter(
            entity__in={e.entity for e in entries}, entity_id__in={e.entity_id for e in entries}
        )
        .filter(Q(action__endswith=".create") | Q(action__endswith=".update") | Q(action__endswith=".delete"))
        .order_by("seq")
        .values_list("entity", "entity_id", "actor")
    )
    by_record: dict[tuple[str, Any], list[str]] = {}
    for entity, entity_id, pseudonym in writes:
        by_record.setdefault((entity, entity_id), []).append(pseudonym)
    names = {
        u.pseudonym: (u.display_name or u.username)
        for u in User.objects.filter(pseudonym__in={p for ps in by_record.values() for p in ps})
    }
    found: dict[int, str] = {}
    seen: dict[tuple[str, Any], int] = {}
    for entry in entries:
        key = (entry.entity, entry.entity_id)
        index = seen.get(key, 0)
        seen[key] = index + 1
        pseudonyms = by_record.get(key, [])
        if index < len(pseudonyms):
            found[entry.seq] = names.get(pseudonyms[index], "")
    return found


# --- tasks on the home page ------------------------------------------------------------------------------


def my_tasks(*, actor: Any, days: int = 14) -> list[Projection]:
    """The reader's open tasks (and the desk's unassigned ones) due within ``days`` or overdue, and those
    with no day, soonest first: the reminders of the staff home page."""
    user = _desk_user(actor)
    if not policies.is_case_worker(user, user.organisation_id):
        return []
    horizon = timezone.localdate() + dt.timedelta(days=days)
    tasks = (
        Task.objects.filter(
            case__steward_id=user.organisation_id,
            case__deleted_at__isnull=True,
            deleted_at__isnull=True,
            done_at__isnull=True,
        )
        .filter(Q(assignee=user) | Q(assignee__isnull=True))
        .filter(Q(due_on__lte=horizon) | Q(due_on__isnull=True))
        .select_related("case", "assignee")
        .order_by("due_on", "created_at")
    )
    rows = []
    for task in tasks[:100]:
        row = _task_row(task)
        row["case_number"], row["case_title"] = task.case.number, task.case.title
        rows.append(row)
    return rows


# --- referrals -------------------------------------------------------------------------------------------


def referrals_received(*, actor: Any) -> list[Projection]:
    """Referrals addressed to the reader's group: what the referring group shared, nothing more."""
    user = _desk_user(actor)
    if user.role not in account_policies.CONTRIBUTORS or user.organisation_id is None:
        return []
    rows = []
    for referral in Referral.objects.filter(
        partner_id=user.organisation_id, deleted_at__isnull=True
    ).select_related("case__steward", "case__category"):
        rows.append(
            Projection(
                id=referral.pk,
                version=referral.version,
                from_organisation=referral.case.steward.name_ru,
                from_organisation_id=referral.case.steward_id,
                category=referral.case.category.code if referral.case.category else None,
                reason=referral.reason,
                shared_summary=referral.shared_summary,
                status=referral.status,
                answer=referral.answer,
                sent_at=referral.created_at,
                may_answer=policies.may_answer_referral(user, referral),
            )
        )
    return rows


def referral_partners(*, actor: Any, case_id: Any, limit: int = 10) -> list[Projection]:
    """Partner groups to refer a case to: active organisations working on the case's category of rights in
    its region, its neighbours or its federal district, the nearest first."""
    case = live_record(Case.objects.select_related("category", "region"), case_id)
    user = policies.require_case_worker(actor, case.steward_id)
    if case.category is None or case.region is None:
        raise ValidationFailed(
            fields={"case": [_("Give the case its category of rights and its region to find partners.")]}
        )
    found = organisations_near(actor=user, area=case.category.code, region=case.region.code, limit=limit + 1)
    return [row for row in found if row["id"] != case.steward_id][:limit]


# --- events ----------------------------------------------------------------------------------------------


def event_cases(*, actor: Any, event_id: Any) -> list[dict[str, Any]]:
    """The cases of the reader's desk behind an event (none for a reader who is not its case worker)."""
    user = account_policies.signed_in(actor)
    if user is None or not policies.is_case_worker(user, user.organisation_id):
        return []
    return case_rows(
        Case.objects.filter(
            event_id=event_id, steward_id=user.organisation_id, deleted_at__isnull=True
        ).select_related("category", "region", "lawyer")
    )


def help_desk(*, organisation_id: Any) -> HelpDesk | None:
    """The group's desk if it takes requests on the public site (public information)."""
    return HelpDesk.objects.filter(
        organisation_id=organisation_id, accepts_public_requests=True, deleted_at__isnull=True
    ).first()
