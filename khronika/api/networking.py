"""Networking: who works on an area near a region, and where no one covers an area of work."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from khronika.api import render
from khronika.api.auth import actor
from khronika.api.schemas import READ_ERRORS, CoverageGapsOut, ErrorOut, NearbyOrganisation
from khronika.directory import selectors

router = Router(tags=["networking"])


@router.get(
    "/networking/near", response={200: list[NearbyOrganisation], READ_ERRORS: ErrorOut}, exclude_unset=True
)
def organisations_near(
    request: HttpRequest,
    area: str = Query(..., description="Area code; areas below it count too."),
    region: str = Query(..., description="Region code."),
    limit: int = Query(20, ge=1, le=100),
) -> Any:
    """Active organisations on the area in the region, then its neighbours, then its federal district."""
    rows = selectors.organisations_near(actor=actor(request), area=area, region=region, limit=limit)
    return [render.nearby_row(row) for row in rows]


@router.get("/networking/gaps", response={200: CoverageGapsOut, READ_ERRORS: ErrorOut})
def coverage_gaps(request: HttpRequest, district: str = Query("", description="Federal district.")) -> Any:
    """Federal subjects × top-level areas of work, with the number of active groups covering each."""
    gaps = selectors.coverage_gaps(actor=actor(request), district=district)
    return render.coverage(gaps, district=district)
