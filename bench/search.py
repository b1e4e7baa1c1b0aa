"""Search speed at realistic size: our two backends and plain SQLite FTS5 on one synthetic corpus.

    .venv/bin/python bench/search.py --docs 1000000 [--database-url postgres://…] [--queries 300]
        [--backends tantivy,postgres,fts5] [--seed 1968] [--work-dir DIR] [--class-budget 120]

The corpus (``bench/search_corpus.py``: organisation-, person- and note-like records, seeded) is
generated once into a file of the work directory; each backend then runs in a process of its own (this
script again, with ``--only``), so that its peak RSS (``ru_maxrss``) is its own, and reports in JSON:

- build: every document goes through our analysis and into the index (``replace_all`` for our
  backends), as ``khronika search reindex`` does it: ``search.fields.analyse_all`` analyses in
  ``--workers`` forked processes (default: one per core, up to four) while this one writes the index.
  The rate counts both, for all three columns; reading the corpus file is timed apart (it is done in
  the writing process) and left out. What follows the build is shown apart: nothing for tantivy (its
  merges finish inside ``replace_all``), ``VACUUM ANALYZE`` for PostgreSQL, ``optimize`` for FTS5;
- index size: tantivy's directory; for PostgreSQL the backend's relations with their indexes and TOAST;
  FTS5's database file;
- p50/p99 over ``--queries`` different queries per class, after a few unmeasured ones. Classes: a common
  word, a rare word, two words, a phrase, a prefix, a person's name in Latin letters (all for a signed-in
  member without internal rights), a mix of those for an anonymous reader (public scope) and for a member
  of one steward (its records' internal words too), and facet counts (the same mixed queries with facets,
  timed against the same query without). Every backend is asked as ``engine.find`` asks ours: for a
  window of ``RERANK_DEPTH`` hits with the total, cut to the top 10; our backends through
  ``backend.search`` (no change-log catch-up; no typo fallback, which these queries never need). The
  name ``rerank`` that ``engine.find`` runs on the window is not cheap, so the main table leaves it out
  and a second table shows the times with it. A class stops early after ``--class-budget`` seconds; its
  cells then say how many queries they hold. Other load on the machine shows in the load averages printed.

FTS5 set-up: one FTS5 table with a column per tier view of our analysed terms and name keys (``text_pub``,
``keys_pub``, ``text_open``, ``keys_open``, ``text_int``, ``keys_int``), written as ``index_fields`` made
them, so every backend matches the same terms, and an ``owner`` column holding the steward as one token.
The tokenizer is ``unicode61`` with diacritics kept, marks as letters, and ``'`` and ``.`` as word
characters, so each of our terms stays one token. A query word is ``text_V : (terms) OR keys_V : (keys)``
for the reader's view V, plus ``(text_int : … OR keys_int : …) AND owner : (steward)`` for a member of a
steward; phrases are FTS5 phrases, prefixes FTS5 prefix queries (no prefix index). Ranking is FTS5's
``bm25`` with name keys weighing 1.5, top 10 without a re-rank; the reader's visibility (``listed``, or
``tier <= 1`` or the own steward) is a join on a plain table by rowid, and facet counts a ``GROUP BY``
over a table of (document, facet term) joined on the matches. The total comes from a ``count(*)`` of the
matches, or with facets from the type facet, which every document has once.

Targets for the default backend (tantivy): ranked top-10 <= 2 ms p50 and <= 10 ms p99, facet counts
<= 5 ms p50, build >= 15,000 docs/s, peak RSS <= 1 GiB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.search_corpus import (  # noqa: E402
    QUERY_CLASSES,
    SyntheticCorpus,
    corpus_header,
    read_corpus,
    write_corpus,
)
from khronika.search.backends.base import Cursor, SearchBackend  # noqa: E402
from khronika.search.engine import RERANK_DEPTH, rerank  # noqa: E402
from khronika.search.fields import TYPE_FACET, IndexedFields, analyse_all, analysis_workers  # noqa: E402
from khronika.search.query import Found, Hit, Query, Scope, SearchRequest, Word, parse  # noqa: E402

BACKENDS = ("tantivy", "postgres", "fts5")
WARMUP = 10
TOP = 10
TARGET_P50_MS = 2.0
TARGET_P99_MS = 10.0
TARGET_FACETS_P50_MS = 5.0
TARGET_BUILD_RATE = 15_000
TARGET_RSS_MB = 1024
RANKED_CLASSES = (*QUERY_CLASSES, "public", "member")


class BenchIndex(Protocol):
    reranks: bool  # whether engine.find's name re-rank applies

    def build(self, documents: Iterable[IndexedFields]) -> None: ...

    def settle(self) -> str:
        """Work a node does once after a bulk build; returns its name."""

    def size_bytes(self) -> int: ...

    def search(self, request: SearchRequest) -> Found: ...


# --- our backends -------------------------------------------------------------------------------------


class OurBackend:
    """One of our backends, asked through ``backend.search`` (no change-log catch-up)."""

    reranks = True

    def __init__(self, backend: SearchBackend) -> None:
        self.backend = backend

    def build(self, documents: Iterable[IndexedFields]) -> None:
        self.backend.replace_all(documents, cursor=Cursor(seq=0, stamp="bench"))

    def settle(self) -> str:
        if self.backend.name != "postgres":
            return "none (merges end inside replace_all)"
        from django.db import connection  # only the PostgreSQL process sets Django up

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_document, search_term")
        return "VACUUM ANALYZE"

    def size_bytes(self) -> int:
        return self.backend.size_bytes()

    def search(self, request: SearchRequest) -> Found:
        return self.backend.search(request)


# --- SQLite FTS5 --------------------------------------------------------------------------------------

FTS5_COLUMNS = ("text_pub", "keys_pub", "text_open", "keys_open", "text_int", "keys_int")
FTS5_TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* N* Co M*' tokenchars '''.'"
FTS5_SCHEMA = [
    "CREATE TABLE doc (id INTEGER PRIMARY KEY, key TEXT NOT NULL, steward TEXT NOT NULL, "
    "tier INTEGER NOT NULL, listed INTEGER NOT NULL)",
    f'CREATE VIRTUAL TABLE fts USING fts5({", ".join(FTS5_COLUMNS)}, owner, tokenize="{FTS5_TOKENIZER}")',
    "CREATE TABLE facet (doc INTEGER NOT NULL, term TEXT NOT NULL, PRIMARY KEY (doc, term)) WITHOUT ROWID",
]
FTS5_RANK = "bm25(fts, 1.0, 1.5, 1.0, 1.5, 1.0, 1.5, 0.0)"
FTS5_BATCH = 5000


def fts5_quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def owner_token(steward: object) -> str:
    return "s" + str(steward).replace("-", "") if steward else ""


class Fts5Match:
    """A parsed query as an FTS5 MATCH expression over the reader's view (see the module docstring)."""

    def __init__(self, scope: Scope) -> None:
        self.view = "pub" if scope.public_only else "open"
        stewards = [] if scope.public_only else sorted(map(owner_token, scope.internal_stewards))
        self.owners = " OR ".join(map(fts5_quoted, stewards))

    def expression(self, query: Query) -> str:
        parts = [self._word(word) for word in query.words] + [self._phrase(p) for p in query.phrases]
        found = " AND ".join(parts)
        return found + "".join(f" NOT {self._word(word)}" for word in query.excluded)

    def _word(self, word: Word) -> str:
        terms, keys = _alternatives(word.terms, word.prefix), _alternatives(word.keys, word.prefix)
        options = [
            f"{kind}_{self.view} : ({values})" for kind, values in (("text", terms), ("keys", keys)) if values
        ]
        if self.owners and options:
            internal = [
                f"{kind}_int : ({values})" for kind, values in (("text", terms), ("keys", keys)) if values
            ]
            options.append(f"(({' OR '.join(internal)}) AND owner : ({self.owners}))")
        return f"({' OR '.join(options)})"

    def _phrase(self, terms: tuple[str, ...]) -> str:
        phrase = " + ".join(map(fts5_quoted, terms))
        options = [f"text_{self.view} : ({phrase})"]
        if self.owners:
            options.append(f"(text_int : ({phrase}) AND owner : ({self.owners}))")
        return f"({' OR '.join(options)})"


