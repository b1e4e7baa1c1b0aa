"""Reads of events, scoped by what the reader may see (``policies.visible_events``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from khronika.core.dates import format_approximate, latest_day, parse_approximate
from khronika.core.errors import ValidationFailed
from khronika.core.projection import Projection, project
from khronika.core.records import live_record
from khronika.monitoring import policies
from khronika.monitoring.models import Event, EventProject, Term
from khronika.monitoring.selectors.acts import event_totals
from khronika.monitoring.selectors.reference import term_resolve

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
        events = events.filter(
            event_type__in=term_filter_with_descendants("event-types", filters["type"], "type")
        )
    if "project" in filters:
        project = _term_for_filter("monitoring-projects", filters["project"], "project")
        # A subquery rather than a join, so that no event comes twice and no DISTINCT is needed.
        events = events.filter(pk__in=EventProject.objects.filter(project=project).values("event_id"))
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
    # Related rows are fetched for the page alone (prefetch), not joined to every event the reader may
    # see before sorting them: at 100,000 events the joins cost more than the sort.
    return events.prefetch_related("region", "event_type", "monitoring_status", "violation_status")


def _term_for_filter(vocabulary_code: str, value: str, field: str) -> Term:
    try:
        return term_resolve(vocabulary_code, value)
    except ValidationFailed as exc:
        raise ValidationFailed(fields={field: [exc.message]}) from None


def term_filter_with_descendants(vocabulary_code: str, value: str, field: str) -> list[Term]:
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
    card.update(event_totals(event))
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
