"""Networking pages: who works on an area near a region, and where no one covers an area."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from khronika.directory import selectors
from khronika.directory.forms import GapsForm, NearForm
from khronika.directory.views.common import user_of


def networking_near(request: HttpRequest) -> HttpResponse:
    form = NearForm(request.GET or None, regions=selectors.regions(), areas=selectors.areas())
    rows = None
    if form.is_bound and form.is_valid():
        rows = selectors.organisations_near(
            actor=user_of(request), area=form.cleaned_data["area"], region=form.cleaned_data["region"]
        )
    return render(request, "directory/near.html", {"form": form, "rows": rows})


def coverage_gaps(request: HttpRequest) -> HttpResponse:
    form = GapsForm(request.GET or None)
    district = form.cleaned_data.get("district", "") if form.is_bound and form.is_valid() else ""
    gaps = selectors.coverage_gaps(actor=user_of(request), district=district)
    table = [
        (region, [(area, gaps.count(region.code, area.code)) for area in gaps.areas])
        for region in gaps.regions
    ]
    return render(request, "directory/gaps.html", {"form": form, "gaps": gaps, "table": table})
