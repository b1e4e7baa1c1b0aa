"""Person pages: list, detail, create, edit."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from khronika.accounts.keys import request_opening
from khronika.core.errors import Conflict, PermissionDenied
from khronika.directory import selectors, services
from khronika.directory.forms import PersonEditForm, PersonFilterForm, PersonForm
from khronika.directory.views.common import PAGE_SIZE, form_page, may_add_records, posted, submit, user_of


def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None)
    q = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    page = Paginator(selectors.person_list(actor=user_of(request), q=q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = selectors.person_rows(list(page.object_list), actor=user_of(request))
    context = {"form": form, "page": page, "rows": rows, "may_add": may_add_records(request)}
    return render(request, "directory/persons/list.html", context)


def person_detail(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    card = selectors.person_get(actor=user_of(request), person_id=person_id, opening=request_opening(request))
    return render(request, "directory/persons/detail.html", {"card": card})


def person_create(request: HttpRequest) -> HttpResponse:
    ceiling = selectors.new_record_write_ceiling(actor=user_of(request))
    form = PersonForm(posted(request), ceiling=ceiling)
    person = submit(form, lambda: services.person_create(actor=user_of(request), values=form.values()))
    if person is not None:
        messages.success(request, _("The person was added."))
        return redirect("directory:person_detail", person_id=person.id)
    return form_page(request, "directory/persons/form.html", {"form": form, "card": None})


def person_edit(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    card = selectors.person_get(actor=user_of(request), person_id=person_id)
    if card.write_ceiling is None:
        raise PermissionDenied()
    form = PersonEditForm(
        posted(request), initial=PersonEditForm.initial_from(card), ceiling=card.write_ceiling
    )
    try:
        person = submit(
            form,
            lambda: services.person_update(
                actor=user_of(request),
                person_id=card.id,
                values=form.values(),
                expected_version=form.cleaned_data["version"],
            ),
        )
    except Conflict as conflict:
        return form_page(
            request, "directory/persons/form.html", {"form": form, "card": card}, conflict=conflict
        )
    if person is not None:
        messages.success(request, _("The changes were saved."))
        return redirect("directory:person_detail", person_id=card.id)
    return form_page(request, "directory/persons/form.html", {"form": form, "card": card})
