"""The index in the node's own PostgreSQL database: full-text search with tsvector, tsquery and GIN.

Terms are not analysed again here. ``search.analysis`` has already made them: folded (ё → е, case,
accents) and stemmed with the Snowball stemmer of the word's script, Russian or English, which are the
very stemmers of PostgreSQL's 'russian' and 'english' configurations. Running one of those again would
stem stems ("задержа" → "задерж") and drift from what the tantivy backend matches. So the columns hold
our terms as they are, what the 'simple' configuration keeps of plain words (lower case, no stemming, no
stop words). They are written lexeme by lexeme as tsvector values ('term':positions) rather than through
``to_tsvector('simple', …)``, whose parser would still split some of our terms: "o'brien" into "o" and
"brien", moving every later position and breaking phrases. Both backends thus match exactly the same
terms. Queries are tsquery values built the same way, every lexeme quoted, sent as parameters.

Tables (``search/migrations/0001_initial.py``):
- ``search_document``: one row per record, with a tsvector of terms and one of name keys per tier view
  (``pub``, ``open``, ``int``; see ``search.fields``), GIN-indexed (RUM for the text columns when the
  server has it), the names to show, and the facet terms as a GIN-indexed text[];
- ``search_term``: every term and key ever written, trigram-indexed. A typo-tolerant word looks up the
  terms near it there, keeps those within the edit distance, and searches for them exactly;
- ``search_cursor``: one row, written in the same transaction as the documents.

Writing: one writer at a time (a transaction-scoped advisory lock; another writer gets ``IndexBusy``, as
with tantivy's lock file). ``write`` is one transaction, documents and cursor together. ``replace_all``
fills new tables without indexes, indexes them once and puts them in place of the old ones, in one
transaction, so searches read the old index until the new one is complete.

Reading: a query is one WHERE clause of indexed operators (``@@``, ``&&``), so only matching rows are
read; only they are ranked (``ts_rank``, name keys weighing ``NAME_BOOST`` times more) and counted per
facet, in two statements (the best hits; the total with the facet counts) that PostgreSQL may each run
in parallel workers. A word found in half the records is still read in half the records: no index here
returns rows in rank order.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.utils import CursorWrapper
from rapidfuzz.distance import OSA

from khronika.search.backends.base import Cursor, IndexBusy, SearchBackend
from khronika.search.fields import IndexedFields
from khronika.search.query import (
    FUZZY_MIN_LENGTH,
    FUZZY_TWO_EDITS_LENGTH,
    Found,
    Hit,
    Scope,
    SearchRequest,
    Word,
)

NAME_BOOST = 1.5
# Any constant would do; it names the one writer allowed at a time, as tantivy's lock file does.
WRITER_LOCK = 0x6B68_726F_6E69_6B61 >> 1
MAX_LEXEME = 2046  # bytes
# Below this similarity pg_trgm's index would hand back most of the vocabulary.
MIN_SIMILARITY = 0.01

_VIEWS = ("pub", "open", "int")
_REBUILT = ("search_document", "search_term")
_INDEX_HEAD = re.compile(
    r"(?P<create>CREATE (?:UNIQUE )?INDEX )\S+ ON (?P<table>\S+) (?P<rest>USING .*)", re.DOTALL
)
_COLUMNS = {
    "key": "text",
    "steward": "text",
    "tier": "smallint",
    "listed": "boolean",
    **{f"{kind}_{view}": "tsvector" for kind in ("text", "keys") for view in _VIEWS},
    **{f"names_{view}": "text[]" for view in _VIEWS},
    "facets": "text[]",
    "day": "integer",
}
_VOCABULARY_COLUMNS = ("text_open", "text_int", "keys_open", "keys_int")
_TSVECTOR_COLUMNS = [
    (place, column) for place, column in enumerate(_COLUMNS) if _COLUMNS[column] == "tsvector"
]
_ARRAY_PLACES = [place for place, column in enumerate(_COLUMNS) if _COLUMNS[column] == "text[]"]
# The vocabulary of the new documents: ts_stat lists the distinct lexemes of a query's tsvectors (the
# public view is a part of the open one).
_NEXT_VOCABULARY = "INSERT INTO search_term_next (term) SELECT word FROM ts_stat('{}')".format(  # noqa: S608
    " UNION ALL ".join(f"SELECT {column} FROM search_document_next" for column in _VOCABULARY_COLUMNS)  # noqa: S608
)
# One statement per batch: the documents travel as one JSON array, read back into typed columns.
_UPSERT = (
    f"INSERT INTO search_document ({', '.join(_COLUMNS)}) SELECT {', '.join(_COLUMNS)} "  # noqa: S608
    f"FROM jsonb_to_recordset(%s::jsonb) AS given({', '.join(f'{c} {t}' for c, t in _COLUMNS.items())}) "
    "ON CONFLICT (key) DO UPDATE SET " + ", ".join(f"{c} = EXCLUDED.{c}" for c in list(_COLUMNS)[1:])
)


def _fits(term: str) -> bool:
    """Whether PostgreSQL takes the term as a lexeme. A longer one would fail the whole statement; it is
    no word anyone types (the analysis keeps words of 100 letters at most), so it is left out."""
    return len(term.encode()) <= MAX_LEXEME


def lexeme(term: str) -> str:
    """A term as one tsvector or tsquery lexeme, whatever characters it holds."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_text(terms: str, *, positions: bool = True) -> str:
    """Space-separated terms as a tsvector value, each term at its position (or at none: name keys are
    never part of a phrase). PostgreSQL's input merges a repeated term's positions, keeping 256 at most,
    and stores positions past 16383 as 16383."""
    # Quoting the whole string at once is the same as quoting each term: terms hold no spaces.
    quoted = terms.replace("\\", "\\\\").replace("'", "''").split()
    if quoted and max(map(len, quoted)) > MAX_LEXEME // 4:
        quoted = [term for term in quoted if _fits(term)]
    if not positions:
        return "'" + "' '".join(quoted) + "'" if quoted else ""
    return " ".join([f"'{term}':{number}" for number, term in enumerate(quoted, 1)])


