"""The second factor: who must have one, whether a session has passed it, and what a user's looks like.

A user proves a sign-in with a time-based code (TOTP, django-otp's ``TOTPDevice``) or with one of ten
single-use recovery codes (a ``StaticDevice`` holding ``StaticToken`` rows). The roles that read
protected data (``policies.PROTECTED_READERS``) must have one; everyone else may. A session counts as
verified once django-otp's ``login`` has put the device that accepted a code into it
(``user.is_verified()``, installed by ``OTPMiddleware``); ``SecondFactorMiddleware`` keeps an unverified
session of a user who has a device, or must have one, to the pages of this step.

Writes (enrolment, verification, new recovery codes, removal, the operator's reset) are services in
``accounts/services.py``; this module holds the rules and the reads they and the interfaces share.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from khronika.accounts import policies
from khronika.accounts.models import User
from khronika.core.errors import ApplicationError, PermissionDenied

MANDATORY_ROLES = policies.PROTECTED_READERS
RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator"
RECOVERY_CODES_NAME = "recovery codes"
TOTP_DIGITS = 6
# An enrolment left half-way gets a new secret after this long, so an old page's QR code stops working.
PENDING_ENROLMENT_LIFETIME = dt.timedelta(minutes=30)


class SecondFactorRequired(PermissionDenied):
    code = "second_factor_required"
    default_message = _("Confirm your sign-in with a code from your authenticator app first.")


class TooManyAttempts(ApplicationError):
    code = "too_many_attempts"
    status = 429
    exit_code = 3
    default_message = _("Too many wrong codes. Wait a little, then try again.")

    @classmethod
    def until(cls, locked_until: dt.datetime | None) -> TooManyAttempts:
        if locked_until is None:
            return cls()
        seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
        return cls(
            _("Too many wrong codes. Wait %(seconds)s seconds, then try again.") % {"seconds": seconds}
        )


def is_mandatory(user: User) -> bool:
    return user.role in MANDATORY_ROLES


def has_device(user: User) -> bool:
    """Whether the user has a confirmed authenticator (recovery codes alone do not count)."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def is_verified(user: Any) -> bool:
    verified = getattr(user, "is_verified", None)
    return bool(verified()) if callable(verified) else False


def must_verify(user: Any) -> bool:
    """Whether a signed-in session may not go on before passing the second factor: it has not passed it,
    and the user either has an authenticator or holds a role that must have one."""
    active = policies.signed_in(user)
    if active is None or is_verified(user):
        return False
    return is_mandatory(active) or has_device(active)


def normalise_totp(code: str) -> str:
    """A code as apps show it ("123 456") without the spaces."""
    return "".join((code or "").split())


def normalise_recovery(code: str) -> str:
    """A recovery code as printed ("abcd-efgh") or typed (" ABCD EFGH "), as stored."""
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def looks_like_totp(code: str) -> bool:
    return len(code) == TOTP_DIGITS and code.isdigit()


def recovery_code_display(token: str) -> str:
    middle = len(token) // 2
    return f"{token[:middle]}-{token[middle:]}"


def new_recovery_tokens() -> list[str]:
    tokens: set[str] = set()
    while len(tokens) < RECOVERY_CODE_COUNT:
        tokens.add(StaticToken.random_token())
    return sorted(tokens)


def secret_text(device: TOTPDevice) -> str:
    """The device's secret in base32, in groups of four, for typing into an app by hand."""
    encoded = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))


@dataclass(frozen=True)
class SecondFactorStatus:
    mandatory: bool
    enrolled: bool
    verified: bool
    enrolled_at: dt.datetime | None
    last_used_at: dt.datetime | None
    recovery_codes_left: int

    @property
    def removable(self) -> bool:
        return self.enrolled and not self.mandatory


def second_factor_status(*, actor: Any) -> SecondFactorStatus:
    """The signed-in user's own second factor: whether it is set and how many recovery codes are left."""
    user = policies.require_user(actor)
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("-id").first()
    left = StaticToken.objects.filter(device__user_id=user.pk, device__confirmed=True).count()
    return SecondFactorStatus(
        mandatory=is_mandatory(user),
        enrolled=device is not None,
        verified=is_verified(actor),
        enrolled_at=device.created_at if device is not None else None,
        last_used_at=device.last_used_at if device is not None else None,
        recovery_codes_left=left,
    )


def pending_enrolment(*, actor: Any) -> TOTPDevice | None:
    """The authenticator the user is setting up and has not confirmed yet, if any."""
    user = policies.require_user(actor)
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("-id").first()
