"""Account writes: users and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from khronika.accounts import keys, policies, second_factor
from khronika.accounts.models import ApiToken, Role, User, UserKey
from khronika.core.changes import audit, save_record
from khronika.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from khronika.core.models import ChangeOperation

TOKEN_PREFIX_LENGTH = 8


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    organisation_id: Any,
    role: str = Role.MEMBER,
    display_name: str = "",
    email: str = "",
) -> User:
    """Create a user. ``actor=None`` is the node operator at the command line; otherwise only an
    administrator, and only for their own organisation."""
    from khronika.directory.models import Organisation

    if actor is not None and not (
        policies.may_manage_users(actor) and str(actor.organisation_id) == str(organisation_id)
    ):
        raise PermissionDenied()
    username = (username or "").strip()
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = [_("Give a username.")]
    elif User.objects.filter(username=username).exists():
        errors["username"] = [_("This username is taken.")]
    if role not in Role.values:
        errors["role"] = [_("Choose one of the roles: %(roles)s.") % {"roles": ", ".join(Role.values)}]
    organisation = Organisation.objects.filter(pk=organisation_id, deleted_at__isnull=True).first()
    if organisation is None:
        errors["organisation"] = [_("No such organisation.")]
    user = User(username=username, organisation=organisation, role=role, display_name=display_name)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = [str(m) for m in exc.messages]
    if email and not _valid_email(email):
        errors["email"] = [_("Enter a valid email address.")]
    if errors:
        raise ValidationFailed(fields=errors)
    user.set_password(password)
    save_record(
        user,
        actor=actor,
        operation=ChangeOperation.CREATE,
        changed_fields=["username", "display_name", "organisation", "role"],
    )
    keys.user_key_create(user=user, passphrase=password)
    if email:
        # After the key: the address is sealed for the user as well as for their organisation's group.
        user.email = email
        user.save(update_fields=["email"])
    return user


@transaction.atomic
def user_password_change(*, actor: User, current_password: str, new_password: str) -> User:
    """Change one's own password. The private key is wrapped again with the new one, so everything
    sealed for the user stays readable; a wrong current password changes nothing."""
    # A fresh row: the actor may be the request's lazy user, which cannot be saved as it is.
    user = User.objects.select_for_update().get(pk=policies.require_user(actor).pk)
    if not user.check_password(current_password):
        raise ValidationFailed(fields={"current_password": [_("This is not your current password.")]})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationFailed(fields={"new_password": [str(m) for m in exc.messages]}) from None
    user.set_password(new_password)
    save_record(user, actor=user, operation=ChangeOperation.UPDATE, changed_fields=["password"])
    if not UserKey.objects.filter(user=user).exists():
        keys.user_key_create(user=user, passphrase=new_password)
        return user
    try:
        keys.user_key_rewrap(user=user, old_passphrase=current_password, new_passphrase=new_password)
    except keys.KeyUnavailable:
        keys.user_key_replace(user=user, passphrase=new_password)
    return user


def _valid_email(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return len(email) <= 254


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor: User | None, user: User, name: str = "", expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """Create a bearer token for ``user``; return it with the raw token, which is never stored."""
    if actor is not None and actor.pk != user.pk and not policies.may_manage_users(actor):
        raise PermissionDenied()
    if expires_in_days is not None and expires_in_days < 1:
        raise ValidationFailed(fields={"expires_in_days": [_("Give a number of days, at least 1.")]})
    raw = "kh_" + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        prefix=raw[:TOKEN_PREFIX_LENGTH],
        token_hash=_hash(raw),
        expires_at=timezone.now() + dt.timedelta(days=expires_in_days) if expires_in_days else None,
    )
    save_record(
        token, actor=actor, operation=ChangeOperation.CREATE, changed_fields=["user", "name", "expires_at"]
    )
    return token, raw


def api_token_authenticate(raw: str) -> User | None:
    """The active user behind a bearer token, or None. Marks the token used (at most once a minute)."""
    if not raw or not raw.startswith("kh_"):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash(raw), revoked_at__isnull=True, deleted_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if policies.signed_in(token.user) is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def api_token_revoke(*, actor: User | None, token_id: Any) -> ApiToken:
    token = ApiToken.objects.select_related("user").filter(pk=token_id, deleted_at__isnull=True).first()
    if token is None:
        raise NotFound(_("No such token."))
    if actor is not None and actor.pk != token.user_id and not policies.may_manage_users(actor):
        raise PermissionDenied()
    token.revoked_at = timezone.now()
    return save_record(token, actor=actor, operation=ChangeOperation.UPDATE, changed_fields=["revoked_at"])


@transaction.atomic
def user_language_set(*, actor: User, language: str) -> User:
    """Keep the interface language a user chose, so that it follows them to their next session."""
    # A fresh row, not the actor: an interface may hand in a lazy or stale copy of the user.
    user = User.objects.get(pk=policies.require_user(actor).pk)
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationFailed(fields={"language": [_("Choose one of the offered languages.")]})
    if user.language == language:
        return user
    user.language = language
    return save_record(user, actor=user, operation=ChangeOperation.UPDATE, changed_fields=["language"])


# --- The second factor (rules and reads in accounts/second_factor.py) ------------------------------------
#
# Checking a code is not one transaction with what a right code allows: django-otp counts a wrong code on
# the device (and makes the next attempt wait), and that count must stay although the service then
# refuses. So ``_device_accepting`` commits its attempt by itself, and the writes come after it.
# These imports sit here, not at the top, because this part was appended to a file others edit too.


second_factor_logger = logging.getLogger("khronika.accounts.second_factor")


def _code_refused(message: str) -> ValidationFailed:
    return ValidationFailed(fields={"code": [message]})


def _device_accepting(user: User, code: str, *, enrolling: bool = False) -> Device:
    """The device of ``user`` that accepts ``code``: the authenticator for six digits, else the recovery
    codes (an accepted recovery code is used up). ``enrolling``: only the authenticator being set up.

    Raises ValidationFailed (field ``code``) for a wrong code, and TooManyAttempts while the device makes
    the user wait after earlier wrong codes. Never call it inside a transaction that the refusal would
    roll back, or the wrong code goes uncounted."""
    digits = second_factor.normalise_totp(code)
    if second_factor.looks_like_totp(digits):
        token = digits
        candidates: Any = TOTPDevice.objects.filter(user_id=user.pk, confirmed=not enrolling)
        wrong = _("This code is not right. Type the code your app shows now, and check the phone's clock.")
    elif enrolling:
        raise _code_refused(_("Type the 6-digit code that your authenticator app shows."))
    else:
        token = second_factor.normalise_recovery(code)
        if not token:
            raise _code_refused(_("Type the 6-digit code from your app, or one of your recovery codes."))
        candidates = StaticDevice.objects.filter(user_id=user.pk, confirmed=True)
        wrong = _("This recovery code is not right, or it has been used already.")
    throttled, locked_until = False, None
    with transaction.atomic():
        device = candidates.select_for_update().order_by("-id").first()
        if device is not None:
            allowed, details = device.verify_is_allowed()
            if not allowed:
                throttled, locked_until = True, (details or {}).get("locked_until")
            elif device.verify_token(token):
                return device  # type: ignore[no-any-return]
    if throttled:
        second_factor_logger.warning("second factor: attempts of %s are throttled", user.pseudonym)
        raise second_factor.TooManyAttempts.until(locked_until)
    raise _code_refused(wrong)


def _recovery_codes_replace(user: User) -> list[str]:
    """New recovery codes in place of the old ones; returns them as shown to the user, once."""
    StaticDevice.objects.filter(user_id=user.pk).delete()
    device = StaticDevice.objects.create(user_id=user.pk, name=second_factor.RECOVERY_CODES_NAME)
    tokens = second_factor.new_recovery_tokens()
    StaticToken.objects.bulk_create(StaticToken(device=device, token=token) for token in tokens)
    return [second_factor.recovery_code_display(token) for token in tokens]


@transaction.atomic
def second_factor_enrolment_begin(*, actor: Any) -> TOTPDevice:
    """The authenticator the user is setting up, not yet confirmed: the one shown to them a moment ago
    (so that reloading the page keeps the QR code they scanned), or one with a new secret."""
    user = policies.require_user(actor)
    if second_factor.has_device(user):
        raise Conflict(_("You have set up a second factor already."))
    stale = timezone.now() - second_factor.PENDING_ENROLMENT_LIFETIME
    TOTPDevice.objects.filter(user_id=user.pk, confirmed=False, created_at__lt=stale).delete()
    pending = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("-id").first()
    if pending is None:
        pending = TOTPDevice.objects.create(
            user_id=user.pk, name=second_factor.AUTHENTICATOR_NAME, confirmed=False
        )
    return pending


def second_factor_enrolment_confirm(*, actor: Any, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator being set up with a first code from it; returns the device and the new
    recovery codes, which are shown once and never again."""
    user = policies.require_user(actor)
    if second_factor.has_device(user):
        raise Conflict(_("You have set up a second factor already."))
    device = _device_accepting(user, code, enrolling=True)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user_id=user.pk).exclude(pk=device.pk).delete()
        codes = _recovery_codes_replace(user)
        audit(actor=user, action="accounts.user.second_factor_enrol", instance=user)
    return device, codes


