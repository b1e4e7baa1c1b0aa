"""Reference data: regions and areas of work. Public, like the files they are loaded from."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from khronika.api.schemas import AreaOut, RegionOut
from khronika.directory import selectors

router = Router(tags=["reference data"], auth=None)


@router.get("/regions", response=list[RegionOut])
def regions_list(
    request: HttpRequest, kind: str = Query("", description="federal_subject or country; empty: both.")
) -> Any:
    return [
        {
            "code": r.code,
            "kind": r.kind,
            "name_ru": r.name_ru,
            "name_en": r.name_en,
            "federal_district": r.federal_district,
        }
        for r in selectors.regions(kind=kind).order_by("code")
    ]


@router.get("/areas", response=list[AreaOut])
def areas_list(request: HttpRequest) -> Any:
    return [
        {
            "code": a.code,
            "parent": a.parent.code if a.parent else None,
            "name_ru": a.name_ru,
            "name_en": a.name_en,
        }
        for a in selectors.areas()
    ]
