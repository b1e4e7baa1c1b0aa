"""The one way a service saves a record: validate, bump the version, write the change log and the audit.

Services call ``save_record`` inside their ``@transaction.atomic`` body, so the row, its change-log entry
and its audit entry commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from khronika.core.audit import audit_append
from khronika.core.errors import Conflict, from_django_validation
from khronika.core.models import AuditEntry, ChangeLogEntry, ChangeOperation, Record
from khronika.core.tiers import Tier, tier_filtered

SYSTEM_ACTOR = "system"
R = TypeVar("R", bound=Record)

# Followers of the change log (the search index) are told once per committed transaction that it grew.
_COMMIT_FOLLOWERS: list[Callable[[], None]] = []


def follow_commits(callback: Callable[[], None]) -> None:
    if callback not in _COMMIT_FOLLOWERS:
        _COMMIT_FOLLOWERS.append(callback)


def _tell_followers() -> None:
    connection = transaction.get_connection()
    pending = {getattr(entry[1], "__wrapped__", entry[1]) for entry in connection.run_on_commit}
    for callback in _COMMIT_FOLLOWERS:
        if callback not in pending:
            # robust: a follower that fails (a busy index) must not turn a committed change into an error
            # page; it catches up from the change log on its next run.
            transaction.on_commit(callback, robust=True)


class Actor(Protocol):
    """What the logs need to know of whoever acts: a pseudonym, never a name."""

    @property
    def pseudonym(self) -> str: ...


def actor_pseudonym(actor: Actor | None) -> str:
    return actor.pseudonym if actor is not None else SYSTEM_ACTOR


def entity_label(instance: Record) -> str:
    return instance._meta.label_lower


def validate(instance: Record, *, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise from_django_validation(exc) from None


def save_record(
    instance: R,
    *,
    actor: Actor | None,
    operation: ChangeOperation,
    changed_fields: Iterable[str] = (),
    expected_version: int | None = None,
    relations: dict[str, Any] | None = None,
    purpose: str = "",
) -> R:
    """Save ``instance`` and log the change. Call inside a transaction.

    ``expected_version`` is the version the editor saw; a newer stored version raises ``Conflict`` so
    that a second editor never silently overwrites the first. ``relations`` adds many-to-many values
    (as stable codes or ids) to the change-log payload.
    """
    model = type(instance)
    if operation is ChangeOperation.CREATE:
        instance.version = 1
    else:
        stored = (
            model._default_manager.select_for_update()
            .filter(pk=instance.pk)
            .values_list("version", flat=True)
        )
        current = stored.first()
        if current is None:
            raise Conflict()
        if expected_version is not None and current != expected_version:
            raise Conflict()
        instance.version = current + 1
    instance.updated_at = timezone.now()
    if operation is ChangeOperation.DELETE:
        instance.deleted_at = instance.updated_at
    else:
        validate(instance)
    instance.save()
    changed = sorted(set(changed_fields))
    payload = tier_filtered(instance, ceiling=Tier.INTERNAL)
    if relations:
        payload.update(relations)
    ChangeLogEntry.objects.create(
        entity=entity_label(instance),
        entity_id=instance.pk,
        version=instance.version,
        operation=operation,
        origin_node=instance.origin_node,
        changed_fields=changed,
        payload=payload,
    )
    _tell_followers()
    audit(
        actor=actor,
        action=f"{entity_label(instance)}.{operation}",
        instance=instance,
        fields=changed,
        purpose=purpose,
    )
    return instance


def audit(
    *,
    actor: Actor | None,
    action: str,
    instance: Record | None = None,
    fields: Iterable[str] = (),
    purpose: str = "",
) -> AuditEntry:
    return audit_append(
        actor=actor_pseudonym(actor),
        action=action,
        entity=entity_label(instance) if instance is not None else "",
        entity_id=instance.pk if instance is not None else None,
        fields=fields,
        purpose=purpose,
    )


def snapshot(instance: Record) -> dict[str, Any]:
    """The record's stored values, taken before an edit, for ``save_changes`` to compare against."""
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


def save_changes(
    instance: R,
    *,
    actor: Actor | None,
    before: dict[str, Any],
    expected_version: int | None = None,
    also_changed: Iterable[str] = (),
    relations: dict[str, Any] | None = None,
    purpose: str = "",
) -> R:
    """Save an edit of ``instance`` made since ``before`` (a ``snapshot``). The change log names the fields
    that differ (and ``also_changed``, e.g. many-to-many values); an edit that changes nothing writes
    nothing, so a form sent twice leaves one change."""
    changed = [
        field.name
        for field in type(instance)._meta.concrete_fields
        if before[field.attname] != getattr(instance, field.attname)
    ]
    changed += list(also_changed)
    if not changed:
        return instance
    return save_record(
        instance,
        actor=actor,
        operation=ChangeOperation.UPDATE,
        changed_fields=changed,
        expected_version=expected_version,
        relations=relations,
        purpose=purpose,
    )


def save_values(instance: R, values: dict[str, Any], *, actor: Actor | None = None) -> bool:
    """Set ``values`` on ``instance`` and save it through the change log if any of them differ (every one
    does for a new row); return whether it was written. For loading shipped data, run again and again:
    what is already as the files say writes nothing. A related row compares by key, a number by its
    written form (a coordinate read back as Decimal equals the float it was loaded from)."""
    created = instance._state.adding
    changed = [name for name, value in values.items() if created or _differs(getattr(instance, name), value)]
    if not changed:
        return False
    for name in changed:
        setattr(instance, name, values[name])
    save_record(
        instance,
        actor=actor,
        operation=ChangeOperation.CREATE if created else ChangeOperation.UPDATE,
        changed_fields=changed,
    )
    return True


def _differs(current: Any, wanted: Any) -> bool:
    if current is None or wanted is None:
        return current != wanted
    if isinstance(current, models.Model) or isinstance(wanted, models.Model):
        return getattr(current, "pk", current) != getattr(wanted, "pk", wanted)
    return str(current) != str(wanted)
