"""An htmx request without a session sends the whole page to the sign-in page, and back afterwards."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_htmx_request_after_the_session_ended_redirects_the_whole_page(client):
    response = client.get(
        "/directory/?region=RU-TVE",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/directory/?region=RU-TVE"},
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fdirectory%2F%3Fregion%3DRU-TVE"


def test_a_current_url_of_another_site_is_not_followed_back(client):
    response = client.get(
        "/directory/", headers={"HX-Request": "true", "HX-Current-URL": "https://elsewhere.example/x"}
    )
    assert response["HX-Redirect"] == "/accounts/login/"


def test_a_plain_request_still_gets_the_ordinary_redirect(client):
    response = client.get("/directory/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
