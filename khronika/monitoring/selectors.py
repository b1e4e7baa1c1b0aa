"""Reads of the monitoring app. Vocabularies are public reference data: anyone may read them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from khronika.core.dates import format_approximate, latest_day, parse_approximate
from khronika.core.errors import NotFound, ValidationFailed
from khronika.core.projection import Projection, project
from khronika.core.records import live_record
from khronika.monitoring import policies
from khronika.monitoring.models import Event, Term, Vocabulary


def vocabularies() -> QuerySet[Vocabulary]:
    """Every vocabulary, with how many terms it offers (``term_count``; retired terms not counted)."""
    return Vocabulary.objects.filter(deleted_at__isnull=True).annotate(
        term_count=Count("terms", filter=Q(terms__retired=False))
    )


def vocabulary(code: str) -> Vocabulary:
    found = Vocabulary.objects.filter(code=code, deleted_at__isnull=True).first()
    if found is None:
        raise NotFound(
            _("No vocabulary %(code)s. Known vocabularies: %(known)s.")
            % {"code": code, "known": ", ".join(v.code for v in vocabularies())}
        )
    return found


@dataclass(frozen=True)
class TermRow:
    term: Term
    depth: int  # 0 for a top-level term


def vocabulary_terms(code: str, *, include_retired: bool = False) -> list[TermRow]:
    """The terms of a vocabulary in the order of its file, each with its depth in the hierarchy."""
    return _term_rows(vocabulary(code), include_retired=include_retired)


def _term_rows(found: Vocabulary, *, include_retired: bool) -> list[TermRow]:
    depth: dict[object, int] = {}
    rows = []
    for term in found.terms.select_related("parent").order_by("position"):
        # Parents come before their children (the loader checks it), and a term in use keeps its parent.
        depth[term.pk] = 0 if term.parent_id is None else depth.get(term.parent_id, 0) + 1
        if include_retired or not term.retired:
            rows.append(TermRow(term=term, depth=depth[term.pk]))
    return rows


def term_resolve(vocabulary_code: str, value: str) -> Term:
    """The term ``value`` names in a vocabulary: its code, or its Russian or English name (any case).

    An import never invents a term: a value that names none raises ``ValidationFailed`` listing the codes
    the vocabulary offers."""
    wanted = value.strip().casefold()
    terms = [row.term for row in vocabulary_terms(vocabulary_code)]
    for term in terms:
        if wanted in {term.code, term.name_ru.casefold(), term.name_en.casefold()}:
            return term
    raise ValidationFailed(
        _("%(value)s is not a term of the vocabulary %(vocabulary)s. Its terms: %(codes)s.")
        % {"value": value, "vocabulary": vocabulary_code, "codes": ", ".join(t.code for t in terms)},
        fields={vocabulary_code: [_("Unknown term.")]},
    )


def vocabulary_summary(found: Vocabulary, term_count: int) -> dict[str, Any]:
    """A vocabulary as the API and the CLI give it."""
    return {
        "code": found.code,
        "name_ru": found.name_ru,
        "name_en": found.name_en,
        "edition": found.edition,
        "term_count": term_count,
    }


def vocabulary_summaries() -> list[dict[str, Any]]:
    """Every vocabulary, as the API and the CLI list them."""
    return [
        vocabulary_summary(v, v.term_count)  # type: ignore[attr-defined]  # annotated by vocabularies()
        for v in vocabularies()
    ]


def vocabulary_listing(code: str, *, include_retired: bool = False) -> dict[str, Any]:
    """A vocabulary with its terms (parent's code, depth, names, retired), as the API and the CLI give
    it; ``term_count`` counts the terms still offered."""
    found = vocabulary(code)
    rows = _term_rows(found, include_retired=include_retired)
    terms = [
        {
            "code": row.term.code,
            "parent": row.term.parent.code if row.term.parent else None,
            "depth": row.depth,
            "name_ru": row.term.name_ru,
            "name_en": row.term.name_en,
            "retired": row.term.retired,
        }
        for row in rows
    ]
    count = sum(not t["retired"] for t in terms)
    return vocabulary_summary(found, count) | {"terms": terms}


# --- events -------------------------------------------------------------------------------------------

EVENT_FILTERS = (
    "region",
    "district",
    "type",
    "project",
    "monitoring_status",
    "violation_status",
    "since",
    "until",
)


def event_list(*, actor: Any, filters: dict[str, str] | None = None) -> QuerySet[Event]:
    """The live events the actor may see, newest first, narrowed by ``filters``:

    - ``region`` (code), ``district`` (federal district);
    - ``type`` (an event type's code; its sub-types included), ``project``, ``monitoring_status``,
      ``violation_status`` (codes);
    - ``since`` / ``until`` (2011, 2011-05 or 2011-05-06): events that may fall in that period, an
      approximate date counting in the whole month or year it names.

    An unknown filter or a value that names nothing is an error naming it."""
    filters = {name: value.strip() for name, value in (filters or {}).items() if value and value.strip()}
    unknown = sorted(set(filters) - set(EVENT_FILTERS))
    if unknown:
        raise ValidationFailed(fields={name: [_("Unknown filter.")] for name in unknown})
    events = Event.objects.filter(policies.visible_events(actor), deleted_at__isnull=True)
    if "region" in filters:
        events = events.filter(region__code=filters["region"])
    if "district" in filters:
        events = events.filter(region__federal_district=filters["district"])
    if "type" in filters:
        events = events.filter(event_type__in=_with_descendants("event-types", filters["type"], "type"))
    if "project" in filters:
        project = _term_for_filter("monitoring-projects", filters["project"], "project")
        events = events.filter(project_links__project=project)
    for name, vocabulary in (
        ("monitoring_status", "monitoring-statuses"),
        ("violation_status", "violation-statuses"),
    ):
        if name in filters:
            events = events.filter(**{name: _term_for_filter(vocabulary, filters[name], name)})
    if "since" in filters:
        since, _precision = parse_approximate(filters["since"], field="since")
        # An event may fall in the period if the last day it may have lasted to is in it or after.
        events = events.filter(latest_on__gte=since)
    if "until" in filters:
        until, precision = parse_approximate(filters["until"], field="until")
        events = events.filter(started_on__lte=latest_day(until, precision))
    return events.select_related("region", "event_type", "monitoring_status", "violation_status").distinct()


def _term_for_filter(vocabulary_code: str, value: str, field: str) -> Term:
    try:
        return term_resolve(vocabulary_code, value)
    except ValidationFailed as exc:
        raise ValidationFailed(fields={field: [exc.message]}) from None


def _with_descendants(vocabulary_code: str, value: str, field: str) -> list[Term]:
    root = _term_for_filter(vocabulary_code, value, field)
    found, frontier = [root], [root.pk]
    while frontier:
        children = list(Term.objects.filter(parent_id__in=frontier))
        found += children
        frontier = [t.pk for t in children]
    return found


def event_card(*, actor: Any, event_id: Any) -> Projection:
    """One event reduced to what the actor may read, with its projects, region and terms by code."""
    event = live_record(
        Event.objects.select_related(
            "region", "event_type", "monitoring_status", "violation_status", "steward"
        ),
        event_id,
    )
    ceiling = policies.require_event_read(actor, event)
    card = project(event, ceiling=ceiling)
    card["started"] = format_approximate(event.started_on, event.started_precision)
    card["ended"] = format_approximate(event.ended_on, event.ended_precision)
    card["region_code"] = event.region.code if event.region else None
    for name in ("event_type", "monitoring_status", "violation_status"):
        term = getattr(event, name)
        card[name] = term.code if term else None
    card["projects"] = sorted(link.project.code for link in event.project_links.select_related("project"))
    card["steward_name"] = event.steward.name_ru
    card["may_edit"] = policies.event_write_allowed(actor, steward_id=event.steward_id)
    return card


def event_rows(events: Any) -> list[dict[str, Any]]:
    """List rows of events already filtered by ``event_list`` (so every one is the reader's to see)."""
    return [
        {
            "id": event.pk,
            "title": event.title,
            "started": format_approximate(event.started_on, event.started_precision),
            "region": event.region.code if event.region else None,
            "type": event.event_type.code if event.event_type else None,
            "monitoring_status": event.monitoring_status.code if event.monitoring_status else None,
            "tier": event.tier,
        }
        for event in events
    ]
