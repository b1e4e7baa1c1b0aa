"""Sealing values on save, and opening them with a keyring for a stated purpose."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.translation import gettext as _

from khronika.accounts.models import AccessPurpose, Grant, GroupKey, User, UserKey, ValueKey
from khronika.accounts.sealing.base import (
    SealedValueError,
    _unb64,
    entity_of,
    forget_on_commit,
    sealed_field_names,
    sealed_now,
    steward_of,
)
from khronika.accounts.sealing.groups import (
    Keyring,
    NobodyHoldsTheKey,
    _no_holder,
    _public_key_of_user,
    group_key_for,
    membership_sync,
)
from khronika.core import crypto
from khronika.core.changes import audit
from khronika.core.errors import ValidationFailed

# --- Sealing on save ----------------------------------------------------------------------------------------


@dataclass
class _Pending:
    new_keys: dict[str, bytes] = field(default_factory=dict)
    shred: list[str] = field(default_factory=list)
    recipients: list[tuple[GroupKey | None, uuid.UUID | None, bytes]] = field(default_factory=list)


_PENDING_ATTR = "_khronika_sealing"


def _before_save(
    sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any
) -> None:
    names = sealed_field_names(sender)
    update_fields = kwargs.get("update_fields")
    if not names or raw:
        return
    if update_fields is not None and not set(names) & set(update_fields):
        deciding = {str(getattr(sender, "row_tier_field", "")), "deleted_at"} & set(update_fields)
        if deciding:
            # The tier or the deletion decides whether the values are sealed: save them with it.
            raise SealedValueError(
                _("Save the sealed fields together with %(fields)s.")
                % {"fields": ", ".join(sorted(deciding))}
            )
        return
    pending = _Pending()
    gone = getattr(instance, "deleted_at", None) is not None
    protected_now = set() if gone else set(sealed_now(instance))
    to_seal: list[str] = []
    for name in names:
        value = getattr(instance, name) or ""
        if gone or (name in protected_now and not value):
            pending.shred.append(name)
        elif name in protected_now:
            if not crypto.is_sealed(value):
                to_seal.append(name)
        elif crypto.is_sealed(value):
            raise SealedValueError(
                _("A sealed value can be made less confidential only by entering it again.")
            )
        else:
            pending.shred.append(name)
    if to_seal:
        # Before anything is changed: a value nobody could open is refused, not stored.
        pending.recipients = _recipients(instance)
    for name in to_seal:
        pending.new_keys[name] = crypto.new_data_key()
        setattr(instance, name, crypto.seal(pending.new_keys[name], getattr(instance, name)))
    if gone:
        for name in names:
            setattr(instance, name, "")
    setattr(instance, _PENDING_ATTR, pending)


def _recipients(instance: models.Model) -> list[tuple[GroupKey | None, uuid.UUID | None, bytes]]:
    found: list[tuple[GroupKey | None, uuid.UUID | None, bytes]] = []
    refusal: NobodyHoldsTheKey | None = None
    if isinstance(instance, User):
        # A user's own details are sealed for them too, so their address is stored even before
        # anyone else in their organisation can open it.
        own = _public_key_of_user(instance.pk)
        if own is not None:
            found.append((None, instance.pk, own))
    steward = steward_of(instance)
    if steward is not None:
        try:
            group_key = group_key_for(steward)
            found.append((group_key, None, _unb64(group_key.public_key)))
        except NobodyHoldsTheKey as exc:
            refusal = exc
    for user_id, public in UserKey.objects.filter(
        user__grants__entity=entity_of(instance),
        user__grants__entity_id=instance.pk,
        user__grants__revoked_at__isnull=True,
    ).values_list("user_id", "public_key"):
        found.append((None, user_id, _unb64(public)))
    if not found:
        raise refusal or _no_holder()
    return found


def _wrap_for_recipients(
    instance: models.Model,
    keys: dict[str, bytes],
    recipients: list[tuple[GroupKey | None, uuid.UUID | None, bytes]] | None = None,
) -> None:
    recipients = recipients if recipients is not None else _recipients(instance)
    ValueKey.objects.bulk_create(
        ValueKey(
            entity=entity_of(instance),
            entity_id=instance.pk,
            field=name,
            group_key=group_key,
            user_id=user_id,
            wrapped=crypto.wrap_key(data_key, public),
        )
        for name, data_key in keys.items()
        for group_key, user_id, public in recipients
    )


def _after_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    pending = instance.__dict__.pop(_PENDING_ATTR, None)
    if pending is None or not (pending.new_keys or pending.shred):
        return
    destroyed = ValueKey.objects.filter(
        entity=entity_of(instance), entity_id=instance.pk, field__in=[*pending.new_keys, *pending.shred]
    ).delete()[0]
    if destroyed:
        forget_on_commit()
    if pending.new_keys:
        _wrap_for_recipients(instance, pending.new_keys, pending.recipients)


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    ValueKey.objects.filter(entity=entity_of(instance), entity_id=instance.pk).delete()
    Grant.objects.filter(entity=entity_of(instance), entity_id=instance.pk).delete()
    forget_on_commit()


def _user_saved(sender: type[User], instance: User, raw: bool = False, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if raw or (update_fields is not None and not {"role", "organisation", "deleted_at"} & set(update_fields)):
        return
    membership_sync(instance)


def connect_signals(sealed_models: Iterable[type[models.Model]]) -> None:
    for model in sealed_models:
        uid = f"khronika-sealing-{model._meta.label_lower}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
        post_save.connect(_after_save, sender=model, dispatch_uid=uid)
        post_delete.connect(_after_delete, sender=model, dispatch_uid=uid)
    post_save.connect(_user_saved, sender=User, dispatch_uid="khronika-sealing-membership")


@dataclass(frozen=True)
class SealReport:
    sealed: int
    refused: int


def seal_unsealed(models_: Iterable[type[models.Model]]) -> SealReport:
    """Seal protected values stored in clear by a path around ``save()`` (bulk inserts, or a database
    from before sealing). Rows of an organisation in which nobody can open protected values are left as
    they are and counted as refused."""
    sealed = refused = 0
    for model in models_:
        names = sealed_field_names(model)
        if not names:
            continue
        query = models.Q()
        for name in names:
            query |= ~models.Q(**{name: ""}) & ~models.Q(**{f"{name}__startswith": crypto.PREFIX})
        for instance in model._default_manager.filter(query).iterator():
            clear = {n for n in names if not crypto.is_sealed(getattr(instance, n) or "")}
            if not set(sealed_now(instance)) & clear:
                continue
            try:
                with transaction.atomic():
                    instance.save(update_fields=list(names))
                sealed += 1
            except NobodyHoldsTheKey:
                refused += 1
    return SealReport(sealed=sealed, refused=refused)


# --- Opening --------------------------------------------------------------------------------------------


def require_purpose(purpose: str) -> AccessPurpose:
    try:
        return AccessPurpose(purpose)
    except ValueError:
        raise ValidationFailed(
            fields={
                "purpose": [
                    _("Say why you open it: %(choices)s.") % {"choices": ", ".join(AccessPurpose.values)}
                ]
            }
        ) from None


def _copies_for(keyring: Keyring, instances: Sequence[models.Model]) -> dict[tuple[str, Any], list[ValueKey]]:
    by_record: dict[tuple[str, Any], list[ValueKey]] = defaultdict(list)
    if not instances:
        return by_record
    ids = {instance.pk for instance in instances}
    copies = ValueKey.objects.filter(entity_id__in=ids).filter(
        models.Q(user=keyring.user) | models.Q(group_key__shares__user=keyring.user)
    )
    for copy in copies:
        by_record[(copy.entity, copy.entity_id)].append(copy)
    return by_record


def open_records(
    instances: Sequence[models.Model], *, keyring: Keyring, purpose: str
) -> dict[Any, dict[str, str]]:
    """Open the sealed values of ``instances`` the keyring can open: {pk: {field: value}}. The caller has
    already decided that the reader may see them (policies); the keys decide whether they can. Each record
    opened writes one audit entry with the purpose and the names of the fields opened."""
    reason = require_purpose(purpose)
    copies = _copies_for(keyring, instances)
    opened: dict[Any, dict[str, str]] = {}
    for instance in instances:
        sealed = [
            n for n in sealed_field_names(type(instance)) if crypto.is_sealed(getattr(instance, n) or "")
        ]
        if not sealed:
            continue
        record_copies = copies.get((entity_of(instance), instance.pk), [])
        values: dict[str, str] = {}
        for name in sealed:
            data_key = keyring.data_key(c for c in record_copies if c.field == name)
            if data_key is None:
                continue
            try:
                values[name] = crypto.unseal(data_key, getattr(instance, name))
            except crypto.CryptoError:
                continue
        if values:
            opened[instance.pk] = values
            audit(
                actor=keyring.user,
                action=f"{entity_of(instance)}.open",
                instance=instance,  # type: ignore[arg-type]
                fields=values,
                purpose=str(reason.value),
            )
    return opened


@dataclass(frozen=True)
class Opening:
    """A reader's request to open sealed values: their keyring (None when they have none in this
    request) and why they open them (``AccessPurpose``)."""

    keyring: Keyring | None
    purpose: str


def open_rows(pairs: Sequence[tuple[models.Model, Any]], opening: Opening | None) -> list[Any]:
    """Open the sealed values of projected rows (``(record, row)`` pairs) for an ``Opening``; rows the
    keyring cannot open keep their ``SEALED`` markers. Returns the rows."""
    from khronika.core.projection import open_into, sealed_names

    rows = [row for _record, row in pairs]
    if opening is None or opening.keyring is None:
        return rows
    closed = [record for record, row in pairs if sealed_names(row)]
    opened = open_records(closed, keyring=opening.keyring, purpose=opening.purpose) if closed else {}
    for record, row in pairs:
        if record.pk in opened:
            open_into(row, {k: v for k, v in opened[record.pk].items() if k in sealed_names(row)})
    return rows


def open_record(instance: models.Model, *, keyring: Keyring, purpose: str) -> dict[str, str]:
    return open_records([instance], keyring=keyring, purpose=purpose).get(instance.pk, {})


def _reseal(instance: models.Model, keys: dict[str, bytes]) -> None:
    """Seal the values again under new data keys for the current recipients, without a new version (the
    values did not change)."""
    new_keys: dict[str, bytes] = {}
    columns: dict[str, str] = {}
    for name, old_key in keys.items():
        plain = crypto.unseal(old_key, getattr(instance, name))
        new_keys[name] = crypto.new_data_key()
        columns[name] = crypto.seal(new_keys[name], plain)
    type(instance)._default_manager.filter(pk=instance.pk).update(**columns)
    for name, value in columns.items():
        setattr(instance, name, value)
    ValueKey.objects.filter(entity=entity_of(instance), entity_id=instance.pk, field__in=list(keys)).delete()
    _wrap_for_recipients(instance, new_keys)
    forget_on_commit()
