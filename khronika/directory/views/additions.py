"""Small forms that add something to an organisation or a person: contacts, designations, relationships,
practice notes, positions; and the organisation picker they use."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from khronika.core.errors import NotFound, PermissionDenied
from khronika.core.projection import Projection
from khronika.core.tiers import Tier
from khronika.directory import selectors, services
from khronika.directory.forms import (
    ContactForm,
    DesignationForm,
    OrganisationPickerMixin,
    PositionForm,
    PracticeNoteForm,
    RelationshipForm,
)
from khronika.directory.views.common import (
    form_page,
    organisation_url,
    person_url,
    posted,
    submit,
    user_of,
    writable_organisation,
    writable_person,
)

PICKERS = ("target", "organisation")


def _add_page(
    request: HttpRequest,
    *,
    card: Projection,
    title: Any,
    form: forms.Form,
    write: Callable[[], Any],
    back_url: str,
) -> HttpResponse:
    """Save with ``write`` and go back to the record, or show the form (again, with its errors)."""
    try:
        saved = submit(form, write)
    except NotFound:
        if not isinstance(form, OrganisationPickerMixin):
            raise
        form.add_error(f"{form.picker}_query", _("No such organisation; choose one from the suggestions."))
        saved = None
    if saved is not None:
        messages.success(request, _("Saved."))
        return redirect(back_url)
    context = {"form": form, "card": card, "title": title, "back_url": back_url}
    if isinstance(form, OrganisationPickerMixin):
        context["picker"] = _picker_context(request, form)
    return form_page(request, "directory/add.html", context)


def _picker_context(request: HttpRequest, form: OrganisationPickerMixin) -> dict[str, Any]:
    """Without JavaScript the suggestions come back with the form, for the person to choose from."""
    query = form.picker_query
    suggestions = []
    if form.is_bound and form.errors:
        suggestions = selectors.organisation_suggestions(actor=user_of(request), q=query)
    return {"field": form.picker, "query": query, "suggestions": suggestions, "chosen": form.picker_choice}


def organisation_contact_add(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    card = writable_organisation(request, organisation_id, needs=Tier.PUBLIC)
    form = ContactForm(posted(request), ceiling=card.write_ceiling)
    return _add_page(
        request,
        card=card,
        title=gettext_lazy("Add a contact"),
        form=form,
        back_url=organisation_url(card),
        write=lambda: services.contact_add(
            actor=user_of(request), organisation_id=card.id, **form.cleaned_data
        ),
    )


def designation_add(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    card = writable_organisation(request, organisation_id, needs=Tier.PUBLIC)
    form = DesignationForm(posted(request))
    return _add_page(
        request,
        card=card,
        title=gettext_lazy("Add a designation"),
        form=form,
        back_url=organisation_url(card),
        write=lambda: services.designation_add(
            actor=user_of(request), organisation_id=card.id, **form.cleaned_data
        ),
    )


def relationship_add(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    card = writable_organisation(request, organisation_id, needs=Tier.NETWORK)
    form = RelationshipForm(posted(request), ceiling=card.write_ceiling)

    def write() -> Any:
        values = form.cleaned_data
        return services.relationship_add(
            actor=user_of(request),
            source_id=card.id,
            target_id=values["target_id"],
            kind=values["kind"],
            started=values["started"],
            ended=values["ended"],
            note=values.get("note", ""),
        )

    return _add_page(
        request,
        card=card,
        title=gettext_lazy("Add a relationship"),
        form=form,
        write=write,
        back_url=organisation_url(card),
    )


def practice_note_add(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    card = selectors.organisation_page(actor=user_of(request), organisation_id=organisation_id)
    if not card.may_add_note:
        raise PermissionDenied()
    form = PracticeNoteForm(
        posted(request), ceiling=card.tier_ceiling, regions=selectors.regions(), areas=selectors.areas()
    )
    return _add_page(
        request,
        card=card,
        title=gettext_lazy("Add a practice note"),
        form=form,
        back_url=organisation_url(card),
        write=lambda: services.practice_note_create(
            actor=user_of(request), organisation_id=card.id, values=form.cleaned_data
        ),
    )


def person_contact_add(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    card = writable_person(request, person_id, needs=Tier.NETWORK)
    form = ContactForm(posted(request), ceiling=card.write_ceiling)
    return _add_page(
        request,
        card=card,
        title=gettext_lazy("Add a contact"),
        form=form,
        back_url=person_url(card),
        write=lambda: services.contact_add(actor=user_of(request), person_id=card.id, **form.cleaned_data),
    )


def position_add(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    card = writable_person(request, person_id, needs=Tier.NETWORK)
    form = PositionForm(posted(request))

    def write() -> Any:
        values = form.cleaned_data
        return services.position_add(
            actor=user_of(request),
            person_id=card.id,
            organisation_id=values["organisation_id"],
            title=values["title"],
            started=values["started"],
            ended=values["ended"],
        )

    return _add_page(
        request,
        card=card,
        title=gettext_lazy("Add a position"),
        form=form,
        write=write,
        back_url=person_url(card),
    )


@require_POST
def contact_remove(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    contact = services.contact_remove(actor=user_of(request), contact_id=contact_id)
    messages.success(request, _("The contact was removed."))
    if contact.organisation_id is not None:
        return redirect("directory:organisation_detail", organisation_id=contact.organisation_id)
    return redirect("directory:person_detail", person_id=contact.person_id)


@require_GET
def organisation_suggest(request: HttpRequest) -> HttpResponse:
    """The suggestion list of an organisation picker, for htmx."""
    field = request.GET.get("field", "")
    field = field if field in PICKERS else PICKERS[-1]
    query = request.GET.get(f"{field}_query", "").strip()
    suggestions = selectors.organisation_suggestions(actor=user_of(request), q=query)
    return render(
        request,
        "directory/_suggestions.html",
        {"picker": {"field": field, "query": query, "suggestions": suggestions, "chosen": ""}},
    )
