"""Reference data shipped with Khronika: regions (with their neighbours) and the areas-of-work vocabulary.

``reference_load`` makes the database match the files in ``directory/data/``: it adds what is missing and
updates what changed, through the change log like any other write, and is safe to run again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from khronika.core.changes import save_values
from khronika.directory.models import AreaOfWork, Region, RegionNeighbour

DATA_DIR = Path(__file__).resolve().parent / "data"
REGION_FIELDS = (
    "okato",
    "kind",
    "name_ru",
    "name_en",
    "federal_district",
    "capital_ru",
    "capital_en",
    "capital_lat",
    "capital_lon",
)


def _read(name: str) -> list[dict[str, Any]]:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _upsert(model: Any, code: str, values: dict[str, Any]) -> bool:
    return save_values(model.objects.filter(code=code).first() or model(code=code), values)


@transaction.atomic
def reference_load() -> dict[str, int]:
    """Load regions, neighbours and areas of work; return how many rows were added or changed."""
    changed_regions = 0
    rows = _read("regions.json")
    for row in rows:
        values = {name: row.get(name) if row.get(name) is not None else "" for name in REGION_FIELDS}
        for coordinate in ("capital_lat", "capital_lon"):
            values[coordinate] = row.get(coordinate)
        changed_regions += _upsert(Region, row["code"], values)
    by_code = {r.code: r for r in Region.objects.all()}
    wanted = {tuple(sorted((row["code"], other))) for row in rows for other in row.get("neighbours", [])}
    existing = set(RegionNeighbour.objects.values_list("from_region__code", "to_region__code"))
    missing = [
        RegionNeighbour(from_region=by_code[a], to_region=by_code[b])
        for pair in wanted
        for a, b in (pair, pair[::-1])
        if (a, b) not in existing
    ]
    RegionNeighbour.objects.bulk_create(missing)
    changed_areas = 0
    for position, row in enumerate(_read("areas.json")):
        parent = AreaOfWork.objects.get(code=row["parent"]) if row["parent"] else None
        changed_areas += _upsert(
            AreaOfWork,
            row["code"],
            {"parent": parent, "name_ru": row["name_ru"], "name_en": row["name_en"], "position": position},
        )
    return {"regions": changed_regions, "neighbours": len(missing), "areas": changed_areas}
