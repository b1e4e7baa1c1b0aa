"""The public directory: what anyone may read, without signing in and without a cookie.

Pages read only public projections (``public_only``), never the visitor: even a signed-in member sees
here what the public sees. Nothing here touches the session, the CSRF token or messages, so an anonymous
visitor gets no cookie; the language travels in ``?lang=`` instead. Pages load nothing from another origin,
and the Content-Security-Policy header says so to the browser: the node's policy
(``settings.CONTENT_SECURITY_POLICY``), narrowed here to a site that runs no script and fetches nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from csp.decorators import csp_replace
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from khronika.core.errors import NotFound
from khronika.directory import selectors
from khronika.public.forms import DirectoryFilterForm

PAGE_SIZE = 25
View = TypeVar("View", bound=Callable[..., HttpResponse])
# Without these sources, scripts, fonts and connections fall back to default-src 'none'.
_no_script_no_connection = csp_replace({"script-src": None, "font-src": None, "connect-src": None})


def public_site_policy(view: View) -> View:
    # django-csp types its decorators for views that take the request alone; the detail view takes an id.
    return cast(View, _no_script_no_connection(cast(Any, view)))


@login_not_required
@public_site_policy
@require_safe
def organisation_list(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET)
    page, rows = selectors.public_organisation_page(
        filters=form.filters(), page=request.GET.get("page"), per_page=PAGE_SIZE, language=get_language()
    )
    # Links on the page carry the valid filters and the page on; nothing else the visitor typed.
    query = form.valid_values() | ({"page": str(page.number)} if page.number > 1 else {})
    return render(
        request,
        "public/organisation_list.html",
        {"form": form, "page": page, "organisations": rows, "query": query},
    )


@login_not_required
@public_site_policy
@require_safe
def organisation_detail(request: HttpRequest, organisation_id: str) -> HttpResponse:
    try:
        card = selectors.organisation_get(actor=None, organisation_id=organisation_id, public_only=True)
    except NotFound:
        return render(request, "public/not_found.html", {}, status=NotFound.status)
    return render(request, "public/organisation_detail.html", {"organisation": card})


@login_not_required
@public_site_policy
@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Public search: only public records the public site shows, whoever is signed in."""
    from khronika.search import selectors as search_selectors
    from khronika.search.views import filters_of

    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    result = search_selectors.search_records(
        actor=None,
        q=request.GET.get("q", ""),
        filters=filters_of(request),
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
        public=True,
    )
    query = {"q": result.q, **result.filters}  # what the page's links carry on: the valid values only
    return render(request, "public/search.html", {"result": result, "query": query})
