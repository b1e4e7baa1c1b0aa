"""Writes of events: the events, the projects they count in, and the chains between them."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from khronika.accounts.models import User
from khronika.core.changes import save_changes, save_record, snapshot
from khronika.core.dates import DatePrecision, latest_day, parse_approximate
from khronika.core.errors import Conflict, ValidationFailed, refuse_unknown_fields
from khronika.core.models import ChangeOperation
from khronika.core.records import live_record
from khronika.core.tiers import TierChoices
from khronika.directory.models import Region
from khronika.monitoring import policies
from khronika.monitoring.models import Act, Event, EventProject, EventRelation, Involvement, Term, Vocabulary
from khronika.monitoring.selectors.reference import term_resolve

EVENT_FIELDS = (
    "title",
    "description",
    "started",
    "ended",
    "region",
    "place",
    "latitude",
    "longitude",
    "type",
    "projects",
    "violation_status",
    "monitoring_status",
    "tier",
    "reference",
)
# The vocabulary each field's terms come from.
TERM_FIELDS = {
    "type": ("event_type", "event-types"),
    "violation_status": ("violation_status", "violation-statuses"),
    "monitoring_status": ("monitoring_status", "monitoring-statuses"),
}
EVENT_TIERS = {choice.value for choice in TierChoices if choice != TierChoices.PROTECTED}


def _coordinate(value: Any, *, field: str, limit: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or abs(number) > limit:
        raise ValidationFailed(
            fields={field: [_("Give a number between -%(limit)d and %(limit)d.") % {"limit": limit}]}
        )
    return number.quantize(Decimal("0.00001"))


def _apply_event(event: Event, values: Mapping[str, Any]) -> list[Term] | None:
    """Set the event's fields from ``values``; return its projects when ``values`` names them."""
    errors: dict[str, list[str]] = {}
    projects: list[Term] | None = None
    for name, value in values.items():
        try:
            if name == "started":
                event.started_on, event.started_precision = parse_approximate(value or "", field=name)
            elif name == "ended":
                event.ended_on, event.ended_precision = parse_approximate(value or "", field=name)
            elif name == "region":
                event.region = region_by_code(value)
            elif name == "latitude":
                event.latitude = _coordinate(value, field=name, limit=90)
            elif name == "longitude":
                event.longitude = _coordinate(value, field=name, limit=180)
            elif name in TERM_FIELDS:
                attribute, vocabulary = TERM_FIELDS[name]
                setattr(event, attribute, term_by_value(vocabulary, value, field=name))
            elif name == "projects":
                projects = _projects(value)
            elif name == "tier":
                if value not in EVENT_TIERS:
                    raise ValidationFailed(
                        fields={
                            name: [_("Choose one of: %(tiers)s.") % {"tiers": ", ".join(sorted(EVENT_TIERS))}]
                        }
                    )
                event.tier = value
            else:
                text = "" if value is None else str(value).strip()
                setattr(event, name, text)
        except ValidationFailed as exc:
            errors.update(exc.fields or {name: [exc.message]})
    if not event.title and "title" not in errors:
        errors["title"] = [_("Give the event a title.")]
    if (event.latitude is None) != (event.longitude is None) and not {"latitude", "longitude"} & set(errors):
        errors["longitude" if event.longitude is None else "latitude"] = [
            _("Give both coordinates, or neither.")
        ]
    ended = latest_day(event.ended_on, event.ended_precision)
    event.latest_on = ended or latest_day(event.started_on, event.started_precision)
    if ended is not None and event.started_on is not None and ended < event.started_on:
        errors.setdefault("ended", []).append(_("The event cannot end before it starts."))
    if event.ended_on is not None and event.started_on is None and "started" not in errors:
        errors["started"] = [_("Give when the event started, even roughly (~2011), before when it ended.")]
    if event.reference and "reference" in values and "reference" not in errors:
        taken = Event.objects.filter(
            steward_id=event.steward_id, reference=event.reference, deleted_at__isnull=True
        ).exclude(pk=event.pk)
        if taken.exists():
            errors["reference"] = [_("Another event of your group already has this reference.")]
    if errors:
        raise ValidationFailed(fields=errors)
    return projects


