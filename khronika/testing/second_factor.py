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


def verified_login(client: Any, user: User) -> Any:
    """``client.force_login(user)``, then the session marked as django-otp's ``login`` leaves it after a
    right code. Returns the client."""
    device = confirmed_authenticator(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
