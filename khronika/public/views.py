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
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from khronika.accounts.middleware import client_ip_address
from khronika.cases import selectors as cases_selectors
from khronika.cases import services as cases_services
from khronika.core.errors import NotFound, TooManyRequests, ValidationFailed
from khronika.core.forms import put_errors
from khronika.directory import selectors
from khronika.public.forms import DirectoryFilterForm, RequestForm

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
    takes_requests = cases_selectors.help_desk(organisation_id=card.id) is not None
    return render(
        request, "public/organisation_detail.html", {"organisation": card, "takes_requests": takes_requests}
    )


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


# --- A request for help ----------------------------------------------------------------------------------


@csrf_exempt
@login_not_required
@public_site_policy
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_request(request: HttpRequest, organisation_id: str) -> HttpResponse:
    """The request form of a group whose desk takes requests on the site; what is sent becomes a request
    on the group's desk, the name and contact sealed at once.

    Exempt from CSRF, and on purpose: a token would need a cookie or a session, which this site never
    sets, so that a visitor leaves no trace of having been here. Nor is there anything for a forged
    request to ride on: the form needs no account and no session, and a request forged from another site
    can do nothing a visitor could not do by sending the form. What guards it is the hidden field (a
    program that fills it in is answered as if its request were taken, and nothing is stored) and the
    limit of requests per visitor and per hour (``cases.services.public_request_submit``)."""
    form = RequestForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.trap_filled():
        return _request_sent(organisation_id)
    found = _desk_and_organisation(organisation_id)
    if found is None:
        return render(request, "public/not_found.html", {}, status=NotFound.status)
    desk, organisation = found
    limited = False
    if form.is_bound and form.is_valid():
        try:
            cases_services.public_request_submit(
                organisation_id=desk.organisation_id,
                values={**form.values(), "language": get_language() or ""},
                # The connection's address (REMOTE_ADDR), or the client's behind the node's trusted proxies.
                visitor=cases_services.visitor_key(client_ip_address(request) or ""),
            )
        except ValidationFailed as refusal:
            put_errors(form, refusal)
        except TooManyRequests:
            limited = True
        else:
            return _request_sent(organisation_id)
    context = {"form": form, "organisation": organisation, "note": desk.public_note, "limited": limited}
    status = TooManyRequests.status if limited else 200
    return _private(render(request, "public/request_form.html", context, status=status))


@login_not_required
@public_site_policy
@require_safe
def organisation_request_sent(request: HttpRequest, organisation_id: str) -> HttpResponse:
    """The thanks for a request: it says nothing of what was sent, nor of the group it was sent to."""
    return render(request, "public/request_sent.html", {})


def _desk_and_organisation(organisation_id: str) -> tuple[Any, Any] | None:
    """The group's desk if it takes requests, and the group as the public directory shows it."""
    try:
        organisation = selectors.organisation_get(
            actor=None, organisation_id=organisation_id, public_only=True
        )
    except NotFound:
        return None
    desk = cases_selectors.help_desk(organisation_id=organisation.id)
    return None if desk is None else (desk, organisation)


def _request_sent(organisation_id: str) -> HttpResponse:
    path = reverse("public:organisation_request_sent", args=[organisation_id])
    return HttpResponseRedirect(f"{path}?{urlencode({'lang': get_language() or ''})}")


def _private(response: HttpResponse) -> HttpResponse:
    """What a visitor typed may be on the page: no browser or proxy keeps a copy."""
    patch_cache_control(response, no_store=True, private=True)
    return response
