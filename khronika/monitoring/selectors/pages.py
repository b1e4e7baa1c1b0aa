"""What a staff page of the monitoring app reads in one call.

The API and the CLI answer with codes (``event_rows``, ``event_card``); a page shows names in the reader's
language, an event's chains to other events, and forms whose choices come from the vocabularies. These
reads add that around the same selectors, with the same scoping (``policies.visible_events``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.paginator import Page
from django.db.models import F, Prefetch, Q

from khronika.accounts.sealing import Opening
from khronika.core.pagination import page_with_total
from khronika.core.projection import Projection, sealed_names
from khronika.core.records import live_record
from khronika.directory.models import Region
from khronika.monitoring import policies
from khronika.monitoring.models import Event, EventProject, EventRelation, Intervention, SourceKind, Term
from khronika.monitoring.selectors.acts import event_acts
from khronika.monitoring.selectors.events import event_card, event_list
from khronika.monitoring.selectors.links import event_information, event_interventions
from khronika.monitoring.selectors.reference import TermRow

# The vocabularies the event forms and the event filters draw their choices from.
EVENT_VOCABULARIES = ("event-types", "monitoring-projects", "violation-statuses", "monitoring-statuses")
RELATION_VOCABULARY = "event-relations"


def event_page(
    *, actor: Any, filters: Mapping[str, str], page: Any, per_page: int
) -> tuple[Page, list[Projection]]:
    """One page of ``event_list`` (a bad page number gives the nearest page) and its rows, with the
    region, the type and the projects of each event. ValidationFailed names a filter that is not valid."""
    events = (
        event_list(actor=actor, filters=dict(filters))
        .prefetch_related(
            Prefetch(
                "project_links",
                queryset=EventProject.objects.select_related("project").order_by("project__position"),
            )
        )
        # Undated events last on every database, and a stable order across pages.
        .order_by(F("started_on").desc(nulls_last=True), "title", "id")
    )
    current = page_with_total(events, number=page, per_page=per_page, filtered=any(filters.values()))
    return current, [_event_row(event) for event in current.object_list]


def _event_row(event: Event) -> Projection:
    # event_list gives only the events the reader may see, and every fact of an event has its tier.
    return Projection(
        id=event.pk,
        title=event.title,
        started_on=event.started_on,
        started_precision=event.started_precision,
        ended_on=event.ended_on,
        ended_precision=event.ended_precision,
        region=event.region,
        event_type=event.event_type,
        projects=[link.project for link in event.project_links.all()],
        tier=event.tier,
    )


def event_detail(*, actor: Any, event_id: Any) -> Projection:
    """``event_card`` with its region and terms as records (for their names) and its chains to the other
    events the reader may see (``relations``: the term, the other event, whether this event is the
    source, and whether the reader may remove the chain)."""
    card = event_card(actor=actor, event_id=event_id)
    card["region"] = Region.objects.filter(pk=card.region_id).first() if card.region_id else None
    term_ids = {card.event_type_id, card.violation_status_id, card.monitoring_status_id} - {None}
    terms = (
        Term.objects.filter(
            Q(pk__in=term_ids) | Q(vocabulary__code="monitoring-projects", code__in=card.projects or [])
        )
        .select_related("vocabulary")
        .order_by("position")
    )
    by_id: dict[Any, Term] = {term.pk: term for term in terms}
    card["terms"] = {
        name: by_id.get(card.get(f"{name}_id"))
        for name in ("event_type", "violation_status", "monitoring_status")
    }
    card["project_terms"] = [term for term in terms if term.vocabulary.code == "monitoring-projects"]
    card["relations"] = event_relations(actor=actor, event_id=card.id, may_edit=bool(card.may_edit))
    return card


def event_relations(*, actor: Any, event_id: Any, may_edit: bool) -> list[Projection]:
    """The live chains of an event whose other end the reader may see, in either direction."""
    visible = Event.objects.filter(policies.visible_events(actor), deleted_at__isnull=True)
    links = (
        EventRelation.objects.filter(deleted_at__isnull=True)
        .filter(Q(source_id=event_id, target__in=visible) | Q(target_id=event_id, source__in=visible))
        .select_related("relation", "source", "target")
        .order_by("relation__position", "created_at")
    )
    rows = []
    for link in links:
        outgoing = link.source_id == event_id
        other = link.target if outgoing else link.source
        rows.append(
            Projection(
                id=link.pk,
                relation=link.relation,
                outgoing=outgoing,
                other=Projection(
                    id=other.pk,
                    title=other.title,
                    started_on=other.started_on,
                    started_precision=other.started_precision,
                ),
                # Whoever writes the source event removes the chain (services.event_unrelate).
                may_remove=may_edit
                if outgoing
                else policies.event_write_allowed(actor, steward_id=link.source.steward_id),
            )
        )
    return rows


def vocabulary_term_rows(codes: Iterable[str]) -> dict[str, list[TermRow]]:
    """The terms of several vocabularies in one read, retired ones too (a form keeps the term a record
    already uses): each vocabulary's in the order of its file, each term with its depth."""
    rows: dict[str, list[TermRow]] = {code: [] for code in codes}
    depth: dict[Any, int] = {}
    terms = (
        Term.objects.filter(vocabulary__code__in=list(rows), vocabulary__deleted_at__isnull=True)
        .select_related("vocabulary")
        .order_by("vocabulary__code", "position")
    )
    for term in terms:
        # Parents come before their children (the loader checks it).
        depth[term.pk] = 0 if term.parent_id is None else depth.get(term.parent_id, 0) + 1
        rows[term.vocabulary.code].append(TermRow(term=term, depth=depth[term.pk]))
    return rows


# --- What an event holds: its acts, sources and interventions ----------------------------------------------


def event_records(*, actor: Any, event_id: Any, opening: Opening | None = None) -> Projection:
    """The acts of an event (with who was involved in each), its sources and its interventions, as the
    reader may see them, and how many protected values they hold sealed (``sealed``) or show opened
    (``opened``) for the reader's ``opening``. Each list costs the same few reads however long it is."""
    acts = event_acts(actor=actor, event_id=event_id, opening=opening)
    information = event_information(actor=actor, event_id=event_id, opening=opening)
    for row in information:
        row["source_kind_label"] = SourceKind(row.source_kind).label if row.source_kind else ""
    rows = [*acts, *information]
    return Projection(
        acts=acts,
        information=information,
        interventions=event_interventions(actor=actor, event_id=event_id),
        sealed=sum(len(sealed_names(row)) for row in rows),
        opened=any(row.get("opened") for row in rows),
    )


def intervention_row(*, actor: Any, intervention_id: Any) -> Projection:
    """One intervention as ``event_interventions`` gives it, with its event's id (``event_id``). NotFound
    when the reader may not see the event; a reader who sees the event but not its interventions (another
    group's) gets the ids alone, and is refused the writes by the event's policy."""
    record = live_record(Intervention, intervention_id)
    rows = event_interventions(actor=actor, event_id=record.event_id)
    found = next((row for row in rows if row.id == record.pk), Projection(id=record.pk))
    found["event_id"] = record.event_id
    return found
