"""Events as the search index sees them (registered in ``MonitoringConfig.ready``).

An event's document has the event's tier and steward, so a reader finds exactly the events the event
list shows them: published ones, shared ones for members, and all of their own group's. Its acts add the
words a monitor searches by (the type of act, the police station, the court), at the event's tier;
victims' names and case numbers are sealed and never indexed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from khronika.core.tiers import Tier
from khronika.directory.search import FACETS as DIRECTORY_FACETS
from khronika.monitoring.models import Act, Event, Term
from khronika.search.registry import Document, Facet, Searchable, register


def _term_labels(codes: list[str]) -> dict[str, str]:
    field = "name_en" if (get_language() or "ru").startswith("en") else "name_ru"
    return dict(Term.objects.filter(code__in=codes).values_list("code", field))


FACETS = {
    "event_type": Facet("event_type", _("type of event"), _term_labels),
    "project": Facet("project", _("monitoring project"), _term_labels),
    "act_type": Facet("act_type", _("type of act"), _term_labels),
}


def event_document(event: Event) -> Document:
    tier = Tier[str(event.tier).upper()]
    doc = Document(
        kind="event",
        id=event.id,
        title=event.title,
        steward=event.steward_id,
        tier=tier,
        # No public page lists events yet: a published event is found by signed-in readers only.
        listed=False,
        day=event.started_on,
    )
    doc.add_fields(event, "title", "description", "place", "reference")
    if event.region is not None:
        doc.add_facet("region", event.region.code)
        doc.add_facet("district", event.region.federal_district)
        doc.add_text(tier, event.region.name_ru, event.region.name_en)
    if event.event_type is not None:
        doc.add_facet("event_type", event.event_type.code)
        doc.add_text(tier, event.event_type.name_ru, event.event_type.name_en)
    for link in event.project_links.all():
        doc.add_facet("project", link.project.code)
    for act in event.acts.all():
        doc.add_facet("act_type", act.act_type.code)
        doc.add_text(tier, act.act_type.name_ru, act.act_type.name_en)
        doc.add_fields(act, "police_station", "court", "place", "victim_group")
    return doc


def _events() -> QuerySet[Event]:
    live_acts = Act.objects.filter(deleted_at__isnull=True).select_related("act_type")
    return (
        Event.objects.filter(deleted_at__isnull=True)
        .select_related("region", "event_type")
        .prefetch_related("project_links__project", Prefetch("acts", queryset=live_acts))
    )


def _events_of_acts(ids: list[uuid.UUID]) -> Iterable[uuid.UUID]:
    return Act.objects.filter(id__in=ids).values_list("event_id", flat=True).distinct()


def _event_url(event: Event) -> str:
    return reverse("monitoring:event_detail", args=[event.id])


def register_search() -> None:
    register(
        Searchable(
            kind="event",
            model=Event,
            label=_("event"),
            label_plural=_("events"),
            document=event_document,
            queryset=_events,
            url=_event_url,
            facets=(
                DIRECTORY_FACETS["region"],
                DIRECTORY_FACETS["district"],
                FACETS["event_type"],
                FACETS["project"],
                FACETS["act_type"],
            ),
            follows={"monitoring.act": _events_of_acts},
        )
    )
