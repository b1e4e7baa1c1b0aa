"""The staff pages of monitoring: events (list with filters, detail, record, edit, delete, chains between
events) and the vocabularies. Each view parses its input, calls the selector or the service the API calls
for the same operation, and renders; refusals of the services land on the form that sent the values."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khronika.accounts.keys import request_opening
from khronika.core import forms as core_forms
from khronika.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from khronika.core.projection import Projection
from khronika.directory.selectors import regions
from khronika.directory.views.common import (
    PAGE_SIZE,
    form_page,
    posted,
    render_varying,
    user_of,
    wants_partial,
)
from khronika.monitoring import policies, selectors, services
from khronika.monitoring.forms import (
    EventEditForm,
    EventFilterForm,
    EventForm,
    EventRelationForm,
    VersionForm,
)
from khronika.monitoring.selectors import documents as document_selectors
from khronika.monitoring.selectors import pages
from khronika.monitoring.views_documents import documents_context

T = TypeVar("T")
FORM = "monitoring/events/form.html"


def submit(form: forms.Form, write: Callable[[], T]) -> T | None:
    """``core.forms.submit``, and a service's refusal of a value on the form too: the one refusal a writer
    of the event meets is of the tier they chose (publishing is for some roles only), so a refusal that
    names no field goes on that choice."""
    try:
        return core_forms.submit(form, write)
    except PermissionDenied as refusal:
        core_forms.put_errors(form, ValidationFailed(fields=refusal.fields or {"tier": [refusal.message]}))
        return None


def may_record_events(request: HttpRequest) -> bool:
    """Whether to offer "record an event"; the service decides again when the form is sent."""
    user = user_of(request)
    return policies.event_write_allowed(user, steward_id=user.organisation_id)


def writable_event(request: HttpRequest, event_id: Any) -> Projection:
    """The event as the reader sees it (NotFound when they may not); PermissionDenied unless they write it."""
    card = selectors.event_card(actor=user_of(request), event_id=event_id)
    if not card.may_edit:
        raise PermissionDenied()
    return card


def _form_choices() -> dict[str, Any]:
    return {"regions": regions(), "terms": pages.vocabulary_term_rows(pages.EVENT_VOCABULARIES)}


# --- Events ------------------------------------------------------------------------------------------------


def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None, **_form_choices())
    page, rows = _filtered_page(request, form)
    template = "monitoring/events/_results.html" if wants_partial(request) else "monitoring/events/list.html"
    context = {"form": form, "page": page, "rows": rows, "may_add": may_record_events(request)}
    return render_varying(request, template, context)


def _filtered_page(request: HttpRequest, form: EventFilterForm) -> tuple[Page, list[Projection]]:
    """The page of events the valid filters give: a filter ``event_list`` refuses (a date it cannot read)
    gets the error on its field and is left out, and the others still apply."""
    while True:
        filters = form.filters()
        try:
            return pages.event_page(
                actor=user_of(request), filters=filters, page=request.GET.get("page"), per_page=PAGE_SIZE
            )
        except ValidationFailed as error:
            if not set(error.fields) & {name for name, value in filters.items() if value}:
                raise
            core_forms.put_errors(form, error)


def event_detail(request: HttpRequest, event_id: uuid.UUID) -> HttpResponse:
    """The event, its chains, and what it holds: acts with their perpetrators, sources, interventions. Sealed
    names and case numbers open only with a purpose (``?purpose=``), each opening audited."""
    card = pages.event_detail(actor=user_of(request), event_id=event_id)
    opening = request_opening(request, actor=user_of(request))
    records = pages.event_records(actor=user_of(request), event_id=card.id, opening=opening)
    may_name = policies.may_name(user_of(request), card.steward_id)
    documents = documents_context(
        document_selectors.event_documents(actor=user_of(request), event_id=card.id),
        may_attach=card.may_edit,
        attach_url=reverse("monitoring:event_document_add", args=[card.id]),
    )
    context = {"card": card, "records": records, "may_name": may_name, **documents}
    return render(request, "monitoring/events/detail.html", context)


def event_create(request: HttpRequest) -> HttpResponse:
    if not may_record_events(request):
        raise PermissionDenied()
    form = EventForm(posted(request), **_form_choices())
    event = submit(form, lambda: services.event_create(actor=user_of(request), values=form.values()))
    if event is not None:
        messages.success(request, _("The event was recorded."))
        return redirect("monitoring:event_detail", event_id=event.pk)
    return form_page(request, FORM, {"form": form, "card": None})


def event_edit(request: HttpRequest, event_id: uuid.UUID) -> HttpResponse:
    card = writable_event(request, event_id)
    form = EventEditForm(posted(request), initial=EventEditForm.initial_from(card), **_form_choices())
    try:
        event = submit(
            form,
            lambda: services.event_update(
                actor=user_of(request),
                event_id=card.id,
                values=form.values(),
                expected_version=form.cleaned_data["version"],
            ),
        )
    except Conflict as conflict:
        return form_page(request, FORM, {"form": form, "card": card}, conflict=conflict)
    if event is not None:
        messages.success(request, _("The changes were saved."))
        return redirect("monitoring:event_detail", event_id=card.id)
    return form_page(request, FORM, {"form": form, "card": card})


def event_delete(request: HttpRequest, event_id: uuid.UUID) -> HttpResponse:
    """Ask first; the confirmation posts the version the person saw, so that an event changed meanwhile
    is not deleted unseen."""
    card = writable_event(request, event_id)
    form = VersionForm(posted(request), initial={"version": card.version})
    context = {"form": form, "card": card}
    try:
        deleted = submit(
            form,
            lambda: services.event_delete(
                actor=user_of(request), event_id=card.id, expected_version=form.cleaned_data["version"]
            ),
        )
    except Conflict as conflict:
        return form_page(request, "monitoring/events/confirm_delete.html", context, conflict=conflict)
    if deleted is not None:
        messages.success(request, _("The event was deleted."))
        return redirect("monitoring:event_list")
    return form_page(request, "monitoring/events/confirm_delete.html", context)


def event_relate(request: HttpRequest, event_id: uuid.UUID) -> HttpResponse:
    card = writable_event(request, event_id)
    relations = pages.vocabulary_term_rows([pages.RELATION_VOCABULARY])[pages.RELATION_VOCABULARY]
    form = EventRelationForm(posted(request), relations=relations)
    try:
        link = submit(
            form,
            lambda: services.event_relate(
                actor=user_of(request),
                event_id=card.id,
                relation=form.cleaned_data["relation"],
                other_event_id=form.cleaned_data["other_event"],
            ),
        )
    except NotFound:
        # The same answer for an id that names nothing and for an event the reader may not see.
        form.add_error("other_event", _("No event with this id that you may see."))
        link = None
    except Conflict as conflict:
        form.add_error(None, conflict.message)
        link = None
    if link is not None:
        messages.success(request, _("The events were linked."))
        return redirect("monitoring:event_detail", event_id=card.id)
    return form_page(request, "monitoring/events/relation_form.html", {"form": form, "card": card})


@require_POST
def event_unrelate(request: HttpRequest, relation_id: uuid.UUID) -> HttpResponse:
    """Remove a chain, then go back to the event whose page it was removed on (either end of it)."""
    link = services.event_unrelate(actor=user_of(request), relation_id=relation_id)
    messages.success(request, _("The link between the events was removed."))
    back = request.POST.get("back", "")
    target = link.target_id if back == str(link.target_id) else link.source_id
    return redirect("monitoring:event_detail", event_id=target)


# --- Vocabularies ------------------------------------------------------------------------------------------


def vocabulary_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "monitoring/vocabularies/list.html", {"vocabularies": selectors.vocabulary_summaries()}
    )


def vocabulary_detail(request: HttpRequest, code: str) -> HttpResponse:
    show_retired = request.GET.get("retired") == "1"
    listing = selectors.vocabulary_listing(code, include_retired=show_retired)
    user = user_of(request)
    may_add = code in services.OPEN_VOCABULARIES and user.role in policies.EVENT_PUBLISHERS
    context = {"vocabulary": listing, "show_retired": show_retired, "may_add_project": may_add}
    return render(request, "monitoring/vocabularies/detail.html", context)


@require_POST
def project_create(request: HttpRequest) -> HttpResponse:
    """Add a monitoring project of the reader's group (the service decides who may)."""
    try:
        term = services.project_create(
            actor=user_of(request),
            name_ru=request.POST.get("name_ru", ""),
            name_en=request.POST.get("name_en", ""),
        )
    except (ValidationFailed, Conflict) as refusal:
        messages.error(
            request, " ".join(m for ms in (refusal.fields or {}).values() for m in ms) or refusal.message
        )
    else:
        messages.success(request, _("The project %(name)s was added.") % {"name": term.name})
    return redirect("monitoring:vocabulary_detail", code="monitoring-projects")
