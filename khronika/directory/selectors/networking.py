"""Networking: who works on an area in or near a region, groups like this one, coverage gaps."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from khronika.accounts import policies as account_policies
from khronika.core.errors import NotAuthenticated, NotFound
from khronika.core.projection import Projection
from khronika.directory.models import (
    AreaOfWork,
    FederalDistrict,
    Organisation,
    OrganisationArea,
    OrganisationRegion,
    OrganisationStatus,
    PracticeNote,
    Region,
    RegionNeighbour,
)
from khronika.directory.selectors.organisations import _live_organisation, organisation_rows
from khronika.directory.selectors.reference import area_codes_with_descendants

PROXIMITY_SAME_REGION = 3


PROXIMITY_NEIGHBOUR = 2


PROXIMITY_DISTRICT = 1


def _neighbour_codes(region: Region) -> set[str]:
    return set(
        RegionNeighbour.objects.filter(from_region=region).values_list("to_region__code", flat=True)
    ) | set(RegionNeighbour.objects.filter(to_region=region).values_list("from_region__code", flat=True))


def organisations_near(*, actor: Any, area: str, region: str, limit: int = 50) -> list[Projection]:
    """Active organisations working on ``area`` (or an area below it) in ``region``, its neighbours or its
    federal district, the nearest first; among equals, the one with more practice notes in the area."""
    if account_policies.signed_in(actor) is None:
        raise NotAuthenticated()
    try:
        home = Region.objects.get(code=region)
    except Region.DoesNotExist:
        raise NotFound(_("No such region.")) from None
    if not AreaOfWork.objects.filter(code=area).exists():
        raise NotFound(_("No such area of work."))
    areas = area_codes_with_descendants(area)
    neighbours = _neighbour_codes(home)
    candidates = Organisation.objects.filter(
        deleted_at__isnull=True,
        status=OrganisationStatus.ACTIVE,
        id__in=OrganisationArea.objects.filter(area__code__in=areas).values("organisation_id"),
    )
    nearby = Q(region__code=home.code) | Q(region__code__in=neighbours)
    if home.federal_district:
        nearby |= Q(region__federal_district=home.federal_district)
    links = OrganisationRegion.objects.filter(nearby, organisation__in=candidates).values_list(
        "organisation_id", "region__code", "region__federal_district"
    )
    best: dict[uuid.UUID, int] = {}
    for org_id, code, district in links:
        score = (
            PROXIMITY_SAME_REGION
            if code == home.code
            else PROXIMITY_NEIGHBOUR
            if code in neighbours
            else PROXIMITY_DISTRICT
            if district and district == home.federal_district
            else 0
        )
        best[org_id] = max(best.get(org_id, 0), score)
    notes = dict(
        PracticeNote.objects.filter(organisation_id__in=best, area__code__in=areas, deleted_at__isnull=True)
        .values("organisation_id")
        .annotate(n=Count("id"))
        .values_list("organisation_id", "n")
    )
    ranked = sorted(best, key=lambda oid: (-best[oid], -notes.get(oid, 0)))[: limit * 2]
    orgs = {o.id: o for o in Organisation.objects.filter(id__in=ranked).select_related("home_region")}
    ordered = sorted(
        (orgs[oid] for oid in ranked), key=lambda o: (-best[o.id], -notes.get(o.id, 0), o.name_ru)
    )
    rows = organisation_rows(ordered[:limit], actor=actor)
    labels = {
        PROXIMITY_SAME_REGION: "same_region",
        PROXIMITY_NEIGHBOUR: "neighbour",
        PROXIMITY_DISTRICT: "same_district",
    }
    for row in rows:
        row["proximity"] = labels[best[row["id"]]]
        row["score"] = best[row["id"]]
        row["practice_notes_in_area"] = notes.get(row["id"], 0)
    return rows


def organisations_similar(*, actor: Any, organisation_id: Any, limit: int = 10) -> list[Projection]:
    """Groups like this one: most shared areas of work (Jaccard), then nearness of regions."""
    if account_policies.signed_in(actor) is None:
        raise NotAuthenticated()
    org = _live_organisation(organisation_id)
    my_areas = set(org.areas.values_list("id", flat=True))
    if not my_areas:
        return []
    my_regions = set(org.regions.values_list("code", flat=True))
    my_districts = set(org.regions.exclude(federal_district="").values_list("federal_district", flat=True))
    shared = (
        OrganisationArea.objects.filter(area_id__in=my_areas, organisation__deleted_at__isnull=True)
        .exclude(organisation_id=org.id)
        .values("organisation_id")
        .annotate(shared=Count("id"))
        .order_by("-shared")[:500]
    )
    shared_by_org = {row["organisation_id"]: row["shared"] for row in shared}
    totals = dict(
        OrganisationArea.objects.filter(organisation_id__in=shared_by_org)
        .values("organisation_id")
        .annotate(n=Count("id"))
        .values_list("organisation_id", "n")
    )
    regions: dict[uuid.UUID, set[tuple[str, str]]] = defaultdict(set)
    for org_id, code, district in OrganisationRegion.objects.filter(
        organisation_id__in=shared_by_org
    ).values_list("organisation_id", "region__code", "region__federal_district"):
        regions[org_id].add((code, district))

    def score(oid: uuid.UUID) -> float:
        jaccard = shared_by_org[oid] / (len(my_areas) + totals.get(oid, 0) - shared_by_org[oid])
        codes = {c for c, _d in regions[oid]}
        districts = {d for _c, d in regions[oid] if d}
        nearness = 0.3 if codes & my_regions else 0.1 if districts & my_districts else 0.0
        return jaccard + nearness

    ranked = sorted(shared_by_org, key=score, reverse=True)[:limit]
    orgs = {o.id: o for o in Organisation.objects.filter(id__in=ranked).select_related("home_region")}
    rows = organisation_rows([orgs[oid] for oid in ranked], actor=actor)
    for row in rows:
        row["similarity"] = round(score(row["id"]), 3)
    return rows


@dataclass(frozen=True)
class CoverageGaps:
    regions: list[Region]
    areas: list[AreaOfWork]
    covered: dict[tuple[str, str], int]

    def count(self, region_code: str, area_code: str) -> int:
        return self.covered.get((region_code, area_code), 0)

    @property
    def gap_count(self) -> int:
        return sum(1 for r in self.regions for a in self.areas if (r.code, a.code) not in self.covered)


def coverage_gaps(*, actor: Any, district: str = "") -> CoverageGaps:
    """Regions × top-level areas of work, with the number of active groups covering each pair.

    An organisation working on a sub-area covers its top-level area."""
    if account_policies.signed_in(actor) is None:
        raise NotAuthenticated()
    regions = Region.objects.filter(deleted_at__isnull=True, kind="federal_subject")
    if district:
        if district not in FederalDistrict.values:
            raise NotFound(_("No such federal district."))
        regions = regions.filter(federal_district=district)
    all_areas = list(AreaOfWork.objects.filter(deleted_at__isnull=True))
    parent = {a.id: a.parent_id for a in all_areas}

    def top(area_id: Any) -> Any:
        while parent.get(area_id):
            area_id = parent[area_id]
        return area_id

    tops = [a for a in all_areas if a.parent_id is None]
    code_of = {a.id: a.code for a in all_areas}
    active = Organisation.objects.filter(deleted_at__isnull=True, status=OrganisationStatus.ACTIVE)
    org_tops: dict[uuid.UUID, set[str]] = defaultdict(set)
    for org_id, area_id in OrganisationArea.objects.filter(organisation__in=active).values_list(
        "organisation_id", "area_id"
    ):
        org_tops[org_id].add(code_of[top(area_id)])
    covered: dict[tuple[str, str], int] = defaultdict(int)
    for org_id, region_code in OrganisationRegion.objects.filter(organisation__in=active).values_list(
        "organisation_id", "region__code"
    ):
        for area_code in org_tops.get(org_id, ()):
            covered[(region_code, area_code)] += 1
    return CoverageGaps(regions=list(regions.order_by("name_ru")), areas=tops, covered=dict(covered))
