"""Group keys and keyrings: who holds an organisation's group key, how members join and leave, and the
private keys one user holds for one request."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khronika.accounts import policies
from khronika.accounts.models import Grant, GroupKey, GroupKeyShare, RecoveryKey, User, UserKey, ValueKey
from khronika.accounts.sealing.base import KeysMissing, _b64, _unb64, forget_on_commit
from khronika.core import crypto
from khronika.core.changes import audit
from khronika.core.errors import ApplicationError

# --- Group keys -----------------------------------------------------------------------------------------


def _protected_readers(organisation_id: Any) -> models.QuerySet[User]:
    return User.objects.filter(
        organisation_id=organisation_id,
        role__in=policies.PROTECTED_READERS,
        deleted_at__isnull=True,
    )


def _public_key_of_user(user_id: Any) -> bytes | None:
    key = UserKey.objects.filter(user_id=user_id).values_list("public_key", flat=True).first()
    return _unb64(key) if key else None


def _make_shares(group_key: GroupKey, private: bytes) -> None:
    """Shares of ``private`` for every current protected reader and recovery key of the organisation;
    a reader without a key pair yet gets a pending share."""
    shares = []
    keys = dict(
        UserKey.objects.filter(user__in=_protected_readers(group_key.organisation_id)).values_list(
            "user_id", "public_key"
        )
    )
    for user_id in _protected_readers(group_key.organisation_id).values_list("pk", flat=True):
        public = keys.get(user_id)
        wrapped = crypto.wrap_key(private, _unb64(public)) if public else ""
        shares.append(GroupKeyShare(group_key=group_key, user_id=user_id, wrapped_private=wrapped))
    for recovery in RecoveryKey.objects.filter(organisation_id=group_key.organisation_id):
        shares.append(
            GroupKeyShare(
                group_key=group_key,
                recovery_key=recovery,
                wrapped_private=crypto.wrap_key(private, _unb64(recovery.public_key)),
            )
        )
    GroupKeyShare.objects.bulk_create(shares)


class NobodyHoldsTheKey(ApplicationError):
    """A value would be sealed for an organisation in which nobody could open it."""

    code = "no_key_holder"
    status = 409
    exit_code = 5


def _no_holder() -> NobodyHoldsTheKey:
    return NobodyHoldsTheKey(
        _(
            "Nobody in the organisation that keeps this record can open protected values, so none can be "
            "stored for it: give one of its users a role that reads them (administrator, coordinator, "
            "lawyer, hotline operator or monitor), or restore access with `khronika keys recover`."
        )
    )


def group_key_for(organisation_id: Any) -> GroupKey:
    """The organisation's group key, made (from public keys alone) the first time a value is sealed for
    it. The private half is wrapped to the members and the recovery key, then forgotten. A value is
    sealed only for a group someone can open: NobodyHoldsTheKey otherwise."""
    existing = GroupKey.objects.filter(organisation_id=organisation_id).first()
    if existing is not None:
        if not existing.shares.exclude(wrapped_private="").exists():
            raise _no_holder()
        return existing
    readers_with_keys = UserKey.objects.filter(user__in=_protected_readers(organisation_id)).exists()
    if not readers_with_keys and not RecoveryKey.objects.filter(organisation_id=organisation_id).exists():
        raise _no_holder()
    pair = crypto.new_key_pair()
    try:
        with transaction.atomic():
            group_key = GroupKey.objects.create(organisation_id=organisation_id, public_key=_b64(pair.public))
            _make_shares(group_key, pair.private)
    except IntegrityError:
        # Another request made it first.
        return GroupKey.objects.get(organisation_id=organisation_id)
    audit(actor=None, action="accounts.group_key.create", fields=[str(organisation_id)])
    return group_key


def membership_sync(user: User) -> None:
    """Keep a user's group shares in step with their organisation and role: a protected reader gets a
    (pending) share of their organisation's group key; anyone else loses theirs, and the group key is
    marked for rotation. Grants of a deleted user are revoked."""
    member_of = (
        user.organisation_id
        if (user.deleted_at is None and user.role in policies.PROTECTED_READERS)
        else None
    )
    for share in GroupKeyShare.objects.filter(user=user).select_related("group_key"):
        if share.group_key.organisation_id != member_of:
            share.delete()
            forget_on_commit()
            GroupKey.objects.filter(pk=share.group_key_id).update(rotation_due=True)
            audit(actor=None, action="accounts.group_key.member_left", instance=user)
    if member_of is not None:
        group_key = GroupKey.objects.filter(organisation_id=member_of).first()
        if group_key is not None:
            GroupKeyShare.objects.get_or_create(
                group_key=group_key, user=user, defaults={"wrapped_private": ""}
            )
    if user.deleted_at is not None:
        ValueKey.objects.filter(user=user).delete()
        Grant.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def user_key_changed(user: User) -> None:
    """After a user's key pair is replaced, what was wrapped to the old one is useless: their group share
    becomes pending (another member or the recovery key makes it again) and their grants' copies go."""
    GroupKeyShare.objects.filter(user=user).update(wrapped_private="")
    ValueKey.objects.filter(user=user).delete()
    # Their grants opened nothing any more: they end, and a member grants the records again.
    Grant.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    membership_sync(user)


