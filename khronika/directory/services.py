"""Directory writes. Each service checks its policy, validates, saves, and logs the change once.

Input values use one vocabulary for the UI, the API and the CLI: regions and areas by code, dates as
approximate-date text (``2011``, ``2011-05``, ``~2011``), organisations and persons by id.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from khronika.accounts import policies as account_policies
from khronika.accounts.models import User
from khronika.core.changes import save_record
from khronika.core.dates import parse_approximate
from khronika.core.errors import NotFound, PermissionDenied, ValidationFailed
from khronika.core.models import ChangeOperation
from khronika.core.tiers import Tier, declared_tier
from khronika.directory import policies
from khronika.directory.models import (
    AreaOfWork,
    ContactPoint,
    Designation,
    Organisation,
    OrganisationArea,
    OrganisationRegion,
    Person,
    Position,
    PracticeNote,
    Region,
    Relationship,
)

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
PERSON_FIELDS = ("name_ru", "name_en", "aliases", "notes")
# Input names that are not model fields, and the model field whose tier they carry.
_INPUT_TIER_FIELD = {
    "founded": "founded_on",
    "happened": "happened_on",
    "started": "started_on",
    "ended": "ended_on",
}


def _unknown_fields(values: Mapping[str, Any], allowed: Iterable[str]) -> None:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ValidationFailed(fields={name: [_("Unknown field.")] for name in unknown})


def _input_tiers(model: type, names: Iterable[str]) -> set[Tier]:
    tiers = set()
    for name in names:
        tier = declared_tier(model, _INPUT_TIER_FIELD.get(name, name))
        tiers.add(tier if tier is not None else Tier.PROTECTED)
    return tiers


def _codes(model: type[Region] | type[AreaOfWork], codes: Any, *, field: str) -> list[Any]:
    if isinstance(codes, str):
        codes = [c for c in codes.replace(",", " ").split() if c]
    if not isinstance(codes, list | tuple) or not all(isinstance(c, str) for c in codes):
        raise ValidationFailed(fields={field: [_("Give a list of codes.")]})
    found = {obj.code: obj for obj in model.objects.filter(code__in=codes, deleted_at__isnull=True)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationFailed(
            fields={field: [_("Some of these codes are not in the list; choose from the offered values.")]}
        )
    return [found[c] for c in dict.fromkeys(codes)]


def _aliases(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationFailed(fields={"aliases": [_("Give the other names as a list of text.")]})
    return [v.strip() for v in value if v.strip()]


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


def _get_live(model: Any, pk: Any) -> Any:
    try:
        return model.objects.select_for_update().get(pk=pk, deleted_at__isnull=True)
    except (model.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    except Exception as exc:  # a malformed UUID raises ValidationError
        if exc.__class__.__name__ == "ValidationError":
            raise NotFound() from exc
        raise


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
    snapshot = {f.attname: getattr(org, f.attname) for f in Organisation._meta.concrete_fields}
    final = _final_relations(org, _apply_organisation(org, values), created=False)
    after = _relation_payload(final)
    changed = [
        f.name for f in Organisation._meta.concrete_fields if snapshot[f.attname] != getattr(org, f.attname)
    ]
    changed += [name for name in after if after[name] != before[name]]
    if not changed:
        return org
    save_record(
        org,
        actor=actor,
        operation=ChangeOperation.UPDATE,
        changed_fields=changed,
        expected_version=expected_version,
        relations=after,
    )
    _store_relations(org, final)
    return org


@transaction.atomic
def organisation_delete(*, actor: User, organisation_id: uuid.UUID | str) -> Organisation:
    org = _get_live(Organisation, organisation_id)
    account_policies.require_write(actor, steward_id=org.steward_key, tiers={Tier.INTERNAL})
    return save_record(org, actor=actor, operation=ChangeOperation.DELETE)


def _owner(organisation_id: Any, person_id: Any) -> tuple[Organisation | None, Person | None, Any]:
    if bool(organisation_id) == bool(person_id):
        raise ValidationFailed(fields={"owner": [_("Give either an organisation or a person.")]})
    if organisation_id:
        org = _get_live(Organisation, organisation_id)
        return org, None, org.steward_key
    person = _get_live(Person, person_id)
    return None, person, person.steward_id


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
    snapshot = {name: getattr(person, name) for name in PERSON_FIELDS}
    _apply_person(person, values)
    changed = [name for name in PERSON_FIELDS if snapshot[name] != getattr(person, name)]
    if not changed:
        return person
    return save_record(
        person,
        actor=actor,
        operation=ChangeOperation.UPDATE,
        changed_fields=changed,
        expected_version=expected_version,
    )


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


PRACTICE_NOTE_FIELDS = (
    "area",
    "region",
    "title",
    "summary",
    "outcome",
    "lessons",
    "who_to_ask",
    "happened",
    "tier",
)


def _apply_note(note: PracticeNote, values: Mapping[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        try:
            if name == "area":
                note.area = _codes(AreaOfWork, [value], field="area")[0] if value else None  # type: ignore[assignment]
            elif name == "region":
                note.region = _codes(Region, [value], field="region")[0] if value else None
            elif name == "happened":
                note.happened_on, note.happened_precision = parse_approximate(value or "", field="happened")
            else:
                setattr(note, name, "" if value is None else value)
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if note.area_id is None and "area" not in errors:
        errors["area"] = [_("Choose the area of work.")]
    if errors:
        raise ValidationFailed(fields=errors)


def _require_note_write(actor: User, org: Organisation, note: PracticeNote) -> None:
    if not policies.practice_note_write_allowed(actor, org):
        raise PermissionDenied()
    if note.who_to_ask and account_policies.read_ceiling(actor, steward_id=org.steward_key) < Tier.PROTECTED:
        raise PermissionDenied(_("Your role may not record whom to ask; leave that field empty."))


@transaction.atomic
def practice_note_create(*, actor: User, organisation_id: Any, values: Mapping[str, Any]) -> PracticeNote:
    org = _get_live(Organisation, organisation_id)
    _unknown_fields(values, PRACTICE_NOTE_FIELDS)
    note = PracticeNote(organisation=org)
    _apply_note(note, values)
    _require_note_write(actor, org, note)
    return save_record(note, actor=actor, operation=ChangeOperation.CREATE, changed_fields=values)


@transaction.atomic
def practice_note_update(
    *, actor: User, note_id: Any, values: Mapping[str, Any], expected_version: int | None = None
) -> PracticeNote:
    note = _get_live(PracticeNote, note_id)
    _unknown_fields(values, PRACTICE_NOTE_FIELDS)
    snapshot = {f.attname: getattr(note, f.attname) for f in PracticeNote._meta.concrete_fields}
    _apply_note(note, values)
    _require_note_write(actor, note.organisation, note)
    changed = [
        f.name for f in PracticeNote._meta.concrete_fields if snapshot[f.attname] != getattr(note, f.attname)
    ]
    if not changed:
        return note
    return save_record(
        note,
        actor=actor,
        operation=ChangeOperation.UPDATE,
        changed_fields=changed,
        expected_version=expected_version,
    )


@transaction.atomic
def practice_note_delete(*, actor: User, note_id: Any) -> PracticeNote:
    note = _get_live(PracticeNote, note_id)
    _require_note_write(actor, note.organisation, PracticeNote())
    return save_record(note, actor=actor, operation=ChangeOperation.DELETE)


# --- Starting a node and handing records over ----------------------------------------------------------


@transaction.atomic
def organisation_bootstrap(*, values: Mapping[str, Any]) -> Organisation:
    """Create the first organisation of an empty node, as the system: it keeps its own record. Its first
    users are then created by the node operator (``accounts.services.user_create`` with ``actor=None``)."""
    from khronika.core.errors import Conflict

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
