"""Directory writes. Each service checks its policy, validates, saves, and logs the change once.

Input values use one vocabulary for the UI, the API and the CLI: regions and areas by code, dates as
approximate-date text (``2011``, ``2011-05``, ``~2011``), organisations and persons by id.

One module per subject; this package gathers them so callers write ``services.organisation_create``.
"""

from khronika.directory.services.links import (
    DESIGNATION_FIELDS,
    contact_add,
    contact_remove,
    designation_add,
    designation_remove,
    designation_update,
    relationship_add,
    relationship_remove,
)
from khronika.directory.services.organisations import (
    ORGANISATION_FIELDS,
    organisation_bootstrap,
    organisation_create,
    organisation_delete,
    organisation_hand_over,
    organisation_update,
)
from khronika.directory.services.persons import (
    PERSON_FIELDS,
    POSITION_FIELDS,
    person_create,
    person_update,
    position_add,
    position_remove,
    position_update,
)
from khronika.directory.services.practice_notes import (
    PRACTICE_NOTE_FIELDS,
    practice_note_create,
    practice_note_delete,
    practice_note_update,
)

__all__ = [
    "DESIGNATION_FIELDS",
    "ORGANISATION_FIELDS",
    "PERSON_FIELDS",
    "POSITION_FIELDS",
    "PRACTICE_NOTE_FIELDS",
    "contact_add",
    "contact_remove",
    "designation_add",
    "designation_remove",
    "designation_update",
    "organisation_bootstrap",
    "organisation_create",
    "organisation_delete",
    "organisation_hand_over",
    "organisation_update",
    "person_create",
    "person_update",
    "position_add",
    "position_remove",
    "position_update",
    "practice_note_create",
    "practice_note_delete",
    "practice_note_update",
    "relationship_add",
    "relationship_remove",
]
