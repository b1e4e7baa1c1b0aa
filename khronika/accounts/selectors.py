"""Account reads."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from khronika.accounts.models import User
from khronika.core import crypto
from khronika.core.errors import NotFound, PermissionDenied
from khronika.core.projection import Projection


def user_by_username(username: str) -> User:
    user = (
        User.objects.select_related("organisation").filter(username=username, deleted_at__isnull=True).first()
    )
    if user is None:
        raise NotFound(_("No user has this username."))
    return user


def record_access(*, actor: Any, entity: str, entity_id: Any) -> Projection:
    """Who may open one record's sealed values besides its organisation's group: for a member who can
    open them (PermissionDenied otherwise). Names the record by its kind and id, never by a sealed value."""
    from khronika.accounts import policies, sealing
    from khronika.core.records import live_record
    from khronika.core.tiers import Tier

    model = sealing.grantable_model(entity)
    if model is None:
        raise NotFound()
    record = live_record(model, entity_id)
    user = policies.require_user(actor)
    if policies.record_read_ceiling(user, record) != Tier.PROTECTED:
        raise PermissionDenied()
    return Projection(
        entity=entity,
        entity_id=record.pk,
        kind=str(model._meta.verbose_name),
        sealed=[n for n in sealing.sealed_field_names(model) if crypto.is_sealed(getattr(record, n) or "")],
        grants=sealing.grants_of(record),
        record=record,
    )


# --- Keys, for the node operator (`khronika keys status`) ---------------------------------------------------


@dataclass(frozen=True)
class Waiting:
    username: str
    has_key: bool


@dataclass(frozen=True)
class KeyState:
    """What the node operator may see of an organisation's keys: fingerprints, counts and usernames."""

    organisation_id: uuid.UUID
    organisation: str
    group_key: str | None
    holders: int
    waiting: list[Waiting]
    rotation_due: bool
    recovery_key: str | None
    recovery_covers: bool


def key_state(organisation_id: Any, name: str) -> KeyState:
    """For the node operator: the organisation's group key and recovery key, as fingerprints, and who
    holds the group key or waits for it. No key material, no value."""
    from khronika.accounts import sealing
    from khronika.accounts.models import GroupKey, GroupKeyShare, RecoveryKey, UserKey
    from khronika.accounts.policies import PROTECTED_READERS

    group_key = GroupKey.objects.filter(organisation_id=organisation_id).first()
    recovery = RecoveryKey.objects.filter(organisation_id=organisation_id).first()
    holding: set[Any] = set()
    waiting: list[Waiting] = []
    if group_key is not None:
        holding = set(
            GroupKeyShare.objects.filter(group_key=group_key, user__isnull=False)
            .exclude(wrapped_private="")
            .values_list("user_id", flat=True)
        )
        readers = User.objects.filter(
            organisation_id=organisation_id, role__in=PROTECTED_READERS, deleted_at__isnull=True
        ).order_by("username")
        with_keys = set(UserKey.objects.filter(user__in=readers).values_list("user_id", flat=True))
        waiting = [
            Waiting(username=user.username, has_key=user.pk in with_keys)
            for user in readers.only("pk", "username")
            if user.pk not in holding
        ]
    return KeyState(
        organisation_id=uuid.UUID(str(organisation_id)),
        organisation=name,
        group_key=sealing.fingerprint(base64.b64decode(group_key.public_key)) if group_key else None,
        holders=len(holding),
        waiting=waiting,
        rotation_due=bool(group_key and group_key.rotation_due),
        recovery_key=recovery.fingerprint if recovery else None,
        recovery_covers=recovery is not None and sealing.recovery_covers(organisation_id),
    )


def organisations_with_keys() -> list[tuple[Any, str]]:
    from django.db.models import Q

    from khronika.directory.models import Organisation

    return list(
        Organisation.objects.filter(Q(group_keys__isnull=False) | Q(recovery_keys__isnull=False))
        .distinct()
        .order_by("name_ru")
        .values_list("pk", "name_ru")
    )
