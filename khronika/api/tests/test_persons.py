"""Persons through the API: lists, cards by reader, and the records hanging on them."""

from __future__ import annotations

from khronika.directory.models import Position
from khronika.testing.factories import ContactPointFactory, PersonFactory


def test_person_list_pages_and_filters_by_name(make_user, org_a, api_as):
    for name in ("Абрамова Ольга", "Борисов Илья", "Власова Анна"):
        PersonFactory(steward=org_a, name_ru=name, notes="internal remark")
    client = api_as(make_user(organisation=org_a))

    page = client.get("/persons", limit=2, offset=1).json()
    found = client.get("/persons", q="Илья").json()

    assert (page["count"], [p["name_ru"] for p in page["items"]]) == (3, ["Борисов Илья", "Власова Анна"])
    assert [p["name_ru"] for p in found["items"]] == ["Борисов Илья"]
    assert "notes" not in page["items"][0]


def test_reader_outside_the_steward_sees_no_notes_nor_internal_contacts(make_user, org_a, org_b, api_as):
    # given a person kept by B, with internal notes and contacts of two tiers
    person = PersonFactory(steward=org_b, name_en="Oleg Orlov", notes="moved abroad")
    ContactPointFactory(organisation=None, person=person, tier="network", value="orlov@example.org")
    ContactPointFactory(organisation=None, person=person, tier="protected", value="+7 900 111 22 33")
    Position.objects.create(person=person, organisation=org_b, title="chair", version=1)

    outsider = api_as(make_user(role="coordinator", organisation=org_a)).get(f"/persons/{person.id}").json()
    keeper = api_as(make_user(role="coordinator", organisation=org_b)).get(f"/persons/{person.id}").json()

    assert outsider["name_en"] == "Oleg Orlov"
    assert "notes" not in outsider
    assert [c["value"] for c in outsider["contacts"]] == ["orlov@example.org"]
    assert outsider["positions"][0]["organisation"]["name_en"] == "Group B"
    assert outsider["write_tier"] == "network"  # coordinators keep the network directory
    assert keeper["notes"] == "moved abroad"
    assert sorted((c["value"] or "", c.get("sealed")) for c in keeper["contacts"]) == [
        ("", ["value"]),
        ("orlov@example.org", None),
    ]


def test_created_person_is_kept_by_the_creators_group(make_user, org_a, api_as):
    client = api_as(make_user(role="editor", organisation=org_a))

    response = client.post("/persons", {"name_ru": "Петрова Мария", "notes": "met in 2019"})

    assert response.status_code == 201
    card = response.json()
    assert (card["steward"], card["notes"], card["version"]) == (str(org_a.id), "met in 2019", 1)


def test_position_shows_on_the_organisation(make_user, org_a, api_as):
    client = api_as(make_user(role="editor", organisation=org_a))
    person = PersonFactory(steward=org_a, name_en="Maria Petrova")

    response = client.post(
        f"/persons/{person.id}/positions",
        {"organisation": str(org_a.id), "title": "lawyer", "started": "2011-05"},
    )

    assert response.status_code == 201
    people = client.get(f"/organisations/{org_a.id}").json()["people"]
    assert people == [
        {
            "id": response.json()["id"],
            "version": 1,
            "title": "lawyer",
            "started": "2011-05",
            "ended": "",
            "person": {"id": str(person.id), "name_ru": person.name_ru, "name_en": "Maria Petrova"},
        }
    ]
