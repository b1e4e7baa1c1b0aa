"""``/api/v1/``: the ninja API, with every view exempt from LoginRequiredMiddleware so that the API
answers an unauthenticated call with its own 401 JSON instead of a redirect to the login page. A path
under ``/api/v1/`` that names no endpoint answers the API's 404 JSON rather than an HTML page."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from khronika.api.api import api
from khronika.api.errors import error_body
from khronika.core.errors import NotFound


def _exempt_from_login_redirect(patterns: Iterable[URLPattern | URLResolver]) -> None:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _exempt_from_login_redirect(pattern.url_patterns)
        else:
            login_not_required(pattern.callback)


@csrf_exempt
@login_not_required
def unknown_path(request: HttpRequest, **kwargs: str) -> JsonResponse:
    error = NotFound()
    return JsonResponse(error_body(error.code, error.message), status=error.status)


_patterns, _app_name, _namespace = api.urls
_exempt_from_login_redirect(_patterns)

urlpatterns = [
    # ninja's own root view (kept for reversing) answers an HTML 404; this one answers first.
    path("", unknown_path),
    path("", include((_patterns, _app_name), namespace=_namespace)),
    re_path(r"^.*$", unknown_path),
]
