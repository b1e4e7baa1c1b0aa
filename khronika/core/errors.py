"""The one hierarchy of errors a person can act on. Each interface maps it once:

- HTML views: ``core.middleware.ApplicationErrorMiddleware`` renders ``error.html`` with the status;
  forms show ``fields`` next to their inputs;
- the API: ``api.errors`` answers ``{"error": {"code", "message", "fields"}}`` with ``status``;
- the CLI: ``cli.main`` prints ``khronika: <message>`` on stderr and exits with ``exit_code``.

Messages never carry a protected value: they name the field, not what was typed in it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    code = "error"
    status = 400
    exit_code = 1
    default_message = _("The request could not be completed.")

    def __init__(self, message: str | None = None, *, fields: dict[str, list[str]] | None = None) -> None:
        self.message = str(message) if message is not None else str(self.default_message)
        self.fields = {name: [str(m) for m in msgs] for name, msgs in (fields or {}).items()}
        super().__init__(self.message)


class ValidationFailed(ApplicationError):
    code = "invalid"
    status = 422
    exit_code = 2
    default_message = _("Some values are not valid; see the fields.")


class NotAuthenticated(ApplicationError):
    code = "not_authenticated"
    status = 401
    exit_code = 3
    default_message = _("Sign in first.")


class PermissionDenied(ApplicationError):
    code = "forbidden"
    status = 403
    exit_code = 3
    default_message = _("Your role does not allow this.")


class NotFound(ApplicationError):
    code = "not_found"
    status = 404
    exit_code = 4
    default_message = _("No such record, or you may not see it.")


class Conflict(ApplicationError):
    code = "conflict"
    status = 409
    exit_code = 5
    default_message = _("Someone else changed this record meanwhile; reload it and apply your change again.")


class TooManyRequests(ApplicationError):
    code = "too_many_requests"
    status = 429
    exit_code = 5
    default_message = _("Too many requests were sent from here in the last hour; try again later.")


# Django's own messages for these codes quote the value that was given; ours say the same without it.
_WITHOUT_VALUE = {
    "invalid_choice": _("Choose one of the offered values."),
    "invalid_date": _("Write a date as 2011-12-10."),
    "invalid": _("This value is not valid here."),
}


def _safe_message(error: Exception) -> str:
    """A ValidationError's message, unless it would repeat the value a person typed."""
    params = getattr(error, "params", None) or {}
    if "value" in params:
        return str(_WITHOUT_VALUE.get(getattr(error, "code", "") or "", _WITHOUT_VALUE["invalid"]))
    return " ".join(str(m) for m in getattr(error, "messages", [str(error)]))


def from_django_validation(exc: Exception) -> ValidationFailed:
    """Turn a Django ValidationError into ours, keeping per-field messages but never a typed value."""
    from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

    assert isinstance(exc, ValidationError)
    if hasattr(exc, "error_dict"):
        fields = {
            ("__all__" if name == NON_FIELD_ERRORS else name): [_safe_message(e) for e in errs]
            for name, errs in exc.error_dict.items()
        }
        return ValidationFailed(fields=fields)
    return ValidationFailed(" ".join(_safe_message(e) for e in exc.error_list))


def unknown_field_errors(values: Any, allowed: Any) -> dict[str, list[str]]:
    """The errors of input fields a service does not take, one "Unknown field." each (a message that
    repeats nothing typed)."""
    return {name: [str(_("Unknown field."))] for name in sorted(set(values) - set(allowed))}


def refuse_unknown_fields(values: Any, allowed: Any) -> None:
    """Raise ValidationFailed naming every input field a service does not take."""
    errors = unknown_field_errors(values, allowed)
    if errors:
        raise ValidationFailed(fields=errors)
