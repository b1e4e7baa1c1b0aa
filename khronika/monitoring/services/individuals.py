"""The individuals a group's records name: victims, witnesses, callers, clients. One person, one record,
whatever role they play in each; the name is sealed as it is saved (``models.Individual``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from khronika.accounts.models import User
from khronika.core.changes import save_record
from khronika.core.errors import NotFound, ValidationFailed
from khronika.core.models import ChangeOperation
from khronika.core.records import live_record
from khronika.monitoring.models import Individual


def individual_of(value: Any, *, steward_id: Any, field: str) -> Individual | None:
    """The group's individual with this id (None for no value). Another group's is as unknown as a wrong
    id: ValidationFailed on ``field``."""
    if value in (None, "") or not str(value).strip():
        return None
    try:
        return live_record(Individual.objects.filter(steward_id=steward_id), value)
    except NotFound:
        raise ValidationFailed(
            fields={field: [_("No individual with this id is on your group's record.")]}
        ) from None


def individual_create(
    *, actor: User | None, steward_id: Any, name: str, birth_year: int | None = None
) -> Individual:
    """A new individual of the group (``actor`` None: a request from the public site)."""
    person = Individual(steward_id=steward_id, name=name, birth_year=birth_year)
    return save_record(
        person, actor=actor, operation=ChangeOperation.CREATE, changed_fields=["name", "birth_year"]
    )
