"""The audit log: append-only and hash-chained, so that a changed, removed or inserted entry shows.

Each entry stores the hash of the entry before it and its own hash, a SHA-256 over its content and that
previous hash. Changing an entry changes its hash and breaks the link from the next one; removing or
inserting one breaks a link too. Whoever holds the database could rewrite the whole chain after an
entry, so ``khronika audit verify`` prints the head hash: an operator who writes it down elsewhere
(``--expect-head`` later) makes even a full rewrite detectable. Updates are refused by the database
itself (a trigger, see the core migrations).

Entries name a pseudonymous actor, the action, the record and the names of fields: never a value of a
field, never an IP address.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from khronika.core.models import AuditEntry

GENESIS = "0" * 64
# Any constant: the advisory lock that makes appends to the chain take turns on PostgreSQL. (SQLite's
# write transactions take turns already: Khronika begins them IMMEDIATE.)
_CHAIN_LOCK = 0x6B68726F


def entry_digest(entry: AuditEntry) -> str:
    content = [
        entry.at.isoformat(),
        entry.actor,
        entry.action,
        entry.entity,
        str(entry.entity_id) if entry.entity_id else "",
        list(entry.fields),
        entry.purpose,
        entry.previous_hash,
    ]
    encoded = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])


def audit_append(
    *, actor: str, action: str, entity: str, entity_id: Any, fields: Iterable[str], purpose: str
) -> AuditEntry:
    """Add one entry at the head of the chain."""
    with transaction.atomic():
        _lock_chain()
        head = AuditEntry.objects.order_by("-seq").values_list("entry_hash", flat=True).first()
        entry = AuditEntry(
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            fields=sorted(set(fields)),
            purpose=purpose,
            previous_hash=head or GENESIS,
        )
        entry.entry_hash = entry_digest(entry)
        entry.save(force_insert=True)
        return entry


@dataclass(frozen=True)
class ChainReport:
    entries: int
    head: str
    broken_at: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return not self.reason


def audit_verify(*, expect_head: str = "", batch: int = 5000) -> ChainReport:
    """Walk the chain from its first entry; report the first entry whose content or link is wrong.

    ``expect_head``: a head hash noted earlier; the chain must still contain it."""
    previous, count, seen_expected = GENESIS, 0, not expect_head
    last_seq = 0
    while True:
        rows = list(AuditEntry.objects.filter(seq__gt=last_seq).order_by("seq")[:batch])
        if not rows:
            break
        for entry in rows:
            count += 1
            if entry.previous_hash != previous:
                return ChainReport(count - 1, previous, entry.seq, "link")
            if entry_digest(entry) != entry.entry_hash:
                return ChainReport(count - 1, previous, entry.seq, "content")
            previous = entry.entry_hash
            seen_expected = seen_expected or entry.entry_hash == expect_head
        last_seq = rows[-1].seq
    if not seen_expected:
        return ChainReport(count, previous, None, "expected_head_missing")
    return ChainReport(count, previous)
