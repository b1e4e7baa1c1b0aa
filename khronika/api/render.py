"""Projections (from the selectors) turned into response dicts.

A projection lacks the keys its reader may not see; these functions copy only the keys that are there,
so that a hidden field stays absent in the response, and turn model values into the API's vocabulary
(codes, approximate-date text, references by id and name).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from khronika.core.dates import format_approximate
from khronika.core.models import ChangeLogEntry
from khronika.core.projection import SEALED
from khronika.core.tiers import Tier
from khronika.directory.models import Organisation, Person, Position, Region
from khronika.directory.selectors import CoverageGaps

ROW_FIELDS = (
    "id",
    "kind",
    "name_ru",
    "name_en",
    "aliases",
    "status",
    "description",
    "website",
    "is_public",
    "version",
    "updated_at",
)
CARD_FIELDS = (*ROW_FIELDS, "internal_notes", "created_at")
CONTACT_FIELDS = ("id", "kind", "value", "label", "tier", "version")
DESIGNATION_FIELDS = ("id", "kind", "listed_on", "removed_on", "legal_basis", "register_entry", "version")
NOTE_FIELDS = ("id", "tier", "title", "summary", "outcome", "lessons", "who_to_ask", "version")
PERSON_FIELDS = ("id", "name_ru", "name_en", "aliases", "version", "notes")


def present(values: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """The named values the projection holds; a name it lacks is left out, not set to None. A sealed
    value the reader did not open is null, and its name is listed in ``sealed``."""
    out = {name: values[name] for name in names if name in values}
    sealed = [name for name, value in out.items() if value is SEALED]
    for name in sealed:
        out[name] = None
    if sealed:
        out["sealed"] = sealed
    return out


def approximate(values: Mapping[str, Any], name: str) -> dict[str, str]:
    """``{name: "2011-05"}`` from ``<name>_on`` and ``<name>_precision``, if the projection holds them."""
    if f"{name}_on" not in values:
        return {}
    return {name: format_approximate(values[f"{name}_on"], values[f"{name}_precision"])}


def tier_label(tier: Tier | None) -> str | None:
    return Tier(tier).label if tier is not None else None


def organisation_ref(org: Organisation | None) -> dict[str, Any] | None:
    return None if org is None else {"id": org.id, "name_ru": org.name_ru, "name_en": org.name_en}


def person_ref(person: Person) -> dict[str, Any]:
    return {"id": person.id, "name_ru": person.name_ru, "name_en": person.name_en}


def region_code(region: Region | None) -> str | None:
    return region.code if region is not None else None


def organisation_row(row: Mapping[str, Any]) -> dict[str, Any]:
    out = present(row, ROW_FIELDS) | approximate(row, "founded")
    out["home_region"] = region_code(row["home_region"])
    out["areas"] = [area.code for area in row["areas"]]
    return out


def nearby_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return organisation_row(row) | present(row, ("proximity", "practice_notes_in_area"))


def similar_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return organisation_row(row) | present(row, ("similarity",))


def contact(values: Mapping[str, Any]) -> dict[str, Any]:
    return present(values, CONTACT_FIELDS)


def practice_note(values: Mapping[str, Any]) -> dict[str, Any]:
    out = present(values, NOTE_FIELDS) | approximate(values, "happened")
    if "area_id" in values:
        out["area"] = values["area"].code
    if "region_id" in values:
        out["region"] = region_code(values["region"])
    return out


def relationship(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": values["id"],
        "kind": values["kind"],
        "direction": "outgoing" if values["outgoing"] else "incoming",
        "other": organisation_ref(values["other"]),
        **approximate(values, "started"),
        **approximate(values, "ended"),
    }


def position(pos: Position, *, with_person: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": pos.id,
        "version": pos.version,
        "title": pos.title,
        "started": format_approximate(pos.started_on, pos.started_precision),
        "ended": format_approximate(pos.ended_on, pos.ended_precision),
    }
    if with_person:
        out["person"] = person_ref(pos.person)
    else:
        out["organisation"] = organisation_ref(pos.organisation)
    return out


def organisation_card(card: Mapping[str, Any]) -> dict[str, Any]:
    out = present(card, CARD_FIELDS) | approximate(card, "founded")
    out["home_region"] = region_code(card["home_region"])
    out["areas"] = [area.code for area in card["areas"]]
    out["regions"] = [region.code for region in card["regions"]]
    out["contacts"] = [contact(c) for c in card["contacts"]]
    out["designations"] = [present(d, DESIGNATION_FIELDS) for d in card["designations"]]
    out["practice_notes"] = [practice_note(n) for n in card["practice_notes"]]
    if "steward" in card:
        out["steward"] = organisation_ref(card["steward"])
    if "relationships" in card:
        out["relationships"] = [relationship(r) for r in card["relationships"]]
    if "people" in card:
        out["people"] = [position(p, with_person=True) for p in card["people"]]
    out["read_tier"] = tier_label(card["tier_ceiling"])
    out["write_tier"] = tier_label(card["write_ceiling"])
    return out


def person_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return present(row, PERSON_FIELDS[:-1])


def person_card(card: Mapping[str, Any]) -> dict[str, Any]:
    out = present(card, PERSON_FIELDS)
    if "steward_id" in card:
        out["steward"] = card["steward_id"]
    out["positions"] = [position(p, with_person=False) for p in card["positions"]]
    out["contacts"] = [contact(c) for c in card["contacts"]]
    out["read_tier"] = tier_label(card["tier_ceiling"])
    out["write_tier"] = tier_label(card["write_ceiling"])
    return out


def history_entry(entry: ChangeLogEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "version": entry.version,
        "operation": entry.operation,
        "changed_fields": entry.changed_fields,
        "recorded_at": entry.recorded_at,
        "origin_node": entry.origin_node,
    }


def coverage(gaps: CoverageGaps, *, district: str) -> dict[str, Any]:
    area_codes = [area.code for area in gaps.areas]
    regions = []
    for region in gaps.regions:
        counts = {code: gaps.count(region.code, code) for code in area_codes}
        regions.append(
            {
                "code": region.code,
                "name_ru": region.name_ru,
                "name_en": region.name_en,
                "covered": {code: n for code, n in counts.items() if n},
                "gaps": [code for code, n in counts.items() if not n],
            }
        )
    return {"district": district, "areas": area_codes, "gap_count": gaps.gap_count, "regions": regions}
