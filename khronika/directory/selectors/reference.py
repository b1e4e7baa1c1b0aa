"""Reference data: regions and the areas-of-work vocabulary, readable by anyone."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet

from khronika.directory.models import (
    AreaOfWork,
    Region,
)


def regions(*, kind: str = "") -> QuerySet[Region]:
    queryset = Region.objects.filter(deleted_at__isnull=True)
    return queryset.filter(kind=kind) if kind else queryset


def areas() -> QuerySet[AreaOfWork]:
    return AreaOfWork.objects.filter(deleted_at__isnull=True).select_related("parent")


def area_codes_with_descendants(code: str) -> list[str]:
    """The area and every area below it in the vocabulary."""
    children: dict[str | None, list[str]] = defaultdict(list)
    for area_code, parent_code in AreaOfWork.objects.values_list("code", "parent__code"):
        children[parent_code].append(area_code)
    found, stack = [], [code]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found
