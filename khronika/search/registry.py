"""The one hook through which an app makes its records searchable.

An app describes each searchable model once, in its ``search.py``, and registers it from its
``AppConfig.ready``::

    register(Searchable(kind="organisation", model=Organisation, label=_("organisation"),
                        document=organisation_document, url=organisation_url, ...))

The search app then indexes the model's rows (from the change log), filters them by the same policies as
the app's selectors, and shows them in every interface. Nothing in the search app names a model.

A ``Document`` is what the index learns of one record: its words by tier, its names by tier, and its
facet values. Values come with the tier their field declares (``core.tiers``), so the index can give each
reader only the words they may read; protected values are refused outright.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models
from django.db.models import QuerySet

from khronika.core.tiers import Tier, field_tier

SEARCHABLE_TIERS = (Tier.PUBLIC, Tier.NETWORK, Tier.INTERNAL)


class ProtectedValueRefused(ValueError):
    """A document was given a protected value: protected values never enter the search index."""


@dataclass
class Document:
    """One record as the index sees it.

    ``tier`` is the least tier a reader needs to see the record at all (a network-tier person is not in
    public search; an internal practice note is found only by its steward's members). A text or name given
    at a lower tier than the record is raised to the record's tier. ``listed`` says whether the public
    site shows the record; public search finds only listed, public records.
    """

    kind: str
    id: uuid.UUID
    title: str
    steward: uuid.UUID | None = None
    tier: Tier = Tier.PUBLIC
    listed: bool = False
    texts: dict[Tier, list[str]] = field(default_factory=dict)
    names: dict[Tier, list[str]] = field(default_factory=dict)
    facets: dict[str, list[str]] = field(default_factory=dict)
    day: date | None = None

    def __post_init__(self) -> None:
        if self.tier not in SEARCHABLE_TIERS:
            raise ProtectedValueRefused(f"{self.kind}: a protected record is not indexed")
        for values in (self.texts, self.names):
            if any(tier not in SEARCHABLE_TIERS for tier, words in values.items() if words):
                raise ProtectedValueRefused(f"{self.kind}: protected values are never indexed")

    def add_text(self, tier: Tier, *values: str | None) -> None:
        self._add(self.texts, tier, values)

    def add_name(self, tier: Tier, *values: str | None) -> None:
        self._add(self.names, tier, values)

    def add_facet(self, name: str, *values: str | None) -> None:
        bucket = self.facets.setdefault(name, [])
        bucket.extend(v for v in values if v and v not in bucket)

    def add_fields(self, instance: models.Model, *field_names: str, names: bool = False) -> None:
        """Add the values of these fields at the tier each declares for this row; protected values (a
        row-tiered field of a protected row, a sealed field) are left out, never indexed."""
        for name in field_names:
            tier = field_tier(instance, name)
            if tier not in SEARCHABLE_TIERS:
                continue
            value = getattr(instance, name)
            values = [str(v) for v in value] if isinstance(value, list) else [str(value or "")]
            (self.add_name if names else self.add_text)(tier, *values)

    def _add(self, target: dict[Tier, list[str]], tier: Tier, values: Iterable[str | None]) -> None:
        if tier not in SEARCHABLE_TIERS:
            raise ProtectedValueRefused(f"{self.kind}: protected values are never indexed")
        words = [v.strip() for v in values if v and v.strip()]
        if words:
            target.setdefault(max(tier, self.tier), []).extend(words)

    def at_most(self, ceiling: Tier, source: dict[Tier, list[str]] | None = None) -> list[str]:
        """The texts (or names) a reader with this ceiling may read."""
        values = self.texts if source is None else source
        return [v for tier in SEARCHABLE_TIERS if tier <= ceiling for v in values.get(tier, [])]


@dataclass(frozen=True)
class Facet:
    """A facet a kind offers: its name, its label, and how to name its values for people."""

    name: str
    label: Any
    value_labels: Callable[[list[str]], dict[str, str]] | None = None


@dataclass(frozen=True)
class Searchable:
    """How one model is searched.

    - ``document(instance)`` builds its Document (it may read related rows: ``queryset`` prefetches them);
    - ``queryset()`` is every live row, ready for ``document``;
    - ``url(instance)`` is its staff page; ``public_url(instance)`` its public page, if it has one;
    - ``follows`` maps another entity of the change log (``app.model``) to a function giving the ids of
      this kind whose documents change when those rows change (a person's document shows the
      organisations of their positions).
    """

    kind: str
    model: type[models.Model]
    label: Any
    label_plural: Any
    document: Callable[[Any], Document | None]
    queryset: Callable[[], QuerySet[Any]]
    url: Callable[[Any], str]
    public_url: Callable[[Any], str] | None = None
    facets: tuple[Facet, ...] = ()
    follows: dict[str, Callable[[list[uuid.UUID]], Iterable[uuid.UUID]]] = field(default_factory=dict)

    @property
    def entity(self) -> str:
        return self.model._meta.label_lower


_REGISTRY: dict[str, Searchable] = {}
_FACETS: dict[str, Facet] = {}


def register(searchable: Searchable) -> None:
    if searchable.kind in _REGISTRY and _REGISTRY[searchable.kind].model is not searchable.model:
        raise ValueError(f"search kind {searchable.kind!r} is taken")
    for facet in searchable.facets:
        # A facet name is a key of the index's facet columns and of query strings: a plain identifier.
        if not re.fullmatch(r"[a-z][a-z0-9_]*", facet.name):
            raise ValueError(f"facet name {facet.name!r} is not a lower-case identifier")
    _REGISTRY[searchable.kind] = searchable
    for facet in searchable.facets:
        _FACETS.setdefault(facet.name, facet)


def searchables() -> list[Searchable]:
    return list(_REGISTRY.values())


def searchable(kind: str) -> Searchable:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise LookupError(f"no searchable kind {kind!r}") from None


def kinds() -> list[str]:
    return list(_REGISTRY)


def facets() -> dict[str, Facet]:
    return dict(_FACETS)


def affected(entity: str, ids: list[uuid.UUID]) -> dict[str, set[uuid.UUID]]:
    """The documents (kind → ids) to rebuild after rows of ``entity`` changed."""
    result: dict[str, set[uuid.UUID]] = {}
    for item in _REGISTRY.values():
        found: set[uuid.UUID] = set()
        if item.entity == entity:
            found.update(ids)
        if entity in item.follows:
            found.update(i for i in item.follows[entity](ids) if i is not None)
        if found:
            result[item.kind] = found
    return result
