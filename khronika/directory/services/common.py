"""What every directory service shares: input checks in the services' one vocabulary (codes,
approximate-date text, ids) and loading a live record to change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from khronika.core.dates import parse_approximate
from khronika.core.errors import ValidationFailed, refuse_unknown_fields
from khronika.core.records import live_record
from khronika.core.tiers import Tier, declared_tier
from khronika.directory.models import (
    AreaOfWork,
    Organisation,
    Person,
    Region,
)

_INPUT_TIER_FIELD = {
    "founded": "founded_on",
    "happened": "happened_on",
    "started": "started_on",
    "ended": "ended_on",
}


# Kept under its old name for the directory's services; the check itself is core's, shared by every app.
_unknown_fields = refuse_unknown_fields


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


def _get_live(model: Any, pk: Any) -> Any:
    """The live record to change, locked until the transaction ends."""
    return live_record(model, pk, for_update=True)


def _owner(organisation_id: Any, person_id: Any) -> tuple[Organisation | None, Person | None, Any]:
    if bool(organisation_id) == bool(person_id):
        raise ValidationFailed(fields={"owner": [_("Give either an organisation or a person.")]})
    if organisation_id:
        org = _get_live(Organisation, organisation_id)
        return org, None, org.steward_key
    person = _get_live(Person, person_id)
    return None, person, person.steward_id


def _day(value: Any, *, field: str) -> dt.date | None:
    """A day given as a date or as ``2011-12-10`` text, or None when empty. A designation's dates are
    exact days: the register publishes them."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            day, precision = parse_approximate(value, field=field)
        except ValidationFailed:
            day, precision = None, None
        if precision == "day":
            return day
    raise ValidationFailed(fields={field: [_("Write the date as 2011-12-10.")]})


def _text(value: Any, *, field: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationFailed(fields={field: [_("Give text.")]})
    return value
