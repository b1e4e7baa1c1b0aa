"""The authorization matrix (issue 3): every route of the staff interface, the public site and the API,
called by every role and by an anonymous visitor, on a record kept by the actor's own organisation
("own") and on one kept by another organisation ("other"). Routes on what hangs on an organisation are
also called on a court the own organisation keeps ("kept": its writers are the court's, its members are
not), and staff forms that name a record inside another are also posted with the outer record the
actor's and the inner one another organisation's ("crossed").

The routes are read from the URLconf and from the OpenAPI document. Each is classified below by the rule
that governs it, as accounts/policies.py and the README's "Confidentiality tiers" and "Security model"
state the rules, not as the code happens to behave; a route missing from the tables fails
``test_every_route_is_classified``. Each call signs in as the role — the staff pages with the second
factor passed, the API with a bearer token, to which the second factor does not apply — and then:

- an allowed call succeeds: 2xx, or a redirect elsewhere than to the sign-in or second-factor step. An
  allowed write leaves the audit entry of its action (and, for a record, its change-log entry); an
  allowed read adds nothing to the change log;
- a refused call is refused — an anonymous visitor is sent to sign in (the API answers 401), a signed-in
  user gets 403 (the error page or the API's JSON error) — and writes nothing: neither the change log
  nor the audit log grows.

Reads of another organisation's record are allowed but tier-limited: here it is enough that they
answer; the canary test checks what they show. The scene is built once for the module
(khronika/testing/matrix.py), inside a transaction rolled back at its end; each test rolls back its own
changes as usual.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from khronika.accounts.models import Role
from khronika.api.api import api
from khronika.testing import matrix
from khronika.testing.factories import TEST_PASSWORD
from khronika.testing.matrix import KEPT, OTHER, OWN, Call, Logs, Rule, Scene, delete, get, patch, post
from khronika.testing.second_factor import verified_login

pytestmark = pytest.mark.django_db

CROSSED = "crossed"  # the URL names an own record, the nested record in it is the other organisation's
UNSCOPED = "-"  # the route names no record

# --- Who is who (README "Confidentiality tiers", accounts/policies.py) --------------------------------------

ADMINISTRATOR, COORDINATOR, EDITOR = "administrator", "coordinator", "editor"
MONITOR, LAWYER, HOTLINE_OPERATOR = "monitor", "lawyer", "hotline_operator"
MEMBER, VIEWER, ANONYMOUS = "member", "viewer", "anonymous"
STAFF_ROLES = (ADMINISTRATOR, COORDINATOR, EDITOR, MONITOR, LAWYER, HOTLINE_OPERATOR, MEMBER, VIEWER)
ROLES = (*STAFF_ROLES, ANONYMOUS)

# "administrators, coordinators and editors write the records their organisation keeps"
DIRECTORY_WRITERS = frozenset({ADMINISTRATOR, COORDINATOR, EDITOR})
# "protected: users of the steward with a role that handles identities"; the second factor is mandatory
# for the same roles (README "Security model").
PROTECTED_READERS = frozenset({ADMINISTRATOR, COORDINATOR, LAWYER, HOTLINE_OPERATOR, MONITOR})
# "coordinators keep the network directory and may also write the public and network fields of any record"
NETWORK_KEEPERS = frozenset({COORDINATOR})
# "Members of a group add its practice notes" (every role of the group but the viewer, who never writes)
CONTRIBUTORS = frozenset(STAFF_ROLES) - {VIEWER}

# --- The rules ---------------------------------------------------------------------------------------------
#
# A rule answers for a role and a scope: whose record the call names. Records of the own organisation and
# of an organisation it keeps (KEPT) are kept by the actor's organisation; only the own organisation's are
# the records of the actor's organisation itself, of which the actor is a member.


def keeps(scope: str) -> bool:
    return scope in (OWN, KEPT, UNSCOPED)


def is_members(scope: str) -> bool:
    return scope in (OWN, UNSCOPED)


PUBLIC = Rule("public", lambda role, scope: True)
SIGNED_IN = Rule("signed_in", lambda role, scope: role != ANONYMOUS)
SELF = Rule("self", lambda role, scope: role != ANONYMOUS)
OPTIONAL_SECOND_FACTOR = Rule(
    "self_without_mandatory_second_factor",
    lambda role, scope: role != ANONYMOUS and role not in PROTECTED_READERS,
)
CREATOR = Rule("creator", lambda role, scope: role in DIRECTORY_WRITERS)
# Public or network fields: the steward's writers, and coordinators for any organisation.
KEEPER = Rule(
    "directory_writer_of_steward",
    lambda role, scope: (role in DIRECTORY_WRITERS and keeps(scope)) or role in NETWORK_KEEPERS,
)
# Internal fields (and deleting a record, which takes its internal fields with it): the steward's writers.
STEWARD_WRITER = Rule(
    "directory_writer_of_steward_internal", lambda role, scope: role in DIRECTORY_WRITERS and keeps(scope)
)
# Protected fields: the steward's writers whose role reads protected values.
PROTECTED_WRITER = Rule(
    "directory_writer_of_steward_protected",
    lambda role, scope: role in DIRECTORY_WRITERS & PROTECTED_READERS and keeps(scope),
)


def _contributes(role: str, scope: str) -> bool:
    return (role in CONTRIBUTORS and is_members(scope)) or (role in DIRECTORY_WRITERS and keeps(scope))


# Practice notes: every role of the organisation but viewers, and the writers of its steward.
CONTRIBUTOR = Rule("contributor_of_organisation", _contributes)
# Whom to ask (protected) in a practice note: contributors who read the steward's protected values.
CONTRIBUTOR_PROTECTED = Rule(
    "contributor_of_organisation_protected",
    lambda role, scope: _contributes(role, scope) and role in PROTECTED_READERS and keeps(scope),
)
# Panic: coordinators of the network for any organisation, administrators for their own.
LOCKDOWN_CALLER = Rule(
    "lockdown_caller",
    lambda role, scope: role == COORDINATOR or (role == ADMINISTRATOR and is_members(scope)),
)
# Grants of a record's protected values: the steward's roles that read them.
PROTECTED_READER = Rule(
    "protected_reader_of_steward", lambda role, scope: role in PROTECTED_READERS and keeps(scope)
)
# Events: every role of the documenting organisation but viewers; nobody else.
EVENT_WRITER = Rule("event_writer_of_steward", lambda role, scope: role in CONTRIBUTORS and is_members(scope))
# Lists of detainees' names: the documenting organisation's roles that read protected values.
EVENT_NAMER = Rule(
    "event_namer_of_steward", lambda role, scope: role in PROTECTED_READERS and is_members(scope)
)
# The case desk: its case roles (administrators, coordinators, lawyers, hotline operators) of the group;
# another group's case is not told to exist.
CASE_ROLES = frozenset({ADMINISTRATOR, COORDINATOR, LAWYER, HOTLINE_OPERATOR})
CASE_WORKER = Rule(
    "case_worker_of_desk",
    lambda role, scope: role in CASE_ROLES and is_members(scope),
    hidden_from_others=True,
)
# A referral is answered by the case roles of the partner it is addressed to (the other group's case is
# referred to the actors' group in the scene).
REFERRAL_ANSWERER = Rule("case_worker_of_partner", lambda role, scope: role in CASE_ROLES and scope == OTHER)
DESK_KEEPER = Rule("desk_keeper", lambda role, scope: role in (ADMINISTRATOR, COORDINATOR))
NO_ENDPOINT = Rule("no_endpoint", lambda role, scope: False, no_endpoint=True)
ACCESS_RECORDS = {"entity": "contact_entity", "entity_id": "protected_contact", "user_id": "grantee"}


# --- The classification ------------------------------------------------------------------------------------

NEW_PASSWORD = "a new and long enough passphrase"
NOTE_FORM = {"title": "Передачи", "area": matrix.AREA, "summary": "Носили передачи.", "tier": "network"}

# Staff pages, the public site and the URL patterns under /api/v1/ that are not operations of the
# OpenAPI document: by URL name (by route for an unnamed pattern).
PAGES: dict[str, list[Call]] = {
    "home": [get(SIGNED_IN)],
    # The case desk's pages: its lists answer every signed-in user (with nothing but to its case workers),
    # as the API's lists do; a request, a case and what hangs on it are its case workers' alone.
    "cases:intake_list": [get(SIGNED_IN, query={"status": ""})],
    "cases:intake_create": [
        get(CASE_WORKER),
        post(CASE_WORKER, {"channel": "phone", "summary": "Нужна помощь"}, writes="cases.intake.create"),
    ],
    "cases:intake_detail": [get(CASE_WORKER)],
    "cases:intake_edit": [
        get(CASE_WORKER),
        post(
            CASE_WORKER,
            # What the scene's request says: only the urgency changes.
            {
                "version": "1",
                "channel": "phone",
                "summary": "Нужен адвокат",
                "urgency": "high",
                "language": "ru",
            },
            writes="cases.intake.update",
            written="intake",
        ),
    ],
    "cases:intake_close": [
        post(
            CASE_WORKER,
            {"version": "1", "status": "declined"},
            writes="cases.intake.update",
            written="intake",
        )
    ],
    "cases:case_list": [get(SIGNED_IN, query={"open": "on", "category": matrix.AREA})],
    "cases:case_create": [
        get(CASE_WORKER),
        get(CASE_WORKER, query={"intake": "{intake}"}, variant="from a request"),
        post(CASE_WORKER, {"title": "Дело"}, writes="cases.case.create"),
        post(
            CASE_WORKER,
            {"title": "Дело", "intake": "{intake}"},
            writes="cases.case.create",
            variant="from a request",
        ),
    ],
    "cases:case_detail": [get(CASE_WORKER)],
    "cases:case_edit": [
        get(CASE_WORKER),
        post(
            CASE_WORKER,
            # The title, category and region the scene's case has: only the summary changes.
            {
                "version": "1",
                "title": "Задержание",
                "summary": "Штраф",
                "category": matrix.AREA,
                "region": "RU-TVE",
            },
            writes="cases.case.update",
            written="case",
        ),
    ],
    "cases:case_status": [
        post(
            CASE_WORKER, {"version": "1", "status": "assessment"}, writes="cases.case.update", written="case"
        )
    ],
    "cases:task_add": [post(CASE_WORKER, {"title": "Подать жалобу"}, writes="cases.task.create")],
    "cases:task_done": [post(CASE_WORKER, {"version": "1"}, writes="cases.task.update", written="task")],
    "cases:note_add": [post(CASE_WORKER, {"text": "Позвонили"}, writes="cases.casenote.create")],
    "cases:referral_create": [
        get(CASE_WORKER),
        post(
            CASE_WORKER,
            {"partner": "{partner_organisation}", "reason": "Рядом", "shared_summary": "Штраф"},
            writes="cases.referral.create",
        ),
    ],
    "cases:case_event_create": [
        post(
            CASE_WORKER,
            {"title": "Задержание", "event_type": "rally", "act_type": "administrative-detention"},
            writes="monitoring.event.create",
        )
    ],
    "cases:case_event_link": [
        post(CASE_WORKER, {"event": "{event}"}, writes="cases.case.update", written="case")
    ],
    "cases:referral_list": [get(SIGNED_IN)],
    "cases:referral_answer": [
        post(REFERRAL_ANSWERER, {"status": "accepted"}, writes="cases.referral.update", written="referral")
    ],
    "cases:help_desk": [
        get(DESK_KEEPER),
        post(
            DESK_KEEPER,
            {"accepts_public_requests": "on", "public_note": "Отвечаем за сутки."},
            writes="cases.helpdesk.create",
        ),
    ],
    # The public request form: the scene has no desk that takes requests, so its form is not found for
    # any group here; what the matrix walks is the answer to a program that fills in the hidden field,
    # the same for everyone and storing nothing (the form itself: public/tests/test_request_form.py).
    "public:organisation_request": [
        post(PUBLIC, {"summary": "Помогите", "contact": "signal: @x", "website": "https://spam.example"})
    ],
    "public:organisation_request_sent": [get(PUBLIC)],
    "accounts:login": [get(PUBLIC)],
    "accounts:logout": [post(SELF)],
    "accounts:language": [
        post(
            PUBLIC,
            {"language": "en", "next": "/directory/"},
            writes="accounts.user.update",
            written="me",
        )
    ],
    "accounts:account": [get(SELF)],
    "accounts:password_change": [
        get(SELF),
        post(
            SELF,
            {
                "current_password": TEST_PASSWORD,
                "new_password": NEW_PASSWORD,
                "new_password_again": NEW_PASSWORD,
            },
            writes="accounts.user.update",
            written="me",
        ),
    ],
    "accounts:sessions_end": [post(SELF, writes="accounts.user.sessions_end", written="me")],
    "accounts:lockdown": [
        get(LOCKDOWN_CALLER),
        post(
            LOCKDOWN_CALLER,
            {"organisation": "{organisation}", "reason": "обыск"},
            writes="accounts.lockdown.create",
            scoped=True,
        ),
    ],
    "accounts:lockdown_confirm": [
        post(LOCKDOWN_CALLER, lockdown=True, writes="accounts.lockdown.update", written="lockdown")
    ],
    "accounts:lockdown_cancel": [
        post(LOCKDOWN_CALLER, lockdown=True, writes="accounts.lockdown.update", written="lockdown")
    ],
    "accounts:access": [
        get(PROTECTED_READER, records=ACCESS_RECORDS),
        post(
            PROTECTED_READER,
            {"username": "{grantee_username}", "purpose": "referral"},
            writes="accounts.access.grant",
            written="protected_contact",
            records=ACCESS_RECORDS,
        ),
    ],
    "accounts:access_revoke": [
        post(
            PROTECTED_READER,
            grant=True,
            writes="accounts.access.revoke",
            written="protected_contact",
            records=ACCESS_RECORDS,
        )
    ],
    "accounts:second_factor": [get(SELF)],
    "accounts:second_factor_verify": [get(SELF)],
    "accounts:second_factor_enrol": [get(SELF)],
    "accounts:second_factor_recovery_codes": [
        post(
            SELF,
            {"regenerate-code": "{code}"},
            writes="accounts.user.second_factor_recovery_codes_regenerate",
            written="me",
        )
    ],
    "accounts:second_factor_remove": [
        post(
            OPTIONAL_SECOND_FACTOR,
            {"remove-code": "{code}"},
            writes="accounts.user.second_factor_remove",
            written="me",
        )
    ],
    "directory:organisation_list": [get(SIGNED_IN)],
    "directory:organisation_suggest": [get(SIGNED_IN, query={"field": "target", "target_query": "груп"})],
    "directory:organisation_create": [
        get(CREATOR),
        post(
            CREATOR,
            {"kind": "ngo", "name_ru": "Новая группа", "status": "active"},
            writes="directory.organisation.create",
        ),
    ],
    "directory:organisation_detail": [get(SIGNED_IN)],
    "directory:organisation_history": [get(SIGNED_IN)],
    "directory:organisation_edit": [
        get(KEEPER),
        post(
            KEEPER,
            {
                "version": "1",
                "kind": "human_rights_group",
                "name_ru": "Группа (переименована)",
                "status": "active",
                "description": "Мониторинг судов.",
            },
            writes="directory.organisation.update",
            written="organisation",
        ),
    ],
    "directory:organisation_delete": [
        get(STEWARD_WRITER),
        post(STEWARD_WRITER, writes="directory.organisation.delete", written="organisation"),
    ],
    "directory:organisation_contact_add": [
        get(KEEPER),
        post(
            KEEPER,
            {"kind": "email", "value": "new@example.org", "tier": "network"},
            writes="directory.contactpoint.create",
        ),
    ],
    "directory:contact_remove": [
        post(KEEPER, writes="directory.contactpoint.delete", written="contact"),
    ],
    "directory:designation_add": [
        get(KEEPER),
        post(
            KEEPER,
            {"kind": "undesirable", "listed_on": "2023-05-20"},
            writes="directory.designation.create",
        ),
    ],
    "directory:designation_edit": [
        get(KEEPER),
        post(
            KEEPER,
            {"version": "1", "kind": "foreign_agent", "listed_on": "2022-04-08", "legal_basis": "ФЗ-255"},
            writes="directory.designation.update",
            written="designation",
        ),
    ],
    "directory:designation_remove": [
        get(KEEPER),
        post(KEEPER, writes="directory.designation.delete", written="designation"),
    ],
    "directory:relationship_add": [
        get(KEEPER),
        post(
            KEEPER,
            {"kind": "member_of_network", "target": "{target}", "target_query": ""},
            writes="directory.relationship.create",
        ),
    ],
    "directory:relationship_remove": [
        get(KEEPER),
        post(KEEPER, writes="directory.relationship.delete", written="relationship"),
    ],
    "directory:practice_note_add": [
        get(CONTRIBUTOR),
        post(CONTRIBUTOR, NOTE_FORM, writes="directory.practicenote.create"),
    ],
    "directory:practice_note_edit": [
        get(CONTRIBUTOR),
        post(
            CONTRIBUTOR,
            {**NOTE_FORM, "version": "1", "outcome": "Отпустили."},
            writes="directory.practicenote.update",
            written="note",
        ),
    ],
    "directory:practice_note_delete": [
        get(CONTRIBUTOR),
        post(CONTRIBUTOR, writes="directory.practicenote.delete", written="note"),
    ],
    "directory:person_list": [get(SIGNED_IN)],
    "directory:person_create": [
        get(CREATOR),
        post(CREATOR, {"name_ru": "Петрова Мария"}, writes="directory.person.create"),
    ],
    "directory:person_detail": [get(SIGNED_IN)],
    "directory:person_edit": [
        get(KEEPER),
        post(
            KEEPER,
            {"version": "1", "name_ru": "Петрова Мария", "name_en": "Maria Petrova"},
            writes="directory.person.update",
            written="person",
        ),
    ],
    "directory:person_contact_add": [
        get(KEEPER),
        post(
            KEEPER,
            {"kind": "phone", "value": "+7 900 000 00 00", "tier": "network"},
            writes="directory.contactpoint.create",
        ),
    ],
    "directory:position_add": [
        get(KEEPER),
        post(
            KEEPER,
            {"title": "адвокат", "organisation": "{target}", "organisation_query": ""},
            writes="directory.position.create",
        ),
    ],
    "directory:position_edit": [
        get(KEEPER),
        post(
            KEEPER,
            {"version": "1", "title": "адвокат", "started": "2019"},
            writes="directory.position.update",
            written="position",
        ),
    ],
    "directory:position_remove": [
        get(KEEPER),
        post(KEEPER, writes="directory.position.delete", written="position"),
    ],
    "directory:networking_near": [get(SIGNED_IN, query={"area": matrix.AREA, "region": "RU-TVE"})],
    "directory:coverage_gaps": [get(SIGNED_IN, query={"district": "central"})],
    "monitoring:event_list": [get(SIGNED_IN, query={"type": "rally", "since": "2012"})],
    "monitoring:event_create": [
        get(EVENT_WRITER),
        post(
            EVENT_WRITER,
            {"title": "Пикет", "type": "single-person-picket", "tier": "internal"},
            writes="monitoring.event.create",
        ),
    ],
    "monitoring:event_detail": [get(SIGNED_IN)],
    "monitoring:project_create": [
        post(
            Rule("event_publisher_page", lambda role, scope: role in (ADMINISTRATOR, COORDINATOR, MONITOR)),
            {"name_ru": "Дело о репостах"},
            writes="monitoring.term.create",
        )
    ],
    "monitoring:event_document_add": [
        get(EVENT_WRITER),
        post(
            EVENT_WRITER,
            {"title": "Протокол", "tier": "internal", "file": ("p.txt", b"protocol")},
            writes="monitoring.document.create",
            multipart=True,
        ),
    ],
    "monitoring:case_document_add": [
        get(CASE_WORKER),
        post(
            CASE_WORKER,
            {"title": "Заявление", "tier": "internal", "file": ("z.txt", b"statement")},
            writes="monitoring.document.create",
            multipart=True,
        ),
    ],
    "monitoring:document_download": [get(SIGNED_IN)],
    "monitoring:document_delete": [
        post(EVENT_WRITER, {"version": "1"}, writes="monitoring.document.delete", written="document")
    ],
    "monitoring:event_edit": [
        get(EVENT_WRITER),
        post(
            EVENT_WRITER,
            # The title and the tier the scene's own event has: only the place changes.
            {"version": "1", "title": "Задержания на акции", "place": "Пермь", "tier": "internal"},
            writes="monitoring.event.update",
            written="event",
        ),
    ],
    "monitoring:event_delete": [
        get(EVENT_WRITER),
        post(EVENT_WRITER, {"version": "1"}, writes="monitoring.event.delete", written="event"),
    ],
    "monitoring:event_relate": [
        get(EVENT_WRITER),
        post(
            EVENT_WRITER,
            {"relation": "precedes", "other_event": "{second_event}"},
            writes="monitoring.eventrelation.create",
        ),
    ],
    "monitoring:event_unrelate": [
        post(EVENT_WRITER, writes="monitoring.eventrelation.delete", written="relation")
    ],
    "monitoring:act_create": [
        get(EVENT_WRITER),
        post(
            EVENT_WRITER,
            {"type": "administrative-detention", "victim_group": "участники пикета", "victim_count": "12"},
            writes="monitoring.act.create",
        ),
    ],
    "monitoring:act_edit": [
        get(EVENT_WRITER),
        post(
            EVENT_WRITER,
            # The type the scene's act has: only the count changes.
            {"version": "1", "type": "administrative-detention", "victim_count": "4"},
            writes="monitoring.act.update",
            written="act",
        ),
    ],
    "monitoring:act_delete": [
        get(EVENT_WRITER),
        post(EVENT_WRITER, {"version": "1"}, writes="monitoring.act.delete", written="act"),
    ],
    "monitoring:involvement_add": [
        get(EVENT_WRITER),
        post(
            EVENT_WRITER, {"perpetrator": "ОМОН", "degree": "ordered"}, writes="monitoring.involvement.create"
        ),
    ],
    "monitoring:involvement_remove": [
        post(EVENT_WRITER, writes="monitoring.involvement.delete", written="involvement")
    ],
    "monitoring:information_add": [
        get(EVENT_WRITER),
        post(
            EVENT_WRITER,
            {"source_kind": "media", "reliability": "high"},
            writes="monitoring.information.create",
        ),
    ],
    "monitoring:information_remove": [
        post(EVENT_WRITER, writes="monitoring.information.delete", written="information")
    ],
    "monitoring:intervention_add": [
        get(EVENT_WRITER),
        post(EVENT_WRITER, {"type": "appeal", "status": "planned"}, writes="monitoring.intervention.create"),
    ],
    "monitoring:intervention_edit": [
        get(EVENT_WRITER),
        post(
            EVENT_WRITER,
            {"version": "1", "type": "appeal", "status": "completed", "by_organisation": "{organisation}"},
            writes="monitoring.intervention.update",
            written="intervention",
        ),
    ],
    "monitoring:intervention_remove": [
        post(EVENT_WRITER, writes="monitoring.intervention.delete", written="intervention")
    ],
    "monitoring:detainees": [
        get(EVENT_NAMER),
        # Checking the list writes nothing; recording it writes an act per line.
        post(EVENT_NAMER, {"text": "Иванов Иван; ОВД Тверской", "act_type": "administrative-detention"}),
        post(
            EVENT_NAMER,
            {"text": "Иванов Иван; ОВД Тверской", "act_type": "administrative-detention", "step": "record"},
            writes="monitoring.act.create",
            variant="record",
        ),
    ],
    "monitoring:statistics": [get(SIGNED_IN, query={"by": "region", "act_type": "administrative-detention"})],
    "monitoring:statistics_csv": [get(SIGNED_IN, query={"by": "month"})],
    "monitoring:vocabulary_list": [get(SIGNED_IN)],
    "monitoring:vocabulary_detail": [get(SIGNED_IN, path="/monitoring/vocabularies/event-types/")],
    "search:results": [get(SIGNED_IN, query={"q": "группа", "region": "RU-TVE"})],
    "search:suggest": [get(SIGNED_IN, query={"q": "груп"})],
    "public:organisation_list": [get(PUBLIC)],
    "public:organisation_detail": [get(PUBLIC)],
    "public:search": [get(PUBLIC, query={"q": "группа"})],
    "api-v1:openapi-json": [get(PUBLIC)],
    "api-v1:api-root": [get(NO_ENDPOINT, path="/api/v1/")],
    "api/v1/": [get(NO_ENDPOINT, path="/api/v1/")],
    "api/v1/^.*$": [
        get(NO_ENDPOINT, path="/api/v1/no-such-endpoint"),
        post(NO_ENDPOINT, path="/api/v1/no-such-endpoint"),
    ],
}

CONTACT = {"kind": "email", "value": "new@example.org"}
NOTE = {"area": matrix.AREA, "title": "Передачи", "summary": "Носили передачи."}

# Operations of the OpenAPI document, by method and path.
OPERATIONS: dict[tuple[str, str], list[Call]] = {
    ("GET", "/api/v1/organisations"): [get(SIGNED_IN, query={"limit": "5"})],
    ("POST", "/api/v1/organisations"): [
        post(CREATOR, {"kind": "ngo", "name_ru": "Новая группа"}, writes="directory.organisation.create")
    ],
    ("GET", "/api/v1/organisations/{organisation_id}"): [get(SIGNED_IN)],
    ("PATCH", "/api/v1/organisations/{organisation_id}"): [
        patch(
            KEEPER,
            {"version": 1, "description": "Мониторинг судов."},
            writes="directory.organisation.update",
            written="organisation",
        ),
        patch(
            STEWARD_WRITER,
            {"version": 1, "internal_notes": "Офис на втором этаже."},
            writes="directory.organisation.update",
            written="organisation",
            variant="internal field",
        ),
    ],
    ("DELETE", "/api/v1/organisations/{organisation_id}"): [
        delete(STEWARD_WRITER, writes="directory.organisation.delete", written="organisation")
    ],
    ("GET", "/api/v1/organisations/{organisation_id}/similar"): [get(SIGNED_IN)],
    ("GET", "/api/v1/organisations/{organisation_id}/history"): [get(SIGNED_IN)],
    ("POST", "/api/v1/organisations/{organisation_id}/contacts"): [
        post(KEEPER, {**CONTACT, "tier": "network"}, writes="directory.contactpoint.create"),
        post(
            STEWARD_WRITER,
            {**CONTACT, "tier": "internal"},
            writes="directory.contactpoint.create",
            variant="internal contact",
        ),
        post(
            PROTECTED_WRITER,
            {**CONTACT, "tier": "protected"},
            writes="directory.contactpoint.create",
            variant="protected contact",
        ),
    ],
    ("DELETE", "/api/v1/contacts/{contact_id}"): [
        delete(KEEPER, writes="directory.contactpoint.delete", written="contact"),
        delete(
            STEWARD_WRITER,
            records={"contact_id": "internal_contact"},
            writes="directory.contactpoint.delete",
            written="internal_contact",
            variant="internal contact",
        ),
        delete(
            PROTECTED_WRITER,
            records={"contact_id": "protected_contact"},
            writes="directory.contactpoint.delete",
            written="protected_contact",
            variant="protected contact",
        ),
    ],
    ("POST", "/api/v1/organisations/{organisation_id}/designations"): [
        post(
            KEEPER, {"kind": "undesirable", "listed_on": "2023-05-20"}, writes="directory.designation.create"
        )
    ],
    ("PATCH", "/api/v1/designations/{designation_id}"): [
        patch(
            KEEPER,
            {"version": 1, "legal_basis": "ФЗ-255"},
            writes="directory.designation.update",
            written="designation",
        )
    ],
    ("DELETE", "/api/v1/designations/{designation_id}"): [
        delete(KEEPER, writes="directory.designation.delete", written="designation")
    ],
    ("POST", "/api/v1/organisations/{organisation_id}/relationships"): [
        post(
            KEEPER,
            {"target": "{target}", "kind": "member_of_network"},
            writes="directory.relationship.create",
        ),
        post(
            STEWARD_WRITER,
            {"target": "{target}", "kind": "member_of_network", "note": "Договорились устно."},
            writes="directory.relationship.create",
            variant="internal note",
        ),
    ],
    ("DELETE", "/api/v1/relationships/{relationship_id}"): [
        delete(KEEPER, writes="directory.relationship.delete", written="relationship")
    ],
    ("POST", "/api/v1/organisations/{organisation_id}/practice-notes"): [
        post(CONTRIBUTOR, NOTE, writes="directory.practicenote.create"),
        post(
            CONTRIBUTOR_PROTECTED,
            {**NOTE, "who_to_ask": "Петров"},
            writes="directory.practicenote.create",
            variant="whom to ask",
        ),
    ],
    ("PATCH", "/api/v1/practice-notes/{note_id}"): [
        patch(
            CONTRIBUTOR,
            {"version": 1, "outcome": "Отпустили."},
            writes="directory.practicenote.update",
            written="note",
        ),
        patch(
            CONTRIBUTOR_PROTECTED,
            {"version": 1, "who_to_ask": "Петров"},
            writes="directory.practicenote.update",
            written="note",
            variant="whom to ask",
        ),
    ],
    ("DELETE", "/api/v1/practice-notes/{note_id}"): [
        delete(CONTRIBUTOR, writes="directory.practicenote.delete", written="note")
    ],
    ("GET", "/api/v1/persons"): [get(SIGNED_IN, query={"limit": "5"})],
    ("POST", "/api/v1/persons"): [
        post(CREATOR, {"name_ru": "Петрова Мария"}, writes="directory.person.create")
    ],
    ("GET", "/api/v1/persons/{person_id}"): [get(SIGNED_IN)],
    ("PATCH", "/api/v1/persons/{person_id}"): [
        patch(
            KEEPER,
            {"version": 1, "name_en": "Maria Petrova"},
            writes="directory.person.update",
            written="person",
        ),
        patch(
            STEWARD_WRITER,
            {"version": 1, "notes": "Просила не звонить вечером."},
            writes="directory.person.update",
            written="person",
            variant="internal field",
        ),
    ],
    ("POST", "/api/v1/persons/{person_id}/positions"): [
        post(
            KEEPER,
            {"organisation": "{target}", "title": "адвокат", "started": "~2011"},
            writes="directory.position.create",
        )
    ],
    ("PATCH", "/api/v1/positions/{position_id}"): [
        patch(
            KEEPER, {"version": 1, "title": "адвокат"}, writes="directory.position.update", written="position"
        )
    ],
    ("DELETE", "/api/v1/positions/{position_id}"): [
        delete(KEEPER, writes="directory.position.delete", written="position")
    ],
    ("POST", "/api/v1/persons/{person_id}/contacts"): [
        post(KEEPER, {**CONTACT, "tier": "network"}, writes="directory.contactpoint.create")
    ],
    ("GET", "/api/v1/networking/near"): [get(SIGNED_IN, query={"area": matrix.AREA, "region": "RU-TVE"})],
    ("GET", "/api/v1/networking/gaps"): [get(SIGNED_IN, query={"district": "central"})],
    ("GET", "/api/v1/search"): [get(SIGNED_IN, query={"q": "группа", "type": "organisation"})],
    ("GET", "/api/v1/regions"): [get(PUBLIC)],
    ("GET", "/api/v1/areas"): [get(PUBLIC)],
    ("GET", "/api/v1/events"): [get(SIGNED_IN, query={"type": "rally"})],
    ("POST", "/api/v1/events"): [
        post(
            EVENT_WRITER, {"title": "Пикет", "type": "single-person-picket"}, writes="monitoring.event.create"
        )
    ],
    ("GET", "/api/v1/events/{event_id}"): [get(SIGNED_IN)],
    ("PATCH", "/api/v1/events/{event_id}"): [
        patch(
            EVENT_WRITER, {"version": 1, "place": "Пермь"}, writes="monitoring.event.update", written="event"
        )
    ],
    ("DELETE", "/api/v1/events/{event_id}"): [
        delete(EVENT_WRITER, writes="monitoring.event.delete", written="event")
    ],
    ("POST", "/api/v1/events/{event_id}/relations"): [
        post(
            EVENT_WRITER,
            {"relation": "precedes", "other_event": "{second_event}"},
            writes="monitoring.eventrelation.create",
        )
    ],
    ("DELETE", "/api/v1/event-relations/{relation_id}"): [
        delete(EVENT_WRITER, writes="monitoring.eventrelation.delete", written="relation")
    ],
    ("GET", "/api/v1/events/{event_id}/acts"): [get(SIGNED_IN)],
    ("POST", "/api/v1/events/{event_id}/acts"): [
        post(
            EVENT_WRITER,
            {"type": "administrative-detention", "victim_count": 12, "victim_group": "участники пикета"},
            writes="monitoring.act.create",
        )
    ],
    ("GET", "/api/v1/acts/{act_id}"): [get(SIGNED_IN)],
    ("PATCH", "/api/v1/acts/{act_id}"): [
        patch(EVENT_WRITER, {"version": 1, "victim_count": 4}, writes="monitoring.act.update", written="act")
    ],
    ("DELETE", "/api/v1/acts/{act_id}"): [
        delete(EVENT_WRITER, writes="monitoring.act.delete", written="act")
    ],
    ("GET", "/api/v1/statistics"): [get(SIGNED_IN, query={"by": "region"})],
    ("POST", "/api/v1/acts/{act_id}/involvements"): [
        post(
            EVENT_WRITER, {"perpetrator": "ОМОН", "degree": "ordered"}, writes="monitoring.involvement.create"
        )
    ],
    ("PATCH", "/api/v1/involvements/{involvement_id}"): [
        patch(
            EVENT_WRITER,
            {"version": 1, "notes": "x"},
            writes="monitoring.involvement.update",
            written="involvement",
        )
    ],
    ("DELETE", "/api/v1/involvements/{involvement_id}"): [
        delete(EVENT_WRITER, writes="monitoring.involvement.delete", written="involvement")
    ],
    ("GET", "/api/v1/events/{event_id}/information"): [get(SIGNED_IN)],
    ("POST", "/api/v1/events/{event_id}/information"): [
        post(
            EVENT_WRITER,
            {"source_kind": "media", "reliability": "high"},
            writes="monitoring.information.create",
        )
    ],
    ("PATCH", "/api/v1/information/{information_id}"): [
        patch(
            EVENT_WRITER,
            {"version": 1, "notes": "x"},
            writes="monitoring.information.update",
            written="information",
        )
    ],
    ("DELETE", "/api/v1/information/{information_id}"): [
        delete(EVENT_WRITER, writes="monitoring.information.delete", written="information")
    ],
    ("GET", "/api/v1/events/{event_id}/interventions"): [get(SIGNED_IN)],
    ("POST", "/api/v1/events/{event_id}/interventions"): [
        post(EVENT_WRITER, {"type": "appeal", "status": "planned"}, writes="monitoring.intervention.create")
    ],
    ("PATCH", "/api/v1/interventions/{intervention_id}"): [
        patch(
            EVENT_WRITER,
            {"version": 1, "notes": "x"},
            writes="monitoring.intervention.update",
            written="intervention",
        )
    ],
    ("DELETE", "/api/v1/interventions/{intervention_id}"): [
        delete(EVENT_WRITER, writes="monitoring.intervention.delete", written="intervention")
    ],
    ("POST", "/api/v1/events/{event_id}/detainees/preview"): [
        post(EVENT_NAMER, {"text": "Иванов Иван; ОВД Тверской"})
    ],
    ("POST", "/api/v1/events/{event_id}/detainees"): [
        post(EVENT_NAMER, {"text": "Иванов Иван; ОВД Тверской"}, writes="monitoring.act.create")
    ],
    ("GET", "/api/v1/intakes"): [get(SIGNED_IN)],
    ("POST", "/api/v1/intakes"): [
        post(CASE_WORKER, {"channel": "phone", "summary": "Нужна помощь"}, writes="cases.intake.create")
    ],
    ("GET", "/api/v1/intakes/{intake_id}"): [get(CASE_WORKER)],
    ("PATCH", "/api/v1/intakes/{intake_id}"): [
        patch(CASE_WORKER, {"version": 1, "urgency": "high"}, writes="cases.intake.update", written="intake")
    ],
    ("GET", "/api/v1/cases"): [get(SIGNED_IN)],
    ("POST", "/api/v1/cases"): [post(CASE_WORKER, {"title": "Дело"}, writes="cases.case.create")],
    ("GET", "/api/v1/cases/{case_id}"): [get(CASE_WORKER)],
    ("PATCH", "/api/v1/cases/{case_id}"): [
        patch(CASE_WORKER, {"version": 1, "status": "assessment"}, writes="cases.case.update", written="case")
    ],
    ("GET", "/api/v1/cases/{case_id}/timeline"): [get(CASE_WORKER)],
    ("POST", "/api/v1/cases/{case_id}/notes"): [
        post(CASE_WORKER, {"text": "Позвонили"}, writes="cases.casenote.create")
    ],
    ("POST", "/api/v1/cases/{case_id}/tasks"): [
        post(CASE_WORKER, {"title": "Подать жалобу"}, writes="cases.task.create")
    ],
    ("PATCH", "/api/v1/tasks/{task_id}"): [
        patch(CASE_WORKER, {"version": 1, "done": True}, writes="cases.task.update", written="task")
    ],
    ("GET", "/api/v1/tasks/mine"): [get(SIGNED_IN)],
    ("GET", "/api/v1/cases/{case_id}/partners"): [get(CASE_WORKER, query={})],
    ("POST", "/api/v1/cases/{case_id}/referrals"): [
        post(
            CASE_WORKER,
            {"partner": "{partner_organisation}", "reason": "Рядом", "shared_summary": "Штраф"},
            writes="cases.referral.create",
        )
    ],
    ("GET", "/api/v1/referrals/received"): [get(SIGNED_IN)],
    ("POST", "/api/v1/referrals/{referral_id}/answer"): [
        post(REFERRAL_ANSWERER, {"status": "accepted"}, writes="cases.referral.update", written="referral")
    ],
    ("POST", "/api/v1/cases/{case_id}/event"): [
        post(
            CASE_WORKER,
            {"event": {"title": "Задержание", "type": "rally"}, "act": {"type": "administrative-detention"}},
            writes="monitoring.event.create",
        )
    ],
    ("PUT", "/api/v1/cases/{case_id}/event"): [
        Call("PUT", CASE_WORKER, data={"event": "{event}"}, writes="cases.case.update", written="case")
    ],
    ("GET", "/api/v1/events/{event_id}/cases"): [get(SIGNED_IN)],
    ("PUT", "/api/v1/help-desk"): [
        Call("PUT", DESK_KEEPER, data={"accepts_public_requests": True}, writes="cases.helpdesk.create")
    ],
    ("GET", "/api/v1/events/{event_id}/documents"): [get(SIGNED_IN)],
    ("POST", "/api/v1/events/{event_id}/documents"): [
        Call(
            "POST",
            EVENT_WRITER,
            data={"title": "Протокол", "file": ("p.txt", b"protocol")},
            writes="monitoring.document.create",
            multipart=True,
        )
    ],
    ("GET", "/api/v1/documents/{document_id}/content"): [get(SIGNED_IN)],
    ("DELETE", "/api/v1/documents/{document_id}"): [
        delete(EVENT_WRITER, writes="monitoring.document.delete", written="document")
    ],
    ("GET", "/api/v1/cases/{case_id}/documents"): [get(CASE_WORKER)],
    ("POST", "/api/v1/cases/{case_id}/documents"): [
        Call(
            "POST",
            CASE_WORKER,
            data={"title": "Заявление", "file": ("z.txt", b"statement")},
            writes="monitoring.document.create",
            multipart=True,
        )
    ],
    ("POST", "/api/v1/monitoring-projects"): [
        post(
            Rule("event_publisher", lambda role, scope: role in (ADMINISTRATOR, COORDINATOR, MONITOR)),
            {"name_ru": "Дело о репостах"},
            writes="monitoring.term.create",
        )
    ],
    ("GET", "/api/v1/vocabularies"): [get(PUBLIC)],
    ("GET", "/api/v1/vocabularies/{code}"): [get(PUBLIC, path="/api/v1/vocabularies/act-types")],
    ("GET", "/api/v1/me"): [get(SIGNED_IN)],
}

# Faults the matrix found and that are not fixed here: (route, method and variant, role, scope) → why.
# Cases that fail for a reason other than authorization, each with that reason (none at present).
KNOWN_FAULTS: dict[tuple[str, str, str, str], str] = {}


# --- The routes --------------------------------------------------------------------------------------------


def operations_of(document: dict[str, Any]) -> list[tuple[str, str]]:
    methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    return sorted(
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in methods
    )


DOCUMENT = api.get_openapi_schema()
DOCUMENT_OPERATIONS = operations_of(DOCUMENT)
ROUTE_OF_NAME = {name: route for route, name in matrix.url_routes() if name}


def page_keys() -> list[str]:
    """Every URL pattern that is not an operation of the OpenAPI document, by name (or by route)."""
    paths = set(DOCUMENT["paths"])
    keys = []
    for route, name in matrix.url_routes():
        if route.startswith("api/v1/") and matrix.route_as_openapi_path(route) in paths:
            continue
        keys.append(name or route)
    return sorted(set(keys))


@dataclass(frozen=True)
class Case:
    key: str  # URL name, route, or "METHOD /api/v1/path"
    api: bool
    call: Call
    role: str
    scope: str

    @property
    def route(self) -> str:
        return self.key.split(" ", 1)[1] if self.api else ROUTE_OF_NAME.get(self.key, self.key)

    @property
    def label(self) -> str:
        variant = f" ({self.call.variant})" if self.call.variant else ""
        return f"{self.key} {self.call.method}{variant}-{self.role}-{self.scope}"


def _scopes(case: Case) -> list[str]:
    parameters = matrix.parameters_of(case.route) if case.call.path is None else []
    if not parameters and not case.call.scoped:
        return [UNSCOPED]
    ids = [name for name in parameters if name.endswith("_id")] or parameters
    named = case.call.record_of(ids[0]) if ids else "organisation"
    kept = [KEPT] if named in matrix.ORGANISATION_RECORDS else []
    nested = not case.api and case.call.method == "POST" and len(parameters) > 1
    return [OWN, OTHER, *kept, *([CROSSED] if nested else [])]


def cases() -> Iterator[Any]:
    operations = {f"{method} {path}": calls for (method, path), calls in OPERATIONS.items()}
    for api_call, table in ((False, PAGES), (True, operations)):
        for key, calls in table.items():
            for call, role in ((call, role) for call in calls for role in ROLES):
                for scope in _scopes(Case(key, api_call, call, role, UNSCOPED)):
                    case = Case(key, api_call, call, role, scope)
                    fault = KNOWN_FAULTS.get((key, f"{call.method}{call.variant}", role, scope))
                    marks = [pytest.mark.xfail(strict=True, reason=fault)] if fault else []
                    yield pytest.param(case, id=case.label, marks=marks)


# --- Every route is classified -----------------------------------------------------------------------------


def test_every_route_is_classified():
    unclassified = [key for key in page_keys() if key not in PAGES]
    unclassified += [
        f"{method} {path}" for method, path in DOCUMENT_OPERATIONS if (method, path) not in OPERATIONS
    ]
    assert unclassified == [], f"routes without a rule in the authorization matrix: {unclassified}"


def test_the_tables_name_only_routes_that_exist():
    stale = sorted(set(PAGES) - set(page_keys()))
    stale += [f"{method} {path}" for method, path in OPERATIONS if (method, path) not in DOCUMENT_OPERATIONS]
    assert stale == []


def test_the_routes_were_found():
    pages = set(page_keys())
    assert {"directory:organisation_edit", "accounts:lockdown_confirm", "public:organisation_detail"} <= pages
    assert "api-v1:organisation_read" not in pages  # an operation of the document
    assert ("DELETE", "/api/v1/organisations/{organisation_id}") in DOCUMENT_OPERATIONS


def test_the_served_openapi_document_has_the_operations_the_matrix_walks():
    served = Client().get("/api/v1/openapi.json").json()
    assert operations_of(served) == DOCUMENT_OPERATIONS


def test_the_matrix_knows_every_role():
    assert set(Role.values) == set(STAFF_ROLES)


# --- The matrix --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The matrix's organisations, users and records, built once and rolled back after the module."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield matrix.scene_build()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _the_scenes_documents(settings, scene):  # type: ignore[no-untyped-def]
    """Document files of the scene are where it stored them (each test otherwise gets a folder of its own)."""
    settings.KHRONIKA_DOCUMENTS = scene.documents_dir


def _ids(scene: Scene, case: Case) -> dict[str, str]:
    """The ids the call is made with: the scope's records, the actor, its current second-factor code."""
    ids = scene.ids(case.scope)
    if case.scope == CROSSED:
        nested = case.call.record_of(matrix.parameters_of(case.route)[-1])
        ids[nested] = scene.ids(OTHER)[nested]
    if case.call.lockdown:
        ids["lockdown"] = matrix.lockdown_asked(scene, ids["organisation"])
    if case.call.grant and case.scope in (OWN, KEPT):
        matrix.grant_made(scene, ids["protected_contact"])
    actor = scene.users.get(case.role)
    ids["me"] = str(actor.pk) if actor is not None else ""
    ids["code"] = matrix.current_code(actor) if actor is not None else "000000"
    return ids


