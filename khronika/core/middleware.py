"""Request-wide behaviour: the interface language, and the HTML mapping of ApplicationError."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control

from khronika.core.errors import ApplicationError

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class LanguageMiddleware:
    """Pick the language without setting a cookie for anonymous visitors.

    Order: ``?lang=`` in the address, the signed-in user's choice kept in the session, the browser's
    Accept-Language, the node default. Public pages carry ``?lang=`` in their links instead of a cookie.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.GET.get("lang")
        if language not in SUPPORTED:
            session = getattr(request, "session", None)
            language = session.get("language") if session is not None and session.session_key else None
        if language not in SUPPORTED:
            language = translation.get_language_from_request(request)
        if language not in SUPPORTED:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class ApplicationErrorMiddleware:
    """Render any ApplicationError that escapes a view as a page with its message and status."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ApplicationError):
            return render(request, "error.html", {"error": exception}, status=exception.status)
        return None


class NoStoreMiddleware:
    """Staff pages and API answers carry internal and, once opened, protected values: no browser or proxy
    may keep a copy (``Cache-Control: no-store, private``). The public site and static files may be
    cached; a view that set its own Cache-Control keeps it."""

    CACHEABLE = ("/public/", settings.STATIC_URL)

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(self.CACHEABLE) and "Cache-Control" not in response.headers:
            patch_cache_control(response, no_store=True, private=True)
        return response
