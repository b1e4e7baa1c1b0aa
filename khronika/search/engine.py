"""Asking the configured backend, the same way for every interface.

``find`` brings the index up to date with the change log, asks the backend, falls back to typo-tolerant
matching when nothing matches exactly, and re-ranks the best few hits by how closely their names match
the query (word order and a missing patronymic do not matter; see ``search.names``).
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed

from khronika.search import names
from khronika.search.backends.base import SearchBackend
from khronika.search.query import Found, Hit, SearchRequest

RERANK_DEPTH = 30
# Near matches of a misspelt name are many and score alike; the right one is found by its whole name.
FUZZY_RERANK_DEPTH = 200
NAME_MATCH = 80.0

_backend: SearchBackend | None = None
_backend_lock = threading.Lock()


def backend() -> SearchBackend:
    """The node's search backend (one per process)."""
    global _backend
    with _backend_lock:
        if _backend is None:
            _backend = _make_backend()
        return _backend


def _make_backend() -> SearchBackend:
    if settings.KHRONIKA_SEARCH_BACKEND == "postgres":
        from khronika.search.backends.postgres_backend import PostgresBackend

        return PostgresBackend()
    from khronika.search.backends.tantivy_backend import TantivyBackend

    return TantivyBackend(Path(settings.KHRONIKA_SEARCH_INDEX))


def reset_backend(**_: object) -> None:
    """Forget the backend (tests point each test at an index of its own)."""
    global _backend
    with _backend_lock:
        if _backend is not None:
            _backend.close()
        _backend = None


def _on_setting_changed(*, setting: str, **_: object) -> None:
    if setting in {"KHRONIKA_SEARCH_BACKEND", "KHRONIKA_SEARCH_INDEX"}:
        reset_backend()


setting_changed.connect(_on_setting_changed)


def find(request: SearchRequest, *, catch_up: bool = True) -> Found:
    """The records for ``request``: exact matches first; typo-tolerant ones when there are none."""
    from khronika.search.indexer import index_sync

    if catch_up:
        index_sync()
    engine = backend()
    window = replace(request, offset=0, limit=max(request.offset + request.limit, RERANK_DEPTH))
    found = engine.search(window)
    depth = RERANK_DEPTH
    if found.total == 0 and not request.query.empty and not request.fuzzy:
        # Near matches: every word within an edit or two; failing that, records matching some of the
        # words, which the re-ranking sorts by how well the whole name matches.
        depth = FUZZY_RERANK_DEPTH
        near = replace(window, fuzzy=True, limit=max(window.limit, depth))
        found = engine.search(near)
        if found.total == 0 and len(request.query.words) > 1:
            found = engine.search(replace(near, any_word=True))
        found.fuzzy = True
    found.hits = rerank(found.hits, request.query.text, depth=depth)[
        request.offset : request.offset + request.limit
    ]
    return found


def rerank(hits: list[Hit], text: str, *, depth: int = RERANK_DEPTH) -> list[Hit]:
    """Among the first hits, put records whose names match the query closely first, closest first; the
    rest keep the backend's order. A topic query ("задержания в Москве") matches no name and is left as
    it was."""
    if not text or not hits:
        return hits
    head, tail = hits[:depth], hits[depth:]
    scored = [
        (max((names.name_similarity(text, n) for n in hit.names), default=0.0), i)
        for i, hit in enumerate(head)
    ]
    close = sorted(((s, i) for s, i in scored if s >= NAME_MATCH), key=lambda pair: (-pair[0], pair[1]))
    chosen = {i for _, i in close}
    return [head[i] for _, i in close] + [hit for i, hit in enumerate(head) if i not in chosen] + tail
