"""Opening sealed values in tests, as a signed-in user would.

A protected reader who joins after their organisation's group key was made holds only a pending share
of it until a member who holds the key signs in (accounts/sealing.py, ``complete_pending``). Tests that
open values as such a user first let the organisation's members "sign in" with the factories' password.
"""

from __future__ import annotations

from typing import Any

from khronika.accounts import sealing
from khronika.accounts.models import GroupKey, GroupKeyShare, User, UserKey
from khronika.accounts.policies import PROTECTED_READERS
from khronika.testing.factories import TEST_PASSWORD


def members_sign_in(organisation_id: Any, *, password: str = TEST_PASSWORD) -> None:
    """Every protected reader of the organisation whose key opens with ``password`` completes what the
    server could not do alone: shares for new members, the recovery key, a due rotation."""
    waiting = GroupKeyShare.objects.filter(group_key__organisation_id=organisation_id, wrapped_private="")
    if (
        not waiting.exists()
        and not GroupKey.objects.filter(organisation_id=organisation_id, rotation_due=True).exists()
    ):
        return
    readers = User.objects.filter(
        organisation_id=organisation_id, role__in=PROTECTED_READERS, deleted_at__isnull=True
    )
    for user in readers:
        if UserKey.objects.filter(user=user).exists():
            try:
                sealing.complete_pending(sealing.keyring_with_passphrase(user, password))
            except sealing.KeysMissing:
                continue


def keyring_for(user: User, *, password: str = TEST_PASSWORD) -> sealing.Keyring:
    members_sign_in(user.organisation_id, password=password)
    return sealing.keyring_with_passphrase(user, password)


def opening_for(user: User, *, purpose: str = "verify", password: str = TEST_PASSWORD) -> sealing.Opening:
    """What a selector needs to open values as ``user`` would, for ``purpose``."""
    return sealing.Opening(keyring=keyring_for(user, password=password), purpose=purpose)


def opened(instance: Any, user: User, *, purpose: str = "verify") -> dict[str, str]:
    """The sealed values of ``instance`` that ``user``'s key opens."""
    return sealing.open_record(instance, keyring=keyring_for(user), purpose=purpose)
