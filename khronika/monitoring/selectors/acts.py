"""Reads of acts. An act is read with its event, at the event's tier; a victim's name and a case number
are sealed and opened only with the reader's keyring (an ``Opening``), each opening audited."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet, Sum

from khronika.accounts.sealing import Opening, open_rows
from khronika.core.dates import format_approximate
from khronika.core.projection import Projection, project
from khronika.core.records import live_record
from khronika.core.tiers import Tier
from khronika.monitoring import policies
from khronika.monitoring.models import Act, Event
from khronika.monitoring.selectors.links import involvements_of

_TERMS = ("act_type", "method", "end_status", "detention_place")


def _live_acts(event: Event) -> QuerySet[Act]:
    return (
        Act.objects.filter(event=event, deleted_at__isnull=True)
        .select_related("region", "victim", *_TERMS)
        .prefetch_related("consequence_links__consequence")
    )


def event_acts(*, actor: Any, event_id: Any, opening: Opening | None = None) -> list[Projection]:
    """The acts of one event the actor may see, oldest first."""
    event = live_record(Event, event_id)
    ceiling = policies.require_event_read(actor, event)
    return _rows(list(_live_acts(event)), ceiling, opening)


def act_card(*, actor: Any, act_id: Any, opening: Opening | None = None) -> Projection:
    act = live_record(Act.objects.select_related("event"), act_id)
    ceiling = policies.require_event_read(actor, act.event)
    found = _live_acts(act.event).get(pk=act.pk)
    card = _rows([found], ceiling, opening)[0]
    card["may_edit"] = policies.event_write_allowed(actor, steward_id=act.event.steward_id)
    card["may_name"] = policies.may_name(actor, act.event.steward_id)
    return card


def event_totals(event: Event) -> dict[str, int]:
    """How many acts an event holds and how many victims they count (a group of 39 counts 39)."""
    totals = Act.objects.filter(event=event, deleted_at__isnull=True).aggregate(
        victims=Sum("victim_count"), acts=Count("id")
    )
    return {"acts": totals["acts"] or 0, "victims": totals["victims"] or 0}


def _rows(acts: list[Act], ceiling: Tier, opening: Opening | None) -> list[Projection]:
    rows = []
    for act in acts:
        row = project(act, ceiling=ceiling)
        row["started"] = format_approximate(act.started_on, act.started_precision)
        row["ended"] = format_approximate(act.ended_on, act.ended_precision)
        row["region_code"] = act.region.code if act.region else None
        row["region_name"] = act.region.name_ru if act.region else ""
        for name in _TERMS:
            term = getattr(act, name)
            row[name] = term.code if term else None
            row[f"{name}_name"] = term.name if term else ""
        links = sorted(act.consequence_links.all(), key=lambda link: link.consequence.position)
        row["consequences"] = [link.consequence.code for link in links]
        row["consequence_names"] = [link.consequence.name for link in links]
        rows.append(row)
    open_rows(list(zip(acts, rows, strict=True)), opening)
    _victims(acts, rows, ceiling, opening)
    involvements = involvements_of(acts, ceiling)
    for act, row in zip(acts, rows, strict=True):
        row["involvements"] = involvements[act.pk]
    return rows


def _victims(acts: list[Act], rows: list[Projection], ceiling: Tier, opening: Opening | None) -> None:
    """Put each named victim's name (sealed, or opened for this reader) in ``victim_name``. A reader below
    the protected tier gets no name at all, only that the victim is a person."""
    pairs = []
    for act, row in zip(acts, rows, strict=True):
        if act.victim is None or ceiling < Tier.PROTECTED:
            continue
        person = project(act.victim, ceiling=ceiling)
        pairs.append((act.victim, person))
        row["victim_birth_year"] = person.get("birth_year")
        row["_victim"] = person
    open_rows(pairs, opening)
    for row in rows:
        person = row.pop("_victim", None)
        if person is not None:
            row["victim_name"] = person["name"]
            row["opened"] = bool(row.get("opened") or person.get("opened"))
