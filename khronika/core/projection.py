"""Read-side projections: a record reduced to the fields a reader may see.

Selectors hand projections, never model instances, to the interfaces, so a template, an API schema or a
CLI printer cannot reach a field above the reader's tier by accident.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from khronika.core.tiers import Tier, field_tier


class Projection(dict[str, Any]):
    """A dict whose keys can also be read as attributes (for templates). Missing keys read as None."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self.get(name)


def project(instance: models.Model, *, ceiling: Tier, exclude: tuple[str, ...] = ()) -> Projection:
    """The instance's concrete values (foreign keys as ids) whose tier is at most ``ceiling``."""
    values = Projection()
    for field in type(instance)._meta.concrete_fields:
        if field.name in exclude or field_tier(instance, field.name) > ceiling:
            continue
        values[field.attname] = getattr(instance, field.attname)
    values["tier_ceiling"] = ceiling
    return values