def region_by_code(value: Any) -> Region | None:
    if not value:
        return None
    found = Region.objects.filter(code=str(value).strip()).first()
    if found is None:
        raise ValidationFailed(fields={"region": [_("No region with the code %(code)s.") % {"code": value}]})
    return found


def term_by_value(vocabulary: str, value: Any, *, field: str) -> Term | None:
    if value in (None, ""):
        return None
    try:
        return term_resolve(vocabulary, str(value))
    except ValidationFailed as exc:
        raise ValidationFailed(fields={field: [exc.message]}) from None


def _projects(value: Any) -> list[Term]:
    if value in (None, ""):
        return []
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ValidationFailed(fields={"projects": [_("Give a list of monitoring projects.")]})
    terms = [term_by_value("monitoring-projects", item, field="projects") for item in value]
    return list(dict.fromkeys(t for t in terms if t is not None))


def _project_codes(event: Event) -> list[str]:
    return sorted(link.project.code for link in event.project_links.select_related("project"))


def _store_projects(event: Event, projects: list[Term]) -> None:
    EventProject.objects.filter(event=event).delete()
    EventProject.objects.bulk_create(EventProject(event=event, project=p) for p in projects)


@transaction.atomic
def event_create(*, actor: User, values: Mapping[str, Any]) -> Event:
    """A new event documented by the actor's organisation (internal to it unless ``tier`` says else)."""
    user = policies.require_event_writer(actor, steward_id=getattr(actor, "organisation_id", None))
    refuse_unknown_fields(values, EVENT_FIELDS)
    event = Event(steward_id=user.organisation_id)
    projects = _apply_event(event, values) or []
    policies.require_tier_allowed(user, event.tier)
    save_record(
        event,
        actor=user,
        operation=ChangeOperation.CREATE,
        changed_fields=values,
        relations={"projects": sorted(p.code for p in projects)},
    )
    _store_projects(event, projects)
    return event


@transaction.atomic
def event_update(
    *, actor: User, event_id: uuid.UUID | str, values: Mapping[str, Any], expected_version: int | None = None
) -> Event:
    event = live_record(Event, event_id, for_update=True)
    policies.require_event_read(actor, event)
    user = policies.require_event_writer(actor, steward_id=event.steward_id)
    refuse_unknown_fields(values, EVENT_FIELDS)
    before_projects = _project_codes(event)
    stored = snapshot(event)
    projects = _apply_event(event, values)
    if "tier" in values:
        policies.require_tier_allowed(user, event.tier)
    after_projects = before_projects if projects is None else sorted(p.code for p in projects)
    version = event.version
    save_changes(
        event,
        actor=user,
        before=stored,
        expected_version=expected_version,
        also_changed=["projects"] if after_projects != before_projects else [],
        relations={"projects": after_projects},
    )
    if projects is not None and event.version != version:
        _store_projects(event, projects)
    if FOLLOWED & set(values):
        acts_follow_event(event, actor=user)
    return event


@transaction.atomic
def event_delete(*, actor: User, event_id: uuid.UUID | str, expected_version: int | None = None) -> Event:
    event = live_record(Event, event_id, for_update=True)
    policies.require_event_read(actor, event)
    user = policies.require_event_writer(actor, steward_id=event.steward_id)
    return save_record(event, actor=user, operation=ChangeOperation.DELETE, expected_version=expected_version)


@transaction.atomic
def event_relate(*, actor: User, event_id: Any, relation: str, other_event_id: Any) -> EventRelation:
    """Chain two events: ``event`` precedes, causes, is part of… ``other``. The actor writes the first and
    may read the second."""
    event = live_record(Event, event_id, for_update=True)
    policies.require_event_read(actor, event)
    user = policies.require_event_writer(actor, steward_id=event.steward_id)
    other = live_record(Event, other_event_id)
    policies.require_event_read(user, other)
    if other.pk == event.pk:
        raise ValidationFailed(fields={"other_event": [_("An event cannot be related to itself.")]})
    term = term_by_value("event-relations", relation, field="relation")
    if EventRelation.objects.filter(
        source=event, target=other, relation=term, deleted_at__isnull=True
    ).exists():
        raise Conflict(_("These events are already related this way."))
    link = EventRelation(source=event, target=other, relation=term)
    return save_record(link, actor=user, operation=ChangeOperation.CREATE, changed_fields=["relation"])


