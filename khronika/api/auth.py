"""Who is calling the API: a bearer token, or a signed-in browser session.

A request that carries an ``Authorization`` header is judged by that header alone, so a bad or expired
token is refused even when the browser also holds a session. A session authenticates safe requests
(GET, HEAD, OPTIONS) as it is; a write through a session also needs Django's CSRF token.

Neither class logs the header or the token: ninja's own ``HttpBearer`` logs an unexpected header in
DEBUG mode, which would put a token into the log.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext_lazy as _
from ninja.security.apikey import APIKeyCookie
from ninja.security.http import HttpAuthBase

from khronika.accounts import policies
from khronika.accounts.models import User
from khronika.accounts.services import api_token_authenticate
from khronika.core.errors import PermissionDenied

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfFailed(PermissionDenied):
    code = "csrf_failed"
    default_message = _("The form's security token is missing or old; reload the page and try again.")


class _CsrfCheck(CsrfViewMiddleware):
    """Django's own CSRF check, answering "rejected" instead of rendering the failure page."""

    def _reject(self, request: HttpRequest, reason: str) -> HttpResponse:
        return HttpResponse(status=403)


def csrf_passes(request: HttpRequest) -> bool:
    check = _CsrfCheck(lambda _request: HttpResponse())
    # The middleware skipped the API's (csrf_exempt) views; this runs the same check for session writes.
    request.csrf_processing_done = False  # type: ignore[attr-defined]
    check.process_request(request)
    return check.process_view(request, lambda _request: HttpResponse(), (), {}) is None


class BearerToken(HttpAuthBase):
    """``Authorization: Bearer kh_…``, checked by ``accounts.services.api_token_authenticate``."""

    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest) -> User | None:
        scheme, _space, raw = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        return api_token_authenticate(raw.strip())


class BrowserSession(APIKeyCookie):
    """The session of a user signed in to the staff UI."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> User | None:
        if "Authorization" in request.headers:
            return None
        user = policies.signed_in(getattr(request, "user", None))
        if user is None:
            return None
        if request.method not in SAFE_METHODS and not csrf_passes(request):
            raise CsrfFailed()
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:  # pragma: no cover - not used
        return None


def actor(request: HttpRequest) -> User:
    """The user ninja's authentication found for this request."""
    return request.auth  # type: ignore[attr-defined,no-any-return]


API_AUTH = [BearerToken(), BrowserSession()]
