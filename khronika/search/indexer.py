"""Keeping the index in step with the database, through the change log.

The index is derived data: it follows the change log with a cursor of its own and can be rebuilt from the
records at any time (``khronika search reindex``). ``index_sync`` runs after every committed change and
before every search, so a search sees every committed change.

Two database facts shape the cursor:
- on PostgreSQL, sequence numbers are taken when a transaction writes, not when it commits, so entry 11
  may be visible before entry 10. The cursor stops before the first gap and the entries after it are
  applied again next time, until the gap fills or is older than ``GAP_PATIENCE`` (a rolled-back
  transaction leaves a gap for ever);
- a database restored from a backup, or rolled back, no longer holds the entry the cursor names; the
  index is then rebuilt rather than trusted.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from khronika.core.models import ChangeLogEntry
from khronika.search import registry
from khronika.search.backends.base import Cursor, IndexBusy
from khronika.search.engine import backend
from khronika.search.fields import IndexedFields, analyse_all, analysis_workers, document_key, index_fields
from khronika.search.registry import Document

logger = logging.getLogger(__name__)

BATCH = 2000
GAP_PATIENCE = timedelta(seconds=60)
# A rebuild of at least this many records is analysed in several processes.
PARALLEL_FROM = 5000

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class SyncReport:
    entries: int = 0
    indexed: int = 0
    removed: int = 0
    rebuilt: bool = False


def _stamp(entry: ChangeLogEntry) -> str:
    return entry.recorded_at.isoformat()


def _latest_cursor() -> Cursor:
    latest = ChangeLogEntry.objects.order_by("-seq").first()
    return Cursor(seq=latest.seq, stamp=_stamp(latest)) if latest else Cursor(seq=0, stamp="")


def _cursor_holds(cursor: Cursor) -> bool:
    if cursor.seq == 0:
        return True
    entry = ChangeLogEntry.objects.filter(seq=cursor.seq).only("recorded_at").first()
    return entry is not None and _stamp(entry) == cursor.stamp


def documents_for(kind: str, ids: Iterable[uuid.UUID]) -> tuple[list[IndexedFields], list[str]]:
    """The fresh documents of these records, and the keys of those no longer live (to remove)."""
    item = registry.searchable(kind)
    wanted = set(ids)
    upserts: list[IndexedFields] = []
    for instance in item.queryset().filter(pk__in=wanted):
        document = item.document(instance)
        if document is not None:
            upserts.append(index_fields(document))
            wanted.discard(instance.pk)
    return upserts, [document_key(kind, record_id) for record_id in wanted]


def _next_cursor(cursor: Cursor, entries: list[ChangeLogEntry]) -> Cursor:
    """The last entry before the first gap; past a gap only once it is old enough to be final."""
    expected, last = cursor.seq + 1, cursor
    patience_ends = timezone.now() - GAP_PATIENCE
    for entry in entries:
        if entry.seq != expected and entry.recorded_at > patience_ends:
            break
        last, expected = Cursor(seq=entry.seq, stamp=_stamp(entry)), entry.seq + 1
    return last


def index_sync() -> SyncReport:
    """Apply the change log's new entries to the index. Safe to call at any time, from any process."""
    engine = backend()
    try:
        cursor = engine.cursor()
        if cursor is None or not _cursor_holds(cursor):
            return index_rebuild()
        total = SyncReport()
        while True:
            entries = list(
                ChangeLogEntry.objects.filter(seq__gt=cursor.seq)
                .order_by("seq")
                .only("seq", "entity", "entity_id", "recorded_at")[:BATCH]
            )
            if not entries:
                return total
            reached = _next_cursor(cursor, entries)
            step = _apply(entries, reached)
            total = SyncReport(
                total.entries + step.entries, total.indexed + step.indexed, total.removed + step.removed
            )
            if len(entries) < BATCH or reached.seq == cursor.seq:
                return total
            cursor = reached
    except IndexBusy:
        logger.info("search index busy in another process; it will apply the change log")
        return SyncReport()


def _apply(entries: list[ChangeLogEntry], cursor: Cursor) -> SyncReport:
    by_entity: dict[str, list[uuid.UUID]] = defaultdict(list)
    for entry in entries:
        by_entity[entry.entity].append(entry.entity_id)
    wanted: dict[str, set[uuid.UUID]] = defaultdict(set)
    for entity, ids in by_entity.items():
        for kind, found in registry.affected(entity, ids).items():
            wanted[kind] |= found
    upserts: list[IndexedFields] = []
    removals: list[str] = []
    for kind, kind_ids in wanted.items():
        fresh, gone = documents_for(kind, kind_ids)
        upserts += fresh
        removals += gone
    backend().write(upserts=upserts, removals=removals, cursor=cursor)
    return SyncReport(entries=len(entries), indexed=len(upserts), removed=len(removals))


def index_rebuild(*, progress: Progress | None = None, chunk: int = 1000) -> SyncReport:
    """Index every live record of every registered kind again, replacing the index as one step: searches
    keep the old index until the new one is complete."""
    # Entries written while we read are applied by the next sync: the cursor is taken first.
    cursor = _latest_cursor()
    counter = {"indexed": 0}
    totals = {item.kind: item.queryset().count() for item in registry.searchables()}

    def documents() -> Iterator[Document]:
        for item in registry.searchables():
            total = totals[item.kind]
            for done, instance in enumerate(item.queryset().iterator(chunk_size=chunk), start=1):
                document = item.document(instance)
                if document is not None:
                    counter["indexed"] += 1
                    yield document
                if progress and (done % chunk == 0 or done == total):
                    progress(item.kind, done, total)
            if progress and total == 0:
                progress(item.kind, 0, 0)

    # Forking analysers pays only for a large index; a small one is analysed here.
    workers = analysis_workers() if sum(totals.values()) >= PARALLEL_FROM else 1
    backend().replace_all(analyse_all(documents(), workers=workers), cursor=cursor)
    return SyncReport(indexed=counter["indexed"], rebuilt=True)


def sync_after_commit() -> None:
    """Run by ``core.changes`` once a transaction that wrote to the change log commits."""
    index_sync()
