"""What hangs on an organisation: contact points, state designations, relationships."""

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
    ContactPoint,
    Designation,
    DesignationKind,
    Organisation,
    Relationship,
)
from khronika.directory.services.common import _day, _get_live, _owner, _text, _unknown_fields


@transaction.atomic
def contact_add(
    *,
    actor: User,
    kind: str,
    value: str,
    tier: str,
    label: str = "",
    organisation_id: Any = None,
    person_id: Any = None,
) -> ContactPoint:
    org, person, steward = _owner(organisation_id, person_id)
    tier_value = Tier[str(tier).upper()] if str(tier).upper() in Tier.__members__ else None
    if tier_value is None:
        raise ValidationFailed(fields={"tier": [_("Choose public, network, internal or protected.")]})
    account_policies.require_write(actor, steward_id=steward, tiers={tier_value})
    contact = ContactPoint(
        organisation=org,
        person=person,
        kind=kind,
        value=(value or "").strip(),
        label=label,
        tier=tier_value.label,
    )
    return save_record(
        contact,
        actor=actor,
        operation=ChangeOperation.CREATE,
        changed_fields=["kind", "value", "label", "tier"],
    )


@transaction.atomic
def contact_remove(*, actor: User, contact_id: Any) -> ContactPoint:
    contact = _get_live(ContactPoint, contact_id)
    row_tier = Tier[contact.tier.upper()]
    account_policies.require_write(
        actor, steward_id=policies.contact_owner_steward(contact), tiers={row_tier}
    )
    return save_record(contact, actor=actor, operation=ChangeOperation.DELETE)


DESIGNATION_FIELDS = ("kind", "listed_on", "removed_on", "legal_basis", "register_entry")


def _apply_designation(designation: Designation, values: Mapping[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        try:
            if name in ("listed_on", "removed_on"):
                setattr(designation, name, _day(value, field=name))
            elif name == "kind":
                if value not in DesignationKind.values:
                    raise ValidationFailed(fields={"kind": [_("Choose one of the offered values.")]})
                designation.kind = value
            else:
                setattr(designation, name, _text(value, field=name))
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if "listed_on" not in errors and designation.listed_on is None:
        errors["listed_on"] = [_("Give the day the organisation was listed.")]
    if (
        not errors.keys() & {"listed_on", "removed_on"}
        and designation.removed_on is not None
        and designation.removed_on < designation.listed_on
    ):
        errors["removed_on"] = [_("The removal date is before the listing date.")]
    if errors:
        raise ValidationFailed(fields=errors)


def _live_designation(designation_id: Any) -> Designation:
    designation: Designation = _get_live(Designation, designation_id)
    if designation.organisation.deleted_at is not None:
        raise NotFound()
    return designation


@transaction.atomic
def designation_add(
    *,
    actor: User,
    organisation_id: Any,
    kind: str,
    listed_on: Any,
    removed_on: Any = None,
    legal_basis: str = "",
    register_entry: str = "",
) -> Designation:
    org = _get_live(Organisation, organisation_id)
    account_policies.require_write(actor, steward_id=org.steward_key, tiers={Tier.PUBLIC})
    designation = Designation(
        organisation=org,
        kind=kind,
        listed_on=listed_on,
        removed_on=removed_on or None,
        legal_basis=legal_basis,
        register_entry=register_entry,
    )
    if (
        designation.removed_on
        and designation.listed_on
        and str(designation.removed_on) < str(designation.listed_on)
    ):
        raise ValidationFailed(fields={"removed_on": [_("The removal date is before the listing date.")]})
    return save_record(
        designation,
        actor=actor,
        operation=ChangeOperation.CREATE,
        changed_fields=["kind", "listed_on", "removed_on", "legal_basis", "register_entry"],
    )


@transaction.atomic
def designation_update(
    *,
    actor: User,
    designation_id: Any,
    values: Mapping[str, Any],
    expected_version: int | None = None,
) -> Designation:
    """Correct a designation, or record the day the organisation was taken off the register
    (``removed_on``). Only the values given change; when none differs, nothing is written."""
    designation = _live_designation(designation_id)
    _unknown_fields(values, DESIGNATION_FIELDS)
    account_policies.require_write(
        actor, steward_id=designation.organisation.steward_key, tiers={Tier.PUBLIC}
    )
    stored = snapshot(designation)
    _apply_designation(designation, values)
    return save_changes(designation, actor=actor, before=stored, expected_version=expected_version)


@transaction.atomic
def designation_remove(*, actor: User, designation_id: Any) -> Designation:
    """Take back a designation recorded by mistake. (An organisation taken off the register keeps its
    designation, with ``removed_on`` set by ``designation_update``.)"""
    designation = _live_designation(designation_id)
    account_policies.require_write(
        actor, steward_id=designation.organisation.steward_key, tiers={Tier.PUBLIC}
    )
    return save_record(designation, actor=actor, operation=ChangeOperation.DELETE)


@transaction.atomic
def relationship_add(
    *,
    actor: User,
    source_id: Any,
    target_id: Any,
    kind: str,
    started: str = "",
    ended: str = "",
    note: str = "",
) -> Relationship:
    source = _get_live(Organisation, source_id)
    target = _get_live(Organisation, target_id) if target_id else None
    if target is None:
        raise ValidationFailed(fields={"target": [_("Choose the other organisation.")]})
    if target.pk == source.pk:
        raise ValidationFailed(fields={"target": [_("An organisation cannot be linked to itself.")]})
    tiers = {Tier.NETWORK} | ({Tier.INTERNAL} if note else set())
    account_policies.require_write(actor, steward_id=source.steward_key, tiers=tiers)
    rel = Relationship(source=source, target=target, kind=kind, note=note)
    rel.started_on, rel.started_precision = parse_approximate(started, field="started")
    rel.ended_on, rel.ended_precision = parse_approximate(ended, field="ended")
    return save_record(
        rel,
        actor=actor,
        operation=ChangeOperation.CREATE,
        changed_fields=["source", "target", "kind", "started_on", "ended_on", "note"],
    )


@transaction.atomic
def relationship_remove(*, actor: User, relationship_id: Any) -> Relationship:
    rel = _get_live(Relationship, relationship_id)
    account_policies.require_write(actor, steward_id=rel.source.steward_key, tiers={Tier.NETWORK})
    return save_record(rel, actor=actor, operation=ChangeOperation.DELETE)
