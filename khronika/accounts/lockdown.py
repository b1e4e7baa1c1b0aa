"""Panic: lock every account of an organisation and end its sessions at once.

From the command line (``khronika panic --group G``) the node operator acts alone: whoever holds the
server holds the node anyway. In the web interface one coordinator asks and a second, different one
confirms within an hour (``lockdown_request`` then ``lockdown_confirm``): an account in the wrong hands
cannot lock a group out by itself. A lockdown disables the accounts (which ends their sessions at the
next request, and the sessions are deleted as well), revokes their API tokens, and is audited; lifting
it re-enables exactly the accounts it locked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from khronika.accounts import policies
from khronika.accounts.models import ApiToken, Lockdown, Role, User
from khronika.accounts.services import sessions_end_for
from khronika.core.changes import save_record
from khronika.core.errors import Conflict, PermissionDenied, ValidationFailed
from khronika.core.models import ChangeOperation
from khronika.core.records import live_record

REQUEST_LIFETIME = dt.timedelta(hours=1)
CALLERS = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})


def may_call_lockdown(actor: Any, organisation_id: Any) -> bool:
    """Coordinators and administrators of the organisation, and coordinators of the network."""
    user = policies.signed_in(actor)
    if user is None or user.role not in CALLERS:
        return False
    return str(user.organisation_id) == str(organisation_id) or user.role == Role.COORDINATOR


def _organisation(organisation_id: Any) -> Any:
    from khronika.directory.models import Organisation

    return live_record(Organisation, organisation_id)


def _execute(lockdown: Lockdown, *, actor: User | None) -> Lockdown:
    """Lock the accounts, revoke their tokens, end their sessions; record which accounts were locked."""
    now = timezone.now()
    users = list(
        User.objects.filter(organisation_id=lockdown.organisation_id, deleted_at__isnull=True, is_active=True)
    )
    for user in users:
        user.is_active = False
        save_record(
            user,
            actor=actor,
            operation=ChangeOperation.UPDATE,
            changed_fields=["is_active"],
            purpose="lockdown",
        )
    tokens = ApiToken.objects.filter(user__in=users, revoked_at__isnull=True, deleted_at__isnull=True)
    for token in tokens:
        token.revoked_at = now
        save_record(
            token,
            actor=actor,
            operation=ChangeOperation.UPDATE,
            changed_fields=["revoked_at"],
            purpose="lockdown",
        )
    sessions_end_for(user_ids=[user.pk for user in users])
    lockdown.confirmed_at = now
    lockdown.locked_users = [str(user.pk) for user in users]
    return save_record(
        lockdown,
        actor=actor,
        operation=ChangeOperation.UPDATE,
        changed_fields=["confirmed_at", "locked_users"],
        purpose="lockdown",
    )


@transaction.atomic
def organisation_lockdown(*, actor: None, organisation_id: Any, reason: str = "") -> Lockdown:
    """The node operator's lockdown, at once (``khronika panic``)."""
    organisation = _organisation(organisation_id)
    lockdown = Lockdown(organisation=organisation, reason=reason[:300], expires_at=timezone.now())
    save_record(lockdown, actor=actor, operation=ChangeOperation.CREATE, changed_fields=["organisation"])
    return _execute(lockdown, actor=actor)


@transaction.atomic
def lockdown_request(*, actor: User, organisation_id: Any, reason: str = "") -> Lockdown:
    """A first coordinator asks for a lockdown; nothing is locked until a second one confirms."""
    organisation = _organisation(organisation_id)
    if not may_call_lockdown(actor, organisation.pk):
        raise PermissionDenied()
    if open_lockdown_requests().filter(organisation=organisation).exists():
        raise Conflict(_("A lockdown of this organisation is already waiting for confirmation."))
    lockdown = Lockdown(
        organisation=organisation,
        requested_by=actor,
        reason=(reason or "")[:300],
        expires_at=timezone.now() + REQUEST_LIFETIME,
    )
    return save_record(
        lockdown, actor=actor, operation=ChangeOperation.CREATE, changed_fields=["organisation", "reason"]
    )


def _open_request(lockdown_id: Any) -> Lockdown:
    lockdown = live_record(Lockdown, lockdown_id, for_update=True)
    if lockdown.confirmed_at or lockdown.cancelled_at:
        raise Conflict(_("This lockdown request was already confirmed or cancelled."))
    if lockdown.expires_at <= timezone.now():
        raise Conflict(_("This lockdown request expired; ask again if it is still needed."))
    return lockdown


@transaction.atomic
def lockdown_confirm(*, actor: User, lockdown_id: Any) -> Lockdown:
    """A second, different coordinator confirms: the accounts are locked now."""
    lockdown = _open_request(lockdown_id)
    if not may_call_lockdown(actor, lockdown.organisation_id):
        raise PermissionDenied()
    if lockdown.requested_by_id == actor.pk:
        raise PermissionDenied(_("A second coordinator must confirm; you asked for this lockdown."))
    lockdown.confirmed_by = actor
    return _execute(lockdown, actor=actor)


@transaction.atomic
def lockdown_cancel(*, actor: User, lockdown_id: Any) -> Lockdown:
    lockdown = _open_request(lockdown_id)
    if not may_call_lockdown(actor, lockdown.organisation_id):
        raise PermissionDenied()
    lockdown.cancelled_at = timezone.now()
    return save_record(
        lockdown, actor=actor, operation=ChangeOperation.UPDATE, changed_fields=["cancelled_at"]
    )


@transaction.atomic
def lockdown_lift(*, actor: None, organisation_id: Any) -> Lockdown:
    """The node operator re-enables the accounts the last lockdown of the organisation locked."""
    organisation = _organisation(organisation_id)
    lockdown = (
        Lockdown.objects.select_for_update()
        .filter(organisation=organisation, confirmed_at__isnull=False, lifted_at__isnull=True)
        .order_by("-confirmed_at")
        .first()
    )
    if lockdown is None:
        raise ValidationFailed(_("This organisation is not locked down."))
    for user in User.objects.filter(pk__in=lockdown.locked_users, deleted_at__isnull=True):
        user.is_active = True
        save_record(
            user,
            actor=actor,
            operation=ChangeOperation.UPDATE,
            changed_fields=["is_active"],
            purpose="lockdown lifted",
        )
    lockdown.lifted_at = timezone.now()
    return save_record(lockdown, actor=actor, operation=ChangeOperation.UPDATE, changed_fields=["lifted_at"])


def open_lockdown_requests() -> QuerySet[Lockdown]:
    return Lockdown.objects.filter(
        confirmed_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("organisation", "requested_by")


def lockdown_targets(*, actor: Any) -> list[Any]:
    """The organisations with accounts that ``actor`` may ask to lock down."""
    from khronika.directory.models import Organisation

    user = policies.signed_in(actor)
    if user is None or user.role not in CALLERS:
        return []
    with_accounts = Organisation.objects.filter(deleted_at__isnull=True, users__isnull=False).distinct()
    if user.role != Role.COORDINATOR:
        with_accounts = with_accounts.filter(pk=user.organisation_id)
    return list(with_accounts.order_by("name_ru"))
