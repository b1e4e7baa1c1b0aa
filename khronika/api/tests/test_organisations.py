"""Organisations through the API: what each reader sees, filters and pages, writes and their change log."""

from __future__ import annotations

import pytest

from khronika.api.tests.conftest import change_count, error_of
from khronika.core.models import AuditEntry, ChangeLogEntry
from khronika.directory.models import Organisation, Region
from khronika.testing.factories import ContactPointFactory, OrganisationFactory, PracticeNoteFactory
from khronika.testing.second_factor import verified_login


def region(code):
    return Region.objects.get(code=code)


@pytest.fixture
def org_b_with_secrets(org_b):
    """Group B with internal notes, contacts of every tier and practice notes of two tiers."""
    org_b.internal_notes = "B: the chair is under pressure"
    org_b.save(update_fields=["internal_notes"])
    for tier in ("public", "network", "internal", "protected"):
        ContactPointFactory(organisation=org_b, tier=tier, value=f"{tier}@group-b.example")
    PracticeNoteFactory(organisation=org_b, tier="network", title="Network note", who_to_ask="Petrov, lawyer")
    PracticeNoteFactory(organisation=org_b, tier="internal", title="Internal note")
    return org_b


# --- Reading: each reader gets the projection for their tier -----------------------------------------------


def test_member_of_another_group_reads_b_without_its_internal_fields(
    make_user, org_a, org_b_with_secrets, api_as
):
    # given a member of group A
    client = api_as(make_user(role="member", organisation=org_a))

    # when they read group B
    response = client.get(f"/organisations/{org_b_with_secrets.id}")

    # then B's internal notes, internal and protected contacts, internal notes and whom to ask are absent
    assert response.status_code == 200
    card = response.json()
    assert card["name_en"] == "Group B"
    assert "internal_notes" not in card
    assert sorted(c["value"] for c in card["contacts"]) == [
        "network@group-b.example",
        "public@group-b.example",
    ]
    assert [n["title"] for n in card["practice_notes"]] == ["Network note"]
    assert "who_to_ask" not in card["practice_notes"][0]
    assert (card["read_tier"], card["write_tier"]) == ("network", None)
    assert "B: the chair" not in response.content.decode()
    assert "protected@group-b.example" not in response.content.decode()


def test_member_reads_own_group_with_internal_fields_but_not_protected_ones(make_user, org_a, api_as):
    # given group A with internal notes and contacts, read by its own member
    org_a.internal_notes = "A: keep the office address quiet"
    org_a.save(update_fields=["internal_notes"])
    ContactPointFactory(organisation=org_a, tier="internal", value="office@group-a.example")
    ContactPointFactory(organisation=org_a, tier="protected", value="chair@group-a.example")
    client = api_as(make_user(role="member", organisation=org_a))

    card = client.get(f"/organisations/{org_a.id}").json()

    assert card["internal_notes"] == "A: keep the office address quiet"
    assert [c["value"] for c in card["contacts"]] == ["office@group-a.example"]
    assert card["read_tier"] == "internal"


def test_a_token_of_the_own_coordinator_sees_that_protected_values_exist_but_never_opens_them(
    make_user, org_a, api_as
):
    coordinator = make_user(role="coordinator", organisation=org_a)
    ContactPointFactory(organisation=org_a, tier="protected", value="chair@group-a.example")
    PracticeNoteFactory(organisation=org_a, who_to_ask="Sidorova, lawyer")
    client = api_as(coordinator)

    card = client.get(f"/organisations/{org_a.id}", params={"purpose": "contact"}).json()

    assert [(c["value"], c["sealed"]) for c in card["contacts"]] == [(None, ["value"])]
    assert card["practice_notes"][0]["who_to_ask"] is None
    assert card["practice_notes"][0]["sealed"] == ["who_to_ask"]
    assert (card["read_tier"], card["write_tier"]) == ("protected", "protected")


