"""Pages of a query with their total, in one query when the query is filtered.

A filtered list needs the number of matches and one page of them; asked separately, the database
finds the matches twice. A window count (``COUNT(*) OVER ()``) gets both from one pass, which halves
the time of a broad filter on a large directory. An unfiltered list keeps the separate count, which an
index answers at once where a window would have to visit every row.

PostgreSQL is the other way round: it finds a page of a filtered list by walking the name index and
stopping after the page, which a window count prevents (measured at 100k organisations: 8 ms page plus
67 ms count, against 593 ms with the window). So the window is used on SQLite only.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Count, QuerySet, Window

TOTAL = "_total_matches"


def slice_with_total(
    queryset: QuerySet[Any], *, offset: int, limit: int, filtered: bool
) -> tuple[int, list[Any]]:
    """``limit`` rows from ``offset`` and the number of all rows of ``queryset``."""
    if not filtered or connections[queryset.db].vendor != "sqlite":
        return queryset.count(), list(queryset[offset : offset + limit])
    rows = list(queryset.annotate(**{TOTAL: Window(Count("pk"))})[offset : offset + limit])
    if rows:
        return getattr(rows[0], TOTAL), rows
    return queryset.count(), []


def page_with_total(queryset: QuerySet[Any], *, number: Any, per_page: int, filtered: bool) -> Page:
    """A paginator page, as ``Paginator.get_page`` gives it (a page number out of range or not a number
    gives the nearest page), fetched with ``slice_with_total``."""
    try:
        wanted = max(1, int(number))
    except (TypeError, ValueError):
        wanted = 1
    total, rows = slice_with_total(
        queryset, offset=(wanted - 1) * per_page, limit=per_page, filtered=filtered
    )
    paginator = Paginator(queryset, per_page)
    paginator.count = total  # type: ignore[misc]  # the total is known; no second count query
    last = paginator.num_pages
    if wanted > last:
        wanted = last
        rows = list(queryset[(wanted - 1) * per_page : wanted * per_page])
    return Page(rows, wanted, paginator)
