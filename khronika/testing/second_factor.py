"""Signing a test client in as a user who has passed the second factor.

``client.force_login(user)`` signs a user in without the second factor, as a password alone would: a
user whose role must have one (``accounts.second_factor.MANDATORY_ROLES``) is then sent to the
second-factor step by every staff page. Tests of what such a user sees sign in with ``verified_login``.
"""

from __future__ import annotations

from typing import Any

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from khronika.accounts.models import User
from khronika.accounts.second_factor import AUTHENTICATOR_NAME


def confirmed_authenticator(user: User) -> TOTPDevice:
    """The user's confirmed authenticator, set up for them if they have none."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user_id=user.pk, name=AUTHENTICATOR_NAME, confirmed=True)
    return device


def verified_login(client: Any, user: User, *, password: str | None = None) -> Any:
    """``client.force_login(user)``, then the session marked as django-otp's ``login`` leaves it after a
    right code, and the user's keyring unlocked as at sign-in (with the factories' password unless told
    otherwise; a user without a key gets none). Returns the client."""
    device = confirmed_authenticator(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    unlock_keyring(client, user, password=password)
    return client


def unlock_keyring(client: Any, user: User, *, password: str | None = None) -> bool:
    """Put the two halves of the user's keyring into a signed-in test client: the wrapped key into the
    session, the session key into the cookie. False if the password does not open a key."""
    from khronika.accounts import keys
    from khronika.testing.factories import TEST_PASSWORD
    from khronika.testing.keys import members_sign_in

    if not keys.UserKey.objects.filter(user=user).exists():
        return False
    members_sign_in(user.organisation_id)
    try:
        halves = keys.user_key_unlock(user=user, passphrase=password or TEST_PASSWORD)
    except keys.KeyUnavailable:
        return False
    session = client.session
    session[keys.SESSION_WRAPPED_KEY] = halves.session_value
    session.save()
    client.cookies[keys.SESSION_KEY_COOKIE] = halves.cookie_value
    return True
