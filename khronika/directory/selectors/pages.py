"""What one staff page reads in one call."""

from __future__ import annotations

from typing import Any

from khronika.accounts.sealing import Opening
from khronika.core.projection import Projection
from khronika.directory import policies
from khronika.directory.models import (
    Organisation,
)
from khronika.directory.selectors.networking import organisations_similar
from khronika.directory.selectors.organisations import organisation_get


def organisation_page(*, actor: Any, organisation_id: Any, opening: Opening | None = None) -> Projection:
    """What the staff page of one organisation shows: ``organisation_get``, groups like this one, and
    whether the reader may add a practice note (members of the group may, though they edit nothing else)."""
    card = organisation_get(actor=actor, organisation_id=organisation_id, opening=opening)
    card["similar"] = organisations_similar(actor=actor, organisation_id=card["id"])
    keys = Organisation.objects.only("id", "steward_id").get(pk=card["id"])
    card["may_add_note"] = policies.practice_note_write_allowed(actor, keys)
    return card
