"""Reads of what an event links to: perpetrators of its acts, sources and interventions.

Perpetrators are read at their act's tier, so a published act shows who did it. Sources and interventions
are internal to the steward: a reader from another group sees none, and a source who is a person shows
their name only opened with the reader's key.
"""

from __future__ import annotations

from typing import Any

from khronika.accounts.sealing import Opening, open_rows
from khronika.core.dates import format_approximate
from khronika.core.projection import Projection, project
from khronika.core.records import live_record
from khronika.core.tiers import Tier
from khronika.monitoring import policies
from khronika.monitoring.models import Event, Information, Intervention, Involvement, Term


def _term_fields(row: Projection, record: Any, names: tuple[str, ...]) -> None:
    for name in names:
        if f"{name}_id" not in row:
            continue
        term: Term | None = getattr(record, name)
        row[name] = term.code if term else None
        row[f"{name}_name"] = term.name if term else ""


def involvements_of(acts: list[Any], ceiling: Tier) -> dict[Any, list[Projection]]:
    """The live involvements of these acts, by act id, as a reader of ``ceiling`` sees them."""
    found: dict[Any, list[Projection]] = {act.pk: [] for act in acts}
    links = Involvement.objects.filter(act__in=list(found), deleted_at__isnull=True).select_related(
        "perpetrator_person", "perpetrator_organisation", "degree", "perpetrator_type", "latest_status"
    )
    for link in links:
        row = project(link, ceiling=ceiling)
        _term_fields(row, link, ("degree", "perpetrator_type", "latest_status"))
        if "perpetrator_person_id" in row and link.perpetrator_person is not None:
            row["perpetrator_person_name"] = link.perpetrator_person.name_ru
        if "perpetrator_organisation_id" in row and link.perpetrator_organisation is not None:
            row["perpetrator_organisation_name"] = link.perpetrator_organisation.name_ru
        found[link.act_id].append(row)
    return found


def event_information(*, actor: Any, event_id: Any, opening: Opening | None = None) -> list[Projection]:
    """The sources of an event, for its steward's members; nobody else sees them."""
    event = live_record(Event, event_id)
    ceiling = policies.require_event_read(actor, event)
    if ceiling < Tier.INTERNAL:
        return []
    records = list(
        Information.objects.filter(event=event, deleted_at__isnull=True).select_related(
            "source_individual", "source_organisation", "source_type", "connection", "reliability", "language"
        )
    )
    rows = []
    people = []
    for record in records:
        row = project(record, ceiling=ceiling)
        row["dated"] = format_approximate(record.dated_on, record.dated_precision)
        _term_fields(row, record, ("source_type", "connection", "reliability", "language"))
        if record.source_organisation is not None:
            row["source_organisation_name"] = record.source_organisation.name_ru
        if record.source_individual is not None and ceiling >= Tier.PROTECTED:
            person = project(record.source_individual, ceiling=ceiling)
            people.append((record.source_individual, person))
            row["_person"] = person
        rows.append(row)
    open_rows(people, opening)
    for row in rows:
        person = row.pop("_person", None)
        if person is not None:
            row["source_name"] = person["name"]
    return rows


def event_interventions(*, actor: Any, event_id: Any) -> list[Projection]:
    """What was done about an event, for its steward's members; nobody else sees it."""
    event = live_record(Event, event_id)
    ceiling = policies.require_event_read(actor, event)
    if ceiling < Tier.INTERNAL:
        return []
    rows = []
    records = Intervention.objects.filter(event=event, deleted_at__isnull=True).select_related(
        "by_organisation", "intervention_type", "response", "impact", "status", "priority"
    )
    for record in records:
        row = project(record, ceiling=ceiling)
        row["dated"] = format_approximate(record.dated_on, record.dated_precision)
        row["by_organisation_name"] = record.by_organisation.name_ru
        _term_fields(row, record, ("intervention_type", "response", "impact", "status", "priority"))
        rows.append(row)
    return rows
