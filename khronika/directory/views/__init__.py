"""The staff pages of the directory. Each view parses its input, calls one selector or service, renders."""

from khronika.directory.views.additions import (
    contact_remove,
    designation_add,
    organisation_contact_add,
    organisation_suggest,
    person_contact_add,
    position_add,
    practice_note_add,
    relationship_add,
)
from khronika.directory.views.corrections import (
    designation_edit,
    designation_remove,
    position_edit,
    position_remove,
    practice_note_delete,
    practice_note_edit,
    relationship_remove,
)
from khronika.directory.views.networking import coverage_gaps, networking_near
from khronika.directory.views.organisations import (
    organisation_create,
    organisation_delete,
    organisation_detail,
    organisation_edit,
    organisation_history,
    organisation_list,
)
from khronika.directory.views.persons import person_create, person_detail, person_edit, person_list

__all__ = [
    "contact_remove",
    "coverage_gaps",
    "designation_add",
    "designation_edit",
    "designation_remove",
    "networking_near",
    "organisation_contact_add",
    "organisation_create",
    "organisation_delete",
    "organisation_detail",
    "organisation_edit",
    "organisation_history",
    "organisation_list",
    "organisation_suggest",
    "person_contact_add",
    "person_create",
    "person_detail",
    "person_edit",
    "person_list",
    "position_add",
    "position_edit",
    "position_remove",
    "practice_note_add",
    "practice_note_delete",
    "practice_note_edit",
    "relationship_add",
    "relationship_remove",
]
