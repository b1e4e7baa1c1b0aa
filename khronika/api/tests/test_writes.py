"""Every write endpoint, three ways: a keeper's good write leaves exactly one change-log entry; a viewer's
write is refused with 403; bad input gets a 4xx in the error shape. The last two write nothing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from khronika.api.tests.conftest import change_count, error_of
from khronika.core.models import ChangeLogEntry
from khronika.directory.models import (
    ContactPoint,
    Designation,
    Organisation,
    Person,
    Position,
    PracticeNote,
    Relationship,
)
from khronika.testing.factories import ContactPointFactory, PersonFactory, PracticeNoteFactory

ROW_MODELS = (Organisation, ContactPoint, Designation, Relationship, PracticeNote, Person, Position)


@dataclass
class Scene:
    org: str
    other: str
    person: str
    note: str
    contact: str
    unknown: str = str(uuid.uuid4())

    def fill(self, value: Any) -> Any:
        """Put the scene's ids into a path or a body written with {org}, {other}…"""
        if isinstance(value, str):
            return value.format(**vars(self))
        if isinstance(value, dict):
            return {key: self.fill(item) for key, item in value.items()}
        return value


@pytest.fixture
def scene(org_a, org_b):
    """Group A with a person, a practice note and a contact it keeps, and group B."""
    return Scene(
        org=str(org_a.id),
        other=str(org_b.id),
        person=str(PersonFactory(steward=org_a).id),
        note=str(PracticeNoteFactory(organisation=org_a).id),
        contact=str(ContactPointFactory(organisation=org_a).id),
    )


def snapshot() -> tuple[int, ...]:
    """The number of change-log entries and of rows of each directory model."""
    return (change_count(), *(model.objects.count() for model in ROW_MODELS))


GOOD_WRITES = [
    ("post", "/organisations", {"kind": "ngo", "name_ru": "Новая группа"}),
    ("patch", "/organisations/{org}", {"version": 1, "description": "Мониторинг судов."}),
    ("delete", "/organisations/{org}", None),
    (
        "post",
        "/organisations/{org}/contacts",
        {"kind": "phone", "value": "+7 900 000 00 00", "tier": "protected"},
    ),
    ("delete", "/contacts/{contact}", None),
    ("post", "/organisations/{org}/designations", {"kind": "foreign_agent", "listed_on": "2022-05-20"}),
    (
        "post",
        "/organisations/{org}/relationships",
        {"target": "{other}", "kind": "partner", "started": "2015"},
    ),
    (
        "post",
        "/organisations/{org}/practice-notes",
        {
            "area": "protest-detentions",
            "title": "Передачи",
            "summary": "Носили передачи.",
            "happened": "2021-04",
        },
    ),
    ("patch", "/practice-notes/{note}", {"version": 1, "outcome": "Отпустили."}),
    ("delete", "/practice-notes/{note}", None),
    ("post", "/persons", {"name_ru": "Петрова Мария", "aliases": ["Маша"]}),
    ("patch", "/persons/{person}", {"version": 1, "name_en": "Maria Petrova"}),
    ("post", "/persons/{person}/positions", {"organisation": "{org}", "title": "юрист", "started": "~2011"}),
    (
        "post",
        "/persons/{person}/contacts",
        {"kind": "email", "value": "maria@example.org", "tier": "internal"},
    ),
]

BAD_WRITES = [
    ("post", "/organisations", {"kind": "ngo", "name_ru": "X", "regions": ["XX-NOPE"]}, 422),
    ("patch", "/organisations/{org}", {"website": "not a url"}, 422),
    ("patch", "/organisations/{org}", {"name_ru": None}, 422),
    ("patch", "/organisations/{unknown}", {"name_en": "X"}, 404),
    ("delete", "/organisations/not-an-id", None, 404),
    ("post", "/organisations/{org}/contacts", {"kind": "pigeon", "value": "roof"}, 422),
    (
        "post",
        "/organisations/{org}/contacts",
        {"kind": "email", "value": "x@example.org", "tier": "secret"},
        422,
    ),
    ("post", "/organisations/{org}/contacts", {"kind": "email", "value": ""}, 422),
    ("delete", "/contacts/{unknown}", None, 404),
    ("post", "/organisations/{org}/designations", {"kind": "foreign_agent", "listed_on": "2022-02-30"}, 422),
    (
        "post",
        "/organisations/{org}/designations",
        {"kind": "foreign_agent", "listed_on": "2022-05-20", "removed_on": "2021-01-01"},
        422,
    ),
    ("post", "/organisations/{org}/relationships", {"target": "{org}", "kind": "partner"}, 422),
    ("post", "/organisations/{org}/relationships", {"target": "{other}", "kind": "enemy"}, 422),
    (
        "post",
        "/organisations/{org}/relationships",
        {"target": "{other}", "kind": "partner", "started": "soon"},
        422,
    ),
    (
        "post",
        "/organisations/{org}/practice-notes",
        {"area": "no-such-area", "title": "T", "summary": "S"},
        422,
    ),
    ("post", "/organisations/{org}/practice-notes", {"area": "hazing", "title": "T"}, 422),
    ("patch", "/practice-notes/{note}", {"happened": "sometime"}, 422),
    ("patch", "/practice-notes/{note}", {"tier": "protected"}, 422),
    ("delete", "/practice-notes/{unknown}", None, 404),
    ("post", "/persons", {"name_ru": ""}, 422),
    ("post", "/persons", {"name_ru": "X", "steward": "{other}"}, 422),
    ("patch", "/persons/{person}", {"aliases": "not a list"}, 422),
    (
        "post",
        "/persons/{person}/positions",
        {"organisation": "{org}", "title": "юрист", "started": "soon"},
        422,
    ),
    ("post", "/persons/{person}/positions", {"organisation": "{org}", "title": ""}, 422),
    (
        "post",
        "/persons/{person}/contacts",
        {"kind": "email", "value": "m@example.org", "tier": "secret"},
        422,
    ),
]


