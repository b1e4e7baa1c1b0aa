"""The staff search page, the header's list of matches, and the public site's search."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khronika.directory.models import Region
from khronika.search.indexer import index_rebuild
from khronika.testing.factories import OrganisationFactory, PersonFactory, PracticeNoteFactory
from khronika.testing.second_factor import verified_login

pytestmark = pytest.mark.django_db

RESULTS = reverse("search:results")
SUGGEST = reverse("search:suggest")
PUBLIC = reverse("public:search")


def sign_in(client, user):
    verified_login(client, user)
    session = client.session
    session["language"] = "en"
    session.save()
    return client


def text(response):
    return response.content.decode()


@pytest.fixture
def perm(db):
    return OrganisationFactory(
        name_ru="Пермская группа",
        name_en="Perm group",
        description="Помощь задержанным на акциях.",
        home_region=Region.objects.get(code="RU-PER"),
        is_public=True,
    )


def test_the_page_shows_matches_with_marked_words_and_facets(client, make_user, org_a, perm):
    sign_in(client, make_user("viewer", org_a))
    page = text(client.get(RESULTS, {"q": "задержанных"}))
    assert "Пермская группа" in page
    assert "<mark>задержанным</mark>" in page
    assert 'name="region" value="RU-PER"' in page and "Perm Krai" in page


def test_an_htmx_request_gets_the_results_alone(client, make_user, org_a, perm):
    sign_in(client, make_user("viewer", org_a))
    response = client.get(RESULTS, {"q": "задержанных"}, headers={"HX-Request": "true"})
    assert "<html" not in text(response) and "Пермская группа" in text(response)
    assert "HX-Request" in response["Vary"]


def test_facet_checkboxes_narrow_the_results(client, make_user, org_a, perm):
    sign_in(client, make_user("viewer", org_a))
    page = text(client.get(RESULTS, {"q": "задержанным", "region": "RU-TVE"}))
    assert "Группа А" in page and "Пермская группа" not in page
    assert 'value="RU-TVE" checked' in page


def test_nothing_found_says_what_to_try(client, make_user, org_a):
    sign_in(client, make_user("viewer", org_a))
    assert "Nothing found" in text(client.get(RESULTS, {"q": "несуществующееслово"}))


def test_an_unknown_filter_in_the_address_is_ignored_by_the_page(client, make_user, org_a, perm):
    sign_in(client, make_user("viewer", org_a))
    assert client.get(RESULTS, {"q": "задержанным", "colour": "red"}).status_code == 200


def test_suggestions_list_matches_as_one_types(client, make_user, org_a, perm):
    PersonFactory(steward=org_a, name_ru="Шевченко Тарас", name_en="")
    sign_in(client, make_user("viewer", org_a))
    partial = text(client.get(SUGGEST, {"q": "Shevch"}))
    assert "Шевченко Тарас" in partial and "<html" not in partial
    assert text(client.get(SUGGEST, {"q": ""})).strip() == ""


def test_search_needs_sign_in(client):
    response = client.get(RESULTS, {"q": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_does_not_query_once_a_row(client, make_user, org_a, django_assert_max_num_queries):
    for n in range(12):
        person = PersonFactory(steward=org_a, name_ru=f"Иванов Пётр {n}", name_en="")
        OrganisationFactory(
            name_ru=f"Группа {n}", description="Иванов помогает задержанным.", areas=["legal-aid"]
        )
        PracticeNoteFactory(organisation=org_a, title=f"Иванов и практика {n}")
        assert person
    sign_in(client, make_user("viewer", org_a))
    index_rebuild()

    def count(limit_q):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(RESULTS, {"q": limit_q}).status_code == 200
        return len(captured.captured_queries)

    few, many = count("Иванов практика 3"), count("Иванов")
    assert many <= few + 2, (few, many)


def test_public_search_shows_public_records_and_sets_no_cookie(client, org_a, perm):
    response = client.get(PUBLIC, {"q": "задержанных", "lang": "en"})
    page = text(response)
    assert response.status_code == 200 and not response.cookies
    assert "Пермская группа" in page and "Группа А" not in page
    assert "?lang=en" in page


def test_public_search_never_shows_network_records(client, org_a, perm):
    PersonFactory(steward=perm, name_ru="Шевченко Тарас", name_en="")
    page = text(client.get(PUBLIC, {"q": "Шевченко", "lang": "en"}))
    assert "Шевченко Тарас" not in page and "0 records found" in page
