"""Users' key pairs: created with the account, unlocked at sign-in, re-wrapped on a passphrase change.

A user's passphrase is their sign-in password. At sign-in the private key is unlocked with it and split
into two halves (``core.crypto.session_wrap``): the browser keeps the session key in a cookie of its
own, the server keeps the wrapped private key in the session. A request that carries both can open what
the user may read; the server alone, or a copy of it, cannot.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khronika.accounts import sealing
from khronika.accounts.models import User, UserKey
from khronika.core import crypto
from khronika.core.changes import audit
from khronika.core.errors import ApplicationError

# Where the halves live: a cookie in the browser, a key in the server's session.
SESSION_KEY_COOKIE = "khronika_keyring"
SESSION_WRAPPED_KEY = "keyring"


# A key that is not there or does not open: one error, raised here and by sealing.
KeyUnavailable = sealing.KeysMissing


def argon2_cost() -> crypto.Argon2Cost:
    """libsodium's interactive cost (64 MiB, two passes) unless the settings say otherwise (tests)."""
    configured = getattr(settings, "KHRONIKA_ARGON2_COST", None)
    if configured is not None:
        return crypto.Argon2Cost(*configured)
    import nacl.pwhash

    return crypto.Argon2Cost(
        nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE, nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE
    )


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def public_key_of(user: User) -> bytes:
    return base64.b64decode(user.key.public_key)


@transaction.atomic
def user_key_create(*, user: User, passphrase: str) -> UserKey:
    """Give ``user`` a key pair, the private half wrapped by ``passphrase``. Replaces no existing key."""
    if UserKey.objects.filter(user=user).exists():
        raise ApplicationError(_("This user has a key already."))
    pair = crypto.new_key_pair()
    key = UserKey.objects.create(
        user=user,
        public_key=_b64(pair.public),
        private_key_wrapped=crypto.passphrase_wrap(pair.private, passphrase, argon2_cost()),
    )
    audit(actor=None, action="accounts.user_key.create", instance=user)
    # A protected reader takes their place in the group key (a share to be made by a member online).
    sealing.membership_sync(user)
    return key


@transaction.atomic
def user_key_rewrap(*, user: User, old_passphrase: str, new_passphrase: str) -> UserKey:
    """Wrap the private key with a new passphrase (after a password change). The key pair stays, so
    nothing sealed for the user needs re-sealing."""
    key = UserKey.objects.select_for_update().get(user=user)
    try:
        private = crypto.passphrase_unwrap(key.private_key_wrapped, old_passphrase)
    except crypto.CryptoError:
        raise KeyUnavailable(_("The current password does not open your key.")) from None
    key.private_key_wrapped = crypto.passphrase_wrap(private, new_passphrase, argon2_cost())
    key.rewrapped_at = timezone.now()
    key.save(update_fields=["private_key_wrapped", "rewrapped_at"])
    audit(actor=user, action="accounts.user_key.rewrap", instance=user)
    return key


@transaction.atomic
def user_key_replace(*, user: User, passphrase: str) -> UserKey:
    """Give ``user`` a new key pair when the old one can no longer be opened (its password was set
    without re-wrapping it). What was sealed for the old key must be granted to the user again."""
    UserKey.objects.filter(user=user).delete()
    key = user_key_create(user=user, passphrase=passphrase)
    sealing.user_key_changed(user)
    audit(actor=user, action="accounts.user_key.replace", instance=user)
    return key


@dataclass(frozen=True)
class SessionHalves:
    cookie_value: str
    session_value: str


def user_key_unlock(*, user: User, passphrase: str) -> SessionHalves:
    """At sign-in: unlock the private key (creating the key pair on first sign-in of an account made
    before keys existed) and split it into the cookie half and the session half."""
    key = UserKey.objects.filter(user=user).first() or user_key_create(user=user, passphrase=passphrase)
    try:
        private = crypto.passphrase_unwrap(key.private_key_wrapped, passphrase)
    except crypto.CryptoError:
        raise KeyUnavailable(_("The password does not open your key.")) from None
    # A member online with their key makes what the server could not: shares of the group key for new
    # members and the recovery key, and a rotation after a member left.
    sealing.complete_pending(sealing.keyring_for(user, private))
    cookie_value, session_value = crypto.session_wrap(private)
    return SessionHalves(cookie_value=cookie_value, session_value=session_value)


def private_key_from_halves(*, cookie_value: str | None, session_value: str | None) -> bytes:
    """The private key of the signed-in user, for this request only; KeyUnavailable if a half is missing
    (a session from before sign-in unlocked keys, a cookie that expired, a copied session store)."""
    if not cookie_value or not session_value:
        raise KeyUnavailable(_("Sign in again to open protected values."))
    try:
        return crypto.session_unwrap(cookie_value, session_value)
    except crypto.CryptoError:
        raise KeyUnavailable(_("Sign in again to open protected values.")) from None


def request_keyring(request: Any) -> sealing.Keyring | None:
    """The signed-in user's keyring for this request, or None when a half is missing (an API token, a
    session from before keys, an expired cookie, a copied session store)."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    try:
        private = private_key_from_halves(
            cookie_value=request.COOKIES.get(SESSION_KEY_COOKIE),
            session_value=request.session.get(SESSION_WRAPPED_KEY) if hasattr(request, "session") else None,
        )
    except KeyUnavailable:
        return None
    return sealing.keyring_for(user, private)


def request_opening(request: Any, *, actor: Any = None, purpose: str | None = None) -> sealing.Opening | None:
    """What a request asks to open: None unless it names a purpose (``?purpose=``); a purpose not on the
    list is a ValidationFailed. The keyring is None when the request carries none, or when it belongs to
    someone other than ``actor`` (an API token's user, when the browser also holds a session)."""
    purpose = request.GET.get("purpose", "") if purpose is None else purpose
    if not purpose:
        return None
    sealing.require_purpose(purpose)
    keyring = request_keyring(request)
    if keyring is not None and actor is not None and keyring.user.pk != actor.pk:
        keyring = None
    return sealing.Opening(keyring=keyring, purpose=purpose)