def _call(client, method, path, body):
    if method == "delete":
        return client.delete(path)
    return getattr(client, method)(path, body)


def _name(case):
    return f"{case[0].upper()} {case[1]}"


@pytest.mark.parametrize("case", GOOD_WRITES, ids=_name)
def test_good_write_leaves_exactly_one_change_entry(make_user, org_a, scene, api_as, case):
    method, path, body = case
    client = api_as(make_user(role="coordinator", organisation=org_a))
    last = ChangeLogEntry.objects.order_by("-seq").values_list("seq", flat=True).first()

    response = _call(client, method, scene.fill(path), scene.fill(body))

    assert response.status_code in (200, 201, 204), response.content
    new = list(ChangeLogEntry.objects.filter(seq__gt=last))
    assert len(new) == 1
    if response.status_code == 201:
        assert str(new[0].entity_id) == response.json()["id"]


@pytest.mark.parametrize("case", GOOD_WRITES, ids=_name)
def test_viewer_cannot_write(make_user, org_a, scene, api_as, case):
    method, path, body = case
    client = api_as(make_user(role="viewer", organisation=org_a))
    before = snapshot()

    response = _call(client, method, scene.fill(path), scene.fill(body))

    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
    assert snapshot() == before


@pytest.mark.parametrize("case", BAD_WRITES, ids=_name)
def test_bad_input_gets_an_error_and_writes_nothing(make_user, org_a, scene, api_as, case):
    method, path, body, status = case
    client = api_as(make_user(role="coordinator", organisation=org_a))
    before = snapshot()

    response = _call(client, method, scene.fill(path), scene.fill(body))

    assert response.status_code == status, response.content
    error = error_of(response)
    if status == 422:
        assert error["fields"], error
    assert snapshot() == before


def test_member_adds_a_practice_note_to_own_group_but_may_not_name_whom_to_ask(make_user, org_a, api_as):
    client = api_as(make_user(role="member", organisation=org_a))
    note = {"area": "hazing", "title": "Призывники", "summary": "Консультации."}
    before = snapshot()

    refused = client.post(f"/organisations/{org_a.id}/practice-notes", note | {"who_to_ask": "Petrov"})
    assert refused.status_code == 403
    assert snapshot() == before

    accepted = client.post(f"/organisations/{org_a.id}/practice-notes", note)
    assert accepted.status_code == 201
    assert PracticeNote.objects.get(pk=accepted.json()["id"]).who_to_ask == ""


def test_practice_note_change_with_stale_version_gets_409(make_user, org_a, scene, api_as):
    client = api_as(make_user(role="editor", organisation=org_a))
    assert client.patch(f"/practice-notes/{scene.note}", {"version": 1, "title": "First"}).status_code == 200
    before = snapshot()

    response = client.patch(f"/practice-notes/{scene.note}", {"version": 1, "title": "Second"})

    assert response.status_code == 409
    assert snapshot() == before


def test_person_change_with_stale_version_gets_409(make_user, org_a, scene, api_as):
    client = api_as(make_user(role="editor", organisation=org_a))
    assert client.patch(f"/persons/{scene.person}", {"version": 1, "name_en": "First"}).status_code == 200
    before = snapshot()

    response = client.patch(f"/persons/{scene.person}", {"version": 1, "name_en": "Second"})

    assert response.status_code == 409
    assert snapshot() == before
