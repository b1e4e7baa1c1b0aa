"""A document turned into the fields every backend indexes: analysed terms and name keys, one set per
tier a reader may be given.

- ``*_pub``: what public search reads (public words of a public record);
- ``*_open``: what every member reads (public and network words);
- ``*_int``: what only members of the record's steward read: its internal words, and every word of a
  record that is itself internal.

So the field a word is found in says who may find it: a member's words of other groups' internal
records are in no field the member searches, and a backend needs no filter by tier beside the words.

Both backends store exactly these strings, so a query matches the same records on either.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from khronika.core.tiers import Tier
from khronika.search import analysis, names, registry
from khronika.search.registry import Document

TYPE_FACET = "type"
YEAR_FACET = "year"


@dataclass(frozen=True)
class IndexedFields:
    key: str
    kind: str
    steward: str
    tier: int
    listed: bool
    text_pub: str
    text_open: str
    text_int: str
    keys_pub: str
    keys_open: str
    keys_int: str
    names_pub: list[str] = field(default_factory=list)
    names_open: list[str] = field(default_factory=list)
    names_int: list[str] = field(default_factory=list)
    facets: list[str] = field(default_factory=list)
    day: int | None = None


def facet_names() -> list[str]:
    """Every facet a search can count or filter by: record type, those the kinds declare, year."""
    return [TYPE_FACET, *registry.facets(), YEAR_FACET]


def document_key(kind: str, record_id: object) -> str:
    return f"{kind}:{record_id}"


def facet_term(name: str, value: str) -> str:
    return f"{name}={value}"


def _terms(values: list[str]) -> str:
    # One pass over the joined values: the same terms, a fraction of the calls. A line break between
    # values keeps a number at the end of one from running into the next.
    return " ".join(analysis.terms("\n".join(values))) if values else ""


def _keys(values: list[str]) -> str:
    keys: list[str] = []
    for value in values:
        for part in names.name_parts(value):
            keys.extend(sorted(names.name_keys(part)))
    return " ".join(keys)


def _joined(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def index_fields(doc: Document) -> IndexedFields:
    def at(source: dict[Tier, list[str]], tier: Tier) -> list[str]:
        return source.get(tier, [])

    public_names, network_names = at(doc.names, Tier.PUBLIC), at(doc.names, Tier.NETWORK)
    internal_names = at(doc.names, Tier.INTERNAL)
    facets = [facet_term(TYPE_FACET, doc.kind)]
    facets += [facet_term(name, value) for name, values in doc.facets.items() for value in values]
    if doc.day is not None:
        facets.append(facet_term(YEAR_FACET, str(doc.day.year)))
    listed = doc.listed and doc.tier == Tier.PUBLIC
    # Each tier is analysed once; the member view is the public words followed by the network ones.
    # Names are words too: "Мемориал" is found by its stem as well as by its name key.
    public_terms = _terms(at(doc.texts, Tier.PUBLIC) + public_names)
    public_keys = _keys(public_names)
    open_terms = _joined(public_terms, _terms(at(doc.texts, Tier.NETWORK) + network_names))
    open_keys = _joined(public_keys, _keys(network_names))
    open_names = public_names + network_names
    internal_terms = _terms(at(doc.texts, Tier.INTERNAL) + internal_names)
    internal_keys = _keys(internal_names)
    if doc.tier >= Tier.INTERNAL:
        # A record of its steward's alone: all its words are read as its internal ones are.
        internal_terms, internal_keys = _joined(open_terms, internal_terms), _joined(open_keys, internal_keys)
        internal_names = open_names + internal_names
        open_terms, open_keys, open_names = "", "", []
    return IndexedFields(
        key=document_key(doc.kind, doc.id),
        kind=doc.kind,
        steward=str(doc.steward) if doc.steward else "",
        tier=int(doc.tier),
        listed=listed,
        text_pub=public_terms if listed else "",
        text_open=open_terms,
        text_int=internal_terms,
        keys_pub=public_keys if listed else "",
        keys_open=open_keys,
        keys_int=internal_keys,
        names_pub=public_names if listed else [],
        names_open=open_names,
        names_int=internal_names,
        facets=facets,
        day=doc.day.toordinal() if doc.day else None,
    )


# Documents go to the analysing processes in chunks of this many; a few chunks are in flight at a time.
PARALLEL_CHUNK = 512
PARALLEL_DEPTH = 4


def analyse_all(documents: Iterable[Document], *, workers: int = 1) -> Iterator[IndexedFields]:
    """``index_fields`` of every document, in order, by ``workers`` forked processes when there are more
    than one (analysis is pure Python: more processes, more cores). The documents are read in this thread,
    so that a database cursor behind them stays on its own connection."""
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for document in documents:
            yield index_fields(document)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pending: deque[multiprocessing.pool.AsyncResult[list[IndexedFields]]] = deque()
        source = iter(documents)
        while chunk := list(islice(source, PARALLEL_CHUNK)):
            pending.append(pool.map_async(index_fields, chunk, chunksize=PARALLEL_CHUNK // workers))
            if len(pending) >= PARALLEL_DEPTH:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def analysis_workers() -> int:
    """How many processes a rebuild analyses in: one per core, up to four."""
    return max(1, min(4, os.cpu_count() or 1))
