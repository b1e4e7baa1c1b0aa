"""Model fields that hold sealed values.

A field of the protected tier whose model lists it in ``sealed_fields`` is stored sealed
(``accounts/sealing.py``): the column holds ``kh1.`` ciphertext, never the value. Ciphertext is longer
than the value, so such a field is a text column, and its length and format are checked on the value
before it is sealed, never on the ciphertext.
"""

from __future__ import annotations

from typing import Any

from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from khronika.core.crypto import is_sealed


@deconstructible
class PlainMaxLength:
    """At most ``limit`` characters, checked on a value before it is sealed."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, value: Any) -> None:
        if isinstance(value, str) and not is_sealed(value) and len(value) > self.limit:
            raise ValidationError(
                _("Use at most %(limit)d characters."), code="max_length", params={"limit": self.limit}
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainMaxLength) and other.limit == self.limit


@deconstructible
class PlainEmail:
    """An email address, checked before it is sealed."""

    def __call__(self, value: Any) -> None:
        if isinstance(value, str) and value and not is_sealed(value):
            validators.validate_email(value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainEmail)


def sealed_text(verbose_name: Any, *, max_length: int, blank: bool = False, email: bool = False) -> Any:
    """A text column for a value that is sealed whenever it is protected."""
    checks: list[Any] = [PlainMaxLength(max_length)]
    if email:
        checks.append(PlainEmail())
    return models.TextField(verbose_name, blank=blank, validators=checks)
