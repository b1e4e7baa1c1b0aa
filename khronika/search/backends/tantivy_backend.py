"""The embedded default: a tantivy index in the node's home directory.

Text fields hold our own analysed terms, separated by spaces, so tantivy's whitespace tokenizer indexes
them unchanged; tantivy does the inverted index, BM25, phrase positions, fuzzy automata and the facet
aggregation. One writer at a time may hold an index (tantivy's lock file); a process that finds it taken
leaves the change to the holder, which reads the change log after it.
"""

from __future__ import annotations

import json
import os
import re
import threading
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import tantivy
from tantivy import Occur, Query

from khronika.core.tiers import Tier
from khronika.search.backends.base import Cursor, IndexBusy, SearchBackend
from khronika.search.fields import TYPE_FACET, IndexedFields
from khronika.search.query import (
    FUZZY_MIN_LENGTH,
    FUZZY_TWO_EDITS_LENGTH,
    Found,
    Hit,
    Scope,
    SearchRequest,
    Word,
)

SCHEMA_VERSION = 2
WRITER_HEAP = 64_000_000
NAME_BOOST = 1.5
FACET_BUCKETS = 5000
REBUILD_THREADS = max(1, min(4, os.cpu_count() or 1))
SEEN_PUBLIC = "public"
SEEN_MEMBER = "member"


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("steward", stored=True, tokenizer_name="raw", index_option="basic")
    # Who may read the record, for a search of facets alone: "public" (listed on the public site),
    # "member" (every member). Words need no such filter: the field they are in says who may find them.
    builder.add_text_field("seen", tokenizer_name="raw", index_option="basic")
    # One column of "name=value" terms for every facet: one terms aggregation counts them all. (A column
    # per facet, in a JSON field, was measured slower: most facets are then sparse or multi-valued.)
    builder.add_text_field("facet", tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_integer_field("day", indexed=True, fast=True)
    for view in ("pub", "open", "int"):
        builder.add_text_field(f"text_{view}", tokenizer_name="whitespace")
        builder.add_text_field(f"keys_{view}", tokenizer_name="whitespace", index_option="freq")
        builder.add_text_field(f"names_{view}", stored=True, tokenizer_name="raw", index_option="basic")
    return builder.build()


class TantivyBackend(SearchBackend):
    name = "tantivy"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.schema = _schema()
        self._lock = threading.Lock()
        self._index: tantivy.Index | None = None

    # --- storage --------------------------------------------------------------------------------------

    @property
    def index(self) -> tantivy.Index:
        if self._index is None:
            self._index = self._open()
        return self._index

    def _open(self) -> tantivy.Index:
        self.path.mkdir(parents=True, exist_ok=True, mode=0o700)
        version_file = self.path / "khronika-schema"
        if version_file.exists() and version_file.read_text().strip() != str(SCHEMA_VERSION):
            self._wipe()
        index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
        version_file.write_text(str(SCHEMA_VERSION))
        return index

    def _wipe(self) -> None:
        for item in self.path.iterdir():
            if item.is_file():
                item.unlink()

    def _writer(self, threads: int = 1) -> Any:
        try:
            return self.index.writer(heap_size=WRITER_HEAP * threads, num_threads=threads)
        except ValueError as exc:
            if "LockBusy" in str(exc):
                raise IndexBusy() from None
            raise

    def write(self, *, upserts: list[IndexedFields], removals: list[str], cursor: Cursor | None) -> None:
        with self._lock:
            writer = self._writer()
            try:
                for key in removals:
                    writer.delete_documents_by_term("key", key)
                for fields in upserts:
                    writer.delete_documents_by_term("key", fields.key)
                    writer.add_document(self._document(fields))
                writer.commit()
            finally:
                writer.wait_merging_threads()
            if cursor is not None:
                self._save_cursor(cursor)

    def replace_all(self, documents: Iterable[IndexedFields], *, cursor: Cursor, batch: int = 5000) -> None:
        """One writer, one commit: searches see the old index until the new one is complete."""
        with self._lock:
            writer = self._writer(threads=REBUILD_THREADS)
            try:
                writer.delete_all_documents()
                for fields in documents:
                    writer.add_document(self._document(fields))
                writer.commit()
            finally:
                writer.wait_merging_threads()
            self._save_cursor(cursor)

    def _document(self, fields: IndexedFields) -> tantivy.Document:
        doc = tantivy.Document()
        doc.add_text("key", fields.key)
        doc.add_text("steward", fields.steward or "-")
        if fields.listed:
            doc.add_text("seen", SEEN_PUBLIC)
        if fields.tier <= Tier.NETWORK:
            doc.add_text("seen", SEEN_MEMBER)
        for value in fields.facets:
            doc.add_text("facet", value)
        if fields.day is not None:
            doc.add_integer("day", fields.day)
        for view in ("pub", "open", "int"):
            doc.add_text(f"text_{view}", getattr(fields, f"text_{view}"))
            doc.add_text(f"keys_{view}", getattr(fields, f"keys_{view}"))
            for name in getattr(fields, f"names_{view}"):
                doc.add_text(f"names_{view}", name)
        return doc

    def clear(self) -> None:
        with self._lock:
            writer = self._writer()
            try:
                writer.delete_all_documents()
                writer.commit()
            finally:
                writer.wait_merging_threads()
            (self.path / "khronika-cursor.json").unlink(missing_ok=True)

    def cursor(self) -> Cursor | None:
        self.index  # noqa: B018  # opening wipes an index of another schema version, cursor and all
        try:
            data = json.loads((self.path / "khronika-cursor.json").read_text())
            return Cursor(seq=int(data["seq"]), stamp=str(data["stamp"]))
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            return None

    def _save_cursor(self, cursor: Cursor) -> None:
        target = self.path / "khronika-cursor.json"
        temporary = target.with_suffix(".tmp")
        temporary.write_text(json.dumps({"seq": cursor.seq, "stamp": cursor.stamp}))
        os.replace(temporary, target)

    def document_count(self) -> int:
        self.index.reload()
        return int(self.index.searcher().num_docs)

    def size_bytes(self) -> int:
        return sum(f.stat().st_size for f in self.path.iterdir() if f.is_file()) if self.path.exists() else 0

    def close(self) -> None:
        self._index = None

    # --- reading --------------------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> Found:
        index = self.index
        index.reload()
        searcher = index.searcher()
        query = _QueryBuilder(self.schema, searcher, request.scope).build(request)
        # With facets the total is the sum of the record-type counts (every record has one type), so the
        # search itself need not count every match.
        counting = not request.with_facets
        result = searcher.search(query, limit=max(request.limit, 1), offset=request.offset, count=counting)
        hits = []
        for score, address in result.hits[: request.limit]:
            stored = searcher.doc(address)
            kind, _, record_id = str(stored.get_first("key")).partition(":")
            hits.append(
                Hit(
                    kind=kind,
                    id=uuid.UUID(record_id),
                    score=float(score),
                    names=self._names(stored, request.scope),
                )
            )
        if request.with_facets:
            facets = self._facets(searcher, query)
            total = sum(facets.get(TYPE_FACET, {}).values())
        else:
            facets = {}
            total = int(getattr(result, "count", 0) or 0)  # the stubs omit the count that count=True gives
        return Found(total=total, hits=hits, facets=facets)

    def _names(self, stored: tantivy.Document, scope: Scope) -> tuple[str, ...]:
        if scope.public_only:
            return tuple(stored.get_all("names_pub"))
        found = list(stored.get_all("names_open"))
        if stored.get_first("steward") in {str(s) for s in scope.internal_stewards}:
            found += stored.get_all("names_int")
        return tuple(found)

    def _facets(self, searcher: Any, query: Query) -> dict[str, dict[str, int]]:
        answer = searcher.aggregate(query, {"f": {"terms": {"field": "facet", "size": FACET_BUCKETS}}})
        counts: dict[str, dict[str, int]] = {}
        for bucket in answer.get("f", {}).get("buckets", []):
            name, _, value = str(bucket["key"]).partition("=")
            counts.setdefault(name, {})[value] = int(bucket["doc_count"])
        return counts


class _QueryBuilder:
    """A search request in tantivy's query objects, confined to what the scope may read."""

    def __init__(self, schema: tantivy.Schema, searcher: Any, scope: Scope) -> None:
        self.schema = schema
        self.searcher = searcher
        self.scope = scope
        self.view = "pub" if scope.public_only else "open"
        self.stewards = sorted(str(s) for s in scope.internal_stewards)

    def build(self, request: SearchRequest) -> Query:
        clauses: list[tuple[Occur, Query]] = []
        words = [self._word(word, fuzzy=request.fuzzy) for word in request.query.words]
        if request.any_word and words:
            clauses.append((Occur.Must, _any(words)))
        else:
            clauses += [(Occur.Must, word) for word in words]
        clauses += [(Occur.Must, self._phrase(phrase)) for phrase in request.query.phrases]
        if not clauses:  # facets alone: no word to say what the reader may read
            clauses.append((Occur.Must, self._visible()))
        clauses += [(Occur.MustNot, self._word(word, fuzzy=False)) for word in request.query.excluded]
        for name, values in request.filters.items():
            if values:
                terms = [Query.term_query(self.schema, "facet", f"{name}={v}") for v in values]
                clauses.append((Occur.Must, _const(_any(terms))))
        if len(clauses) == 1 and clauses[0][0] == Occur.Must:
            return clauses[0][1]
        return Query.boolean_query(clauses)

    def _visible(self) -> Query:
        if self.scope.public_only:
            return _const(Query.term_query(self.schema, "seen", SEEN_PUBLIC))
        readable = [Query.term_query(self.schema, "seen", SEEN_MEMBER)]
        readable += [Query.term_query(self.schema, "steward", s) for s in self.stewards]
        return _const(_any(readable))

    def _internal(self, query: Query | None) -> Query | None:
        """Internal words count only on records of the searcher's own organisation."""
        if query is None or not self.stewards:
            return None
        own = _any([Query.term_query(self.schema, "steward", s) for s in self.stewards])
        return Query.boolean_query([(Occur.Must, query), (Occur.Must, _const(own))])

    def _word(self, word: Word, *, fuzzy: bool) -> Query:
        options = [
            self._match(f"text_{self.view}", word.terms, word.prefix, fuzzy, 1.0),
            self._match(f"keys_{self.view}", word.keys, word.prefix, fuzzy, NAME_BOOST),
        ]
        if self.stewards:
            internal = [
                self._match("text_int", word.terms, word.prefix, fuzzy, 1.0),
                self._match("keys_int", word.keys, word.prefix, fuzzy, NAME_BOOST),
            ]
            found = [o for o in internal if o is not None]
            options.append(self._internal(_any(found)) if found else None)
        present = [o for o in options if o is not None]
        return _any(present) if present else Query.empty_query()

    def _match(
        self, field: str, values: frozenset[str], prefix: bool, fuzzy: bool, boost: float
    ) -> Query | None:
        queries: list[Query] = []
        for value in sorted(values):
            if prefix or fuzzy or self.searcher.doc_freq(field, value):  # a term nowhere costs a clause
                queries.append(Query.term_query(self.schema, field, value))
            if prefix and len(value) >= 2:
                queries.append(Query.regex_query(self.schema, field, re.escape(value) + ".*"))
            elif fuzzy and len(value) >= FUZZY_MIN_LENGTH:
                distance = 2 if len(value) >= FUZZY_TWO_EDITS_LENGTH else 1
                queries.append(Query.fuzzy_term_query(self.schema, field, value, distance, True, False))
        if not queries:
            return None
        found = _any(queries)
        return Query.boost_query(found, boost) if boost != 1.0 else found

    def _phrase(self, terms: tuple[str, ...]) -> Query:
        options = [Query.phrase_query(self.schema, f"text_{self.view}", list(terms))]
        if not self.scope.public_only:
            internal = self._internal(Query.phrase_query(self.schema, "text_int", list(terms)))
            if internal is not None:
                options.append(internal)
        return _any(options)


def _any(queries: list[Query]) -> Query:
    if len(queries) == 1:
        return queries[0]
    return Query.boolean_query([(Occur.Should, q) for q in queries])


def _const(query: Query) -> Query:
    return Query.const_score_query(query, 0.0)
