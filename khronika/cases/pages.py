"""Reads the desk's staff pages need beyond ``selectors``: who a case may be given to, the group's desk
settings (also when it takes no requests), the new intakes of the home page, and names of reference data.

Each read applies the desk's policies as the selectors do; none of them reads a protected value.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.paginator import Page
from django.db import models

from khronika.accounts.models import User
from khronika.cases import policies, selectors
from khronika.cases.models import Case, HelpDesk, Intake, Urgency
from khronika.core.pagination import page_with_total
from khronika.core.projection import Projection
from khronika.directory.models import AreaOfWork, Region
from khronika.directory.templatetags.directory_tags import local_name

URGENCY_ORDER = [Urgency.URGENT, Urgency.HIGH, Urgency.NORMAL, Urgency.LOW]


def desk_workers(*, actor: Any) -> list[tuple[str, str]]:
    """The case workers of the reader's desk as ``(username, name)``: whom a case or a task is given to.
    Empty for a reader who is not a case worker."""
    if not works_the_desk(actor):
        return []
    workers = User.objects.filter(
        organisation_id=actor.organisation_id,
        role__in=sorted(policies.CASE_ROLES),
        is_active=True,
        deleted_at__isnull=True,
    ).order_by("display_name", "username")
    return [(worker.username, worker.display_name or worker.username) for worker in workers]


def works_the_desk(actor: Any) -> bool:
    """Whether the reader is a case worker of their group's desk (to offer the desk's pages and buttons;
    the selectors and services decide again)."""
    organisation_id = getattr(actor, "organisation_id", None)
    return organisation_id is not None and policies.is_case_worker(actor, organisation_id)


def help_desk_settings(*, actor: Any) -> Projection:
    """The keeper's group's desk as its settings form shows it (a desk not set up yet reads as closed)."""
    user = policies.require_desk_keeper(actor, getattr(actor, "organisation_id", None))
    desk = HelpDesk.objects.filter(organisation_id=user.organisation_id, deleted_at__isnull=True).first()
    return Projection(
        accepts_public_requests=bool(desk and desk.accepts_public_requests),
        public_note=desk.public_note if desk else "",
        exists=desk is not None,
    )


def new_intakes(*, actor: Any, limit: int = 20) -> list[Intake]:
    """The desk's intakes waiting for someone, the most urgent first, then the oldest first."""
    rank = models.Case(
        *(models.When(urgency=urgency, then=models.Value(i)) for i, urgency in enumerate(URGENCY_ORDER)),
        default=models.Value(len(URGENCY_ORDER)),
        output_field=models.IntegerField(),
    )
    intakes = selectors.intake_list(actor=actor, status="new")
    return list(intakes.annotate(urgency_rank=rank).order_by("urgency_rank", "received_at")[:limit])


def intake_page(*, actor: Any, status: str, page: Any, per_page: int) -> Page:
    """One page of ``selectors.intake_list`` (a bad page number gives the nearest page)."""
    intakes = selectors.intake_list(actor=actor, status=status)
    return page_with_total(intakes, number=page, per_page=per_page, filtered=bool(status))


def case_page(
    *, actor: Any, filters: dict[str, str], page: Any, per_page: int
) -> tuple[Page, list[dict[str, Any]]]:
    """One page of ``selectors.case_list`` and its rows (``selectors.case_rows``)."""
    cases: models.QuerySet[Case] = selectors.case_list(actor=actor, filters=filters)
    found = page_with_total(cases, number=page, per_page=per_page, filtered=any(filters.values()))
    return found, selectors.case_rows(found.object_list)


def reference_names(
    *, regions: Iterable[Region] | None = None, areas: Iterable[AreaOfWork] | None = None
) -> dict[str, dict[str, str]]:
    """Regions and areas of work by code, named in the active language (public reference data); from the
    rows a page has read already when it gives them."""
    if regions is None:
        regions = Region.objects.filter(deleted_at__isnull=True)
    if areas is None:
        areas = AreaOfWork.objects.filter(deleted_at__isnull=True)
    return {
        "regions": {region.code: local_name(region) for region in regions},
        "areas": {area.code: local_name(area) for area in areas},
    }