def trigram_floor(value: str, trigrams: int, distance: int) -> float:
    """The lowest pg_trgm similarity a term within ``distance`` edits of ``value`` can have.

    An edit changes at most three trigrams, so such a term shares at least ``trigrams - 3 * distance`` of
    the value's; it has at most ``m + m / 2`` of its own (m letters, a word per two letters at most)."""
    shared = trigrams - 3 * distance
    if shared <= 0:
        return MIN_SIMILARITY
    longest = len(value) + distance
    floor = shared / (trigrams + longest + (longest + 1) // 2 - shared)
    # Apostrophes and dots split a value into pg_trgm words; the count above is then less certain.
    return max(MIN_SIMILARITY, floor if value.isalnum() else floor / 2)


def _fuzzy(word: Word, value: str, fuzzy: bool) -> bool:
    """As tantivy's builder: a prefix of two letters or more is a prefix, never a near match."""
    return fuzzy and len(value) >= FUZZY_MIN_LENGTH and not (word.prefix and len(value) >= 2)


class PostgresBackend(SearchBackend):
    name = "postgres"

    def __init__(self) -> None:
        self.alias = DEFAULT_DB_ALIAS
        if connections[self.alias].vendor != "postgresql":
            raise ImproperlyConfigured(
                "The postgres search backend keeps its index in a PostgreSQL database; this node's database "
                "is not PostgreSQL. Use the tantivy search backend, or move the node to PostgreSQL."
            )
        self._ready = False

    @contextmanager
    def _db(self) -> Iterator[CursorWrapper]:
        if not self._ready:
            self._check_ready()
        with connections[self.alias].cursor() as cursor:
            yield cursor

    def _check_ready(self) -> None:
        with connections[self.alias].cursor() as cursor:
            cursor.execute(
                "SELECT to_regclass('search_document') IS NOT NULL, "
                "to_regclass('search_term_trigrams') IS NOT NULL"
            )
            tables, trigrams = cursor.fetchone()
        if not tables:
            raise ImproperlyConfigured(
                "The search tables are missing: run `khronika init`, which applies the database migrations."
            )
        if not trigrams:
            # The migration leaves the index out when the extension could not be created (see there).
            raise ImproperlyConfigured(
                "The postgres search backend needs the pg_trgm extension. As a database superuser run "
                "CREATE EXTENSION pg_trgm; then CREATE INDEX search_term_trigrams ON search_term USING gin "
                "(term gin_trgm_ops);"
            )
        self._ready = True

    # --- storage --------------------------------------------------------------------------------------

    def _take_writer_lock(self, db: CursorWrapper) -> None:
        db.execute("SELECT pg_try_advisory_xact_lock(%s)", [WRITER_LOCK])
        if not db.fetchone()[0]:
            raise IndexBusy()

    def write(self, *, upserts: list[IndexedFields], removals: list[str], cursor: Cursor | None) -> None:
        with transaction.atomic(using=self.alias), self._db() as db:
            self._take_writer_lock(db)
            if removals:
                db.execute("DELETE FROM search_document WHERE key = ANY(%s::text[])", [list(removals)])
            if upserts:
                # The last version of a key wins, as when the upserts are applied one by one.
                latest = {fields.key: fields for fields in upserts}
                rows = [dict(zip(_COLUMNS, _row(fields), strict=True)) for fields in latest.values()]
                db.execute(_UPSERT, [json.dumps(rows, ensure_ascii=False)])
                db.execute(
                    "INSERT INTO search_term (term) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING",
                    [sorted(_vocabulary(upserts))],
                )
            if cursor is not None:
                _save_cursor(db, cursor)

    def replace_all(self, documents: Iterable[IndexedFields], *, cursor: Cursor, batch: int = 5000) -> None:
        """Fill new tables without indexes, index them once at the end and put them in place of the old
        ones, all in one transaction: searches read the old index until the commit, and an index built at
        once costs a fraction of one grown row by row."""
        with transaction.atomic(using=self.alias), self._db() as db:
            self._take_writer_lock(db)
            for table in _REBUILT:
                db.execute(
                    f"CREATE TABLE {table}_next (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
                )
            if _fill(db, documents, batch):
                # As in write(), the last version of a key wins; rows are appended in order, so it is
                # the one with the highest ctid.
                db.execute(
                    "DELETE FROM search_document_next AS older USING search_document_next AS newer "
                    "WHERE older.key = newer.key AND older.ctid < newer.ctid"
                )
            db.execute(_NEXT_VOCABULARY)
            for table in _REBUILT:
                _swap(db, table)
            db.execute("ANALYZE search_document, search_term")
            _save_cursor(db, cursor)

    def clear(self) -> None:
        with transaction.atomic(using=self.alias), self._db() as db:
            self._take_writer_lock(db)
            db.execute("TRUNCATE search_document, search_term, search_cursor")

    def cursor(self) -> Cursor | None:
        with self._db() as db:
            db.execute("SELECT seq, stamp FROM search_cursor")
            row = db.fetchone()
        return Cursor(seq=int(row[0]), stamp=str(row[1])) if row else None

    def document_count(self) -> int:
        with self._db() as db:
            db.execute("SELECT count(*) FROM search_document")
            return int(db.fetchone()[0])

    def size_bytes(self) -> int:
        with self._db() as db:
            db.execute(
                "SELECT coalesce(sum(pg_total_relation_size(to_regclass(name))), 0) "
                "FROM unnest(ARRAY['search_document', 'search_term', 'search_cursor']) AS name"
            )
            return int(db.fetchone()[0])

    # --- reading --------------------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> Found:
        # A transaction, for settings of this search alone: no JIT (compiling costs more than it saves on
        # queries this short), and the trigram threshold of the typo lookup.
        with transaction.atomic(using=self.alias), self._db() as db:
            db.execute("SELECT set_config('jit', 'off', true)")
            near = self._near_terms(db, request) if request.fuzzy else {}
            sql = _Translation(request.scope, near)
            where = sql.where(request)
            hits = []
            if request.limit > 0:
                db.execute(sql.best(where, limit=request.limit, offset=request.offset), sql.params)
                hits = [_hit(key, score, tuple(names)) for key, score, names in db.fetchall()]
            if request.with_facets or request.offset or len(hits) >= request.limit:
                db.execute(sql.counts(where, with_facets=request.with_facets), sql.params)
                total, facets = _counts(db.fetchall())
            else:  # every match is among the hits
                total, facets = len(hits), {}
        return Found(total=total, hits=hits, facets=facets)

    def _near_terms(self, db: CursorWrapper, request: SearchRequest) -> dict[str, frozenset[str]]:
        """The indexed terms and keys within the typo distance of each word that may be misspelt."""
        words = request.query.words
        values = sorted({v for w in words for v in (*w.terms, *w.keys) if _fuzzy(w, v, request.fuzzy)})
        if not values:
            return {}
        db.execute(
            "SELECT value, coalesce(array_length(show_trgm(value), 1), 0) FROM unnest(%s::text[]) AS value",
            [values],
        )
        trigrams = dict(db.fetchall())
        near = {}
        for value in values:
            distance = 2 if len(value) >= FUZZY_TWO_EDITS_LENGTH else 1
            floor = trigram_floor(value, trigrams[value], distance)
            db.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [f"{floor:.4f}"])
            db.execute(
                "SELECT term FROM search_term WHERE term %% %s AND char_length(term) BETWEEN %s AND %s",
                [value, len(value) - distance, len(value) + distance],
            )
            candidates = [term for (term,) in db.fetchall()]
            near[value] = frozenset(
                t for t in candidates if OSA.distance(value, t, score_cutoff=distance) <= distance
            )
        return near


