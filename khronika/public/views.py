"""The public directory: what anyone may read, without signing in and without a cookie.

Pages read only public projections (``public_only``), never the visitor: even a signed-in member sees
here what the public sees. Nothing here touches the session, the CSRF token or messages, so an anonymous
visitor gets no cookie; the language travels in ``?lang=`` instead. Pages load nothing from another origin,
and the Content-Security-Policy header says so to the browser.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from khronika.core.errors import NotFound
from khronika.directory import selectors
from khronika.public.forms import DirectoryFilterForm

PAGE_SIZE = 25
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    response = render(request, template, context, status=status)
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response


@login_not_required
@require_safe
def organisation_list(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET)
    page, rows = selectors.public_organisation_page(
        filters=form.filters(), page=request.GET.get("page"), per_page=PAGE_SIZE, language=get_language()
    )
    # Links on the page carry the valid filters and the page on; nothing else the visitor typed.
    query = form.valid_values() | ({"page": str(page.number)} if page.number > 1 else {})
    return _render(
        request,
        "public/organisation_list.html",
        {"form": form, "page": page, "organisations": rows, "query": query},
    )


@login_not_required
@require_safe
def organisation_detail(request: HttpRequest, organisation_id: str) -> HttpResponse:
    try:
        card = selectors.organisation_get(actor=None, organisation_id=organisation_id, public_only=True)
    except NotFound:
        return _render(request, "public/not_found.html", {}, status=NotFound.status)
    return _render(request, "public/organisation_detail.html", {"organisation": card})
