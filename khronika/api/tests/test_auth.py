"""Who may call the API: bearer tokens, browser sessions with CSRF, and 401 for everyone else."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from khronika.accounts.models import ApiToken
from khronika.accounts.services import api_token_create, api_token_revoke
from khronika.api.tests.conftest import ApiClient, change_count, error_of

CSRF_SECRET = "a" * 32


def test_no_token_gets_401_json_not_a_login_redirect(anonymous):
    response = anonymous.get("/organisations")

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_unknown_token_gets_401(db):
    response = ApiClient("kh_not-a-real-token").get("/organisations")

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_token_without_bearer_scheme_gets_401(make_user):
    # given a valid token sent under another scheme
    _token, raw = api_token_create(actor=None, user=make_user())
    client = Client()

    response = client.get("/api/v1/me", headers={"Authorization": f"Token {raw}"})

    assert response.status_code == 401


def test_expired_token_gets_401(make_user):
    # given a token whose expiry has passed
    token, raw = api_token_create(actor=None, user=make_user(), expires_in_days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    response = ApiClient(raw).get("/me")

    assert response.status_code == 401


def test_revoked_token_gets_401(make_user):
    # given a token that worked, then was revoked
    user = make_user()
    token, raw = api_token_create(actor=None, user=user)
    assert ApiClient(raw).get("/me").status_code == 200
    api_token_revoke(actor=user, token_id=token.pk)

    response = ApiClient(raw).get("/me")

    assert response.status_code == 401


def test_token_of_disabled_user_gets_401(make_user):
    user = make_user()
    _token, raw = api_token_create(actor=None, user=user)
    user.is_active = False
    user.save(update_fields=["is_active"])

    assert ApiClient(raw).get("/me").status_code == 401


def test_bad_token_is_refused_even_with_a_session(make_user):
    # given a browser signed in, which also sends a wrong bearer token
    client = Client()
    client.force_login(make_user())

    response = client.get("/api/v1/me", headers={"Authorization": "Bearer kh_wrong"})

    assert response.status_code == 401


def test_me_names_the_caller(make_user, org_a, api_as):
    user = make_user(role="coordinator", organisation=org_a, username="anna")

    body = api_as(user).get("/me").json()

    assert body == {
        "username": "anna",
        "display_name": user.display_name,
        "role": "coordinator",
        "organisation": {"id": str(org_a.id), "name_ru": "Группа А", "name_en": "Group A"},
    }


def test_signed_in_session_reads(make_user, org_a):
    client = Client()
    client.force_login(make_user(organisation=org_a))

    response = client.get("/api/v1/organisations")

    assert response.status_code == 200
    assert response.json()["count"] >= 1


def test_session_write_without_csrf_token_is_refused_and_writes_nothing(make_user, org_a):
    # given a signed-in browser that enforces CSRF, holding the cookie but not sending the token
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(role="editor", organisation=org_a))
    client.cookies["csrftoken"] = CSRF_SECRET
    before = change_count()

    response = client.patch(
        f"/api/v1/organisations/{org_a.id}", '{"name_en": "Renamed"}', content_type="application/json"
    )

    assert response.status_code == 403
    assert error_of(response)["code"] == "csrf_failed"
    assert change_count() == before
    org_a.refresh_from_db()
    assert org_a.name_en == "Group A"


def test_session_write_with_csrf_token_succeeds(make_user, org_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(role="editor", organisation=org_a))
    client.cookies["csrftoken"] = CSRF_SECRET

    response = client.patch(
        f"/api/v1/organisations/{org_a.id}",
        '{"name_en": "Renamed"}',
        content_type="application/json",
        headers={"X-CSRFToken": CSRF_SECRET},
    )

    assert response.status_code == 200
    assert response.json()["name_en"] == "Renamed"


def test_anonymous_write_gets_401_not_a_csrf_refusal(anonymous, org_a):
    before = change_count()

    response = anonymous.patch(f"/organisations/{org_a.id}", {"name_en": "Renamed"})

    assert response.status_code == 401
    assert change_count() == before


def test_reference_data_is_public(anonymous):
    regions = anonymous.get("/regions", kind="federal_subject")
    areas = anonymous.get("/areas")

    assert regions.status_code == 200
    assert {
        "code": "RU-TVE",
        "kind": "federal_subject",
        "name_ru": "Тверская область",
        "name_en": "Tver Oblast",
        "federal_district": "central",
    } in regions.json()
    assert all(r["kind"] == "federal_subject" for r in regions.json())
    assert {"code": "protest-detentions", "parent": "freedom-of-assembly"}.items() <= next(
        a for a in areas.json() if a["code"] == "protest-detentions"
    ).items()