def _counts(rows: Iterable[tuple[str | None, int]]) -> tuple[int, dict[str, dict[str, int]]]:
    total, facets = 0, dict[str, dict[str, int]]()
    for facet, count in rows:
        if facet is None:
            total = int(count)
        else:
            name, _, value = facet.partition("=")
            facets.setdefault(name, {})[value] = int(count)
    return total, facets


def _hit(key: str, score: float, names: tuple[str, ...]) -> Hit:
    kind, _, record_id = key.partition(":")
    return Hit(kind=kind, id=uuid.UUID(record_id), score=score, names=names)


def _row(fields: IndexedFields) -> list[Any]:
    """The document's values in the order of ``_COLUMNS``, the terms and keys as tsvector values and the
    lists as array values: text that PostgreSQL reads, made here faster than a driver adapts lists."""
    row = [getattr(fields, column) for column in _COLUMNS]
    for place, column in _TSVECTOR_COLUMNS:
        row[place] = tsvector_text(row[place], positions=column.startswith("text_"))
    for place in _ARRAY_PLACES:
        row[place] = _array_text(row[place])
    return row


def _array_text(values: list[str]) -> str:
    quoted = (value.replace("\\", "\\\\").replace('"', '\\"') for value in values)
    return "{" + ",".join(f'"{value}"' for value in quoted) + "}"


