"""Writes of acts: the violations within an event, the individuals they name, and their consequences.

An act names its victim one of three ways: an individual already on record (``victim``), a new one
(``victim_name``, sealed at once, with ``victim_birth_year``), or a group (``victim_group`` and
``victim_count``, "39 detained"). An act carries its event's tier; ``events.acts_follow_event`` keeps
them equal.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from khronika.accounts.models import User
from khronika.core.changes import save_changes, save_record, snapshot
from khronika.core.dates import latest_day, parse_approximate
from khronika.core.errors import ValidationFailed, refuse_unknown_fields
from khronika.core.models import ChangeOperation
from khronika.core.records import live_record
from khronika.monitoring import policies
from khronika.monitoring.models import Act, ActConsequence, Event, Individual, Term, VictimKind
from khronika.monitoring.services.events import act_follows, region_by_code, term_by_value
from khronika.monitoring.services.individuals import individual_create, individual_of

ACT_FIELDS = (
    "victim",
    "victim_name",
    "victim_birth_year",
    "victim_group",
    "victim_count",
    "type",
    "started",
    "time",
    "ended",
    "region",
    "place",
    "method",
    "consequences",
    "end_status",
    "detention_place",
    "police_station",
    "legal_counsel",
    "court",
    "case_number",
    "autopsy",
    "death_certificate",
    "medical_attention",
    "statements_signed",
    "property_loss",
    "compensation",
    "notes",
)
TERM_FIELDS = {
    "type": ("act_type", "act-types"),
    "method": ("method", "act-methods"),
    "end_status": ("end_status", "victim-end-statuses"),
    "detention_place": ("detention_place", "detention-places"),
}
TEXT_FIELDS = (
    "victim_group",
    "place",
    "police_station",
    "legal_counsel",
    "court",
    "case_number",
    "autopsy",
    "death_certificate",
    "medical_attention",
    "property_loss",
    "compensation",
    "notes",
)
# Values only a role that reads protected values may write.
NAMING_FIELDS = ("victim", "victim_name", "victim_birth_year", "case_number")
MAX_GROUP = 1_000_000
TIME_OF_DAY = re.compile(r"^(\d{1,2})[:.](\d{2})$")


def _count(value: Any) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= MAX_GROUP:
        raise ValidationFailed(
            fields={
                "victim_count": [_("Give a whole number of victims from 1 to %(max)d.") % {"max": MAX_GROUP}]
            }
        )
    return number


def _birth_year(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        year = 0
    if not 1900 <= year <= 2100:
        raise ValidationFailed(fields={"victim_birth_year": [_("Give a year such as 1987.")]})
    return year


def _time_of_day(value: Any) -> dt.time | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.time):
        return value
    match = TIME_OF_DAY.match(str(value).strip())
    if match is not None and int(match.group(1)) < 24 and int(match.group(2)) < 60:
        return dt.time(int(match.group(1)), int(match.group(2)))
    raise ValidationFailed(fields={"time": [_("Write a time of day as 14:30.")]})


def _flag(value: Any) -> bool | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"yes", "true", "1", "да"}:
        return True
    if text in {"no", "false", "0", "нет"}:
        return False
    raise ValidationFailed(fields={"statements_signed": [_("Answer yes, no, or leave it empty.")]})


def _consequences(value: Any) -> list[Term]:
    if value in (None, ""):
        return []
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ValidationFailed(fields={"consequences": [_("Give a list of consequences.")]})
    terms = [term_by_value("act-consequences", item, field="consequences") for item in value]
    return list(dict.fromkeys(t for t in terms if t is not None))


def _apply_act(act: Act, event: Event, values: Mapping[str, Any]) -> tuple[list[Term] | None, dict[str, Any]]:
    """Set the act's fields from ``values``. Returns its consequences when ``values`` names them, and the
    new individual to create (``{"name": …, "birth_year": …}``) when ``values`` gives a name."""
    errors: dict[str, list[str]] = {}
    consequences: list[Term] | None = None
    new_victim: dict[str, Any] = {}
    for name, value in values.items():
        try:
            if name == "started":
                act.started_on, act.started_precision = parse_approximate(value or "", field=name)
            elif name == "time":
                act.started_time = _time_of_day(value)
            elif name == "ended":
                act.ended_on, act.ended_precision = parse_approximate(value or "", field=name)
            elif name == "region":
                act.region = region_by_code(value)
            elif name in TERM_FIELDS:
                attribute, vocabulary = TERM_FIELDS[name]
                setattr(act, attribute, term_by_value(vocabulary, value, field=name))
            elif name == "consequences":
                consequences = _consequences(value)
            elif name == "victim_count":
                act.victim_count = _count(value)
            elif name == "victim":
                act.victim = individual_of(value, steward_id=event.steward_id, field="victim")
            elif name == "victim_name":
                text = "" if value is None else str(value).strip()
                if text:
                    new_victim["name"] = text
            elif name == "victim_birth_year":
                new_victim["birth_year"] = _birth_year(value)
            elif name == "statements_signed":
                act.statements_signed = _flag(value)
            else:
                setattr(act, name, "" if value is None else str(value).strip())
        except ValidationFailed as exc:
            errors.update(exc.fields or {name: [exc.message]})
    if new_victim.get("name"):
        if values.get("victim"):
            errors.setdefault("victim_name", []).append(
                _("Give the victim either as an individual on record or as a new name, not both.")
            )
        act.victim = None
    elif "birth_year" in new_victim and new_victim["birth_year"] is not None:
        errors.setdefault("victim_birth_year", []).append(_("A year of birth goes with a new victim's name."))
    _check_victim(act, values, bool(new_victim.get("name")), errors)
    if act.act_type_id is None and "type" not in errors:
        errors["type"] = [_("Choose the type of act.")]
    ended = latest_day(act.ended_on, act.ended_precision)
    act.latest_on = ended or latest_day(act.started_on, act.started_precision)
    if ended is not None and act.started_on is not None and ended < act.started_on:
        errors.setdefault("ended", []).append(_("The act cannot end before it starts."))
    if errors:
        raise ValidationFailed(fields=errors)
    act_follows(act, event)
    return consequences, new_victim


def _check_victim(act: Act, values: Mapping[str, Any], naming: bool, errors: dict[str, list[str]]) -> None:
    """A person is one victim, named or not; a group has a count and no individual."""
    group_given = bool(act.victim_group) or ("victim_count" in values and act.victim_count != 1)
    if naming or act.victim is not None:
        if group_given and "victim_count" not in errors:
            errors.setdefault("victim_group", []).append(
                _("An act against a named person has one victim; record a group as a separate act.")
            )
        act.victim_kind = VictimKind.PERSON
        act.victim_count = 1
    elif group_given:
        act.victim_kind = VictimKind.GROUP
    elif "victim" in values or "victim_name" in values:
        # The victim was cleared: an unnamed person.
        act.victim_kind = VictimKind.PERSON


def _store_consequences(act: Act, terms: Iterable[Term]) -> None:
    ActConsequence.objects.filter(act=act).delete()
    ActConsequence.objects.bulk_create(ActConsequence(act=act, consequence=t) for t in terms)


def _consequence_codes(act: Act) -> list[str]:
    return sorted(link.consequence.code for link in act.consequence_links.select_related("consequence"))


def _writer_of(actor: Any, event: Event, values: Mapping[str, Any]) -> User:
    policies.require_event_read(actor, event)
    user = policies.require_event_writer(actor, steward_id=event.steward_id)
    if any(values.get(name) not in (None, "") for name in NAMING_FIELDS):
        policies.require_namer(user, event.steward_id)
    return user


def _create_individual(user: User, event: Event, new_victim: dict[str, Any]) -> Individual:
    return individual_create(
        actor=user,
        steward_id=event.steward_id,
        name=new_victim["name"],
        birth_year=new_victim.get("birth_year"),
    )


@transaction.atomic
def act_add(*, actor: User, event_id: uuid.UUID | str, values: Mapping[str, Any]) -> Act:
    """A new act within an event the actor's group documents."""
    event = live_record(Event, event_id, for_update=True)
    user = _writer_of(actor, event, values)
    refuse_unknown_fields(values, ACT_FIELDS)
    act = Act(event=event)
    consequences, new_victim = _apply_act(act, event, values)
    if new_victim.get("name"):
        act.victim = _create_individual(user, event, new_victim)
    save_record(
        act,
        actor=user,
        operation=ChangeOperation.CREATE,
        changed_fields=values,
        relations={"consequences": sorted(t.code for t in consequences or [])},
    )
    _store_consequences(act, consequences or [])
    return act


