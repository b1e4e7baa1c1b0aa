"""Every write endpoint, three ways: a keeper's good write leaves exactly one change-log entry; a viewer's
write is refused with 403; bad input gets a 4xx in the error shape. The last two write nothing."""

from __future__ import annotations

import datetime as dt
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


# --- Correcting and retiring designations, positions and relationships -------------------------------------


@dataclass
class CorrectionScene(Scene):
    designation: str = ""
    position: str = ""
    relationship: str = ""


@pytest.fixture
def kept(org_a, org_b, scene):
    """The scene, with a designation of group A, a position of group A's person at group B, and group A's
    partnership with group B."""
    person = Person.objects.get(pk=scene.person)
    return CorrectionScene(
        **vars(scene),
        designation=str(
            Designation.objects.create(
                organisation=org_a, kind="foreign_agent", listed_on=dt.date(2022, 4, 8), version=1
            ).id
        ),
        position=str(Position.objects.create(person=person, organisation=org_b, title="юрист", version=1).id),
        relationship=str(
            Relationship.objects.create(source=org_a, target=org_b, kind="partner", version=1).id
        ),
    )


def live_snapshot() -> tuple[int, ...]:
    """The change log and the live rows of each directory model (a removal only sets ``deleted_at``)."""
    return (
        change_count(),
        *(model.objects.filter(deleted_at__isnull=True).count() for model in ROW_MODELS),
        *Designation.objects.values_list("version", flat=True),
        *Position.objects.values_list("version", flat=True),
    )


CORRECTIONS = [
    ("patch", "/designations/{designation}", {"version": 1, "removed_on": "2024-01-15"}),
    ("delete", "/designations/{designation}", None),
    ("patch", "/positions/{position}", {"version": 1, "ended": "2023-06"}),
    ("delete", "/positions/{position}", None),
    ("delete", "/relationships/{relationship}", None),
]

BAD_CORRECTIONS = [
    ("patch", "/designations/{designation}", {"removed_on": "2021-01-01"}, 422, "removed_on"),
    ("patch", "/designations/{designation}", {"removed_on": "2024-02-30"}, 422, "removed_on"),
    ("patch", "/designations/{designation}", {"listed_on": None}, 422, "listed_on"),
    ("patch", "/designations/{designation}", {"kind": "enemy"}, 422, "kind"),
    ("patch", "/designations/{designation}", {"organisation": "{other}"}, 422, "organisation"),
    ("patch", "/designations/{unknown}", {"removed_on": "2024-01-15"}, 404, None),
    ("patch", "/designations/not-an-id", {"removed_on": "2024-01-15"}, 404, None),
    ("delete", "/designations/{unknown}", None, 404, None),
    ("delete", "/designations/not-an-id", None, 404, None),
    ("patch", "/positions/{position}", {"ended": "soon"}, 422, "ended"),
    ("patch", "/positions/{position}", {"title": ""}, 422, "title"),
    ("patch", "/positions/{position}", {"title": 5}, 422, "title"),
    ("patch", "/positions/{position}", {"organisation": "{other}"}, 422, "organisation"),
    ("patch", "/positions/{unknown}", {"title": "x"}, 404, None),
    ("delete", "/positions/not-an-id", None, 404, None),
    ("delete", "/relationships/{unknown}", None, 404, None),
    ("delete", "/relationships/not-an-id", None, 404, None),
]


@pytest.mark.parametrize("case", CORRECTIONS, ids=_name)
def test_a_keepers_correction_leaves_exactly_one_change_entry(make_user, org_a, kept, api_as, case):
    method, path, body = case
    client = api_as(make_user(role="editor", organisation=org_a))
    last = ChangeLogEntry.objects.order_by("-seq").values_list("seq", flat=True).first()

    response = _call(client, method, kept.fill(path), kept.fill(body))

    assert response.status_code == (204 if method == "delete" else 200), response.content
    new = list(ChangeLogEntry.objects.filter(seq__gt=last))
    assert len(new) == 1
    assert new[0].entity_id == uuid.UUID(kept.fill(path).rsplit("/", 1)[1])
    assert new[0].operation == ("delete" if method == "delete" else "update")
    if method == "patch":
        assert response.json() == {"id": str(new[0].entity_id), "version": 2}
    else:
        assert response.content == b""


