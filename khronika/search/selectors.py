"""Search as every interface shows it: rows a reader may see, with highlighted snippets, and facets.

The index finds candidates within the reader's scope; each row shown is then read again from the
database and checked with the same policy as the record's own page, so a record whose tier, steward or
public flag changed a moment ago is never shown on the strength of an older index entry. Snippets are cut
from the database values the reader may read, never from the index.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from khronika.accounts import policies as account_policies
from khronika.core.errors import ValidationFailed
from khronika.core.tiers import Tier
from khronika.search import analysis, registry
from khronika.search.engine import find
from khronika.search.fields import TYPE_FACET, YEAR_FACET, facet_names
from khronika.search.policies import public_scope, search_scope
from khronika.search.query import Hit, Query, SearchRequest, as_you_type, parse

MAX_PER_PAGE = 100
MAX_RESULTS = 10_000
FACET_VALUES_SHOWN = 12


@dataclass(frozen=True)
class ResultRow:
    kind: str
    kind_label: str
    id: uuid.UUID
    title: str
    url: str
    snippet: list[tuple[str, bool]]


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class FacetGroup:
    name: str
    label: str
    values: list[FacetValue]


@dataclass
class SearchPage:
    q: str
    total: int
    rows: list[ResultRow]
    facets: list[FacetGroup] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    offset: int = 0
    limit: int = 20
    fuzzy: bool = False

    @property
    def page(self) -> int:
        return self.offset // self.limit + 1

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, MAX_RESULTS) // self.limit))

    @property
    def first_number(self) -> int:
        return self.offset + 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def clean_filters(raw: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """Filters by facet name; an unknown facet is an error a client can act on."""
    known = set(facet_names())
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ValidationFailed(
            _("Unknown filter: %(names)s. Known filters: %(known)s.")
            % {"names": ", ".join(unknown), "known": ", ".join(facet_names())},
            fields={name: [_("Unknown filter.")] for name in unknown},
        )
    return {
        name: tuple(v.strip()[:100] for v in values if v.strip())[:20]
        for name, values in raw.items()
        if values
    }


def search_records(
    *,
    actor: Any,
    q: str,
    filters: dict[str, list[str]] | None = None,
    offset: int = 0,
    limit: int = 20,
    public: bool = False,
    typing: bool = False,
) -> SearchPage:
    """``limit`` records from ``offset`` of those matching ``q`` that the actor may read, best first
    (``public``: only what the public site shows, whoever asks). Results stop at ``MAX_RESULTS``."""
    limit = min(max(limit, 1), MAX_PER_PAGE)
    offset = min(max(offset, 0), MAX_RESULTS - limit)
    cleaned = clean_filters(filters or {})
    query = parse(q)
    if typing:
        query = as_you_type(query)
    scope = public_scope() if public else search_scope(actor)
    request = SearchRequest(
        query=query, scope=scope, filters=cleaned, limit=limit, offset=offset, with_facets=not typing
    )
    found = find(request)
    rows = _rows(found.hits, actor=None if public else actor, query=query, public=public)
    return SearchPage(
        q=query.text,
        total=found.total,
        rows=rows,
        facets=_facet_groups(found.facets, cleaned),
        filters={k: list(v) for k, v in cleaned.items()},
        offset=offset,
        limit=limit,
        fuzzy=found.fuzzy,
    )


def _rows(hits: list[Hit], *, actor: Any, query: Query, public: bool) -> list[ResultRow]:
    by_kind: dict[str, list[uuid.UUID]] = defaultdict(list)
    for hit in hits:
        by_kind[hit.kind].append(hit.id)
    built: dict[tuple[str, uuid.UUID], ResultRow] = {}
    wanted = query.highlight_terms
    for kind, ids in by_kind.items():
        try:
            item = registry.searchable(kind)
        except LookupError:
            continue  # a kind no longer registered: its entries go at the next rebuild
        for instance in item.queryset().filter(pk__in=ids):
            row = _row(item, instance, actor=actor, wanted=wanted, public=public)
            if row is not None:
                built[(kind, instance.pk)] = row
    return [built[(h.kind, h.id)] for h in hits if (h.kind, h.id) in built]


def _row(
    item: registry.Searchable, instance: Any, *, actor: Any, wanted: frozenset[str], public: bool
) -> ResultRow | None:
    document = item.document(instance)
    if document is None:
        return None
    if public:
        if not (document.listed and document.tier == Tier.PUBLIC and item.public_url):
            return None
        ceiling, url = Tier.PUBLIC, item.public_url(instance)
    else:
        readable = account_policies.record_read_ceiling(actor, instance)
        if readable is None or readable < document.tier:
            return None
        ceiling, url = min(readable, Tier.INTERNAL), item.url(instance)
    text = " · ".join(document.at_most(ceiling))
    return ResultRow(
        kind=item.kind,
        kind_label=str(item.label),
        id=instance.pk,
        title=document.title,
        url=url,
        snippet=analysis.highlight(text, wanted),
    )


def _facet_groups(
    counts: dict[str, dict[str, int]], selected: dict[str, tuple[str, ...]]
) -> list[FacetGroup]:
    groups = []
    known = registry.facets()
    for name in facet_names():
        values = dict(counts.get(name, {}))
        for value in selected.get(name, ()):
            values.setdefault(value, 0)
        if not values:
            continue
        labels = _value_labels(name, list(values), known)
        ordered = sorted(values.items(), key=lambda item: (-item[1], labels.get(item[0], item[0])))
        shown = [v for v in ordered[:FACET_VALUES_SHOWN]] + [
            v for v in ordered[FACET_VALUES_SHOWN:] if v[0] in selected.get(name, ())
        ]
        groups.append(
            FacetGroup(
                name=name,
                label=_facet_label(name, known),
                values=[FacetValue(v, labels.get(v, v), c, v in selected.get(name, ())) for v, c in shown],
            )
        )
    return groups


def _facet_label(name: str, known: dict[str, registry.Facet]) -> str:
    if name == TYPE_FACET:
        return _("record type")
    if name == YEAR_FACET:
        return _("year")
    return str(known[name].label)


def _value_labels(name: str, values: list[str], known: dict[str, registry.Facet]) -> dict[str, str]:
    if name == TYPE_FACET:
        return {s.kind: str(s.label_plural) for s in registry.searchables() if s.kind in values}
    facet = known.get(name)
    if facet is None or facet.value_labels is None:
        return {}
    return facet.value_labels(values)


def index_status() -> dict[str, Any]:
    """What the index holds and how far behind the change log it is; no record values."""
    from khronika.core.models import ChangeLogEntry
    from khronika.search.engine import backend

    engine = backend()
    cursor = engine.cursor()
    last = ChangeLogEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    read = cursor.seq if cursor else 0
    return {
        "backend": engine.name,
        "documents": engine.document_count(),
        "size_bytes": engine.size_bytes(),
        "cursor": read,
        "change_log": last,
        "behind": ChangeLogEntry.objects.filter(seq__gt=read).count(),
    }
