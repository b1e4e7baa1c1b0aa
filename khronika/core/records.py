"""Finding a live record by the id a person or a client gave."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from django.db import models

from khronika.core.errors import NotFound

M = TypeVar("M", bound=models.Model)


def live_record(source: type[M] | models.QuerySet[M], pk: Any, *, for_update: bool = False) -> M:
    """The record with this id that is not deleted. A missing, deleted or malformed id is NotFound, so
    that no interface answers differently for "no such id" and "not an id"."""
    queryset = source if isinstance(source, models.QuerySet) else source._default_manager.all()
    try:
        key = pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk))
    except (ValueError, TypeError, AttributeError):
        raise NotFound() from None
    if for_update:
        queryset = queryset.select_for_update()
    found = queryset.filter(pk=key, deleted_at__isnull=True).first()
    if found is None:
        raise NotFound()
    return found