def _rotate(group_key: GroupKey, old_private: bytes) -> None:
    """Give the group a new key pair and seal every value it holds again under new data keys: a member
    who left with the old group key, or with data keys opened by it, opens nothing stored from now on."""
    from django.apps import apps

    from khronika.accounts.sealing.values import _reseal

    data_keys: dict[tuple[str, Any], dict[str, bytes]] = defaultdict(dict)
    for copy in ValueKey.objects.filter(group_key=group_key).only("entity", "entity_id", "field", "wrapped"):
        data_keys[(copy.entity, copy.entity_id)][copy.field] = crypto.unwrap_key(copy.wrapped, old_private)
    pair = crypto.new_key_pair()
    GroupKeyShare.objects.filter(group_key=group_key).delete()
    group_key.public_key = _b64(pair.public)
    group_key.rotation_due = False
    group_key.save(update_fields=["public_key", "rotation_due"])
    _make_shares(group_key, pair.private)
    for (entity, entity_id), keys in data_keys.items():
        record = apps.get_model(entity)._default_manager.filter(pk=entity_id).first()
        if record is not None:
            _reseal(record, keys)
    forget_on_commit()
    audit(actor=None, action="accounts.group_key.rotate", fields=[str(group_key.organisation_id)])


def _complete_group(group_key: GroupKey, private: bytes) -> None:
    if group_key.rotation_due:
        _rotate(group_key, private)
        return
    for share in GroupKeyShare.objects.filter(group_key=group_key, wrapped_private="").select_related(
        "recovery_key"
    ):
        if share.recovery_key is not None:
            public: bytes | None = _unb64(share.recovery_key.public_key)
        else:
            public = _public_key_of_user(share.user_id)
        if public is not None:
            share.wrapped_private = crypto.wrap_key(private, public)
            share.save(update_fields=["wrapped_private"])


# --- Keyrings ---------------------------------------------------------------------------------------------


@dataclass
class Keyring:
    """The private keys one user holds for one request: their own, and their groups' once unwrapped."""

    user: User
    private: bytes
    _groups: dict[int, bytes | None] = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        return f"Keyring(user={self.user.pseudonym})"

    def group_private(self, group_key_id: int) -> bytes | None:
        if group_key_id not in self._groups:
            wrapped = (
                GroupKeyShare.objects.filter(group_key_id=group_key_id, user=self.user)
                .exclude(wrapped_private="")
                .values_list("wrapped_private", flat=True)
                .first()
            )
            try:
                self._groups[group_key_id] = crypto.unwrap_key(wrapped, self.private) if wrapped else None
            except crypto.CryptoError:
                self._groups[group_key_id] = None
        return self._groups[group_key_id]

    def data_key(self, copies: Iterable[ValueKey]) -> bytes | None:
        for copy in sorted(copies, key=lambda c: c.user_id is None):
            try:
                if copy.user_id == self.user.pk:
                    return crypto.unwrap_key(copy.wrapped, self.private)
                if copy.group_key_id is not None:
                    private = self.group_private(copy.group_key_id)
                    if private is not None:
                        return crypto.unwrap_key(copy.wrapped, private)
            except crypto.CryptoError:
                continue
        return None


def keyring_for(user: User, private: bytes) -> Keyring:
    return Keyring(user=user, private=private)


def keyring_with_passphrase(user: User, passphrase: str) -> Keyring:
    """A keyring for the command line: the user's passphrase opens their key for this command only."""
    key = UserKey.objects.filter(user=user).first()
    if key is None:
        raise KeysMissing(_("This user has no key yet: they get one when they first sign in."))
    try:
        private = crypto.passphrase_unwrap(key.private_key_wrapped, passphrase)
    except crypto.CryptoError:
        raise KeysMissing(_("The password does not open this user's key.")) from None
    return Keyring(user=user, private=private)


@transaction.atomic
def complete_pending(keyring: Keyring) -> None:
    """What only a holder of a group key can do, done when one is online: shares for new members and the
    recovery key, and a due rotation."""
    for share in (
        GroupKeyShare.objects.filter(user=keyring.user)
        .exclude(wrapped_private="")
        .select_related("group_key")
    ):
        group_key = share.group_key
        if not group_key.rotation_due and not group_key.shares.filter(wrapped_private="").exists():
            continue
        private = keyring.group_private(group_key.pk)
        if private is not None:
            _complete_group(group_key, private)
