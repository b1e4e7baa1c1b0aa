"""The contract every search backend keeps. The same contract tests run against each one."""

from __future__ import annotations

import abc
from collections.abc import Iterable
from dataclasses import dataclass

from khronika.search.fields import IndexedFields
from khronika.search.query import Found, SearchRequest


class IndexBusy(Exception):
    """Another process is writing the index; it applies the change log after our change."""


@dataclass(frozen=True)
class Cursor:
    """How far into the change log the index is: the last entry applied and the time it was recorded.

    The time tells a restored or rolled-back database apart from the one the index was built from: when
    the entry at ``seq`` is gone or differs, the index is rebuilt rather than trusted."""

    seq: int
    stamp: str


class SearchBackend(abc.ABC):
    name: str

    @abc.abstractmethod
    def write(self, *, upserts: list[IndexedFields], removals: list[str], cursor: Cursor | None) -> None:
        """Replace or add ``upserts``, remove the documents with keys ``removals``, and record ``cursor``,
        as one step: a reader sees all of it or none of it."""

    def replace_all(self, documents: Iterable[IndexedFields], *, cursor: Cursor, batch: int = 5000) -> None:
        """Replace every document with ``documents`` and record ``cursor``. Backends that can make it one
        step (readers see the old index until the new one is complete) do so."""
        self.clear()
        pending: list[IndexedFields] = []
        for fields in documents:
            pending.append(fields)
            if len(pending) >= batch:
                self.write(upserts=pending, removals=[], cursor=None)
                pending = []
        self.write(upserts=pending, removals=[], cursor=cursor)

    @abc.abstractmethod
    def clear(self) -> None:
        """Empty the index and forget the cursor."""

    @abc.abstractmethod
    def cursor(self) -> Cursor | None: ...

    @abc.abstractmethod
    def search(self, request: SearchRequest) -> Found:
        """Records matching every word (in text or names) and phrase, none of the excluded words, and
        the filters, limited to the request's scope; best first, with facet counts when asked."""

    @abc.abstractmethod
    def document_count(self) -> int: ...

    def size_bytes(self) -> int:
        return 0

    def close(self) -> None:  # noqa: B027  # most backends hold nothing to let go of
        """Let go of files and connections (tests and the CLI open many indexes)."""