def second_factor_verify(*, actor: Any, code: str) -> Device:
    """The device that accepts the code the user typed after their password. Using a recovery code is
    audited, so that a user and their administrator can see when one was spent."""
    user = policies.require_user(actor)
    device = _device_accepting(user, code)
    if isinstance(device, StaticDevice):
        audit(actor=user, action="accounts.user.second_factor_recovery_code_use", instance=user)
    return device


def second_factor_recovery_codes_regenerate(*, actor: Any, code: str) -> list[str]:
    """New recovery codes in place of the old ones, for a current code; returns them, shown once."""
    user = policies.require_user(actor)
    if not second_factor.has_device(user):
        raise Conflict(_("Set up a second factor first."))
    _device_accepting(user, code)
    with transaction.atomic():
        codes = _recovery_codes_replace(user)
        audit(actor=user, action="accounts.user.second_factor_recovery_codes_regenerate", instance=user)
    return codes


def second_factor_remove(*, actor: Any, code: str) -> None:
    """Remove the user's own authenticator and recovery codes, for a current code. Roles that must have a
    second factor cannot; a lost phone is the operator's `khronika mfa reset`."""
    user = policies.require_user(actor)
    if second_factor.is_mandatory(user):
        raise PermissionDenied(
            _(
                "Your role must keep a second factor. If you lost your phone, ask the node's operator "
                "to reset it."
            )
        )
    if not second_factor.has_device(user):
        raise Conflict(_("You have no second factor to remove."))
    _device_accepting(user, code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=user.pk).delete()
        StaticDevice.objects.filter(user_id=user.pk).delete()
        audit(actor=user, action="accounts.user.second_factor_remove", instance=user)