def _alternatives(values: frozenset[str], prefix: bool) -> str:
    return " OR ".join(fts5_quoted(v) + ("*" if prefix and len(v) >= 2 else "") for v in sorted(values) if v)


class Fts5Index:
    reranks = False

    def __init__(self, path: Path) -> None:
        self.path = path
        for leftover in path.parent.glob(path.name + "*"):  # of an interrupted run
            leftover.unlink()
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("PRAGMA cache_size = -65536")  # 64 MB
        for statement in FTS5_SCHEMA:
            self.db.execute(statement)

    def build(self, documents: Iterable[IndexedFields]) -> None:
        self.db.execute("BEGIN")
        first, batch = 1, list[IndexedFields]()
        for fields in documents:
            batch.append(fields)
            if len(batch) >= FTS5_BATCH:
                self._insert(first, batch)
                first, batch = first + len(batch), []
        self._insert(first, batch)
        self.db.execute("COMMIT")

    def _insert(self, first: int, batch: list[IndexedFields]) -> None:
        rows = list(enumerate(batch, start=first))
        self.db.executemany(
            "INSERT INTO doc VALUES (?, ?, ?, ?, ?)",
            [(rowid, f.key, f.steward, f.tier, int(f.listed)) for rowid, f in rows],
        )
        self.db.executemany(
            f"INSERT INTO fts (rowid, {', '.join(FTS5_COLUMNS)}, owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
            [(rowid, *(getattr(f, c) for c in FTS5_COLUMNS), owner_token(f.steward)) for rowid, f in rows],
        )
        self.db.executemany(
            "INSERT OR IGNORE INTO facet VALUES (?, ?)",
            [(rowid, term) for rowid, f in rows for term in f.facets],
        )

    def settle(self) -> str:
        self.db.execute("INSERT INTO fts (fts) VALUES ('optimize')")
        self.db.execute("ANALYZE")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return "optimize, ANALYZE"

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*"))

    def search(self, request: SearchRequest) -> Found:
        match = Fts5Match(request.scope).expression(request.query)
        visible, params = _fts5_visible(request.scope)
        joined = f"FROM fts CROSS JOIN doc AS d ON d.id = fts.rowid WHERE fts MATCH ? AND {visible}"
        rows = self.db.execute(
            f"SELECT d.key, {FTS5_RANK} AS score {joined} ORDER BY score LIMIT ? OFFSET ?",
            [match, *params, request.limit, request.offset],
        ).fetchall()
        hits = [_hit(key, -score) for key, score in rows]
        if not request.with_facets:
            (total,) = self.db.execute(f"SELECT count(*) {joined}", [match, *params]).fetchone()
            return Found(total=int(total), hits=hits)
        counts: dict[str, dict[str, int]] = {}
        with_facet = joined.replace(" WHERE", " CROSS JOIN facet AS f ON f.doc = d.id WHERE")
        for term, count in self.db.execute(
            f"SELECT f.term, count(*) {with_facet} GROUP BY f.term", [match, *params]
        ):
            name, _, value = str(term).partition("=")
            counts.setdefault(name, {})[value] = int(count)
        return Found(total=sum(counts.get(TYPE_FACET, {}).values()), hits=hits, facets=counts)


