"""``/search``: the network's records matching words, names in any spelling and facet filters.

Filters are the facet names as query parameters, repeatable (``?region=RU-MOW&region=RU-SPE&area=torture``):
values of one filter are alternatives, different filters must all hold. Results hold only the records the
caller may read, and snippets only the words they may read.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from khronika.api.auth import actor
from khronika.api.schemas import READ_ERRORS, ErrorOut
from khronika.search import selectors

router = Router(tags=["search"])


class SnippetPart(Schema):
    text: str
    match: bool


class SearchItem(Schema):
    type: str
    id: str
    title: str
    url: str
    snippet: list[SnippetPart]


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class FacetOut(Schema):
    name: str
    label: str
    values: list[FacetValueOut]


class SearchOut(Schema):
    q: str
    count: int = Field(description="Matches in all; pages stop at 10,000.")
    limit: int
    offset: int
    near_matches: bool = Field(description="Nothing matched exactly; the items are close spellings.")
    items: list[SearchItem]
    facets: list[FacetOut]


def search_answer(result: selectors.SearchPage) -> dict[str, Any]:
    return {
        "q": result.q,
        "count": result.total,
        "limit": result.limit,
        "offset": result.offset,
        "near_matches": result.fuzzy,
        "items": [
            {
                "type": row.kind,
                "id": str(row.id),
                "title": row.title,
                "url": row.url,
                "snippet": [{"text": text, "match": match} for text, match in row.snippet],
            }
            for row in result.rows
        ],
        "facets": [
            {"name": g.name, "label": g.label, "values": [vars(v) for v in g.values]} for g in result.facets
        ],
    }


@router.get(
    "/search",
    response={200: SearchOut, READ_ERRORS: ErrorOut},
    summary="Search records",
    description=(
        'Query parameters: `q` (words in any form, names in Cyrillic or any Latin spelling, "a phrase", '
        "prefix*, -excluded), `limit` (1-100, default 20), `offset`, and filters by facet: "
        "`type`, `kind`, `region`, `district`, `area`, `status`, `year` and those later kinds add, each "
        "repeatable. An unknown parameter that looks like a filter is refused with 422."
    ),
)
def search(
    request: HttpRequest,
    q: str = Query("", max_length=500),
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0, le=selectors.MAX_RESULTS),
) -> Any:
    known = {"q", "limit", "offset"}
    filters = {name: request.GET.getlist(name) for name in request.GET if name not in known}
    result = selectors.search_records(actor=actor(request), q=q, filters=filters, offset=offset, limit=limit)
    return search_answer(result)