@dataclass(frozen=True)
class SecondFactorReset:
    username: str
    authenticators: int
    recovery_codes: int
    mandatory: bool


@transaction.atomic
def user_second_factor_reset(*, actor: User | None, user_id: Any) -> SecondFactorReset:
    """Remove every second-factor device of a user (a lost phone): they set one up again at their next
    sign-in, and their sessions that passed the old one no longer count as verified. ``actor=None`` is
    the node operator; otherwise only an administrator, and only for a user of their organisation."""
    try:
        user_uuid = uuid.UUID(str(user_id))
    except ValueError:
        raise NotFound(_("No such user.")) from None
    user = User.objects.filter(pk=user_uuid, deleted_at__isnull=True).first()
    if user is None:
        raise NotFound(_("No such user."))
    if actor is not None and not (
        policies.may_manage_users(actor) and actor.organisation_id == user.organisation_id
    ):
        raise PermissionDenied()
    result = SecondFactorReset(
        username=user.username,
        authenticators=TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).count(),
        recovery_codes=StaticToken.objects.filter(device__user_id=user.pk).count(),
        mandatory=second_factor.is_mandatory(user),
    )
    TOTPDevice.objects.filter(user_id=user.pk).delete()
    StaticDevice.objects.filter(user_id=user.pk).delete()
    audit(actor=actor, action="accounts.user.second_factor_reset", instance=user)
    return result


