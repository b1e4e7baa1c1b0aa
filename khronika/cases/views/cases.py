"""Cases: the list with its filters, opening a case (from an intake too), the case's page with every
form that works on it, and editing it."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from khronika.accounts.models import Role
from khronika.cases import pages, selectors, services
from khronika.cases.forms import (
    CaseEditForm,
    CaseEventForm,
    CaseFilterForm,
    CaseForm,
    CaseStatusForm,
    EventLinkForm,
    NoteForm,
    TaskForm,
)
from khronika.cases.views.common import (
    as_id,
    desk_user,
    mark_sealing,
    opening_of,
    timeline_rows,
)
from khronika.core.errors import Conflict
from khronika.core.forms import submit
from khronika.core.projection import Projection
from khronika.directory.selectors import areas, regions
from khronika.directory.views.common import (
    INVALID_STATUS,
    PAGE_SIZE,
    form_page,
    posted,
    render_varying,
    user_of,
    wants_partial,
)
from khronika.monitoring.selectors import documents as document_selectors
from khronika.monitoring.selectors.pages import vocabulary_term_rows
from khronika.monitoring.views_documents import documents_context

FORM = "cases/cases/form.html"
EVENT_VOCABULARIES = ("event-types", "act-types")


def case_list(request: HttpRequest) -> HttpResponse:
    region_rows, area_rows = list(regions()), list(areas())
    form = CaseFilterForm(request.GET or None, regions=region_rows, areas=area_rows)
    user = user_of(request)
    page, rows = pages.case_page(
        actor=user, filters=form.filters(), page=request.GET.get("page"), per_page=PAGE_SIZE
    )
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "may_add": pages.works_the_desk(user),
        "names": pages.reference_names(regions=region_rows, areas=area_rows),
    }
    template = "cases/cases/_results.html" if wants_partial(request) else "cases/cases/list.html"
    return render_varying(request, template, context)


def case_create(request: HttpRequest) -> HttpResponse:
    """Open a case; ``?intake=`` (then the form's hidden input) names the request it comes from, whose
    summary and region fill the form and whose caller becomes the client."""
    user = desk_user(request)
    source = (request.POST if request.method == "POST" else request.GET).get("intake")
    intake = selectors.intake_card(actor=user, intake_id=as_id(source)) if source else None
    initial: dict[str, Any] = {"lawyer": user.username} if user.role == Role.LAWYER else {}
    if intake is not None:
        initial |= {"intake": intake.id, "summary": intake.summary, "region": intake.region_code or ""}
    form = CaseForm(
        posted(request),
        initial=initial,
        regions=regions(),
        areas=areas(),
        workers=pages.desk_workers(actor=user),
    )
    try:
        case = submit(
            form,
            lambda: services.case_open(
                actor=user, values=form.values(), intake_id=intake.id if intake is not None else None
            ),
        )
    except Conflict as conflict:  # the request became a case meanwhile
        form.add_error(None, conflict.message)
        case = None
    if case is not None:
        messages.success(request, _("The case was opened."))
        return redirect("cases:case_detail", case_id=case.pk)
    return form_page(request, FORM, {"form": form, "card": None, "intake": intake})


def case_detail(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    return case_page(request, case_id)


def case_page(
    request: HttpRequest,
    case_id: uuid.UUID,
    *,
    conflict: Conflict | None = None,
    **bound: forms.Form,
) -> HttpResponse:
    """The case's page; ``bound`` holds a form that was sent and refused (by its context name), shown
    with its errors and what was typed in place of the empty one."""
    user = user_of(request)
    opening = opening_of(request)
    card = selectors.case_card(actor=user, case_id=case_id, opening=opening)
    mark_sealing(card, ("client_name",), opening)
    workers = pages.desk_workers(actor=user)
    page_forms = _case_forms(card, workers) | bound
    status = Conflict.status if conflict else INVALID_STATUS if any(f.errors for f in bound.values()) else 200
    documents = documents_context(
        document_selectors.case_documents(actor=user, case_id=card.id),
        may_attach=True,
        attach_url=reverse("monitoring:case_document_add", args=[card.id]),
    )
    context = {
        **documents,
        "card": card,
        "timeline": timeline_rows(selectors.case_timeline(actor=user, case_id=card.id)),
        "names": pages.reference_names(),
        "workers": dict(workers),
        "conflict": conflict,
        **page_forms,
    }
    return render(request, "cases/cases/detail.html", context, status=status)


def _case_forms(card: Projection, workers: list[tuple[str, str]]) -> dict[str, forms.Form]:
    page_forms: dict[str, forms.Form] = {
        "status_form": CaseStatusForm(transitions=card.transitions, initial={"version": card.version}),
        "task_form": TaskForm(workers=workers),
        "note_form": NoteForm(),
    }
    if card.event_id is None:
        page_forms["event_form"] = CaseEventForm(terms=vocabulary_term_rows(EVENT_VOCABULARIES))
        page_forms["link_form"] = EventLinkForm()
    return page_forms


def case_edit(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    card = selectors.case_card(actor=user, case_id=case_id)
    form = CaseEditForm(
        posted(request),
        initial=CaseEditForm.initial_from(card),
        regions=regions(),
        areas=areas(),
        workers=pages.desk_workers(actor=user),
    )
    try:
        case = submit(
            form,
            lambda: services.case_update(
                actor=user,
                case_id=card.id,
                values=form.values(),
                expected_version=form.cleaned_data["version"],
            ),
        )
    except Conflict as conflict:
        return form_page(request, FORM, {"form": form, "card": card}, conflict=conflict)
    if case is not None:
        messages.success(request, _("The changes were saved."))
        return redirect("cases:case_detail", case_id=card.id)
    return form_page(request, FORM, {"form": form, "card": card})
