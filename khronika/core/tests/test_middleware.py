"""No copy of a staff page or an API answer is kept by a browser or a proxy; the public site may be."""

import pytest

from khronika.accounts.services import api_token_create
from khronika.testing.factories import ContactPointFactory
from khronika.testing.second_factor import verified_login

pytestmark = pytest.mark.django_db


def test_a_staff_page_showing_opened_values_is_not_stored(client, make_user, org_a):
    coordinator = make_user("coordinator", org_a)
    ContactPointFactory(organisation=org_a, tier="protected", value="+7 900 111 00 00")
    verified_login(client, coordinator)

    response = client.get(f"/directory/organisations/{org_a.id}/", {"purpose": "contact"})

    assert "+7 900 111 00 00" in response.content.decode()
    assert {"no-store", "private"} <= {part.strip() for part in response["Cache-Control"].split(",")}


def test_api_answers_are_not_stored(client, make_user, org_a):
    _token, raw = api_token_create(actor=None, user=make_user("member", org_a))

    response = client.get(f"/api/v1/organisations/{org_a.id}", headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_public_site_may_be_cached(client, org_a):
    org_a.is_public = True
    org_a.save(update_fields=["is_public"])

    response = client.get(f"/public/organisations/{org_a.id}/")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