def test_the_own_coordinators_browser_session_opens_protected_values_with_a_purpose(make_user, org_a, client):
    coordinator = make_user(role="coordinator", organisation=org_a)
    ContactPointFactory(organisation=org_a, tier="protected", value="chair@group-a.example")
    PracticeNoteFactory(organisation=org_a, who_to_ask="Sidorova, lawyer")
    verified_login(client, coordinator)
    url = f"/api/v1/organisations/{org_a.id}"

    closed = client.get(url).json()
    opened = client.get(url, {"purpose": "contact"}).json()
    refused = client.get(url, {"purpose": "curiosity"})

    assert closed["contacts"][0]["value"] is None
    assert [c["value"] for c in opened["contacts"]] == ["chair@group-a.example"]
    assert "sealed" not in opened["contacts"][0]
    assert opened["practice_notes"][0]["who_to_ask"] == "Sidorova, lawyer"
    assert refused.status_code == 422
    assert AuditEntry.objects.filter(action="directory.contactpoint.open", purpose="contact").count() == 1


def test_hidden_field_is_absent_while_an_empty_visible_one_is_present(make_user, org_a, org_b, api_as):
    # given two groups without internal notes, read by a member of the first
    client = api_as(make_user(role="member", organisation=org_a))

    own, other = (
        client.get(f"/organisations/{org_a.id}").json(),
        client.get(f"/organisations/{org_b.id}").json(),
    )

    assert own["internal_notes"] == ""
    assert "internal_notes" not in other


def test_list_rows_carry_no_internal_fields_even_of_the_own_group(make_user, org_a, api_as):
    org_a.internal_notes = "A: internal"
    org_a.save(update_fields=["internal_notes"])
    client = api_as(make_user(role="coordinator", organisation=org_a))

    body = client.get("/organisations").json()

    assert body["items"][0]["name_en"] == "Group A"
    assert "internal_notes" not in body["items"][0]
    assert "A: internal" not in str(body)


# --- Lists: filters, pages, queries ---------------------------------------------------------------------


@pytest.fixture
def directory(org_a, org_b):
    """A, B, a Tver NGO on protest detentions, a closed Moscow court on freedom of assembly."""
    ngo = OrganisationFactory(
        name_ru="Мемориал Тверь",
        name_en="Memorial Tver",
        kind="ngo",
        home_region=region("RU-TVE"),
        areas=["protest-detentions"],
    )
    court = OrganisationFactory(
        name_ru="Суд",
        name_en="Court",
        kind="court",
        status="closed",
        home_region=region("RU-MOW"),
        areas=["freedom-of-assembly"],
    )
    return {"A": org_a, "B": org_b, "ngo": ngo, "court": court}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {"A", "B", "ngo", "court"}),
        ({"q": "group b"}, {"B"}),
        ({"q": "Мемориал"}, {"ngo"}),
        ({"region": "RU-TVE"}, {"A", "ngo"}),
        ({"district": "central"}, {"A", "ngo", "court"}),
        ({"area": "freedom-of-assembly"}, {"ngo", "court"}),
        ({"area": "protest-detentions"}, {"ngo"}),
        ({"kind": "court"}, {"court"}),
        ({"status": "closed"}, {"court"}),
        ({"region": "RU-TVE", "kind": "ngo"}, {"ngo"}),
    ],
)
def test_filters(make_user, directory, api_as, filters, expected):
    client = api_as(make_user(organisation=directory["A"]))
    names = {str(org.id): key for key, org in directory.items()}

    body = client.get("/organisations", **filters).json()

    assert {names[item["id"]] for item in body["items"]} == expected
    assert body["count"] == len(expected)


def test_rows_speak_in_codes(make_user, directory, api_as):
    client = api_as(make_user(organisation=directory["A"]))

    row = client.get("/organisations", q="Memorial").json()["items"][0]

    assert (row["kind"], row["home_region"], row["areas"], row["status"]) == (
        "ngo",
        "RU-TVE",
        ["protest-detentions"],
        "active",
    )


