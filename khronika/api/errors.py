"""The API's one mapping of errors to ``{"error": {"code", "message", "fields"}}`` with a status.

- ``ApplicationError`` (and its subclasses): its own code, message, fields and status;
- ninja's request validation (wrong types, missing or unknown fields, a body that is not JSON): 422
  ``invalid``, one translatable message per field, never the value that was sent;
- no authentication: 401 ``not_authenticated``; an unknown path or id: 404 ``not_found``;
- anything else: 500 ``server_error`` with a generic message. The log (logger ``khronika.api``) gets the
  exception's class and the frames of its traceback, but not its message nor any value of the request,
  since either may hold what a person typed.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestInvalid
from ninja.parser import Parser

from khronika.core.errors import ApplicationError, NotAuthenticated, NotFound, ValidationFailed

logger = logging.getLogger("khronika.api")

NON_FIELD = "__all__"
# Where ninja says a value came from, and the name every view gives its JSON body parameter.
_SOURCES = frozenset({"body", "query", "path", "header", "cookie", "form", "file"})
BODY_PARAMETER = "payload"


class ServerError(ApplicationError):
    code = "server_error"
    status = 500
    default_message = _lazy("Something went wrong on the server; the error has been logged.")


class MalformedBody(ValueError):
    """The request body is not JSON."""


class JsonBodyParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        try:
            return json.loads(request.body)
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError alike
            raise MalformedBody() from exc


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _respond(api: NinjaAPI, request: HttpRequest, error: ApplicationError) -> HttpResponse:
    response = api.create_response(
        request, error_body(error.code, error.message, error.fields), status=error.status
    )
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="khronika"'
    return response


def _message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Give a number of at least %(limit)s.") % {"limit": ctx.get("ge", ctx.get("gt", ""))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Give a number of at most %(limit)s.") % {"limit": ctx.get("le", ctx.get("lt", ""))}
    if kind.startswith("string_too_long"):
        return _("The text is too long.")
    if kind.startswith("string"):
        return _("Give text.")
    if kind.startswith("int"):
        return _("Give a whole number.")
    if kind.startswith("bool"):
        return _("Give true or false.")
    if kind.startswith(("list", "tuple", "set")):
        return _("Give a list.")
    if kind.startswith("date"):
        return _("Write the date as 2011-12-10.")
    if kind.startswith("uuid"):
        return _("Give an id.")
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return _("Send a JSON object.")
    return _("This value is not valid.")


def _field_name(location: Iterable[Any]) -> str:
    """``("body", "payload", "areas", 0)`` → ``areas.0``; the body as a whole → ``__all__``."""
    parts = list(location)
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        if source == "body" and parts and parts[0] == BODY_PARAMETER:
            parts.pop(0)
    return ".".join(str(p) for p in parts) or NON_FIELD


def request_fields(errors: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        messages = fields.setdefault(_field_name(error.get("loc", ())), [])
        message = _message(error)
        if message not in messages:
            messages.append(message)
    return fields


def install(api: NinjaAPI) -> None:
    """Register the handlers on ``api``; ninja picks the most specific class of each exception."""

    @api.exception_handler(ApplicationError)
    def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        return _respond(api, request, exc)

    @api.exception_handler(RequestInvalid)
    def request_invalid(request: HttpRequest, exc: RequestInvalid) -> HttpResponse:
        return _respond(api, request, ValidationFailed(fields=request_fields(exc.errors)))

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return _respond(api, request, NotAuthenticated())

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _respond(api, request, NotFound())

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, MalformedBody):
            return _respond(
                api, request, ValidationFailed(fields={NON_FIELD: [_("The body is not valid JSON.")]})
            )
        error = ApplicationError()
        error.status = exc.status_code  # ninja's own refusals (throttling…); their text is not translated
        return _respond(api, request, error)

    @api.exception_handler(DjangoValidationError)
    def django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        # Django's messages may quote the value (“abc” is not a valid UUID), so only the default is sent.
        return _respond(api, request, ValidationFailed())

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        frames = "".join(traceback.format_list(traceback.extract_tb(exc.__traceback__)))
        route = getattr(request.resolver_match, "route", "?")
        logger.error("%s in %s %s\n%s", type(exc).__name__, request.method, route, frames)
        return _respond(api, request, ServerError())
