"""Writes of what an event links to: who was involved in an act (perpetrators), where the information
comes from (sources, with their reliability), and what was done about it (interventions).

Each kind declares its fields once (``Spec``): the input name, what it holds and where it is stored. One
applier reads them all, so every field of every kind answers bad input the same way, naming itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khronika.accounts.models import User
from khronika.core.changes import save_changes, save_record, snapshot
from khronika.core.dates import parse_approximate
from khronika.core.errors import NotFound, ValidationFailed, unknown_field_errors
from khronika.core.models import ChangeOperation
from khronika.core.records import live_record
from khronika.directory.models import Organisation, Person
from khronika.monitoring import policies
from khronika.monitoring.models import (
    Act,
    Event,
    Information,
    Intervention,
    Involvement,
    SourceKind,
)
from khronika.monitoring.services.events import term_by_value
from khronika.monitoring.services.individuals import individual_create, individual_of


@dataclass(frozen=True)
class Field:
    kind: str  # "term", "text", "date", "record"
    attribute: str
    vocabulary: str = ""
    required: Any = ""  # the message when the record has no value for it


INVOLVEMENT = {
    "perpetrator_person": Field("record", "perpetrator_person"),
    "perpetrator_organisation": Field("record", "perpetrator_organisation"),
    "perpetrator": Field("text", "perpetrator_description"),
    "degree": Field(
        "term", "degree", "involvement-degrees", gettext_lazy("Choose the degree of involvement.")
    ),
    "perpetrator_type": Field("term", "perpetrator_type", "perpetrator-types"),
    "latest_status": Field("term", "latest_status", "perpetrator-statuses"),
    "notes": Field("text", "notes"),
}
INFORMATION = {
    "act": Field("record", "act"),
    "source_kind": Field("text", "source_kind", required=gettext_lazy("Say what the source is.")),
    "source": Field("record", "source_individual"),
    "source_organisation": Field("record", "source_organisation"),
    "title": Field("text", "source_title"),
    "url": Field("text", "url"),
    "source_type": Field("term", "source_type", "source-types"),
    "connection": Field("term", "connection", "source-connections"),
    "reliability": Field(
        "term", "reliability", "reliability", gettext_lazy("Say how reliable the source is.")
    ),
    "language": Field("term", "language", "source-languages"),
    "dated": Field("date", "dated"),
    "notes": Field("text", "notes"),
}
INTERVENTION = {
    "act": Field("record", "act"),
    "by_organisation": Field("record", "by_organisation"),
    "type": Field(
        "term", "intervention_type", "intervention-types", gettext_lazy("Choose the type of intervention.")
    ),
    "dated": Field("date", "dated"),
    "parties_requested": Field("text", "parties_requested"),
    "response": Field("term", "response", "intervention-responses"),
    "impact": Field("term", "impact", "intervention-impacts"),
    "status": Field("term", "status", "intervention-statuses", gettext_lazy("Choose the status.")),
    "priority": Field("term", "priority", "intervention-priorities"),
    "notes": Field("text", "notes"),
}
# Inputs handled by the kind itself, beside its spec.
INFORMATION_EXTRA = ("source_name",)


def _apply(
    record: models.Model,
    spec: Mapping[str, Field],
    values: Mapping[str, Any],
    resolve: Callable[[str, Any], Any],
    *,
    extra: tuple[str, ...] = (),
) -> dict[str, list[str]]:
    """Set ``values`` on ``record`` by ``spec``; returns the errors by input name (nothing raised here)."""
    errors = unknown_field_errors(values, {*spec, *extra})
    for name, value in values.items():
        field = spec.get(name)
        if field is None:
            continue
        try:
            if field.kind == "term":
                setattr(record, field.attribute, term_by_value(field.vocabulary, value, field=name))
            elif field.kind == "date":
                on, precision = parse_approximate(value or "", field=name)
                setattr(record, f"{field.attribute}_on", on)
                setattr(record, f"{field.attribute}_precision", precision)
            elif field.kind == "record":
                setattr(record, field.attribute, resolve(name, value) if value not in (None, "") else None)
            else:
                setattr(record, field.attribute, "" if value is None else str(value).strip())
        except ValidationFailed as exc:
            errors.update(exc.fields or {name: [exc.message]})
    for name, field in spec.items():
        if field.required and name not in errors and not _has(record, field):
            errors[name] = [str(field.required)]
    return errors


def _has(record: models.Model, field: Field) -> bool:
    if field.kind in ("term", "record"):
        return getattr(record, f"{field.attribute}_id") is not None
    return bool(getattr(record, field.attribute))


def _live(model: type[models.Model], value: Any, name: str, **scope: Any) -> Any:
    try:
        return live_record(model.objects.filter(**scope), value)  # type: ignore[attr-defined]
    except NotFound:
        raise ValidationFailed(fields={name: [_("No such record: %(value)s.") % {"value": value}]}) from None


def _writer(actor: Any, event: Event) -> User:
    policies.require_event_read(actor, event)
    return policies.require_event_writer(actor, steward_id=event.steward_id)


def _check(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(fields=errors)


# --- involvements ----------------------------------------------------------------------------------------


def _involvement_resolver(name: str, value: Any) -> Any:
    return _live(Person if name == "perpetrator_person" else Organisation, value, name)


def _involvement_errors(link: Involvement, values: Mapping[str, Any]) -> dict[str, list[str]]:
    errors = _apply(link, INVOLVEMENT, values, _involvement_resolver)
    named = link.perpetrator_person_id or link.perpetrator_organisation_id or link.perpetrator_description
    if not named and not {"perpetrator", "perpetrator_person", "perpetrator_organisation"} & set(errors):
        errors["perpetrator"] = [
            _("Name the perpetrator: a person or an organisation from the directory, or a description.")
        ]
    return errors


@transaction.atomic
def involvement_add(*, actor: User, act_id: Any, values: Mapping[str, Any]) -> Involvement:
    act = live_record(Act.objects.select_related("event"), act_id, for_update=True)
    user = _writer(actor, act.event)
    link = Involvement(act=act, tier=act.tier)
    _check(_involvement_errors(link, values))
    return save_record(link, actor=user, operation=ChangeOperation.CREATE, changed_fields=values)


@transaction.atomic
def involvement_update(
    *, actor: User, involvement_id: Any, values: Mapping[str, Any], expected_version: int | None = None
) -> Involvement:
    link = live_record(Involvement.objects.select_related("act__event"), involvement_id, for_update=True)
    user = _writer(actor, link.act.event)
    stored = snapshot(link)
    _check(_involvement_errors(link, values))
    return save_changes(link, actor=user, before=stored, expected_version=expected_version)


@transaction.atomic
def involvement_delete(
    *, actor: User, involvement_id: Any, expected_version: int | None = None
) -> Involvement:
    link = live_record(Involvement.objects.select_related("act__event"), involvement_id, for_update=True)
    user = _writer(actor, link.act.event)
    return save_record(link, actor=user, operation=ChangeOperation.DELETE, expected_version=expected_version)


# --- information -------------------------------------------------------------------------------------------


def _information_errors(
    user: User, record: Information, values: Mapping[str, Any]
) -> tuple[dict[str, list[str]], str]:
    event = record.event

    def resolve(name: str, value: Any) -> Any:
        if name == "act":
            return _live(Act, value, name, event=event)
        if name == "source":
            return individual_of(value, steward_id=event.steward_id, field=name)
        return _live(Organisation, value, name)

    if values.get("source_name") or values.get("source"):
        record.source_kind = SourceKind.PERSON  # a source who is a person, named or on record
    errors = _apply(record, INFORMATION, values, resolve, extra=INFORMATION_EXTRA)
    if record.source_kind and record.source_kind not in SourceKind.values and "source_kind" not in errors:
        errors["source_kind"] = [_("Choose one of: %(kinds)s.") % {"kinds": ", ".join(SourceKind.values)}]
    new_name = str(values.get("source_name") or "").strip()
    if new_name and values.get("source"):
        errors["source_name"] = [_("Give the source either as an individual on record or as a new name.")]
    if new_name or values.get("source"):
        record.source_kind = SourceKind.PERSON
        policies.require_namer(user, event.steward_id)
    return errors, new_name


def _store_source(user: User, record: Information, new_name: str) -> None:
    if new_name:
        record.source_individual = individual_create(
            actor=user, steward_id=record.event.steward_id, name=new_name
        )


@transaction.atomic
def information_add(*, actor: User, event_id: Any, values: Mapping[str, Any]) -> Information:
    event = live_record(Event, event_id, for_update=True)
    user = _writer(actor, event)
    record = Information(event=event)
    errors, new_name = _information_errors(user, record, values)
    _check(errors)
    _store_source(user, record, new_name)
    return save_record(record, actor=user, operation=ChangeOperation.CREATE, changed_fields=values)


@transaction.atomic
def information_update(
    *, actor: User, information_id: Any, values: Mapping[str, Any], expected_version: int | None = None
) -> Information:
    record = live_record(Information.objects.select_related("event"), information_id, for_update=True)
    user = _writer(actor, record.event)
    stored = snapshot(record)
    errors, new_name = _information_errors(user, record, values)
    _check(errors)
    _store_source(user, record, new_name)
    return save_changes(record, actor=user, before=stored, expected_version=expected_version)


@transaction.atomic
def information_delete(
    *, actor: User, information_id: Any, expected_version: int | None = None
) -> Information:
    record = live_record(Information.objects.select_related("event"), information_id, for_update=True)
    user = _writer(actor, record.event)
    return save_record(
        record, actor=user, operation=ChangeOperation.DELETE, expected_version=expected_version
    )


# --- interventions -----------------------------------------------------------------------------------------


def _intervention_errors(record: Intervention, values: Mapping[str, Any]) -> dict[str, list[str]]:
    event = record.event

    def resolve(name: str, value: Any) -> Any:
        if name == "act":
            return _live(Act, value, name, event=event)
        return _live(Organisation, value, name)

    return _apply(record, INTERVENTION, values, resolve)


@transaction.atomic
def intervention_add(*, actor: User, event_id: Any, values: Mapping[str, Any]) -> Intervention:
    """An intervention by the actor's group unless ``by_organisation`` names another (a partner that
    acted on the group's request)."""
    event = live_record(Event, event_id, for_update=True)
    user = _writer(actor, event)
    record = Intervention(event=event, by_organisation_id=user.organisation_id)
    _check(_intervention_errors(record, values))
    return save_record(record, actor=user, operation=ChangeOperation.CREATE, changed_fields=values)


@transaction.atomic
def intervention_update(
    *, actor: User, intervention_id: Any, values: Mapping[str, Any], expected_version: int | None = None
) -> Intervention:
    record = live_record(Intervention.objects.select_related("event"), intervention_id, for_update=True)
    user = _writer(actor, record.event)
    stored = snapshot(record)
    _check(_intervention_errors(record, values))
    return save_changes(record, actor=user, before=stored, expected_version=expected_version)


@transaction.atomic
def intervention_delete(
    *, actor: User, intervention_id: uuid.UUID | str, expected_version: int | None = None
) -> Intervention:
    record = live_record(Intervention.objects.select_related("event"), intervention_id, for_update=True)
    user = _writer(actor, record.event)
    return save_record(
        record, actor=user, operation=ChangeOperation.DELETE, expected_version=expected_version
    )
