"""The staff search page, and the list of matches shown under the header's search box as one types."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from khronika.accounts import policies
from khronika.search import selectors

PAGE_SIZE = 20
SUGGESTIONS = 8


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def filters_of(request: HttpRequest) -> dict[str, list[str]]:
    """The facet filters in the query string; other parameters are not filters."""
    return {name: request.GET.getlist(name) for name in selectors.facet_names() if request.GET.getlist(name)}


@require_safe
def search_results(request: HttpRequest) -> HttpResponse:
    result = selectors.search_records(
        actor=policies.require_user(request.user),
        q=request.GET.get("q", ""),
        filters=filters_of(request),
        offset=(_page_number(request) - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    partial = (
        request.headers.get("HX-Request") == "true" and "HX-History-Restore-Request" not in request.headers
    )
    template = "search/_results.html" if partial else "search/results.html"
    response = render(request, template, {"result": result})
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_safe
def search_suggest(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    result = (
        selectors.search_records(
            actor=policies.require_user(request.user), q=q, limit=SUGGESTIONS, typing=True
        )
        if q.strip()
        else None
    )
    return render(request, "search/_suggestions.html", {"result": result, "q": q})
