"""Networking through the API: who works on an area near a region, coverage gaps, relationships."""

from __future__ import annotations

from khronika.directory.models import Region
from khronika.testing.factories import OrganisationFactory


def region(code):
    return Region.objects.get(code=code)


def test_near_ranks_same_region_then_neighbour_then_same_district(make_user, org_a, api_as):
    # given groups on freedom of assembly (or protest detentions, an area below it) in Moscow (same federal
    # district as Tver), Moscow Oblast (Tver's neighbour), Tver itself, and far away in Perm
    district = OrganisationFactory(
        name_ru="А Москва", home_region=region("RU-MOW"), areas=["freedom-of-assembly"]
    )
    neighbour = OrganisationFactory(
        name_ru="Б Подмосковье", home_region=region("RU-MOS"), areas=["freedom-of-assembly"]
    )
    same = OrganisationFactory(name_ru="В Тверь", home_region=region("RU-TVE"), areas=["protest-detentions"])
    OrganisationFactory(name_ru="Г Пермь", home_region=region("RU-PER"), areas=["freedom-of-assembly"])
    OrganisationFactory(
        name_ru="Д Тверь, закрыта",
        home_region=region("RU-TVE"),
        areas=["freedom-of-assembly"],
        status="closed",
    )
    client = api_as(make_user(organisation=org_a))

    # when a member looks for groups on freedom of assembly near Tver
    response = client.get("/networking/near", area="freedom-of-assembly", region="RU-TVE")

    # then the Tver group comes first, then Moscow Oblast, then Moscow; Perm and closed groups not at all
    assert response.status_code == 200
    rows = response.json()
    assert [(row["id"], row["proximity"]) for row in rows] == [
        (str(same.id), "same_region"),
        (str(neighbour.id), "neighbour"),
        (str(district.id), "same_district"),
    ]
    assert rows[0]["areas"] == ["protest-detentions"]


def test_near_with_unknown_region_gets_404_and_without_area_422(make_user, org_a, api_as):
    client = api_as(make_user(organisation=org_a))

    unknown = client.get("/networking/near", area="freedom-of-assembly", region="XX-NOPE")
    missing = client.get("/networking/near", region="RU-TVE")

    assert unknown.status_code == 404
    assert missing.status_code == 422
    assert missing.json()["error"]["fields"] == {"area": ["This field is required."]}


def test_gaps_count_groups_per_region_and_top_level_area(make_user, org_a, api_as):
    OrganisationFactory(home_region=region("RU-TVE"), areas=["protest-detentions"])
    client = api_as(make_user(organisation=org_a))

    body = client.get("/networking/gaps", district="central").json()

    tver = next(r for r in body["regions"] if r["code"] == "RU-TVE")
    assert tver["covered"] == {"freedom-of-assembly": 1}
    assert "freedom-of-assembly" not in tver["gaps"] and "prisoners-rights" in tver["gaps"]
    assert {r["code"] for r in body["regions"]} >= {"RU-TVE", "RU-MOS", "RU-MOW"}
    assert "RU-PER" not in {r["code"] for r in body["regions"]}
    assert body["gap_count"] == len(body["regions"]) * len(body["areas"]) - 1


def test_gaps_for_unknown_district_get_404(make_user, org_a, api_as):
    assert (
        api_as(make_user(organisation=org_a)).get("/networking/gaps", district="atlantis").status_code == 404
    )


def test_relationship_shows_on_both_organisations_by_code(make_user, org_a, org_b, api_as):
    client = api_as(make_user(role="editor", organisation=org_a))

    response = client.post(
        f"/organisations/{org_a.id}/relationships",
        {"target": str(org_b.id), "kind": "branch_of", "started": "2015"},
    )

    assert response.status_code == 201
    outgoing = client.get(f"/organisations/{org_a.id}").json()["relationships"]
    incoming = client.get(f"/organisations/{org_b.id}").json()["relationships"]
    assert [(r["kind"], r["direction"], r["other"]["id"], r["started"]) for r in outgoing] == [
        ("branch_of", "outgoing", str(org_b.id), "2015")
    ]
    assert [(r["kind"], r["direction"], r["other"]["id"]) for r in incoming] == [
        ("branch_of", "incoming", str(org_a.id))
    ]