@transaction.atomic
def act_update(
    *, actor: User, act_id: uuid.UUID | str, values: Mapping[str, Any], expected_version: int | None = None
) -> Act:
    act = live_record(Act.objects.select_related("event"), act_id, for_update=True)
    event = act.event
    user = _writer_of(actor, event, values)
    refuse_unknown_fields(values, ACT_FIELDS)
    before_codes = _consequence_codes(act)
    stored = snapshot(act)
    consequences, new_victim = _apply_act(act, event, values)
    if new_victim.get("name"):
        act.victim = _create_individual(user, event, new_victim)
    after_codes = before_codes if consequences is None else sorted(t.code for t in consequences)
    version = act.version
    save_changes(
        act,
        actor=user,
        before=stored,
        expected_version=expected_version,
        also_changed=["consequences"] if after_codes != before_codes else [],
        relations={"consequences": after_codes},
    )
    if consequences is not None and act.version != version:
        _store_consequences(act, consequences)
    return act


@transaction.atomic
def act_delete(*, actor: User, act_id: uuid.UUID | str, expected_version: int | None = None) -> Act:
    act = live_record(Act.objects.select_related("event"), act_id, for_update=True)
    user = _writer_of(actor, act.event, {})
    return save_record(act, actor=user, operation=ChangeOperation.DELETE, expected_version=expected_version)
