"""The base of every Khronika record, the change log and the audit log."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language

from khronika.core.tiers import internal, network, public


def current_node_id() -> str:
    return str(settings.NODE_ID)


def localised_name(obj: Any) -> str:
    """A record's ``name_en`` for a reader of English, else (or when it has none) its ``name_ru``."""
    english = (get_language() or "").startswith("en")
    return (obj.name_en if english and obj.name_en else obj.name_ru) or obj.name_en


class Record(models.Model):
    """UUID key, UTC times, origin node, version counter and soft-delete tombstone.

    Rows are written only by services (``core.changes.record_change``), which keep ``version`` and the
    change log in step.
    """

    id = public(models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False))
    created_at = network(models.DateTimeField(default=timezone.now, editable=False))
    updated_at = network(models.DateTimeField(default=timezone.now, editable=False))
    origin_node = network(models.CharField(max_length=64, default=current_node_id, editable=False))
    version = network(models.PositiveIntegerField(default=0, editable=False))
    deleted_at = network(models.DateTimeField(null=True, blank=True, editable=False))

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class ChangeOperation(models.TextChoices):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class ChangeLogEntry(models.Model):
    """One row per change of any record, written in the transaction of the change.

    The payload holds the record's public, network and internal values; protected values never enter it.
    The search indexer and the sync exporter follow ``seq`` with cursors of their own.
    """

    seq = internal(models.BigAutoField(primary_key=True))
    entity = internal(models.CharField(max_length=100))
    entity_id = internal(models.UUIDField())
    version = internal(models.PositiveIntegerField())
    operation = internal(models.CharField(max_length=10, choices=ChangeOperation.choices))
    origin_node = internal(models.CharField(max_length=64))
    changed_fields = internal(models.JSONField(default=list))
    payload = internal(models.JSONField(default=dict))
    recorded_at = internal(models.DateTimeField(default=timezone.now))

    class Meta:
        indexes = [models.Index(fields=["entity", "entity_id", "version"])]

    def __str__(self) -> str:
        return f"{self.entity} {self.entity_id} v{self.version}"


class AuditEntry(models.Model):
    """Who did what: a pseudonymous actor, the action, the record, the names (never values) of fields.

    Append-only and hash-chained: written only by ``core.audit.audit_append``, checked by
    ``core.audit.audit_verify``."""

    seq = internal(models.BigAutoField(primary_key=True))
    at = internal(models.DateTimeField(default=timezone.now))
    actor = internal(models.CharField(max_length=64))
    action = internal(models.CharField(max_length=100))
    entity = internal(models.CharField(max_length=100))
    entity_id = internal(models.UUIDField(null=True))
    fields = internal(models.JSONField(default=list))
    purpose = internal(models.CharField(max_length=300, blank=True))
    previous_hash = internal(models.CharField(max_length=64, default="", editable=False))
    entry_hash = internal(models.CharField(max_length=64, default="", editable=False))

    class Meta:
        indexes = [models.Index(fields=["entity", "entity_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action}"
