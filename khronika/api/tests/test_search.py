"""``/api/v1/search``: the same search as the staff page, with filters as query parameters."""

from __future__ import annotations

from khronika.directory.models import Region
from khronika.testing.factories import OrganisationFactory, PersonFactory


def test_search_answers_items_snippets_and_facets(make_user, org_a, org_b, api_as):
    OrganisationFactory(
        name_ru="Мемориал Пермь",
        description="Помощь задержанным на акциях.",
        home_region=Region.objects.get(code="RU-PER"),
    )
    client = api_as(make_user("viewer", org_a))

    body = client.get("/search", q="задержания").json()

    assert body["count"] == 3  # the fixtures' groups help the detained too
    assert {item["type"] for item in body["items"]} == {"organisation"}
    assert any(part["match"] for item in body["items"] for part in item["snippet"])
    regions = next(f for f in body["facets"] if f["name"] == "region")
    assert {v["value"]: v["count"] for v in regions["values"]} == {"RU-PER": 2, "RU-TVE": 1}
    narrowed = client.get("/search", q="задержания", region=["RU-TVE"]).json()
    assert [item["title"] for item in narrowed["items"]] == ["Группа А"]


def test_names_in_latin_find_cyrillic_records(make_user, org_a, api_as):
    PersonFactory(steward=org_a, name_ru="Щеглова Юлия Андреевна", name_en="")
    client = api_as(make_user("viewer", org_a))
    for q in ("Shcheglova Yuliya", "Chtcheglova Iouliia", "Schtscheglowa Julija"):
        items = client.get("/search", q=q).json()["items"]
        assert [i["title"] for i in items][:1] == ["Щеглова Юлия Андреевна"], q


def test_bad_parameters_get_a_clear_422(make_user, org_a, api_as):
    client = api_as(make_user("viewer", org_a))

    unknown = client.get("/search", q="x", colour="red")
    too_many = client.get("/search", q="x", limit=1000)

    assert unknown.status_code == 422
    assert "colour" in unknown.json()["error"]["message"]
    assert unknown.json()["error"]["fields"] == {"colour": ["Unknown filter."]}
    assert too_many.status_code == 422


def test_search_needs_a_token_or_a_session(anonymous):
    assert anonymous.get("/search", q="x").status_code == 401


def test_paging_is_stable(make_user, org_a, api_as):
    for n in range(7):
        OrganisationFactory(name_ru=f"Группа поддержки {n}", description="Поддержка политзаключённых.")
    client = api_as(make_user("viewer", org_a))
    first = client.get("/search", q="поддержка", limit=4).json()
    second = client.get("/search", q="поддержка", limit=4, offset=4).json()
    assert first["count"] == second["count"] == 7
    ids = [i["id"] for i in first["items"] + second["items"]]
    assert len(ids) == len(set(ids)) == 7
