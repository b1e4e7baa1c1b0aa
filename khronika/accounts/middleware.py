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
        return htmx_redirect(request, login)


def htmx_redirect(request: HttpRequest, step: str) -> HttpResponse:
    """Send the whole page of an htmx request to ``step`` (a sign-in or second-factor page), with the
    page the user was on as ``next`` when it is of this site."""
    current = request.headers.get("HX-Current-URL", "")
    back = urlsplit(current)
    same_site = url_has_allowed_host_and_scheme(current, allowed_hosts={request.get_host()})
    target = f"{back.path}?{back.query}" if back.query else back.path
    redirect = HttpResponse(status=204)
    redirect["HX-Redirect"] = f"{step}?{urlencode({'next': target})}" if same_site and back.path else step
    return redirect


class SecondFactorMiddleware:
    """Keep a session that has not passed its second factor to the pages of that step (after
    ``OTPMiddleware``, which tells whether it has, and after the login middleware).

    A signed-in user who has an authenticator, or whose role must have one (``second_factor.py``), and
    whose session is not verified yet reaches only the URL names in ``ALLOWED``: every other staff page
    sends them to the code (or, without an authenticator, to enrolment), an htmx request by
    ``HX-Redirect``; the API answers a session 403 ``second_factor_required``. A request with an
    ``Authorization`` header is left to the API, which judges a bearer token by itself: a token is a
    credential of its own, created by the user or the operator, and the second factor does not apply to
    it. Pages open to anonymous visitors (the public site) are not held back, as they show a session no
    more than they show anyone.
    """

    ALLOWED = frozenset(
        {
            "accounts:second_factor_verify",
            "accounts:second_factor_enrol",
            "accounts:login",
            "accounts:logout",
            "accounts:language",
        }
    )
    API_NAMESPACE = "api-v1"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: object,
        view_kwargs: object,
    ) -> HttpResponse | None:
        from khronika.accounts import policies
        from khronika.accounts.second_factor import has_device, is_mandatory, is_verified

        match = request.resolver_match
        if match is None or match.view_name in self.ALLOWED:
            return None
        in_api = self.API_NAMESPACE in match.namespaces
        if in_api and "Authorization" in request.headers:
            return None
        if not in_api and not getattr(view_func, "login_required", True):
            return None
        user = policies.signed_in(getattr(request, "user", None))
        if user is None or is_verified(request.user):
            return None
        enrolled = has_device(user)
        if not enrolled and not is_mandatory(user):
            return None
        if in_api:
            return self._api_refusal()
        return self._redirect(
            request, "accounts:second_factor_verify" if enrolled else "accounts:second_factor_enrol"
        )

    @staticmethod
    def _api_refusal() -> HttpResponse:
        from django.http import JsonResponse

        from khronika.accounts.second_factor import SecondFactorRequired
        from khronika.api.errors import error_body

        error = SecondFactorRequired()
        return JsonResponse(error_body(error.code, error.message), status=error.status)

    @staticmethod
    def _redirect(request: HttpRequest, url_name: str) -> HttpResponse:
        from django.http import HttpResponseRedirect

        step = resolve_url(url_name)
        if request.headers.get("HX-Request") == "true":
            return htmx_redirect(request, step)
        if request.method in {"GET", "HEAD"}:
            return HttpResponseRedirect(f"{step}?{urlencode({'next': request.get_full_path()})}")
        return HttpResponseRedirect(step)


# --- The absolute session limit -----------------------------------------------------------------------

SESSION_SIGNED_IN_AT = "signed_in_at"


def session_mark_signed_in(request: HttpRequest) -> None:
    """Start the absolute limit of the session that has just signed in (the sign-in view calls this)."""
    import time

    request.session[SESSION_SIGNED_IN_AT] = int(time.time())


class SessionAbsoluteTimeoutMiddleware:
    """End a session ``SESSION_ABSOLUTE_AGE`` seconds after sign-in, however active it has been.

    The idle limit (``SESSION_COOKIE_AGE``, renewed by every request) would let a session that is used
    every hour live for ever; this one does not move. A signed-in session without a sign-in time (made
    before this check existed, or by another way of signing in) starts its clock at its first request.
    Placed after the authentication middleware and before the login middleware, so a session that ends
    here is sent to sign in by the same request (an htmx request by ``HX-Redirect``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        import time

        from django.contrib.auth import logout

        if request.user.is_authenticated:
            signed_in_at = request.session.get(SESSION_SIGNED_IN_AT)
            if not isinstance(signed_in_at, int):
                session_mark_signed_in(request)
            elif time.time() - signed_in_at >= settings.SESSION_ABSOLUTE_AGE:
                logout(request)
        return self.get_response(request)


# --- The client address the sign-in lockout counts on -----------------------------------------------


def client_ip_address(request: HttpRequest) -> str | None:
    """The address of the client, for django-axes (``AXES_CLIENT_IP_CALLABLE``).

    With ``trusted_proxy_count = 0`` it is the address of the connection, whatever headers say. With N
    proxies in front, each of which appends the address it received from to X-Forwarded-For, the chain
    ``X-Forwarded-For + [REMOTE_ADDR]`` ends with the N proxies' own entries, so the client is the entry
    just before them; anything further left is what the client wrote itself and is never used. A value
    that is not an address falls back to the connection's address.
    """
    import ipaddress

    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.NODE.trusted_proxy_count
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [part for part in forwarded if part] + ([remote] if remote else [])
    if not chain:
        return remote
    candidate = chain[max(0, len(chain) - proxies - 1)]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
