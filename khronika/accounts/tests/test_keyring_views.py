"""Sign-in unlocks the user's key into two halves; sign-out drops the browser's half; a password change
keeps the key pair and re-wraps it."""

import pytest

from khronika.accounts import keys, services
from khronika.accounts.models import UserKey
from khronika.core.errors import ValidationFailed
from khronika.core.models import ChangeLogEntry
from khronika.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, user, password=TEST_PASSWORD):
    return client.post("/accounts/login/", {"username": user.username, "password": password})


def test_signing_in_puts_one_half_in_the_cookie_and_the_other_in_the_session(client, make_user, org_a):
    user = make_user("editor", org_a)
    response = sign_in(client, user)
    assert response.status_code == 302
    cookie = response.cookies[keys.SESSION_KEY_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    session_half = client.session[keys.SESSION_WRAPPED_KEY]
    assert cookie.value not in session_half

    private = keys.private_key_from_halves(cookie_value=cookie.value, session_value=session_half)
    stored = UserKey.objects.get(user=user)
    assert (
        keys.crypto.unwrap_key(keys.crypto.wrap_key(b"k" * 32, keys.public_key_of(user)), private)
        == b"k" * 32
    )
    assert private.hex() not in stored.private_key_wrapped


def test_signing_out_removes_the_browsers_half(client, make_user, org_a):
    user = make_user("editor", org_a)
    sign_in(client, user)
    response = client.post("/accounts/logout/")
    assert response.cookies[keys.SESSION_KEY_COOKIE].value == ""
    assert keys.SESSION_WRAPPED_KEY not in client.session


def test_a_user_created_through_the_service_has_a_key_that_the_password_opens(org_a):
    user = services.user_create(
        actor=None,
        username="new.lawyer",
        password="a long enough passphrase",
        organisation_id=org_a.id,
        role="lawyer",
    )
    keys.user_key_unlock(user=user, passphrase="a long enough passphrase")
    with pytest.raises(keys.KeyUnavailable):
        keys.user_key_unlock(user=user, passphrase="another long passphrase")


def test_changing_the_password_rewraps_the_same_key(client, make_user, org_a):
    user = make_user("editor", org_a)
    sign_in(client, user)
    public_before = UserKey.objects.get(user=user).public_key
    response = client.post(
        "/accounts/me/password/",
        {
            "current_password": TEST_PASSWORD,
            "new_password": "a brand new passphrase",
            "new_password_again": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    assert UserKey.objects.get(user=user).public_key == public_before
    keys.user_key_unlock(user=user, passphrase="a brand new passphrase")
    with pytest.raises(keys.KeyUnavailable):
        keys.user_key_unlock(user=user, passphrase=TEST_PASSWORD)
    assert client.get("/accounts/me/").status_code == 200  # still signed in


def test_a_wrong_current_password_changes_nothing(client, make_user, org_a):
    user = make_user("editor", org_a)
    sign_in(client, user)
    logs = ChangeLogEntry.objects.count()
    response = client.post(
        "/accounts/me/password/",
        {
            "current_password": "not the password",
            "new_password": "a brand new passphrase",
            "new_password_again": "a brand new passphrase",
        },
    )
    assert response.status_code == 422
    assert "not your current password" in response.content.decode() or "текущий" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD) and ChangeLogEntry.objects.count() == logs
    with pytest.raises(ValidationFailed):
        services.user_password_change(actor=user, current_password=TEST_PASSWORD, new_password="short")


def test_a_key_that_no_longer_opens_is_replaced_at_a_password_change(make_user, org_a):
    user = make_user("editor", org_a, key=False)
    keys.user_key_create(user=user, passphrase="a password set elsewhere long ago")
    old_public = UserKey.objects.get(user=user).public_key
    services.user_password_change(
        actor=user, current_password=TEST_PASSWORD, new_password="a fresh passphrase x"
    )
    assert UserKey.objects.get(user=user).public_key != old_public
    keys.user_key_unlock(user=user, passphrase="a fresh passphrase x")
