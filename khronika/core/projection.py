"""Read-side projections: a record reduced to the fields a reader may see.

Selectors hand projections, never model instances, to the interfaces, so a template, an API schema or a
CLI printer cannot reach a field above the reader's tier by accident.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from khronika.core.crypto import is_sealed
from khronika.core.tiers import Tier, field_tier


class SealedValue:
    """Stands in a projection for a sealed value the reader has not opened (or cannot open). It renders
    as nothing, so a template that forgets to check ``.sealed`` shows no ciphertext."""

    sealed = True

    def __str__(self) -> str:
        return ""

    def __repr__(self) -> str:
        return "SEALED"


SEALED = SealedValue()


class Projection(dict[str, Any]):
    """A dict whose keys can also be read as attributes (for templates). Missing keys read as None."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self.get(name)


def project(instance: models.Model, *, ceiling: Tier, exclude: tuple[str, ...] = ()) -> Projection:
    """The instance's concrete values (foreign keys as ids) whose tier is at most ``ceiling``. A sealed
    value is ``SEALED`` until ``open_into`` puts the opened value in its place."""
    values = Projection()
    for field in type(instance)._meta.concrete_fields:
        if field.name in exclude or field_tier(instance, field.name) > ceiling:
            continue
        value = getattr(instance, field.attname)
        values[field.attname] = SEALED if is_sealed(value) else value
    values["tier_ceiling"] = ceiling
    return values


def open_into(row: Projection, opened: dict[str, str]) -> Projection:
    """Put opened values in place of their ``SEALED`` markers; ``row.opened`` tells the interface it
    shows protected values (and must not be cached)."""
    for name, value in opened.items():
        if row.get(name) is SEALED:
            row[name] = value
    row["opened"] = bool(opened)
    return row


def sealed_names(row: Projection) -> list[str]:
    return [name for name, value in row.items() if value is SEALED]
