"""Organisations: add, edit, delete, start a node, hand a record over to the organisation itself."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from khronika.accounts import policies as account_policies
from khronika.accounts.models import User
from khronika.core.changes import save_changes, save_record, snapshot
from khronika.core.dates import parse_approximate
from khronika.core.errors import Conflict, PermissionDenied, ValidationFailed
from khronika.core.models import ChangeOperation
from khronika.core.tiers import Tier
from khronika.directory import policies
from khronika.directory.models import (
    AreaOfWork,
    Organisation,
    OrganisationArea,
    OrganisationRegion,
    Region,
)
from khronika.directory.services.common import _aliases, _codes, _get_live, _input_tiers, _unknown_fields

ORGANISATION_FIELDS = (
    "kind",
    "name_ru",
    "name_en",
    "aliases",
    "founded",
    "status",
    "home_region",
    "regions",
    "areas",
    "description",
    "website",
    "is_public",
    "internal_notes",
)


def _apply_organisation(org: Organisation, values: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Set scalar values on ``org``; return the many-to-many values to store after saving."""
    relations: dict[str, list[Any]] = {}
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        try:
            if name == "founded":
                org.founded_on, org.founded_precision = parse_approximate(value or "", field="founded")
            elif name == "home_region":
                org.home_region = _codes(Region, [value], field=name)[0] if value else None
            elif name == "regions":
                relations["regions"] = _codes(Region, value or [], field=name)
            elif name == "areas":
                relations["areas"] = _codes(AreaOfWork, value or [], field=name)
            elif name == "aliases":
                org.aliases = _aliases(value or [])
            elif name == "is_public":
                org.is_public = bool(value)
            else:
                setattr(org, name, "" if value is None else value)
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if errors:
        raise ValidationFailed(fields=errors)
    return relations


def _final_relations(
    org: Organisation, relations: dict[str, list[Any]], *, created: bool
) -> dict[str, list[Any]]:
    """Areas and regions as they will be stored; the home region is always among the regions covered,
    so that "in region X" finds the group."""
    areas = relations.get("areas")
    if areas is None:
        areas = [] if created else list(org.areas.all())
    regions = relations.get("regions")
    if regions is None:
        regions = [] if created else list(org.regions.all())
    if org.home_region is not None and org.home_region not in regions:
        regions = [org.home_region, *regions]
    return {"areas": areas, "regions": regions}


def _store_relations(org: Organisation, final: dict[str, list[Any]]) -> None:
    OrganisationArea.objects.filter(organisation=org).delete()
    OrganisationArea.objects.bulk_create(OrganisationArea(organisation=org, area=a) for a in final["areas"])
    OrganisationRegion.objects.filter(organisation=org).delete()
    OrganisationRegion.objects.bulk_create(
        OrganisationRegion(organisation=org, region=r) for r in final["regions"]
    )


def _relation_payload(final: dict[str, list[Any]]) -> dict[str, list[str]]:
    return {name: sorted(obj.code for obj in objs) for name, objs in final.items()}


@transaction.atomic
def organisation_create(*, actor: User, values: Mapping[str, Any]) -> Organisation:
    user = policies.require_directory_creator(actor)
    _unknown_fields(values, ORGANISATION_FIELDS)
    if not account_policies.read_ceiling(user, steward_id=user.organisation_id) >= max(
        _input_tiers(Organisation, values), default=Tier.PUBLIC
    ):
        raise PermissionDenied()
    org = Organisation(steward=user.organisation)
    final = _final_relations(org, _apply_organisation(org, values), created=True)
    save_record(
        org,
        actor=user,
        operation=ChangeOperation.CREATE,
        changed_fields=values,
        relations=_relation_payload(final),
    )
    _store_relations(org, final)
    return org


@transaction.atomic
def organisation_update(
    *,
    actor: User,
    organisation_id: uuid.UUID | str,
    values: Mapping[str, Any],
    expected_version: int | None = None,
) -> Organisation:
    org = _get_live(Organisation, organisation_id)
    _unknown_fields(values, ORGANISATION_FIELDS)
    account_policies.require_write(
        actor, steward_id=org.steward_key, tiers=_input_tiers(Organisation, values)
    )
    before = _relation_payload(_final_relations(org, {}, created=False))
    stored = snapshot(org)
    final = _final_relations(org, _apply_organisation(org, values), created=False)
    after = _relation_payload(final)
    version = org.version
    save_changes(
        org,
        actor=actor,
        before=stored,
        expected_version=expected_version,
        also_changed=[name for name in after if after[name] != before[name]],
        relations=after,
    )
    if org.version != version:
        _store_relations(org, final)
    return org


@transaction.atomic
def organisation_delete(*, actor: User, organisation_id: uuid.UUID | str) -> Organisation:
    org = _get_live(Organisation, organisation_id)
    account_policies.require_write(actor, steward_id=org.steward_key, tiers={Tier.INTERNAL})
    return save_record(org, actor=actor, operation=ChangeOperation.DELETE)


@transaction.atomic
def organisation_bootstrap(*, values: Mapping[str, Any]) -> Organisation:
    """Create the first organisation of an empty node, as the system: it keeps its own record. Its first
    users are then created by the node operator (``accounts.services.user_create`` with ``actor=None``)."""
    if Organisation.objects.exists():
        raise Conflict(
            _("This node already has organisations; the first one is created only on an empty node.")
        )
    _unknown_fields(values, ORGANISATION_FIELDS)
    org = Organisation(steward=None)
    final = _final_relations(org, _apply_organisation(org, values), created=True)
    save_record(
        org,
        actor=None,
        operation=ChangeOperation.CREATE,
        changed_fields=values,
        relations=_relation_payload(final),
    )
    _store_relations(org, final)
    return org


@transaction.atomic
def organisation_hand_over(*, actor: User, organisation_id: Any) -> Organisation:
    """Let an organisation keep its own record from now on: its users read and write its internal
    fields, and the former steward's users no longer do. Only a writer of the current steward may."""
    org = _get_live(Organisation, organisation_id)
    account_policies.require_write(actor, steward_id=org.steward_key, tiers={Tier.INTERNAL})
    if org.steward_id is None:
        return org
    org.steward = None
    return save_record(org, actor=actor, operation=ChangeOperation.UPDATE, changed_fields=["steward"])
