"""Staff pages of what an event holds: its acts (record, edit, delete), who was involved in each act, the
event's sources and interventions, and the bulk entry of a pasted list of detainees.

Each view parses its input, calls the service the API calls for the same operation, and renders; the
services' refusals land on the form that sent the values. Every page of an event the reader may not see is
a 404 (the selectors say so); a page of an event they see but may not change is a 403.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from khronika.accounts.keys import request_opening
from khronika.core.errors import Conflict, PermissionDenied, ValidationFailed
from khronika.core.forms import put_errors, submit
from khronika.core.projection import Projection, sealed_names
from khronika.directory.selectors import regions
from khronika.directory.views.common import form_page, posted, user_of
from khronika.monitoring import policies, selectors, services
from khronika.monitoring.forms import VersionForm
from khronika.monitoring.forms_acts import (
    ACT_VOCABULARIES,
    LINK_VOCABULARIES,
    ActEditForm,
    ActForm,
    DetaineesForm,
    InformationForm,
    InterventionEditForm,
    InterventionForm,
    InvolvementForm,
)
from khronika.monitoring.selectors import pages
from khronika.monitoring.services import detainees as bulk
from khronika.monitoring.services import links
from khronika.monitoring.views import writable_event

ACT_FORM = "monitoring/acts/form.html"
LINK_FORM = "monitoring/acts/link_form.html"
DETAINEES = "monitoring/detainees/form.html"


def event_page(event_id: Any, *, anchor: str = "") -> HttpResponseRedirect:
    """Back to the event's page, at the section or the act that changed."""
    url = reverse("monitoring:event_detail", kwargs={"event_id": event_id})
    return HttpResponseRedirect(f"{url}#{anchor}" if anchor else url)


def writable_act(request: HttpRequest, act_id: Any, *, opening: Any = None) -> Projection:
    """The act as the reader sees it (NotFound when they may not); PermissionDenied unless they write it."""
    card = selectors.act_card(actor=user_of(request), act_id=act_id, opening=opening)
    if not card.may_edit:
        raise PermissionDenied()
    return card


def _act_choices() -> dict[str, Any]:
    return {"regions": regions(), "terms": pages.vocabulary_term_rows(ACT_VOCABULARIES)}


def _link_terms() -> dict[str, Any]:
    return {"terms": pages.vocabulary_term_rows(LINK_VOCABULARIES)}


# --- Acts --------------------------------------------------------------------------------------------------


def act_create(request: HttpRequest, event_id: uuid.UUID) -> HttpResponse:
    event = writable_event(request, event_id)
    may_name = policies.may_name(user_of(request), event.steward_id)
    form = ActForm(posted(request), may_name=may_name, **_act_choices())
    act = submit(
        form, lambda: services.act_add(actor=user_of(request), event_id=event.id, values=form.values())
    )
    if act is not None:
        messages.success(request, _("The act was recorded."))
        return event_page(event.id, anchor=f"act-{act.pk}")
    return form_page(request, ACT_FORM, {"form": form, "event": event, "act": None})


def act_edit(request: HttpRequest, act_id: uuid.UUID) -> HttpResponse:
    """Edit an act. A sealed case number is shown (and may be cleared) only once opened with a purpose
    (``?purpose=``, kept when the form is sent); closed, it is kept unless something is typed over it."""
    act = writable_act(request, act_id, opening=request_opening(request, actor=user_of(request)))
    act["sealed"] = len(sealed_names(act))
    event = selectors.event_card(actor=user_of(request), event_id=act.event_id)
    form = ActEditForm(
        posted(request),
        initial=ActEditForm.initial_from(act),
        may_name=bool(act.may_name),
        sealed=sealed_names(act),
        **_act_choices(),
    )
    context = {"form": form, "event": event, "act": act}
    try:
        saved = submit(
            form,
            lambda: services.act_update(
                actor=user_of(request),
                act_id=act.id,
                values=form.values(),
                expected_version=form.cleaned_data["version"],
            ),
        )
    except Conflict as conflict:
        return form_page(request, ACT_FORM, context, conflict=conflict)
    if saved is not None:
        messages.success(request, _("The changes were saved."))
        return event_page(event.id, anchor=f"act-{act.id}")
    return form_page(request, ACT_FORM, context)


