"""Practice notes: what a group did, what came of it, the lessons, whom to ask."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from khronika.accounts import policies as account_policies
from khronika.accounts.models import User
from khronika.core.changes import save_changes, save_record, snapshot
from khronika.core.dates import parse_approximate
from khronika.core.errors import PermissionDenied, ValidationFailed
from khronika.core.models import ChangeOperation
from khronika.core.tiers import Tier
from khronika.directory import policies
from khronika.directory.models import (
    AreaOfWork,
    Organisation,
    PracticeNote,
    Region,
)
from khronika.directory.services.common import _codes, _get_live, _unknown_fields

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


def _require_note_write(actor: User, org: Organisation, *, touches_who_to_ask: bool) -> None:
    """Members of the group write its notes; only roles that read protected values set or clear whom to
    ask, which the others do not even see."""
    if not policies.practice_note_write_allowed(actor, org):
        raise PermissionDenied()
    if (
        touches_who_to_ask
        and account_policies.read_ceiling(actor, steward_id=org.steward_key) < Tier.PROTECTED
    ):
        raise PermissionDenied(_("Your role may not record whom to ask; leave that field empty."))


@transaction.atomic
def practice_note_create(*, actor: User, organisation_id: Any, values: Mapping[str, Any]) -> PracticeNote:
    org = _get_live(Organisation, organisation_id)
    _unknown_fields(values, PRACTICE_NOTE_FIELDS)
    note = PracticeNote(organisation=org)
    _apply_note(note, values)
    _require_note_write(actor, org, touches_who_to_ask=bool(note.who_to_ask))
    return save_record(note, actor=actor, operation=ChangeOperation.CREATE, changed_fields=values)


@transaction.atomic
def practice_note_update(
    *, actor: User, note_id: Any, values: Mapping[str, Any], expected_version: int | None = None
) -> PracticeNote:
    note = _get_live(PracticeNote, note_id)
    _unknown_fields(values, PRACTICE_NOTE_FIELDS)
    stored = snapshot(note)
    _apply_note(note, values)
    _require_note_write(actor, note.organisation, touches_who_to_ask="who_to_ask" in values)
    return save_changes(note, actor=actor, before=stored, expected_version=expected_version)


@transaction.atomic
def practice_note_delete(*, actor: User, note_id: Any) -> PracticeNote:
    note = _get_live(PracticeNote, note_id)
    _require_note_write(actor, note.organisation, touches_who_to_ask=False)
    return save_record(note, actor=actor, operation=ChangeOperation.DELETE)