def _path(case: Case, ids: dict[str, str]) -> str:
    if case.call.path is not None:
        return case.call.path
    values = {name: ids[case.call.record_of(name)] for name in matrix.parameters_of(case.route)}
    return case.route.format(**values) if case.api else reverse(case.key, kwargs=values)


def _send(client: Client, case: Case, scene: Scene, ids: dict[str, str]) -> Any:
    call = case.call
    headers = {"Accept-Language": "en"}
    actor = scene.users.get(case.role)
    if case.api and actor is not None:
        headers["Authorization"] = f"Bearer {scene.tokens[case.role]}"
    elif actor is not None:
        verified_login(client, actor)
    path, data = _path(case, ids), matrix.fill(call.data, ids)
    if call.method == "GET":
        return client.get(path, matrix.fill(call.query or {}, ids), headers=headers)
    if call.multipart:
        form = {
            key: SimpleUploadedFile(value[0], value[1]) if isinstance(value, tuple) else value
            for key, value in data.items()
        }
        return client.post(path, form, headers=headers)
    if not case.api:
        return client.post(path, data, headers=headers)
    body = json.dumps(data) if data is not None else ""
    return client.generic(call.method, path, body, content_type="application/json", headers=headers)


SIGN_IN = reverse("accounts:login")
SECOND_FACTOR_STEPS = (reverse("accounts:second_factor_verify"), reverse("accounts:second_factor_enrol"))