def _vocabulary(upserts: Iterable[IndexedFields]) -> set[str]:
    terms: set[str] = set()
    for fields in upserts:
        for column in _VOCABULARY_COLUMNS:
            terms.update(getattr(fields, column).split())
    return terms


def _fill(db: CursorWrapper, documents: Iterable[IndexedFields], batch: int) -> bool:
    """Copy the documents into ``search_document_next``; say whether a key may have come twice (the hashes
    of the keys tell, in a fraction of the memory the keys would take)."""
    seen: set[int] = set()
    repeated = False
    pending: list[IndexedFields] = []
    for fields in documents:
        digest = hash(fields.key)
        repeated = repeated or digest in seen
        seen.add(digest)
        pending.append(fields)
        if len(pending) >= batch:
            _copy(db, pending)
            pending = []
    _copy(db, pending)
    return repeated


def _copy(db: CursorWrapper, documents: list[IndexedFields]) -> None:
    """Rows in bulk; one COPY per batch, since the documents may be read from this same connection."""
    if documents:
        statement = f"COPY search_document_next ({', '.join(_COLUMNS)}) FROM STDIN"
        with db.cursor.copy(statement) as copy:
            for fields in documents:
                copy.write_row(_row(fields))


def _swap(db: CursorWrapper, table: str) -> None:
    """Put ``{table}_next`` in the place of ``table``, with the indexes ``table`` has, as the migration
    made them (GIN or RUM, storage options), under the same names."""
    db.execute(
        "SELECT index.relname, pg_get_indexdef(index.oid), x.indisprimary FROM pg_index AS x "
        "JOIN pg_class AS index ON index.oid = x.indexrelid WHERE x.indrelid = %s::regclass",
        [table],
    )
    indexes = db.fetchall()
    for name, definition, _primary in indexes:
        head = _INDEX_HEAD.fullmatch(definition)
        if head is None:
            raise ImproperlyConfigured(f"Unexpected definition of the search index {name}: {definition}")
        db.execute(f"{head['create']}{name}_next ON {head['table']}_next {head['rest']}")
    db.execute(f"DROP TABLE {table}")
    db.execute(f"ALTER TABLE {table}_next RENAME TO {table}")
    for name, _definition, primary in indexes:
        db.execute(f"ALTER INDEX {name}_next RENAME TO {name}")
        if primary:
            db.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} PRIMARY KEY USING INDEX {name}")