def _fts5_visible(scope: Scope) -> tuple[str, list[str]]:
    if scope.public_only:
        return "d.listed = 1", []
    stewards = sorted(str(s) for s in scope.internal_stewards)
    if not stewards:
        return "d.tier <= 1", []
    return f"(d.tier <= 1 OR d.steward IN ({', '.join('?' * len(stewards))}))", stewards


def _hit(key: str, score: float) -> Hit:
    kind, _, record_id = key.partition(":")
    return Hit(kind=kind, id=uuid.UUID(record_id), score=score)


# --- one backend, in its own process ------------------------------------------------------------------


class Skipped(Exception):
    """The backend cannot run here; the message says why."""


def setup_django(work_dir: Path, database_url: str) -> None:
    """A throw-away node on ``database_url``, as ``bench/directory.py`` makes one, at home in the work
    directory."""
    home = work_dir / "node"
    os.environ["KHRONIKA_HOME"] = str(home)
    os.environ["KHRONIKA_DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "khronika.settings"
    from khronika import options

    options.init_home(home)
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # static files come from the package
    django.setup()


def open_index(name: str, work_dir: Path, database_url: str | None) -> BenchIndex:
    if name == "tantivy":
        from khronika.search.backends.tantivy_backend import TantivyBackend

        return OurBackend(TantivyBackend(work_dir / "tantivy-index"))
    if name == "fts5":
        return Fts5Index(work_dir / "fts5.sqlite3")
    if not database_url:
        raise Skipped("no --database-url given")
    setup_django(work_dir, database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    try:
        from khronika.search.backends.postgres_backend import PostgresBackend

        return OurBackend(PostgresBackend())
    except Exception as exc:  # unfinished or misconfigured: report and go on
        raise Skipped(f"PostgresBackend() failed: {type(exc).__name__}: {exc}") from exc


@dataclass
class BuildClock:
    loading: float = 0.0
    documents: int = 0


def read_timed(documents: Iterator[Any], clock: BuildClock) -> Iterator[Any]:
    """The corpus's documents, timing how long reading them takes (left out of the build)."""
    while True:
        before = time.perf_counter()
        document = next(documents, None)
        clock.loading += time.perf_counter() - before
        if document is None:
            return
        yield document


def counted(fields: Iterator[IndexedFields], clock: BuildClock, label: str) -> Iterator[IndexedFields]:
    started = time.perf_counter()
    for item in fields:
        clock.documents += 1
        if clock.documents % 100_000 == 0:
            rate = clock.documents / (time.perf_counter() - started - clock.loading)
            print(f"  {label}: {clock.documents:,} documents, {rate:,.0f}/s", file=sys.stderr, flush=True)
        yield item


def measure_build(index: BenchIndex, corpus_file: Path, label: str, workers: int) -> dict[str, Any]:
    """The build as ``search reindex`` does it: documents analysed by ``search.fields.analyse_all`` in
    ``workers`` processes and written by the index in this one."""
    clock = BuildClock()
    started = time.perf_counter()
    documents = read_timed(read_corpus(corpus_file), clock)
    index.build(counted(analyse_all(documents, workers=workers), clock, label))
    elapsed = time.perf_counter() - started
    settle_started = time.perf_counter()
    settled = index.settle()
    return {
        "documents": clock.documents,
        "build_s": elapsed - clock.loading,
        "workers": workers,
        "loading_s": clock.loading,
        "settle": settled,
        "settle_s": time.perf_counter() - settle_started,
    }


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def ask(index: BenchIndex, request: SearchRequest) -> tuple[Found, float, float]:
    """The top hits as ``engine.find`` gets them: a window of ``RERANK_DEPTH`` hits from the backend,
    re-ranked by name (our backends only), cut to the request's page; with the seconds of each step."""
    window = replace(request, offset=0, limit=max(request.offset + request.limit, RERANK_DEPTH))
    started = time.perf_counter()
    found = index.search(window)
    searched = time.perf_counter()
    if index.reranks:
        found.hits = rerank(found.hits, request.query.text)
    found.hits = found.hits[request.offset : request.offset + request.limit]
    return found, searched - started, time.perf_counter() - searched


def time_class(index: BenchIndex, requests: list[SearchRequest], budget: float) -> dict[str, Any]:
    for request in requests[:WARMUP]:
        ask(index, request)
    searches, whole, totals = [], [], []
    deadline = time.perf_counter() + budget
    for request in requests[WARMUP:]:
        found, searching, reranking = ask(index, request)
        searches.append(searching * 1000)
        whole.append((searching + reranking) * 1000)
        totals.append(found.total)
        if time.perf_counter() > deadline:
            break
    p50, p99 = percentiles(searches)
    whole_p50, whole_p99 = percentiles(whole)
    figures: dict[str, Any] = {"p50": p50, "p99": p99, "n": len(searches), "totals": totals}
    return figures | {"reranked_p50": whole_p50, "reranked_p99": whole_p99}


def time_facets(index: BenchIndex, requests: list[SearchRequest], budget: float) -> dict[str, Any]:
    """Each query without facets and with them, in turn: the time with facets and the extra they take."""
    for request in requests[:WARMUP]:
        ask(index, request)
    with_facets, extra, totals = [], [], []
    deadline = time.perf_counter() + budget
    for request in requests[WARMUP:]:
        _found, alone, _ = ask(index, replace(request, with_facets=False))
        found, faceted, _ = ask(index, request)
        with_facets.append(faceted * 1000)
        extra.append((faceted - alone) * 1000)
        totals.append(found.total)
        if time.perf_counter() > deadline:
            break
    p50, p99 = percentiles(with_facets)
    extra_p50, extra_p99 = percentiles(extra)
    figures: dict[str, Any] = {"p50": p50, "p99": p99, "n": len(with_facets), "totals": totals}
    return figures | {"extra_p50": extra_p50, "extra_p99": extra_p99}


def build_requests(corpus: SyntheticCorpus, count: int) -> dict[str, list[SearchRequest]]:
    """The requests of every class. The mixed classes take the second half of each class's queries."""
    per_class = count + WARMUP
    texts = corpus.queries(count=2 * per_class)
    member = Scope(public_only=False)

    def request(text: str, scope: Scope = member, *, facets: bool = False) -> SearchRequest:
        return SearchRequest(query=parse(text), scope=scope, limit=TOP, with_facets=facets)

    def mixed(i: int) -> str:
        items = texts[QUERY_CLASSES[i % len(QUERY_CLASSES)]]
        return items[(per_class + i // len(QUERY_CLASSES)) % len(items)]

    rng = random.Random(corpus.seed ^ 0x5C0)
    stewards = corpus.stewards
    requests = {name: [request(text) for text in texts[name][:per_class]] for name in QUERY_CLASSES}
    requests["public"] = [request(mixed(i), Scope(public_only=True)) for i in range(per_class)]
    requests["member"] = [
        request(mixed(i), Scope(public_only=False, internal_stewards=frozenset({rng.choice(stewards)})))
        for i in range(per_class)
    ]
    requests["facets"] = [request(mixed(i), facets=True) for i in range(per_class)]
    requests["facets_common"] = [request(text, facets=True) for text in texts["common"][:per_class]]
    return requests


def run_one(args: argparse.Namespace) -> dict[str, Any]:
    work_dir = Path(args.work_dir)
    corpus_file = Path(args.corpus)
    header = corpus_header(corpus_file)
    if header is None:
        raise SystemExit(f"{corpus_file} was written by another version of the corpus generator")
    size, seed = header
    result: dict[str, Any] = {
        "backend": args.only,
        "rss_start_mb": max_rss_mb(),
        "load_start": os.getloadavg()[0],
    }
    try:
        index = open_index(args.only, work_dir, args.database_url)
    except Skipped as exc:
        return result | {"skipped": str(exc)}
    result |= measure_build(index, corpus_file, args.only, args.workers)
    result["size_bytes"] = index.size_bytes()
    result["reranks"] = index.reranks
    requests = build_requests(SyntheticCorpus(size=size, seed=seed), args.queries)
    classes = {name: time_class(index, requests[name], args.class_budget) for name in RANKED_CLASSES}
    classes["facets"] = time_facets(index, requests["facets"], args.class_budget)
    classes["facets_common"] = time_class(index, requests["facets_common"], args.class_budget)
    result["classes"] = classes
    result["rss_peak_mb"] = max_rss_mb()
    result["load_end"] = os.getloadavg()[0]
    return result


def python_speed_us() -> float:
    """Microseconds this machine takes for a fixed bit of Python, to compare figures between machines."""
    return min(timeit.repeat("sum(range(1000))", number=1000, repeat=5)) * 1000


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


# --- the parent: corpus, processes, table -------------------------------------------------------------


def ensure_corpus(work_dir: Path, size: int, seed: int) -> tuple[Path, float | None]:
    """The corpus file, generated unless the work directory already holds it; and the seconds taken."""
    path = work_dir / f"corpus-{size}-{seed}.marshal"
    if path.exists() and corpus_header(path) == (size, seed):
        return path, None
    print(f"generating {size:,} documents …", file=sys.stderr, flush=True)
    started = time.perf_counter()
    write_corpus(SyntheticCorpus(size=size, seed=seed), path)
    return path, time.perf_counter() - started


def run_child(name: str, args: argparse.Namespace, work_dir: Path, corpus_file: Path) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--only", name, "--corpus", str(corpus_file)]
    command += ["--work-dir", str(work_dir), "--queries", str(args.queries)]
    command += ["--class-budget", str(args.class_budget), "--workers", str(args.workers)]
    if args.database_url:
        command += ["--database-url", args.database_url]
    print(f"{name}: building and querying …", file=sys.stderr, flush=True)
    started = time.perf_counter()
    finished = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)  # noqa: S603
    lines = finished.stdout.strip().splitlines()
    if finished.returncode != 0 or not lines:
        return {"backend": name, "skipped": f"its process failed (exit {finished.returncode}); see above"}
    return json.loads(lines[-1]) | {"wall_s": time.perf_counter() - started}


# --- the table ----------------------------------------------------------------------------------------

Row = tuple[str, list[str], str]
Result = dict[str, Any]
RANKED_LABELS = {
    "common": "common term",
    "rare": "rare term",
    "two": "two terms",
    "phrase": "phrase",
    "prefix": "prefix",
    "name": "name in Latin letters",
    "public": "anonymous (public scope), mixed",
    "member": "member of one steward, mixed",
}


def _built(result: Result) -> bool:
    return "classes" in result


def _latency(result: Result, name: str, wanted: int, low: str = "p50", high: str = "p99") -> str:
    if not _built(result):
        return "—"
    figures = result["classes"][name]
    cell = f"{figures[low]:.2f} / {figures[high]:.2f}"
    return cell + (f" (n={figures['n']})" if figures["n"] < wanted else "")


def _target(text: str, ours: Result | None, test: Callable[[Result], bool]) -> str:
    """The target, with ✓ or ✗ for the default backend's figure when there is one."""
    if ours is None:
        return text
    return f"{text} {'✓' if test(ours) else '✗'}"


def _rate(result: Result) -> float:
    return float(result["documents"] / result["build_s"])


def _ranked_ok(name: str) -> Callable[[Result], bool]:
    def ok(result: Result) -> bool:
        figures = result["classes"][name]
        return bool(figures["p50"] <= TARGET_P50_MS and figures["p99"] <= TARGET_P99_MS)

    return ok


def _build_rows(results: list[Result], ours: Result | None) -> list[Row]:
    def each(show: Callable[[Result], str]) -> list[str]:
        return [show(r) if _built(r) else "—" for r in results]

    rate_target = _target(f"≥ {TARGET_BUILD_RATE:,}", ours, lambda r: _rate(r) >= TARGET_BUILD_RATE)
    return [
        ("build, docs/s (analysis + indexing)", each(lambda r: f"{_rate(r):,.0f}"), rate_target),
        (
            "  build, s (analysing processes)",
            each(lambda r: f"{r['build_s']:.1f} ({r.get('workers', 1)})"),
            "",
        ),
        ("  after the build, s", each(lambda r: f"{r['settle_s']:.1f}" if r["settle_s"] > 0.05 else "—"), ""),
        ("index size, bytes", each(lambda r: f"{r['size_bytes']:,}"), ""),
    ]


def _query_rows(results: list[Result], ours: Result | None, wanted: int) -> list[Row]:
    blank = ["" for _ in results]
    rows: list[Row] = [("ranked top-10, ms p50 / p99", blank, "")]
    for name, label in RANKED_LABELS.items():
        target = _target("≤ 2 / ≤ 10", ours, _ranked_ok(name))
        rows.append((f"  {label}", [_latency(r, name, wanted) for r in results], target))
    facets_target = _target(
        f"≤ {TARGET_FACETS_P50_MS:g} p50",
        ours,
        lambda r: r["classes"]["facets"]["p50"] <= TARGET_FACETS_P50_MS,
    )
    rows += [
        ("facet counts, ms p50 / p99", blank, ""),
        ("  top-10 with facets, mixed", [_latency(r, "facets", wanted) for r in results], facets_target),
        (
            "  facets' extra over the top-10 alone",
            [_latency(r, "facets", wanted, "extra_p50", "extra_p99") for r in results],
            "",
        ),
        ("  top-10 with facets, common term", [_latency(r, "facets_common", wanted) for r in results], ""),
    ]
    return rows


def _memory_rows(results: list[Result], ours: Result | None) -> list[Row]:
    rss_target = _target(f"≤ {TARGET_RSS_MB:,}", ours, lambda r: r["rss_peak_mb"] <= TARGET_RSS_MB)
    return [
        (
            "peak RSS, MB (build + queries)",
            [f"{r['rss_peak_mb']:,.0f}" if _built(r) else "—" for r in results],
            rss_target,
        ),
        (
            "  RSS before the build, MB",
            [f"{r['rss_start_mb']:,.0f}" if _built(r) else "—" for r in results],
            "",
        ),
    ]


def _reranked_rows(results: list[Result], wanted: int) -> list[Row]:
    rows: list[Row] = []
    for name, label in RANKED_LABELS.items():
        cells = [
            _latency(r, name, wanted, "reranked_p50", "reranked_p99") if r.get("reranks") else "—"
            for r in results
        ]
        rows.append((f"  {label}", cells, ""))
    return rows


def _match_rows(results: list[Result], wanted: int) -> list[Row]:
    """Mean matches over the queries every backend answered (a budget may have cut some classes short)."""
    built = [r for r in results if _built(r)]
    rows: list[Row] = []
    for name in (*RANKED_CLASSES, "facets", "facets_common"):
        common = min((r["classes"][name]["n"] for r in built), default=0)
        cut = f" (first {common})" if 0 < common < wanted else ""
        label = RANKED_LABELS.get(name, name.replace("_", ", ")) + cut
        cells = [
            f"{statistics.mean(r['classes'][name]['totals'][:common]):,.1f}" if _built(r) and common else "—"
            for r in results
        ]
        rows.append((f"  {label}", cells, ""))
    return rows


def _tables(sections: list[tuple[str, list[Row]]], names: list[str]) -> list[str]:
    """Tables under their titles, their columns aligned across all of them."""
    heading = ["", *names, "target (tantivy)"]
    cells = [[label, *values, target] for _, rows in sections for label, values, target in rows]
    widths = [max(len(line[column]) for line in [heading, *cells]) + 2 for column in range(len(heading))]

    def line(values: list[str]) -> str:
        return "".join(value.ljust(width) for value, width in zip(values, widths, strict=True)).rstrip()

    lines = [line(heading)]
    for title, rows in sections:
        lines += ["", title] if title else []
        lines += [line([label, *values, target]) for label, values, target in rows]
    return lines


def report(args: argparse.Namespace, results: dict[str, Result], generated: float | None) -> str:
    names, columns = list(results), list(results.values())
    ours = next((r for r in columns if r["backend"] == "tantivy" and _built(r)), None)
    made = f"generated in {generated:.0f} s" if generated is not None else "read from the work directory"
    rows = _build_rows(columns, ours) + _query_rows(columns, ours, args.queries) + _memory_rows(columns, ours)
    sections = [
        ("", rows),
        (
            "mean matches per query (the total found), to check that the backends match alike:",
            _match_rows(columns, args.queries),
        ),
        (
            "ranked top-10 with engine.find's name re-rank after the search (our backends), ms p50 / p99:",
            _reranked_rows(columns, args.queries),
        ),
    ]
    lines = [
        f"Khronika search benchmark: {args.docs:,} synthetic documents (seed {args.seed}), "
        f"{args.queries} queries per class, {os.cpu_count()} CPUs, "
        f"sum(range(1000)) in {python_speed_us():.0f} µs",
        f"corpus {made} (not part of any figure)",
        "",
        *_tables(sections, names),
        "",
    ]
    lines += [_notes(result) for result in columns]
    return "\n".join(lines)


def _notes(result: Result) -> str:
    if "skipped" in result:
        return f"{result['backend']}: skipped — {result['skipped']}"
    parts = [f"{result['backend']}: after the build, {result['settle']}"]
    parts.append(f"reading the corpus file ({result['loading_s']:.1f} s) left out of the build")
    parts.append(f"its process ran {result.get('wall_s', 0):.0f} s")
    parts.append(f"load average {result['load_start']:.1f} at its start, {result['load_end']:.1f} at its end")
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--seed", type=int, default=1968)
    parser.add_argument("--database-url", default=None, help="PostgreSQL database the benchmark may fill")
    parser.add_argument("--work-dir", default=None, help="kept afterwards, with its corpus file for reuse")
    parser.add_argument("--class-budget", type=float, default=120.0, help="seconds per query class at most")
    parser.add_argument(
        "--workers", type=int, default=analysis_workers(), help="analysing processes (default: as a rebuild)"
    )
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    parser.add_argument("--only", choices=BACKENDS, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:
        print(json.dumps(run_one(args)))
        return
    names = [name.strip() for name in args.backends.split(",") if name.strip()]
    unknown = sorted(set(names) - set(BACKENDS))
    if unknown:
        raise SystemExit(f"unknown backend(s): {', '.join(unknown)}; choose from {', '.join(BACKENDS)}")
    work_dir = Path(args.work_dir) if args.work_dir else Path(tempfile.mkdtemp(prefix="khronika-search-"))
    work_dir.mkdir(parents=True, exist_ok=True)
    try:
        corpus_file, generated = ensure_corpus(work_dir, args.docs, args.seed)
        results = {name: run_child(name, args, work_dir, corpus_file) for name in names}
    finally:
        for leftover in ("tantivy-index", "fts5.sqlite3", "fts5.sqlite3-wal", "fts5.sqlite3-shm"):
            target = work_dir / leftover
            shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
        if not args.work_dir:
            shutil.rmtree(work_dir, ignore_errors=True)
    print(report(args, results, generated))
    if args.json:
        saved = {"arguments": vars(args), "corpus_seconds": generated, "results": results}
        Path(args.json).write_text(json.dumps(saved, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
