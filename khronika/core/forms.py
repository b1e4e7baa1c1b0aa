"""Putting a service's refusal on the form that sent the values, for every app's pages."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from django import forms

from khronika.core.errors import ValidationFailed

T = TypeVar("T")


def put_errors(
    form: forms.Form, error: ValidationFailed, *, field_of: Mapping[str, str] | None = None
) -> None:
    """Show a service's field errors next to the form's inputs (``field_of`` maps a service's field name
    to the form's, where they differ), the others above the form."""
    for name, messages in error.fields.items():
        field = (field_of or {}).get(name, name)
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
    if not error.fields:
        form.add_error(None, error.message)


def submit(
    form: forms.Form, write: Callable[[], T], *, field_of: Mapping[str, str] | None = None
) -> T | None:
    """Call ``write`` (one service) when the form is valid; put its ValidationFailed on the form.

    Returns what the service returned, or None when nothing was written."""
    if not form.is_bound or not form.is_valid():
        return None
    try:
        return write()
    except ValidationFailed as exc:
        put_errors(form, exc, field_of=field_of)
        return None