def test_pagination(make_user, org_a, api_as):
    # given five more groups, sorted by Russian name
    for letter in "ВГДЕЖ":
        OrganisationFactory(name_ru=f"Группа {letter}")
    client = api_as(make_user(organisation=org_a))

    body = client.get("/organisations", limit=2, offset=2).json()

    assert (body["count"], body["limit"], body["offset"]) == (6, 2, 2)
    assert [item["name_ru"] for item in body["items"]] == ["Группа Г", "Группа Д"]


def test_list_of_25_rows_takes_a_fixed_number_of_queries(
    make_user, org_a, api_as, django_assert_max_num_queries
):
    # given 25 groups, each with two areas of work and a home region
    for _ in range(24):
        OrganisationFactory(home_region=region("RU-MOS"), areas=["protest-detentions", "freedom-of-assembly"])
    client = api_as(make_user(organisation=org_a))

    # token, its last use, count, page (with home regions), areas of the page
    with django_assert_max_num_queries(5):
        body = client.get("/organisations", limit=25).json()

    assert len(body["items"]) == 25
    assert sum(len(item["areas"]) for item in body["items"]) == 48


# --- Writing ------------------------------------------------------------------------------------------------


def test_editor_creates_an_organisation_with_one_change_entry(make_user, org_a, api_as):
    client = api_as(make_user(role="editor", organisation=org_a))
    before = change_count()

    response = client.post(
        "/organisations",
        {
            "kind": "ngo",
            "name_ru": "Новая группа",
            "name_en": "New group",
            "founded": "~2011",
            "home_region": "RU-TVE",
            "regions": ["RU-MOS"],
            "areas": ["protest-detentions"],
            "internal_notes": "met at the seminar",
        },
    )

    assert response.status_code == 201
    card = response.json()
    assert (card["name_ru"], card["founded"], card["home_region"]) == ("Новая группа", "~2011", "RU-TVE")
    assert sorted(card["regions"]) == ["RU-MOS", "RU-TVE"]
    assert card["areas"] == ["protest-detentions"]
    assert card["internal_notes"] == "met at the seminar"
    assert card["steward"] == {"id": str(org_a.id), "name_ru": "Группа А", "name_en": "Group A"}
    assert card["version"] == 1
    assert change_count() == before + 1
    assert ChangeLogEntry.objects.filter(entity="directory.organisation", entity_id=card["id"]).count() == 1


@pytest.mark.parametrize("role", ["viewer", "member", "monitor"])
def test_roles_that_do_not_keep_the_directory_cannot_create(make_user, org_a, api_as, role):
    client = api_as(make_user(role=role, organisation=org_a))
    before, rows = change_count(), Organisation.objects.count()

    response = client.post("/organisations", {"kind": "ngo", "name_ru": "Не будет"})

    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
    assert (change_count(), Organisation.objects.count()) == (before, rows)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "ngo", "name_ru": "X", "home_region": "XX-NOPE"}, "home_region"),
        ({"kind": "ngo", "name_ru": "X", "areas": ["no-such-area"]}, "areas"),
        ({"kind": "ngo", "name_ru": "X", "founded": "11/2011"}, "founded"),
        ({"kind": "spaceship", "name_ru": "X"}, "kind"),
        ({"kind": "ngo", "name_ru": ""}, "name_ru"),
        ({"kind": "ngo", "name_ru": "X", "website": "not a url"}, "website"),
    ],
)
def test_bad_input_to_create_gets_422_per_field_and_writes_nothing(make_user, org_a, api_as, body, field):
    client = api_as(make_user(role="editor", organisation=org_a))
    before, rows = change_count(), Organisation.objects.count()

    response = client.post("/organisations", body)

    assert response.status_code == 422
    assert field in error_of(response)["fields"]
    assert (change_count(), Organisation.objects.count()) == (before, rows)


