"""``khronika search``: searching from a terminal, and rebuilding or describing the index."""

from __future__ import annotations

import json

from khronika.testing.factories import OrganisationFactory, PersonFactory, UserFactory


def test_anonymous_search_is_the_public_one(run, db):
    OrganisationFactory(name_ru="Открытая группа", description="Помощь задержанным.", is_public=True)
    OrganisationFactory(
        name_ru="Закрытая группа",
        description="Помощь задержанным.",
        is_public=False,
        internal_notes="CANARY-cli-search",
    )

    as_json = run("search", "задержанных", "--json")
    as_text = run("search", "задержанных")

    assert as_json.code == 0 and as_text.code == 0
    assert [i["title"] for i in json.loads(as_json.out)["items"]] == ["Открытая группа"]
    assert "Открытая группа" in as_text.out and "Закрытая группа" not in as_text.out
    assert "CANARY" not in as_json.out + as_text.out


def test_a_member_finds_network_records_by_name_in_any_spelling(run, db):
    org = OrganisationFactory(name_ru="Группа", is_public=False)
    PersonFactory(steward=org, name_ru="Фёдоров Пётр Ильич", name_en="")
    UserFactory(username="reader", organisation=org, role="viewer")

    result = run("--as", "reader", "search", "Fyodorov", "--json")

    assert result.code == 0
    assert [i["title"] for i in json.loads(result.out)["items"]] == ["Фёдоров Пётр Ильич"]


def test_filters_and_facets(run, db):
    OrganisationFactory(name_ru="Пермская группа", description="Суды.", is_public=True, kind="ngo")
    OrganisationFactory(name_ru="Тверская группа", description="Суды.", is_public=True)

    narrowed = run("search", "суды", "--filter", "kind=ngo", "--facets")
    bad = run("search", "суды", "--filter", "kind")
    unknown = run("search", "суды", "--filter", "colour=red")

    assert narrowed.code == 0 and "Пермская группа" in narrowed.out and "Тверская группа" not in narrowed.out
    assert bad.code == 2 and "region=RU-PER" in bad.err
    assert unknown.code == 2 and "colour" in unknown.err


def test_reindex_and_status(run, db):
    OrganisationFactory(name_ru="Группа", is_public=True)

    rebuilt = run("search", "reindex", "--no-progress")
    status = run("search", "status", "--json")

    assert rebuilt.code == 0 and "1" in rebuilt.out
    state = json.loads(status.out)
    assert state["backend"] == "tantivy" and state["documents"] == 1 and state["behind"] == 0


def test_reindex_shows_a_progress_bar_on_stderr(run, db):
    OrganisationFactory(name_ru="Группа", is_public=True)
    result = run("search", "reindex")
    assert result.code == 0 and "organisation" in result.err and "100%" in result.err
