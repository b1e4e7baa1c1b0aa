"""What the case's page sends: moving the case on, tasks, notes, and the event the case documents.

Each view takes one form, calls one service and goes back to the case; a refused form is shown again on
the case's page with its errors and what was typed."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khronika.cases import pages, selectors, services
from khronika.cases.forms import (
    CaseEventForm,
    CaseStatusForm,
    EventLinkForm,
    NoteForm,
    TaskDoneForm,
    TaskForm,
)
from khronika.cases.views.cases import EVENT_VOCABULARIES, case_page
from khronika.core.errors import Conflict, NotFound
from khronika.core.forms import submit
from khronika.directory.views.common import user_of
from khronika.monitoring.selectors.pages import vocabulary_term_rows


def _back_to(case_id: uuid.UUID, part: str) -> HttpResponse:
    return redirect(reverse("cases:case_detail", kwargs={"case_id": case_id}) + f"#{part}")


@require_POST
def case_status(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Move the case to one of the statuses it may go to from where it is (closing with its outcome)."""
    card = selectors.case_card(actor=user_of(request), case_id=case_id)
    form = CaseStatusForm(request.POST, transitions=card.transitions)
    try:
        case = submit(
            form,
            lambda: services.case_update(
                actor=user_of(request),
                case_id=case_id,
                values=form.values(),
                expected_version=form.cleaned_data["version"],
            ),
        )
    except Conflict as conflict:
        return case_page(request, case_id, conflict=conflict, status_form=form)
    if case is None:
        return case_page(request, case_id, status_form=form)
    messages.success(request, _("The case moved on."))
    return _back_to(case_id, "status")


@require_POST
def task_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    form = TaskForm(request.POST, workers=pages.desk_workers(actor=user))
    task = submit(form, lambda: services.task_add(actor=user, case_id=case_id, values=form.values()))
    if task is None:
        return case_page(request, case_id, task_form=form)
    messages.success(request, _("The task was added."))
    return _back_to(case_id, "tasks")


@require_POST
def task_done(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """Mark a task done, from the case's page or the home page (the button says where to go back). A
    task changed meanwhile is not marked: the page shows it as it is now."""
    form = TaskDoneForm(request.POST)
    try:
        task = submit(
            form,
            lambda: services.task_update(
                actor=user_of(request),
                task_id=task_id,
                values={"done": True},
                expected_version=form.cleaned_data["version"],
            ),
        )
    except Conflict as conflict:
        messages.error(request, conflict.message)
        task = None
    if task is not None:
        messages.success(request, _("The task is done."))
    elif form.errors:
        messages.error(request, _("The task could not be marked done; reload the page and try again."))
    case_id = task.case_id if task is not None else form.cleaned_data.get("case")
    if form.cleaned_data.get("back") == "home" or case_id is None:
        return redirect("home")
    return _back_to(case_id, "tasks")


@require_POST
def note_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    form = NoteForm(request.POST)
    note = submit(
        form,
        lambda: services.case_note_add(
            actor=user_of(request), case_id=case_id, text=form.cleaned_data["text"]
        ),
    )
    if note is None:
        return case_page(request, case_id, note_form=form)
    messages.success(request, _("The note was added."))
    return _back_to(case_id, "timeline")


@require_POST
def case_event_create(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Record the event the case documents and the act against the client, both linked to the case."""
    form = CaseEventForm(request.POST, terms=vocabulary_term_rows(EVENT_VOCABULARIES))

    def record() -> object:
        event_values, act_values = form.values()
        return services.case_event_create(
            actor=user_of(request), case_id=case_id, event_values=event_values, act_values=act_values
        )

    try:
        created = submit(form, record, field_of={"type": "event_type"})
    except Conflict as conflict:  # the case documents an event already
        form.add_error(None, conflict.message)
        created = None
    if created is None:
        return case_page(request, case_id, event_form=form)
    messages.success(request, _("The event was recorded and linked to the case."))
    return _back_to(case_id, "event")


@require_POST
def case_event_link(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    form = EventLinkForm(request.POST)
    try:
        case = submit(
            form,
            lambda: services.case_event_link(
                actor=user_of(request), case_id=case_id, event_id=form.cleaned_data["event"]
            ),
        )
    except NotFound:
        # The same answer for an id that names nothing and for an event the reader may not see; the case
        # page itself answers 404 when the case is what the reader may not see.
        form.add_error("event", _("No event with this id that you may see."))
        case = None
    if case is None:
        return case_page(request, case_id, link_form=form)
    messages.success(request, _("The case was linked to the event."))
    return _back_to(case_id, "event")
