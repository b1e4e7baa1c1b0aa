"""The access page: a protected reader grants one record's sealed values to a user of another
organisation for a stated purpose, and revokes it."""

import pytest
from django.urls import reverse

from khronika.accounts.models import Grant
from khronika.testing.factories import ContactPointFactory
from khronika.testing.second_factor import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(client, make_user, org_a, org_b):
    coordinator = make_user("coordinator", org_a)
    contact = ContactPointFactory(organisation=org_a, tier="protected", value="+7 900 555 44 33")
    partner = make_user("lawyer", org_b)
    verified_login(client, coordinator)
    session = client.session
    session["language"] = "en"
    session.save()
    url = reverse("accounts:access", args=["directory.contactpoint", contact.id])
    return {"contact": contact, "partner": partner, "url": url, "org_a": org_a}


def test_a_coordinator_grants_a_partner_who_then_opens_the_value_and_revokes_it(client, scene):
    response = client.post(scene["url"], {"username": scene["partner"].username, "purpose": "referral"})

    assert response.status_code == 302
    page = client.get(scene["url"]).content.decode()
    assert scene["partner"].username in page and "+7 900" not in page

    partner = client.__class__()
    verified_login(partner, scene["partner"])
    detail = reverse("directory:organisation_detail", args=[scene["org_a"].id])
    assert "+7 900 555 44 33" in partner.get(detail, {"purpose": "referral"}).content.decode()

    revoke = reverse(
        "accounts:access_revoke", args=["directory.contactpoint", scene["contact"].id, scene["partner"].id]
    )
    assert client.post(revoke).status_code == 302
    assert "+7 900 555 44 33" not in partner.get(detail, {"purpose": "referral"}).content.decode()
    assert Grant.objects.get().revoked_at is not None


def test_an_unknown_username_is_a_form_error_and_grants_nothing(client, scene):
    response = client.post(scene["url"], {"username": "nobody-here", "purpose": "referral"})

    assert response.status_code == 422
    assert "No active user has this username." in response.content.decode()
    assert not Grant.objects.exists()


def test_a_grant_without_a_purpose_is_refused(client, scene):
    response = client.post(scene["url"], {"username": scene["partner"].username})

    assert response.status_code == 422
    assert not Grant.objects.exists()