@pytest.mark.parametrize("role", ["viewer", "member"])
@pytest.mark.parametrize("case", CORRECTIONS, ids=_name)
def test_a_role_that_does_not_keep_the_directory_may_not_correct(make_user, org_a, kept, api_as, case, role):
    method, path, body = case
    client = api_as(make_user(role=role, organisation=org_a))
    before = live_snapshot()

    response = _call(client, method, kept.fill(path), kept.fill(body))

    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
    assert live_snapshot() == before


@pytest.mark.parametrize("case", CORRECTIONS, ids=_name)
def test_another_groups_editor_may_not_correct(make_user, org_b, kept, api_as, case):
    method, path, body = case
    client = api_as(make_user(role="editor", organisation=org_b))
    before = live_snapshot()

    response = _call(client, method, kept.fill(path), kept.fill(body))

    assert response.status_code == 403
    assert live_snapshot() == before


@pytest.mark.parametrize("case", BAD_CORRECTIONS, ids=_name)
def test_a_bad_correction_gets_an_error_naming_the_field_and_writes_nothing(
    make_user, org_a, kept, api_as, case
):
    method, path, body, status, field = case
    client = api_as(make_user(role="editor", organisation=org_a))
    before = live_snapshot()

    response = _call(client, method, kept.fill(path), kept.fill(body))

    assert response.status_code == status, response.content
    error = error_of(response)
    if field is not None:
        assert field in error["fields"], error
        assert "2024-02-30" not in response.content.decode() and "soon" not in response.content.decode()
    assert live_snapshot() == before


def test_a_correction_with_a_stale_version_gets_409_and_the_newer_change_survives(
    make_user, org_a, kept, api_as
):
    client = api_as(make_user(role="editor", organisation=org_a))
    assert (
        client.patch(f"/designations/{kept.designation}", {"version": 1, "register_entry": "№ 1"}).status_code
        == 200
    )
    assert client.patch(f"/positions/{kept.position}", {"version": 1, "title": "адвокат"}).status_code == 200
    before = live_snapshot()

    stale_designation = client.patch(
        f"/designations/{kept.designation}", {"version": 1, "register_entry": "№ 2"}
    )
    stale_position = client.patch(f"/positions/{kept.position}", {"version": 1, "title": "юрист"})

    assert (stale_designation.status_code, stale_position.status_code) == (409, 409)
    assert error_of(stale_designation)["code"] == "conflict"
    assert live_snapshot() == before
    assert Designation.objects.get(pk=kept.designation).register_entry == "№ 1"
    assert Position.objects.get(pk=kept.position).title == "адвокат"


def test_a_change_that_changes_nothing_answers_the_current_version_and_writes_nothing(
    make_user, org_a, kept, api_as
):
    client = api_as(make_user(role="editor", organisation=org_a))
    before = live_snapshot()

    response = client.patch(f"/designations/{kept.designation}", {"version": 1, "listed_on": "2022-04-08"})

    assert response.status_code == 200 and response.json()["version"] == 1
    assert live_snapshot() == before


def test_a_removed_designation_leaves_the_organisation_and_a_removal_date_shows_on_it(
    make_user, org_a, kept, api_as
):
    client = api_as(make_user(role="editor", organisation=org_a))
    second = Designation.objects.create(
        organisation=org_a, kind="undesirable", listed_on=dt.date(2023, 1, 1), version=1
    )
    assert client.patch(f"/designations/{kept.designation}", {"removed_on": "2024-01-15"}).status_code == 200
    assert client.delete(f"/designations/{second.id}").status_code == 204

    designations = client.get(f"/organisations/{org_a.id}").json()["designations"]

    assert [(d["id"], d["removed_on"], d["version"]) for d in designations] == [
        (kept.designation, "2024-01-15", 2)
    ]
    assert client.delete(f"/designations/{second.id}").status_code == 404