@transaction.atomic
def user_sessions_end(*, actor: User | None, user_id: Any) -> int:
    """End every session of a user, on every device, without changing their password; return how many.

    Anyone may end their own sessions; an administrator those of a user of their organisation;
    ``actor=None`` is the node operator. Sessions are found by decoding each row of the session store,
    which costs a pass over all sessions: a node has a few hundred users, so that is a fraction of a
    second. API tokens are credentials of their own and stay valid.
    """
    import uuid as uuid_module

    from khronika.core.changes import audit

    if actor is not None:
        actor = policies.require_user(actor)
    try:
        user_uuid = uuid_module.UUID(str(user_id))
    except ValueError:
        raise NotFound(_("No such user.")) from None
    user = User.objects.filter(pk=user_uuid, deleted_at__isnull=True).first()
    if user is None:
        raise NotFound(_("No such user."))
    own = actor is None or actor.pk == user.pk
    manages = (
        actor is not None
        and policies.may_manage_users(actor)
        and actor.organisation_id == user.organisation_id
    )
    if not (own or manages):
        raise PermissionDenied()
    ended = sessions_end_for(user_ids=[user.pk])
    audit(actor=actor, action="accounts.user.sessions_end", instance=user)
    return ended


@transaction.atomic
def sign_in_records_expire() -> int:
    """Delete what signing in leaves behind once it has served: lockout records whose cool-off has
    passed, any axes access or failure log (Khronika keeps none; a node configured otherwise before
    keeps none either) and expired sessions. Return the number of rows deleted.

    The lockout table holds a username and an address only for failed attempts and only while they can
    still count towards a lockout; axes clears it on every sign-in too, and ``khronika serve`` calls this
    at start-up for the quiet nodes where no one signs in.
    """
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.sessions.models import Session

    now = timezone.now()
    deleted = 0
    for queryset in (
        AccessAttempt.objects.filter(attempt_time__lte=now - settings.AXES_COOLOFF_TIME),
        AccessLog.objects.all(),
        AccessFailureLog.objects.all(),
        Session.objects.filter(expire_date__lte=now),
    ):
        count, _by_model = queryset.delete()
        deleted += count
    return deleted


def sessions_end_for(*, user_ids: list[Any]) -> int:
    """Delete every session of these users; return how many. One pass over the session store."""
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.models import Session

    wanted = {str(user_id) for user_id in user_ids}
    theirs = [
        row.session_key
        for row in Session.objects.only("session_key", "session_data").iterator(chunk_size=500)
        if str(row.get_decoded().get(SESSION_KEY)) in wanted
    ]
    ended, _by_model = Session.objects.filter(session_key__in=theirs).delete()
    return ended


@transaction.atomic
def user_password_reset(*, actor: User | None, user_id: Any, new_password: str) -> User:
    """Set a new password for a user who forgot theirs: the node operator (``actor=None``) or an
    administrator of the user's organisation. Their old key cannot be opened without the old password,
    so they get a new key pair: what was sealed for the old one must be granted again. Every session of
    the user ends."""
    user = User.objects.select_for_update().filter(pk=user_id, deleted_at__isnull=True).first()
    if user is None:
        raise NotFound(_("No such user."))
    if actor is not None and not (
        policies.may_manage_users(actor) and actor.organisation_id == user.organisation_id
    ):
        raise PermissionDenied()
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationFailed(fields={"password": [str(m) for m in exc.messages]}) from None
    user.set_password(new_password)
    save_record(
        user,
        actor=actor,
        operation=ChangeOperation.UPDATE,
        changed_fields=["password"],
        purpose="password reset",
    )
    keys.user_key_replace(user=user, passphrase=new_password)
    sessions_end_for(user_ids=[user.pk])
    return user