def _save_cursor(db: CursorWrapper, cursor: Cursor) -> None:
    db.execute(
        "INSERT INTO search_cursor (singleton, seq, stamp) VALUES (true, %s, %s) "
        "ON CONFLICT (singleton) DO UPDATE SET seq = EXCLUDED.seq, stamp = EXCLUDED.stamp",
        [cursor.seq, cursor.stamp],
    )


class _Translation:
    """A search request as SQL over ``search_document``, confined to what the scope may read. Every value
    is a named parameter; column names come from this class alone."""

    def __init__(self, scope: Scope, near: dict[str, frozenset[str]]) -> None:
        self.scope = scope
        self.view = "pub" if scope.public_only else "open"
        self.near = near
        self.params: dict[str, Any] = {}
        stewards = [] if scope.public_only else sorted(str(s) for s in scope.internal_stewards)
        self.own = f"{self.param(stewards)}::text[]" if stewards else None
        self.ranked: dict[str, list[str]] = {"text": [], "keys": []}

    def param(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"%({name})s"

    # Two statements rather than one pass into a common table: each may then run in parallel workers,
    # which a materialised common table prevents. S608 below: the fragments are this class's own.

    def best(self, where: str, *, limit: int, offset: int) -> str:
        """The best matches, best first; their names are read only for those chosen."""
        return (
            f"SELECT key, best.score, {self.names()} FROM (SELECT key, ({self.score()})::float8 AS score "  # noqa: S608
            f'FROM search_document WHERE {where} ORDER BY score DESC, key COLLATE "C" '
            f"LIMIT {self.param(limit)} OFFSET {self.param(offset)}) AS best "
            'JOIN search_document USING (key) ORDER BY best.score DESC, key COLLATE "C"'
        )

    def counts(self, where: str, *, with_facets: bool) -> str:
        """The number of matches, and of matches per facet term. One pass: the NULL added to each row's
        facets makes a group that counts the rows; unnest in the select list costs much less per row than
        a join to it."""
        if not with_facets:
            return f"SELECT NULL, count(*) FROM search_document WHERE {where}"  # noqa: S608
        return (
            "SELECT facet, count(*) FROM (SELECT unnest(array_append(facets, NULL)) AS facet "  # noqa: S608
            f"FROM search_document WHERE {where}) AS given GROUP BY facet"
        )

    def where(self, request: SearchRequest) -> str:
        query = request.query
        parts = [self._visible()]
        words = [self._word(word, fuzzy=request.fuzzy, ranked=True) for word in query.words]
        if request.any_word and words:
            parts.append(f"({' OR '.join(words)})")
        else:
            parts += words
        parts += [self._phrase(phrase) for phrase in query.phrases]
        parts += [f"NOT {self._word(word, fuzzy=False, ranked=False)}" for word in query.excluded]
        for name, values in request.filters.items():
            if values:
                parts.append(f"facets && {self.param([f'{name}={value}' for value in values])}::text[]")
        return " AND ".join(parts)

    def _visible(self) -> str:
        if self.scope.public_only:
            return "listed"
        return f"(tier <= 1 OR steward = ANY({self.own}))" if self.own else "tier <= 1"

    def _word(self, word: Word, *, fuzzy: bool, ranked: bool) -> str:
        queries = {}
        for kind, values in (("text", word.terms), ("keys", word.keys)):
            alternatives = self._alternatives(word, values, fuzzy)
            if alternatives:
                queries[kind] = f"{self.param(alternatives)}::tsquery"
                if ranked:
                    self.ranked[kind].append(alternatives)
        return self._anywhere(queries)

    def _alternatives(self, word: Word, values: frozenset[str], fuzzy: bool) -> str:
        lexemes: list[str] = []
        for value in sorted(v for v in values if v and _fits(v)):
            if word.prefix and len(value) >= 2:
                lexemes.append(f"{lexeme(value)}:*")
                continue
            lexemes.append(lexeme(value))
            if _fuzzy(word, value, fuzzy):
                lexemes += [lexeme(term) for term in sorted(self.near.get(value, ()))]
        return " | ".join(dict.fromkeys(lexemes))

    def _phrase(self, terms: tuple[str, ...]) -> str:
        self.ranked["text"].append(" | ".join(lexeme(term) for term in terms))
        return self._anywhere({"text": f"{self.param(' <-> '.join(lexeme(t) for t in terms))}::tsquery"})

    def _anywhere(self, queries: dict[str, str]) -> str:
        """Matched in the view's columns, or in the internal ones on records of the searcher's steward."""
        options = [f"{kind}_{self.view} @@ {query}" for kind, query in queries.items()]
        if self.own and queries:
            internal = " OR ".join(f"{kind}_int @@ {query}" for kind, query in queries.items())
            options.append(f"(steward = ANY({self.own}) AND ({internal}))")
        return f"({' OR '.join(options)})" if options else "FALSE"

    def score(self) -> str:
        """Rank by the query's terms in text and keys: ts_rank per column, keys weighing more, longer
        texts a little less (ts_rank's normalisation 1), internal columns only on the steward's rows."""
        visible: list[str] = []
        internal: list[str] = []
        for kind, weight, normalisation in (("text", 1.0, 1), ("keys", NAME_BOOST, 0)):
            if self.ranked[kind]:
                query = self.param(" | ".join(f"({alternatives})" for alternatives in self.ranked[kind]))
                for view, ranks in ((self.view, visible), ("int", internal)):
                    rank = f"ts_rank({kind}_{view}, {query}::tsquery, {normalisation})"
                    ranks.append(f"{weight}::float8 * {rank}")
        if self.own and internal:
            visible.append(f"CASE WHEN steward = ANY({self.own}) THEN {' + '.join(internal)} ELSE 0 END")
        return " + ".join(visible) or "0"

    def names(self) -> str:
        if self.scope.public_only:
            return "names_pub"
        if self.own:
            return f"names_open || CASE WHEN steward = ANY({self.own}) THEN names_int ELSE '{{}}'::text[] END"
        return "names_open"