@transaction.atomic
def event_unrelate(*, actor: User, relation_id: Any) -> EventRelation:
    link = live_record(EventRelation.objects.select_related("source"), relation_id, for_update=True)
    policies.require_event_read(actor, link.source)
    user = policies.require_event_writer(actor, steward_id=link.source.steward_id)
    return save_record(link, actor=user, operation=ChangeOperation.DELETE)


# What an act takes from its event: changing one of these on the event passes it to its acts.
FOLLOWED = frozenset({"tier", "type", "started", "region"})


def act_follows(act: Act, event: Event) -> None:
    """Copy to the act what statistics read from its event: tier, steward and type, and the date and
    region it counts under (its own when it has them, else its event's)."""
    act.tier = event.tier
    act.steward_id = event.steward_id
    act.event_type_id = event.event_type_id
    if act.started_on is not None and act.started_precision != DatePrecision.UNKNOWN:
        act.counted_on, act.counted_precision = act.started_on, act.started_precision
    else:
        act.counted_on, act.counted_precision = event.started_on, event.started_precision
    act.counted_region_id = act.region_id or event.region_id


def acts_follow_event(event: Event, *, actor: User) -> int:
    """After the event changed: pass to its live acts what they copy from it; returns how many changed."""
    changed = 0
    for act in Act.objects.filter(event=event, deleted_at__isnull=True):
        stored = snapshot(act)
        act_follows(act, event)
        version = act.version
        save_changes(act, actor=actor, before=stored)
        changed += act.version != version
    # An act's perpetrators are read at the act's tier.
    for link in Involvement.objects.filter(act__event=event, deleted_at__isnull=True).exclude(
        tier=event.tier
    ):
        stored = snapshot(link)
        link.tier = event.tier
        save_changes(link, actor=actor, before=stored)
    return changed


# Vocabularies a group may add its own terms to.
OPEN_VOCABULARIES = ("monitoring-projects",)


@transaction.atomic
def project_create(*, actor: User, name_ru: str, name_en: str = "") -> Term:
    """A monitoring project of the actor's group's making ("Дело о репостах"), offered to every group
    like the projects Khronika ships: its name is public, as every term's is. For coordinators, monitors
    and administrators."""
    user = policies.require_user_may_publish(actor)
    name_ru, name_en = (name_ru or "").strip(), (name_en or "").strip()
    errors: dict[str, list[str]] = {}
    if not name_ru:
        errors["name_ru"] = [_("Name the project in Russian.")]
    elif len(name_ru) > 200 or len(name_en) > 200:
        errors["name_ru" if len(name_ru) > 200 else "name_en"] = [_("Use at most 200 characters.")]
    if errors:
        raise ValidationFailed(fields=errors)
    vocabulary = Vocabulary.objects.get(code=OPEN_VOCABULARIES[0])
    names = {name_ru.casefold(), name_en.casefold()} - {""}
    for term in Term.objects.filter(vocabulary=vocabulary, retired=False):
        if names & {term.name_ru.casefold(), term.name_en.casefold()}:
            raise Conflict(_("A project of this name exists: %(code)s.") % {"code": term.code})
    last = Term.objects.filter(vocabulary=vocabulary).order_by("-position").first()
    term = Term(
        vocabulary=vocabulary,
        code=f"project-{uuid.uuid4().hex[:8]}",
        name_ru=name_ru,
        name_en=name_en or name_ru,
        position=(last.position + 1) if last else 0,
        added_by_id=user.organisation_id,
    )
    return save_record(
        term, actor=user, operation=ChangeOperation.CREATE, changed_fields=["name_ru", "name_en"]
    )
