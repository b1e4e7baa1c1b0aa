"""Persons and their positions in organisations over time."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from khronika.accounts import policies as account_policies
from khronika.accounts.models import User
from khronika.core.changes import save_changes, save_record, snapshot
from khronika.core.dates import parse_approximate
from khronika.core.errors import NotFound, ValidationFailed
from khronika.core.models import ChangeOperation
from khronika.core.tiers import Tier
from khronika.directory import policies
from khronika.directory.models import (
    Organisation,
    Person,
    Position,
)
from khronika.directory.services.common import _aliases, _get_live, _input_tiers, _text, _unknown_fields

PERSON_FIELDS = ("name_ru", "name_en", "aliases", "notes")


def _apply_person(person: Person, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        if name == "aliases":
            person.aliases = _aliases(value or [])
        else:
            setattr(person, name, "" if value is None else value)


@transaction.atomic
def person_create(*, actor: User, values: Mapping[str, Any]) -> Person:
    user = policies.require_directory_creator(actor)
    _unknown_fields(values, PERSON_FIELDS)
    person = Person(steward=user.organisation)
    _apply_person(person, values)
    return save_record(person, actor=user, operation=ChangeOperation.CREATE, changed_fields=values)


@transaction.atomic
def person_update(
    *, actor: User, person_id: Any, values: Mapping[str, Any], expected_version: int | None = None
) -> Person:
    person = _get_live(Person, person_id)
    _unknown_fields(values, PERSON_FIELDS)
    account_policies.require_write(actor, steward_id=person.steward_id, tiers=_input_tiers(Person, values))
    stored = snapshot(person)
    _apply_person(person, values)
    return save_changes(person, actor=actor, before=stored, expected_version=expected_version)


POSITION_FIELDS = ("title", "started", "ended")


def _apply_position(position: Position, values: Mapping[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        try:
            text = _text(value, field=name)
            if name == "title":
                if not text.strip():
                    raise ValidationFailed(fields={"title": [_("Give the title of the position.")]})
                position.title = text
            else:
                day, precision = parse_approximate(text, field=name)
                setattr(position, f"{name}_on", day)
                setattr(position, f"{name}_precision", precision)
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if errors:
        raise ValidationFailed(fields=errors)


def _live_position(position_id: Any) -> Position:
    position: Position = _get_live(Position, position_id)
    if position.person.deleted_at is not None:
        raise NotFound()
    return position


@transaction.atomic
def position_add(
    *, actor: User, person_id: Any, organisation_id: Any, title: str, started: str = "", ended: str = ""
) -> Position:
    person = _get_live(Person, person_id)
    org = _get_live(Organisation, organisation_id)
    account_policies.require_write(actor, steward_id=person.steward_id, tiers={Tier.NETWORK})
    position = Position(person=person, organisation=org, title=title)
    position.started_on, position.started_precision = parse_approximate(started, field="started")
    position.ended_on, position.ended_precision = parse_approximate(ended, field="ended")
    return save_record(
        position,
        actor=actor,
        operation=ChangeOperation.CREATE,
        changed_fields=["person", "organisation", "title", "started_on", "ended_on"],
    )


@transaction.atomic
def position_update(
    *,
    actor: User,
    position_id: Any,
    values: Mapping[str, Any],
    expected_version: int | None = None,
) -> Position:
    """Correct a position's title or dates (approximate-date text), for instance the day it ended."""
    position = _live_position(position_id)
    _unknown_fields(values, POSITION_FIELDS)
    account_policies.require_write(actor, steward_id=position.person.steward_id, tiers={Tier.NETWORK})
    stored = snapshot(position)
    _apply_position(position, values)
    return save_changes(position, actor=actor, before=stored, expected_version=expected_version)


@transaction.atomic
def position_remove(*, actor: User, position_id: Any) -> Position:
    """Take back a position recorded by mistake."""
    position = _live_position(position_id)
    account_policies.require_write(actor, steward_id=position.person.steward_id, tiers={Tier.NETWORK})
    return save_record(position, actor=actor, operation=ChangeOperation.DELETE)
