"""Account writes: users and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khronika.accounts import policies
from khronika.accounts.models import ApiToken, Role, User
from khronika.core.changes import save_record
from khronika.core.errors import NotFound, PermissionDenied, ValidationFailed
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
    user = User(
        username=username, organisation=organisation, role=role, display_name=display_name, email=email
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = [str(m) for m in exc.messages]
    if errors:
        raise ValidationFailed(fields=errors)
    user.set_password(password)
    return save_record(
        user,
        actor=actor,
        operation=ChangeOperation.CREATE,
        changed_fields=["username", "display_name", "email", "organisation", "role"],
    )


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
