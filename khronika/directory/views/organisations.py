"""Organisation pages: list with filters, detail, create, edit, delete, history."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from khronika.accounts.keys import request_opening
from khronika.core.errors import Conflict, PermissionDenied
from khronika.core.tiers import Tier
from khronika.directory import selectors, services
from khronika.directory.forms import OrganisationEditForm, OrganisationFilterForm, OrganisationForm
from khronika.directory.views.common import (
    PAGE_SIZE,
    form_page,
    may_add_records,
    posted,
    render_varying,
    submit,
    user_of,
    wants_partial,
)


def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET or None, regions=selectors.regions(), areas=selectors.areas())
    page, rows = selectors.staff_organisation_page(
        actor=user_of(request),
        filters=form.filters(),
        page=request.GET.get("page"),
        per_page=PAGE_SIZE,
        language=get_language(),
    )
    template = (
        "directory/organisations/_results.html"
        if wants_partial(request)
        else "directory/organisations/list.html"
    )
    context = {"form": form, "page": page, "rows": rows, "may_add": may_add_records(request)}
    return render_varying(request, template, context)


def organisation_detail(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    card = selectors.organisation_page(
        actor=user_of(request), organisation_id=organisation_id, opening=request_opening(request)
    )
    return render(request, "directory/organisations/detail.html", {"card": card})


def organisation_create(request: HttpRequest) -> HttpResponse:
    ceiling = selectors.new_record_write_ceiling(actor=user_of(request))
    form = OrganisationForm(
        posted(request), ceiling=ceiling, regions=selectors.regions(), areas=selectors.areas()
    )
    org = submit(form, lambda: services.organisation_create(actor=user_of(request), values=form.values()))
    if org is not None:
        messages.success(request, _("The organisation was added."))
        return redirect("directory:organisation_detail", organisation_id=org.id)
    return form_page(request, "directory/organisations/form.html", {"form": form, "card": None})


def organisation_edit(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    card = selectors.organisation_get(actor=user_of(request), organisation_id=organisation_id)
    if card.write_ceiling is None:
        raise PermissionDenied()
    form = OrganisationEditForm(
        posted(request),
        initial=OrganisationEditForm.initial_from(card),
        ceiling=card.write_ceiling,
        regions=selectors.regions(),
        areas=selectors.areas(),
    )
    try:
        org = submit(
            form,
            lambda: services.organisation_update(
                actor=user_of(request),
                organisation_id=card.id,
                values=form.values(),
                expected_version=form.cleaned_data["version"],
            ),
        )
    except Conflict as conflict:
        return form_page(
            request, "directory/organisations/form.html", {"form": form, "card": card}, conflict=conflict
        )
    if org is not None:
        messages.success(request, _("The changes were saved."))
        return redirect("directory:organisation_detail", organisation_id=card.id)
    return form_page(request, "directory/organisations/form.html", {"form": form, "card": card})


def organisation_delete(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    if request.method == "POST":
        services.organisation_delete(actor=user_of(request), organisation_id=organisation_id)
        messages.success(request, _("The organisation was deleted."))
        return redirect("directory:organisation_list")
    card = selectors.organisation_get(actor=user_of(request), organisation_id=organisation_id)
    if card.write_ceiling is None or card.write_ceiling < Tier.INTERNAL:
        raise PermissionDenied()
    return render(request, "directory/organisations/confirm_delete.html", {"card": card})


def organisation_history(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    card = selectors.organisation_history(actor=user_of(request), organisation_id=organisation_id)
    return render(request, "directory/organisations/history.html", {"card": card})
