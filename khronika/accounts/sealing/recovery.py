"""The organisation's recovery key, and wiping a node's key material."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khronika.accounts import policies
from khronika.accounts.models import Grant, GroupKey, GroupKeyShare, RecoveryKey, User, UserKey, ValueKey
from khronika.accounts.sealing.base import KeysMissing, _b64, fingerprint, forget_on_commit
from khronika.accounts.sealing.groups import _complete_group, _public_key_of_user
from khronika.core import crypto
from khronika.core.changes import audit
from khronika.core.errors import Conflict, NotFound, ValidationFailed

# --- Recovery --------------------------------------------------------------------------------------------

RECOVERY_FILE_KIND = "khronika-recovery-key-v1"


@dataclass(frozen=True)
class RecoveryFile:
    organisation_id: uuid.UUID
    fingerprint: str
    private: bytes

    def render(self, organisation_name: str) -> str:
        return "\n".join(
            [
                f"# Khronika recovery key of {organisation_name}.",
                "# Whoever holds this file can open every protected value of the organisation.",
                "# Keep it offline, away from the office, in two places; never on the node.",
                f"kind = {RECOVERY_FILE_KIND}",
                f"organisation = {self.organisation_id}",
                f"fingerprint = {self.fingerprint}",
                f"private_key = {_b64(self.private)}",
                "",
            ]
        )

    @classmethod
    def parse(cls, text: str) -> RecoveryFile:
        fields: dict[str, str] = {}
        for line in text.splitlines():
            if line.strip() and not line.lstrip().startswith("#") and "=" in line:
                name, _sep, value = line.partition("=")
                fields[name.strip()] = value.strip()
        try:
            if fields["kind"] != RECOVERY_FILE_KIND:
                raise ValueError(fields["kind"])
            private = base64.b64decode(fields["private_key"], validate=True)
            if len(private) != 32:
                raise ValueError("length")
            return cls(uuid.UUID(fields["organisation"]), fields["fingerprint"], private)
        except (KeyError, ValueError):
            raise ValidationFailed(
                fields={"key_file": [_("This is not a Khronika recovery key file.")]}
            ) from None


@transaction.atomic
def recovery_init(*, organisation_id: Any, replace: bool = False) -> RecoveryFile:
    """Make the organisation's recovery key pair; keep the public half; hand back the private half for the
    operator to take away. The group key is shared with it at once when the group key does not exist yet,
    otherwise as soon as a member who holds the group key is online."""
    existing = RecoveryKey.objects.filter(organisation_id=organisation_id).first()
    if existing is not None:
        if not replace:
            raise Conflict(
                _("This organisation has a recovery key already (%(fingerprint)s).")
                % {"fingerprint": existing.fingerprint}
            )
        existing.delete()
    pair = crypto.new_key_pair()
    recovery = RecoveryKey.objects.create(
        organisation_id=organisation_id, public_key=_b64(pair.public), fingerprint=fingerprint(pair.public)
    )
    group_key = GroupKey.objects.filter(organisation_id=organisation_id).first()
    if group_key is not None:
        GroupKeyShare.objects.create(group_key=group_key, recovery_key=recovery, wrapped_private="")
    audit(actor=None, action="accounts.recovery_key.create", fields=[recovery.fingerprint])
    return RecoveryFile(uuid.UUID(str(organisation_id)), recovery.fingerprint, pair.private)


def recovery_covers(organisation_id: Any) -> bool:
    """Whether the recovery key holds a share of the current group key (or no group key exists yet, so
    the first one will include it)."""
    group_key = GroupKey.objects.filter(organisation_id=organisation_id).first()
    if group_key is None:
        return True
    return group_key.shares.filter(recovery_key__isnull=False).exclude(wrapped_private="").exists()


@transaction.atomic
def recover(*, organisation_id: Any, recovery: RecoveryFile, user_id: Any) -> User:
    """Give ``user`` (a protected reader of the organisation, with a key pair) the group key again with the
    recovery key, and make every other pending share while the group key is in hand."""
    stored = RecoveryKey.objects.filter(organisation_id=organisation_id).first()
    if stored is None or str(recovery.organisation_id) != str(organisation_id):
        raise ValidationFailed(
            fields={"key_file": [_("This file is not the recovery key of this organisation.")]}
        )
    try:
        public = crypto.public_of(recovery.private)
    except crypto.CryptoError:
        public = b""
    if _b64(public) != stored.public_key:
        raise ValidationFailed(
            fields={"key_file": [_("This file is not the current recovery key of this organisation.")]}
        )
    group_key = GroupKey.objects.select_for_update().filter(organisation_id=organisation_id).first()
    if group_key is None:
        raise NotFound(_("Nothing is sealed for this organisation yet: there is nothing to recover."))
    share = group_key.shares.filter(recovery_key=stored).exclude(wrapped_private="").first()
    if share is None:
        raise KeysMissing(
            _(
                "The recovery key does not hold this group's key: it was made after the group key, and no "
                "member who holds the group key has signed in since."
            )
        )
    user = User.objects.filter(pk=user_id, organisation_id=organisation_id, deleted_at__isnull=True).first()
    if user is None or user.role not in policies.PROTECTED_READERS:
        raise ValidationFailed(
            fields={"user": [_("Choose a user of this organisation whose role reads protected values.")]}
        )
    user_public = _public_key_of_user(user.pk)
    if user_public is None:
        raise ValidationFailed(
            fields={"user": [_("This user has no key yet: they get one when they first sign in.")]}
        )
    private = crypto.unwrap_key(share.wrapped_private, recovery.private)
    GroupKeyShare.objects.update_or_create(
        group_key=group_key, user=user, defaults={"wrapped_private": crypto.wrap_key(private, user_public)}
    )
    _complete_group(group_key, private)
    audit(actor=None, action="accounts.recovery_key.recover", instance=user, fields=[stored.fingerprint])
    return user


# --- Wiping ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WipeReport:
    sessions: int
    user_keys: int
    group_shares: int
    grant_copies: int


@transaction.atomic
def wipe_key_material() -> WipeReport:
    """Destroy every key on the node that a member's password opens: the users' wrapped private keys,
    their shares of the group keys, the copies granted to them, and every session. Sealed values stay,
    openable only with an organisation's recovery key file (``khronika keys recover``)."""
    from django.contrib.sessions.models import Session

    sessions = Session.objects.all().delete()[0]
    grant_copies = ValueKey.objects.filter(user__isnull=False).delete()[0]
    Grant.objects.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    # Members keep their place in the group, with shares to be made again from the recovery key.
    shares = (
        GroupKeyShare.objects.filter(user__isnull=False)
        .exclude(wrapped_private="")
        .update(wrapped_private="")
    )
    user_keys = UserKey.objects.all().delete()[0]
    forget_on_commit()
    audit(actor=None, action="accounts.keys.wipe")
    return WipeReport(sessions=sessions, user_keys=user_keys, group_shares=shares, grant_copies=grant_copies)