def test_editor_changes_own_group_and_the_version_moves_on(make_user, org_a, api_as):
    client = api_as(make_user(role="editor", organisation=org_a))
    before = change_count()

    response = client.patch(
        f"/organisations/{org_a.id}",
        {"version": 1, "name_en": "Group A (Tver)", "areas": ["freedom-of-assembly"]},
    )

    assert response.status_code == 200
    card = response.json()
    assert (card["name_en"], card["areas"], card["version"]) == ("Group A (Tver)", ["freedom-of-assembly"], 2)
    assert change_count() == before + 1


def test_change_with_a_stale_version_gets_409_and_writes_nothing(make_user, org_a, api_as):
    # given two editors who both loaded version 1, and the first saved
    first = api_as(make_user(role="editor", organisation=org_a))
    second = api_as(make_user(role="editor", organisation=org_a))
    assert first.patch(f"/organisations/{org_a.id}", {"version": 1, "name_en": "First"}).status_code == 200
    before = change_count()

    # when the second saves against version 1
    response = second.patch(f"/organisations/{org_a.id}", {"version": 1, "name_en": "Second"})

    # then the change is refused and the first editor's value stays
    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"
    assert change_count() == before
    org_a.refresh_from_db()
    assert (org_a.name_en, org_a.version) == ("First", 2)


def test_editor_of_another_group_cannot_change_it(make_user, org_a, org_b, api_as):
    client = api_as(make_user(role="editor", organisation=org_b))
    before = change_count()

    response = client.patch(f"/organisations/{org_a.id}", {"name_en": "Taken over"})

    assert response.status_code == 403
    assert change_count() == before


def test_coordinator_may_change_network_fields_of_another_group_but_not_internal_ones(
    make_user, org_a, org_b, api_as
):
    client = api_as(make_user(role="coordinator", organisation=org_b))

    public_change = client.patch(f"/organisations/{org_a.id}", {"website": "https://group-a.example"})
    internal_change = client.patch(f"/organisations/{org_a.id}", {"internal_notes": "seen from B"})

    assert public_change.status_code == 200
    assert "internal_notes" not in public_change.json()
    assert internal_change.status_code == 403


def test_delete_then_the_organisation_is_gone(make_user, org_a, api_as):
    client = api_as(make_user(role="administrator", organisation=org_a))
    other = OrganisationFactory(steward=org_a)
    before = change_count()

    response = client.delete(f"/organisations/{other.id}")

    assert response.status_code == 204
    assert response.content == b""
    assert change_count() == before + 1
    assert client.get(f"/organisations/{other.id}").status_code == 404


def test_history_lists_changes_by_field_name_newest_first(make_user, org_a, api_as):
    client = api_as(make_user(role="editor", organisation=org_a))
    client.patch(f"/organisations/{org_a.id}", {"internal_notes": "a secret note"})
    client.patch(f"/organisations/{org_a.id}", {"website": "https://a.example"})

    history = client.get(f"/organisations/{org_a.id}/history").json()

    assert [(h["version"], h["operation"], h["changed_fields"]) for h in history] == [
        (3, "update", ["website"]),
        (2, "update", ["internal_notes"]),
    ]
    assert "a secret note" not in str(history)


def test_similar_groups_share_areas_of_work(make_user, org_a, api_as):
    me = OrganisationFactory(
        areas=["protest-detentions", "political-prisoners"], home_region=region("RU-TVE")
    )
    twin = OrganisationFactory(
        areas=["protest-detentions", "political-prisoners"], home_region=region("RU-TVE")
    )
    cousin = OrganisationFactory(areas=["protest-detentions", "hazing"], home_region=region("RU-PER"))
    OrganisationFactory(areas=["hazing"])
    client = api_as(make_user(organisation=org_a))

    similar = client.get(f"/organisations/{me.id}/similar").json()

    assert [row["id"] for row in similar] == [str(twin.id), str(cousin.id)]
    assert similar[0]["similarity"] > similar[1]["similarity"]