def _sent_to_sign_in(response: Any) -> bool:
    return response.status_code == 302 and response["Location"].startswith(f"{SIGN_IN}?next=")


def _succeeded(case: Case, response: Any) -> bool:
    if case.api:
        return response.status_code in (200, 201, 204)
    if response.status_code >= 400 or _sent_to_sign_in(response):
        return False
    return not response.get("Location", "").startswith(SECOND_FACTOR_STEPS)


def _error_code(response: Any) -> str:
    return response.json()["error"]["code"]


def _assert_refused(case: Case, response: Any) -> None:
    """Refused as the interface refuses: 401 or sign-in for a visitor, 403 for a user."""
    if case.api and case.role == ANONYMOUS:
        assert response.status_code == 401 and _error_code(response) == "not_authenticated"
    elif case.call.rule.hidden_from_others and case.scope == OTHER and case.role != ANONYMOUS:
        assert response.status_code == 404
    elif case.api:
        assert response.status_code == 403 and _error_code(response) == "forbidden"
    elif case.role == ANONYMOUS:
        assert _sent_to_sign_in(response), (response.status_code, response.get("Location"))
    elif case.scope == CROSSED:
        assert response.status_code in (403, 404)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("case", list(cases()))
def test_each_role_gets_what_the_rule_of_the_route_allows(client, scene, case):
    # Given the scene's records of the case's scope, and the actor signed in
    ids = _ids(scene, case)
    before = Logs.now()

    # When the actor calls the route
    response = _send(client, case, scene, ids)

    # Then it answers as the route's rule says, and writes only what an allowed call writes
    call, rule = case.call, f"rule {case.call.rule.name}"
    assert response.status_code < 500, rule
    if call.rule.no_endpoint:
        assert response.status_code == 404 and _error_code(response) == "not_found", rule
        assert Logs.now() == before, rule
    elif case.scope == CROSSED and call.rule.allows(case.role, OTHER):
        # The actor may write the other organisation's record anyway: the write goes through, or the
        # page does not find the record under the organisation the URL names.
        assert response.status_code in (302, 404), rule
    elif not call.rule.allows(case.role, OTHER if case.scope == CROSSED else case.scope):
        _assert_refused(case, response)
        assert Logs.now() == before, f"{rule}: a refused call wrote something"
    else:
        assert _succeeded(case, response), (rule, response.status_code, response.get("Location"))
        if call.writes and case.role != ANONYMOUS:
            written = ids[call.written] if call.written else None
            assert before.wrote(call.writes, entity_id=written), f"{rule}: no entry of {call.writes}"
        else:
            # A read changes nothing; nor does a visitor's language, which only their session keeps.
            assert Logs.now().changes == before.changes, f"{rule}: a read wrote a change"


@pytest.mark.parametrize("role", ROLES)
def test_the_public_site_shows_no_organisation_that_is_not_public_to_anyone(client, scene, role):
    # Given an organisation that is not marked public (the centre), and the role signed in
    if role != ANONYMOUS:
        verified_login(client, scene.users[role])

    # When its public page is asked for
    response = client.get(reverse("public:organisation_detail", args=[scene.centre.id]))

    # Then it is not found, whoever asks
    assert response.status_code == 404
