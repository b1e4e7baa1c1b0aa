"""What every part of sealing shares: its errors, which fields are sealed, whose group seals them, and
forgetting destroyed keys."""

from __future__ import annotations

import base64
import hashlib
import uuid

from django.db import models, transaction

from khronika.accounts import policies
from khronika.accounts.models import User
from khronika.core.errors import ApplicationError
from khronika.core.tiers import Tier, field_tier


class SealedValueError(ApplicationError):
    """A sealed value cannot be changed without being opened (its tier lowered, say)."""

    code = "sealed_value"
    status = 409
    exit_code = 5


class KeysMissing(ApplicationError):
    """No key in hand opens what was asked: a missing keyring half, a wrong password, a record the key
    was never given."""

    code = "key_unavailable"
    status = 403
    exit_code = 3


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text)


def fingerprint(public: bytes) -> str:
    """A short, stable name for a public key, safe to print and to compare by eye."""
    digest = hashlib.sha256(public).hexdigest()[:24]
    return "-".join(digest[i : i + 4] for i in range(0, 24, 4))


# --- Which fields are sealed ------------------------------------------------------------------------------


def sealed_field_names(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(getattr(model, "sealed_fields", ()))


def sealed_now(instance: models.Model) -> list[str]:
    """The sealed fields of ``instance`` that are protected as the row stands (row tier included)."""
    return [
        name for name in sealed_field_names(type(instance)) if field_tier(instance, name) is Tier.PROTECTED
    ]


def entity_of(instance: models.Model) -> str:
    return instance._meta.label_lower


def steward_of(instance: models.Model) -> uuid.UUID | None:
    """The organisation whose group key is a recipient of the record's sealed values."""
    if isinstance(instance, User):
        return instance.organisation_id  # type: ignore[no-any-return]
    policy = policies.model_policy(type(instance))
    if policy is None or policy.steward_of is None:
        return None
    return policy.steward_of(instance)


# --- Forgetting -----------------------------------------------------------------------------------------


def forget_on_commit() -> None:
    """After keys were destroyed: once the transaction commits, empty SQLite's write-ahead log, which
    still holds the deleted rows (``secure_delete`` clears them from the database file only). Best
    effort: a checkpoint that another connection blocks is finished by a later one."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return

    def checkpoint() -> None:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    transaction.on_commit(checkpoint)


def sealed_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [model for model in apps.get_models() if sealed_field_names(model)]


def grantable_model(label: str) -> type[models.Model] | None:
    """The model named ``label`` (``directory.contactpoint``) if its records keep sealed values that can
    be granted: a stewarded record, not a user's own details."""
    from django.apps import apps

    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    return model if sealed_field_names(model) and model is not User else None


def grantable_labels() -> list[str]:
    return sorted(model._meta.label_lower for model in sealed_models() if model is not User)
