"""Requests for help (intakes): the list, the fast form an operator fills during a call, the detail with
its sealed values, corrections, and declining or marking a duplicate."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khronika.cases import pages, selectors, services
from khronika.cases.forms import IntakeCloseForm, IntakeEditForm, IntakeFilterForm, IntakeForm
from khronika.cases.views.common import desk_user, mark_sealing, opening_of
from khronika.core.errors import Conflict
from khronika.core.forms import submit
from khronika.directory.selectors import regions
from khronika.directory.views.common import (
    PAGE_SIZE,
    form_page,
    posted,
    render_varying,
    user_of,
    wants_partial,
)

FORM = "cases/intakes/form.html"
SEALED_FIELDS = ("caller_name", "contact")


def intake_list(request: HttpRequest) -> HttpResponse:
    # Unfiltered, the list shows the new requests; the filter also offers every status.
    form = IntakeFilterForm(request.GET if "status" in request.GET else None, initial={"status": "new"})
    user = user_of(request)
    page = pages.intake_page(
        actor=user, status=form.chosen_status(), page=request.GET.get("page"), per_page=PAGE_SIZE
    )
    context = {
        "form": form,
        "page": page,
        "may_add": pages.works_the_desk(user),
        "names": pages.reference_names(areas=[]),
    }
    template = "cases/intakes/_results.html" if wants_partial(request) else "cases/intakes/list.html"
    return render_varying(request, template, context)


def intake_create(request: HttpRequest) -> HttpResponse:
    user = desk_user(request)
    form = IntakeForm(posted(request), regions=regions())
    intake = submit(form, lambda: services.intake_create(actor=user, values=form.values()))
    if intake is not None:
        messages.success(request, _("The request was taken."))
        return redirect("cases:intake_detail", intake_id=intake.pk)
    return form_page(request, FORM, {"form": form, "card": None})


def intake_detail(request: HttpRequest, intake_id: uuid.UUID) -> HttpResponse:
    return _intake_page(request, intake_id)


def _intake_page(
    request: HttpRequest,
    intake_id: uuid.UUID,
    *,
    close_form: IntakeCloseForm | None = None,
    conflict: Conflict | None = None,
) -> HttpResponse:
    opening = opening_of(request)
    card = selectors.intake_card(actor=user_of(request), intake_id=intake_id, opening=opening)
    mark_sealing(card, SEALED_FIELDS, opening)
    form = close_form or IntakeCloseForm(initial={"version": card.version})
    status = Conflict.status if conflict else 422 if form.errors else 200
    context = {
        "card": card,
        "close_form": form,
        "conflict": conflict,
        "names": pages.reference_names(areas=[]),
    }
    return render(request, "cases/intakes/detail.html", context, status=status)


def intake_edit(request: HttpRequest, intake_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    card = selectors.intake_card(actor=user, intake_id=intake_id)
    form = IntakeEditForm(posted(request), initial=IntakeEditForm.initial_from(card), regions=regions())
    try:
        intake = submit(
            form,
            lambda: services.intake_update(
                actor=user,
                intake_id=card.id,
                values=form.values(),
                expected_version=form.cleaned_data["version"],
            ),
        )
    except Conflict as conflict:
        return form_page(request, FORM, {"form": form, "card": card}, conflict=conflict)
    if intake is not None:
        messages.success(request, _("The changes were saved."))
        return redirect("cases:intake_detail", intake_id=card.id)
    return form_page(request, FORM, {"form": form, "card": card})


@require_POST
def intake_close(request: HttpRequest, intake_id: uuid.UUID) -> HttpResponse:
    """Decline the request, or mark it a duplicate: the detail page's buttons send the version seen."""
    form = IntakeCloseForm(request.POST)
    try:
        intake = submit(
            form,
            lambda: services.intake_update(
                actor=user_of(request),
                intake_id=intake_id,
                values={"status": form.cleaned_data["status"]},
                expected_version=form.cleaned_data["version"],
            ),
        )
    except Conflict as conflict:
        return _intake_page(request, intake_id, close_form=form, conflict=conflict)
    if intake is not None:
        messages.success(request, _("The request was closed."))
        return redirect("cases:intake_detail", intake_id=intake_id)
    return _intake_page(request, intake_id, close_form=form)