def act_delete(request: HttpRequest, act_id: uuid.UUID) -> HttpResponse:
    """Ask first; the confirmation posts the version the person saw."""
    act = writable_act(request, act_id)
    event = selectors.event_card(actor=user_of(request), event_id=act.event_id)
    form = VersionForm(posted(request), initial={"version": act.version})
    context = {"form": form, "event": event, "act": act}
    try:
        deleted = submit(
            form,
            lambda: services.act_delete(
                actor=user_of(request), act_id=act.id, expected_version=form.cleaned_data["version"]
            ),
        )
    except Conflict as conflict:
        return form_page(request, "monitoring/acts/confirm_delete.html", context, conflict=conflict)
    if deleted is not None:
        messages.success(request, _("The act was deleted."))
        return event_page(event.id, anchor="acts")
    return form_page(request, "monitoring/acts/confirm_delete.html", context)


# --- Perpetrators ------------------------------------------------------------------------------------------


def involvement_add(request: HttpRequest, act_id: uuid.UUID) -> HttpResponse:
    act = writable_act(request, act_id)
    event = selectors.event_card(actor=user_of(request), event_id=act.event_id)
    form = InvolvementForm(posted(request), **_link_terms())
    link = submit(
        form, lambda: links.involvement_add(actor=user_of(request), act_id=act.id, values=form.values())
    )
    if link is not None:
        messages.success(request, _("The perpetrator was recorded."))
        return event_page(event.id, anchor=f"act-{act.id}")
    context = {"form": form, "event": event, "act": act, "kind": "involvement"}
    return form_page(request, LINK_FORM, context)


@require_POST
def involvement_remove(request: HttpRequest, involvement_id: uuid.UUID) -> HttpResponse:
    link = links.involvement_delete(actor=user_of(request), involvement_id=involvement_id)
    messages.success(request, _("The perpetrator was removed from the act."))
    return event_page(link.act.event_id, anchor=f"act-{link.act_id}")


# --- Sources -----------------------------------------------------------------------------------------------


def information_add(request: HttpRequest, event_id: uuid.UUID) -> HttpResponse:
    event = writable_event(request, event_id)
    acts = selectors.event_acts(actor=user_of(request), event_id=event.id)
    may_name = policies.may_name(user_of(request), event.steward_id)
    form = InformationForm(posted(request), may_name=may_name, acts=acts, **_link_terms())
    record = submit(
        form, lambda: links.information_add(actor=user_of(request), event_id=event.id, values=form.values())
    )
    if record is not None:
        messages.success(request, _("The source was recorded."))
        return event_page(event.id, anchor="sources")
    context = {"form": form, "event": event, "act": None, "kind": "information"}
    return form_page(request, LINK_FORM, context)


@require_POST
def information_remove(request: HttpRequest, information_id: uuid.UUID) -> HttpResponse:
    record = links.information_delete(actor=user_of(request), information_id=information_id)
    messages.success(request, _("The source was removed."))
    return event_page(record.event_id, anchor="sources")


# --- Interventions -----------------------------------------------------------------------------------------


def intervention_add(request: HttpRequest, event_id: uuid.UUID) -> HttpResponse:
    event = writable_event(request, event_id)
    acts = selectors.event_acts(actor=user_of(request), event_id=event.id)
    form = InterventionForm(posted(request), acts=acts, **_link_terms())
    record = submit(
        form, lambda: links.intervention_add(actor=user_of(request), event_id=event.id, values=form.values())
    )
    if record is not None:
        messages.success(request, _("The intervention was recorded."))
        return event_page(event.id, anchor="interventions")
    context = {"form": form, "event": event, "act": None, "kind": "intervention"}
    return form_page(request, LINK_FORM, context)


def intervention_edit(request: HttpRequest, intervention_id: uuid.UUID) -> HttpResponse:
    row = pages.intervention_row(actor=user_of(request), intervention_id=intervention_id)
    event = writable_event(request, row.event_id)
    acts = selectors.event_acts(actor=user_of(request), event_id=event.id)
    initial = InterventionEditForm.initial_from(row)
    form = InterventionEditForm(posted(request), initial=initial, acts=acts, **_link_terms())
    context = {"form": form, "event": event, "act": None, "kind": "intervention", "record": row}
    try:
        saved = submit(
            form,
            lambda: links.intervention_update(
                actor=user_of(request),
                intervention_id=row.id,
                values=form.values(),
                expected_version=form.cleaned_data["version"],
            ),
        )
    except Conflict as conflict:
        return form_page(request, LINK_FORM, context, conflict=conflict)
    if saved is not None:
        messages.success(request, _("The changes were saved."))
        return event_page(event.id, anchor="interventions")
    return form_page(request, LINK_FORM, context)


