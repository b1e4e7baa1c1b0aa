"""Sealed protected values: who can open them, and how they are sealed, opened, granted and destroyed.

The package: ``base`` (errors, which fields are sealed, forgetting destroyed keys), ``groups`` (group keys,
membership, keyrings), ``values`` (sealing on save, opening), ``grants`` and ``recovery`` (the recovery key
and wiping a node). Callers import from the package: ``from khronika.accounts import sealing``.

The scheme (README, "Security model"):

- A model lists the fields it keeps sealed in ``sealed_fields``. Whenever such a field is of the protected
  tier (always, or when its row is protected), saving the record seals the value with a fresh random data
  key; the column holds only ciphertext. Sealing happens in a ``pre_save`` signal, so no code path that
  saves a model can store the value in clear; ``seal_unsealed`` catches rows written around ``save()``.
- The data key is wrapped to the recipients of the record: the steward organisation's *group key* and
  every user *granted* the record. Wrapped copies are ``ValueKey`` rows. Writing needs public keys only.
- A group key's private half is stored only wrapped, to each protected reader of the organisation and to
  its recovery key (``GroupKeyShare``). The server can make a share only with the private key in hand,
  so a share it cannot make yet is left *pending* and made by the next member who is online with their
  key (``complete_pending``, at sign-in).
- A request opens values with a ``Keyring``: the user's private key, rebuilt for that request from the
  two halves in the session and the cookie (accounts/keys.py). Every opening writes an audit entry with a
  purpose from a fixed list.
- Clearing a value, lowering its tier or deleting its record deletes every wrapped copy of its key.
  Revoking a grant seals the values again under new keys for the remaining recipients. A member leaving
  the group marks its key for rotation: the next member online replaces the group key pair, rewraps
  every data key and destroys the old shares.
"""

from khronika.accounts.sealing.base import (
    KeysMissing,
    SealedValueError,
    entity_of,
    fingerprint,
    forget_on_commit,
    grantable_labels,
    grantable_model,
    sealed_field_names,
    sealed_models,
    sealed_now,
    steward_of,
)
from khronika.accounts.sealing.grants import access_grant, access_revoke, granted_ids, grants_of
from khronika.accounts.sealing.groups import (
    Keyring,
    NobodyHoldsTheKey,
    complete_pending,
    group_key_for,
    keyring_for,
    keyring_with_passphrase,
    membership_sync,
    user_key_changed,
)
from khronika.accounts.sealing.recovery import (
    RecoveryFile,
    WipeReport,
    recover,
    recovery_covers,
    recovery_init,
    wipe_key_material,
)
from khronika.accounts.sealing.values import (
    Opening,
    SealReport,
    connect_signals,
    open_record,
    open_records,
    open_rows,
    require_purpose,
    seal_unsealed,
)

__all__ = [
    "Keyring",
    "KeysMissing",
    "NobodyHoldsTheKey",
    "Opening",
    "RecoveryFile",
    "SealReport",
    "SealedValueError",
    "WipeReport",
    "access_grant",
    "access_revoke",
    "complete_pending",
    "connect_signals",
    "entity_of",
    "fingerprint",
    "forget_on_commit",
    "grantable_labels",
    "grantable_model",
    "granted_ids",
    "grants_of",
    "group_key_for",
    "keyring_for",
    "keyring_with_passphrase",
    "membership_sync",
    "open_record",
    "open_records",
    "open_rows",
    "recover",
    "recovery_covers",
    "recovery_init",
    "require_purpose",
    "seal_unsealed",
    "sealed_field_names",
    "sealed_models",
    "sealed_now",
    "steward_of",
    "user_key_changed",
    "wipe_key_material",
]
