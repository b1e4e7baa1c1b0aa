"""Grants: one more user may open one record's values; revoking seals them again."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khronika.accounts import policies
from khronika.accounts.models import Grant, User, ValueKey
from khronika.accounts.sealing.base import KeysMissing, entity_of, sealed_field_names
from khronika.accounts.sealing.groups import Keyring, _public_key_of_user
from khronika.accounts.sealing.values import _copies_for, _reseal, require_purpose
from khronika.core import crypto
from khronika.core.changes import audit
from khronika.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from khronika.core.tiers import Tier

# --- Grants ------------------------------------------------------------------------------------------------


def granted_ids(user: Any, model: type[models.Model], ids: Iterable[Any]) -> set[Any]:
    """Which of these records ``user`` holds a live grant for."""
    if not isinstance(user, User):
        return set()
    return set(
        Grant.objects.filter(
            user=user, entity=model._meta.label_lower, entity_id__in=list(ids), revoked_at__isnull=True
        ).values_list("entity_id", flat=True)
    )


def _require_opener(actor: Any, keyring: Keyring | None, instance: models.Model) -> User:
    user = policies.require_user(actor)
    if keyring is None or keyring.user.pk != user.pk:
        raise KeysMissing(_("Sign in again to open protected values."))
    if policies.record_read_ceiling(user, instance) != Tier.PROTECTED:
        raise PermissionDenied()
    return user


def _data_keys(instance: models.Model, keyring: Keyring) -> dict[str, bytes]:
    copies = _copies_for(keyring, [instance]).get((entity_of(instance), instance.pk), [])
    keys: dict[str, bytes] = {}
    for name in sealed_field_names(type(instance)):
        if crypto.is_sealed(getattr(instance, name) or ""):
            data_key = keyring.data_key(c for c in copies if c.field == name)
            if data_key is None:
                raise KeysMissing(_("Your key does not open this record."))
            keys[name] = data_key
    return keys


@transaction.atomic
def access_grant(
    *, actor: Any, keyring: Keyring | None, instance: models.Model, user_id: Any, purpose: str
) -> Grant:
    """Let one more user open the record's protected values. The granting user must be able to open them
    now; the grantee needs a key pair (they have one once they have signed in)."""
    granter = _require_opener(actor, keyring, instance)
    assert keyring is not None
    reason = require_purpose(purpose)
    grantee = User.objects.filter(pk=user_id, deleted_at__isnull=True, is_active=True).first()
    if grantee is None:
        raise NotFound(_("No such active user."))
    public = _public_key_of_user(grantee.pk)
    if public is None:
        raise ValidationFailed(
            fields={"user": [_("This user has no key yet: they get one when they first sign in.")]}
        )
    if Grant.objects.filter(
        entity=entity_of(instance), entity_id=instance.pk, user=grantee, revoked_at__isnull=True
    ).exists():
        raise Conflict(_("This user has access already."))
    keys = _data_keys(instance, keyring)
    grant = Grant.objects.create(
        entity=entity_of(instance), entity_id=instance.pk, user=grantee, purpose=reason, granted_by=granter
    )
    ValueKey.objects.bulk_create(
        ValueKey(
            entity=entity_of(instance),
            entity_id=instance.pk,
            field=name,
            user=grantee,
            wrapped=crypto.wrap_key(data_key, public),
        )
        for name, data_key in keys.items()
    )
    audit(
        actor=granter,
        action="accounts.access.grant",
        instance=instance,  # type: ignore[arg-type]
        fields=[grantee.pseudonym],
        purpose=reason,
    )  # type: ignore[arg-type]
    return grant


@transaction.atomic
def access_revoke(*, actor: Any, keyring: Keyring | None, instance: models.Model, user_id: Any) -> Grant:
    """Take a grant back. The values are sealed again under new keys for the remaining recipients, so a
    copy of the old wrapped key the revoked user may have kept opens nothing stored from now on."""
    revoker = _require_opener(actor, keyring, instance)
    assert keyring is not None
    grant = Grant.objects.filter(
        entity=entity_of(instance), entity_id=instance.pk, user_id=user_id, revoked_at__isnull=True
    ).first()
    if grant is None:
        raise NotFound(_("This user holds no grant on this record."))
    keys = _data_keys(instance, keyring)
    grant.revoked_at = timezone.now()
    grant.revoked_by = revoker
    grant.save(update_fields=["revoked_at", "revoked_by"])
    _reseal(instance, keys)
    audit(actor=revoker, action="accounts.access.revoke", instance=instance, fields=[grant.user.pseudonym])  # type: ignore[arg-type]
    return grant


def grants_of(instance: models.Model) -> list[Grant]:
    return list(
        Grant.objects.filter(entity=entity_of(instance), entity_id=instance.pk, revoked_at__isnull=True)
        .select_related("user", "granted_by")
        .order_by("granted_at")
    )
