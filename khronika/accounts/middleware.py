"""Signing in again after a session ended during an htmx request.

The login middleware answers a request without a session with a redirect to the sign-in page. An htmx
request would follow it and put the sign-in page inside the part of the page it meant to update; this
middleware turns that redirect into ``HX-Redirect``, so the whole page goes to the sign-in page and
comes back to where the user was.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


class HtmxLoginRedirectMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.headers.get("HX-Request") != "true" or response.status_code != 302:
            return response
        login = resolve_url(settings.LOGIN_URL)
        if urlsplit(response.get("Location", "")).path != login:
            return response
        current = request.headers.get("HX-Current-URL", "")
        back = urlsplit(current)
        same_site = url_has_allowed_host_and_scheme(current, allowed_hosts={request.get_host()})
        target = f"{back.path}?{back.query}" if back.query else back.path
        location = f"{login}?{urlencode({'next': target})}" if same_site and back.path else login
        redirect = HttpResponse(status=204)
        redirect["HX-Redirect"] = location
        return redirect