@require_POST
def intervention_remove(request: HttpRequest, intervention_id: uuid.UUID) -> HttpResponse:
    record = links.intervention_delete(actor=user_of(request), intervention_id=intervention_id)
    messages.success(request, _("The intervention was removed."))
    return event_page(record.event_id, anchor="interventions")


# --- Bulk entry of detainees -------------------------------------------------------------------------------


def detainees(request: HttpRequest, event_id: uuid.UUID) -> HttpResponse:
    """Paste a list, check it (each line read, repeats and people already on record shown; nothing
    written), then record it: one act per line, or nothing when a line does not read."""
    event = writable_event(request, event_id)
    if not policies.may_name(user_of(request), event.steward_id):
        raise PermissionDenied()
    act_types = pages.vocabulary_term_rows(["act-types"])["act-types"]
    form = DetaineesForm(posted(request), act_types=act_types)
    context: dict[str, Any] = {"form": form, "event": event, "lines": None, "chosen": form.matches()}
    if not form.is_bound or not form.is_valid():
        return form_page(request, DETAINEES, context)
    refused: dict[str, list[str]] = {}
    if request.POST.get("step") == "record":
        try:
            report = bulk.detainees_add(
                actor=user_of(request),
                event_id=event.id,
                text=form.cleaned_data["text"],
                act_type=form.cleaned_data["act_type"],
                matches=form.matches(),
            )
        except ValidationFailed as error:
            refused = error.fields
        else:
            messages.success(request, _recorded_message(report))
            return event_page(event.id, anchor="acts")
    return _checked(request, form, context, refused)


def _checked(
    request: HttpRequest, form: DetaineesForm, context: dict[str, Any], refused: dict[str, list[str]]
) -> HttpResponse:
    """The list as read, each line with its errors (the service's refusals of a recording too) and the
    individuals on record it may be, when the request carries the keys that open their names."""
    opening = request_opening(request, actor=user_of(request), purpose="verify")
    try:
        lines = bulk.detainees_preview(
            actor=user_of(request),
            event_id=context["event"].id,
            text=form.cleaned_data["text"],
            opening=opening,
        )
    except ValidationFailed as error:
        put_errors(form, error)
        return form_page(request, DETAINEES, context)
    rows = [_line_row(line, refused.get(f"line {line.line}", []), context["chosen"]) for line in lines]
    others = {name: errors for name, errors in refused.items() if not name.startswith("line ")}
    if others:
        put_errors(form, ValidationFailed(fields=others))
    context.update(
        lines=rows,
        suggestions=opening is not None and opening.keyring is not None,
        line_errors=sum(1 for row in rows if row.errors),
    )
    status = ValidationFailed.status if refused else 200
    return render(request, DETAINEES, {**context, "conflict": None}, status=status)


def _line_row(line: bulk.DetaineeLine, refused: list[str], chosen: dict[int, str]) -> Projection:
    """A line as the page shows it: what was read, its errors, and the individual chosen for it."""
    return Projection(
        line=line.line,
        name=line.name,
        police_station=line.police_station,
        time=line.time,
        repeats=line.repeats,
        errors=[*line.errors, *(message for message in refused if message not in line.errors)],
        candidates=[Projection(individual=str(c.individual), name=c.name) for c in line.candidates],
        chosen=chosen.get(line.line, ""),
    )


def _recorded_message(report: bulk.BulkReport) -> str:
    values = {"added": report.added, "before": report.group_before, "after": report.group_after}
    if report.group_before is None:
        return (
            ngettext("%(added)d detainee was recorded.", "%(added)d detainees were recorded.", report.added)
            % values
        )
    return (
        ngettext(
            "%(added)d detainee was recorded; the event's group went from %(before)d to %(after)d people.",
            "%(added)d detainees were recorded; the event's group went from %(before)d to %(after)d people.",
            report.added,
        )
        % values
    )
