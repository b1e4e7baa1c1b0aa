"""Correcting and retiring what was added to an organisation or a person: practice notes, designations,
relationships and positions. Edit forms carry the version the writer saw (409 on a conflict, as the
organisation form does); removals ask first and act on POST only."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khronika.core.errors import Conflict, NotFound, PermissionDenied
from khronika.core.projection import Projection
from khronika.core.tiers import Tier
from khronika.directory import selectors, services
from khronika.directory.forms import DesignationEditForm, PositionEditForm, PracticeNoteEditForm
from khronika.directory.templatetags.directory_tags import local_name
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

REMOVE = gettext_lazy("Remove")


def _one_of(items: Iterable[Any] | None, item_id: uuid.UUID) -> Any:
    """The item of a card's list with this id; NotFound when the reader does not see it there."""
    for item in items or ():
        if item.id == item_id:
            return item
    raise NotFound()


def _edit_page(
    request: HttpRequest,
    *,
    card: Projection,
    title: Any,
    form: forms.Form,
    write: Callable[[], Any],
    back_url: str,
) -> HttpResponse:
    """Save with ``write`` and go back to the record, or show the form again: with its errors (422) or,
    when someone else saved the record meanwhile, with the conflict and the writer's input kept (409)."""
    context = {"form": form, "card": card, "title": title, "back_url": back_url}
    try:
        saved = submit(form, write)
    except Conflict as conflict:
        return form_page(request, "directory/add.html", context, conflict=conflict)
    if saved is not None:
        messages.success(request, _("The changes were saved."))
        return redirect(back_url)
    return form_page(request, "directory/add.html", context)


def _confirm_page(
    request: HttpRequest,
    *,
    card: Projection,
    title: Any,
    subject: str,
    consequence: Any,
    back_url: str,
    button: Any = REMOVE,
) -> HttpResponse:
    """Ask before a removal; the page's form posts back to the same address."""
    context = {
        "card": card,
        "title": title,
        "subject": subject,
        "consequence": consequence,
        "back_url": back_url,
        "button": button,
    }
    return render(request, "directory/confirm_remove.html", context)


# --- Practice notes ----------------------------------------------------------------------------------------


def _note_page(
    request: HttpRequest, organisation_id: uuid.UUID, note_id: uuid.UUID
) -> tuple[Projection, Any]:
    card = selectors.organisation_page(actor=user_of(request), organisation_id=organisation_id)
    if not card.may_add_note:
        raise PermissionDenied()
    return card, _one_of(card.practice_notes, note_id)


def practice_note_edit(request: HttpRequest, organisation_id: uuid.UUID, note_id: uuid.UUID) -> HttpResponse:
    card, note = _note_page(request, organisation_id, note_id)
    form = PracticeNoteEditForm(
        posted(request),
        initial=PracticeNoteEditForm.initial_from(note),
        ceiling=card.tier_ceiling,
        regions=selectors.regions(),
        areas=selectors.areas(),
    )
    return _edit_page(
        request,
        card=card,
        title=gettext_lazy("Edit the practice note"),
        form=form,
        back_url=organisation_url(card),
        write=lambda: services.practice_note_update(
            actor=user_of(request),
            note_id=note_id,
            values=form.values(),
            expected_version=form.cleaned_data["version"],
        ),
    )


def practice_note_delete(
    request: HttpRequest, organisation_id: uuid.UUID, note_id: uuid.UUID
) -> HttpResponse:
    if request.method == "POST":
        note = services.practice_note_delete(actor=user_of(request), note_id=note_id)
        messages.success(request, _("The practice note was deleted."))
        return redirect("directory:organisation_detail", organisation_id=note.organisation_id)
    card, note = _note_page(request, organisation_id, note_id)
    return _confirm_page(
        request,
        card=card,
        title=gettext_lazy("Delete the practice note?"),
        subject=note.title,
        consequence=gettext_lazy(
            "The note will disappear from the directory and its searches. The change log keeps the deletion."
        ),
        back_url=organisation_url(card),
        button=gettext_lazy("Delete"),
    )


# --- Designations ------------------------------------------------------------------------------------------


def _designation_subject(designation: Projection) -> str:
    return _("%(designation)s, listed on %(date)s") % {
        "designation": designation.kind_label,
        "date": designation.listed_on.isoformat(),
    }


def designation_edit(
    request: HttpRequest, organisation_id: uuid.UUID, designation_id: uuid.UUID
) -> HttpResponse:
    card = writable_organisation(request, organisation_id, needs=Tier.PUBLIC)
    designation = _one_of(card.designations, designation_id)
    form = DesignationEditForm(posted(request), initial=DesignationEditForm.initial_from(designation))
    return _edit_page(
        request,
        card=card,
        title=gettext_lazy("Edit the designation"),
        form=form,
        back_url=organisation_url(card),
        write=lambda: services.designation_update(
            actor=user_of(request),
            designation_id=designation_id,
            values=form.values(),
            expected_version=form.cleaned_data["version"],
        ),
    )


def designation_remove(
    request: HttpRequest, organisation_id: uuid.UUID, designation_id: uuid.UUID
) -> HttpResponse:
    if request.method == "POST":
        designation = services.designation_remove(actor=user_of(request), designation_id=designation_id)
        messages.success(request, _("The designation was removed."))
        return redirect("directory:organisation_detail", organisation_id=designation.organisation_id)
    card = writable_organisation(request, organisation_id, needs=Tier.PUBLIC)
    designation = _one_of(card.designations, designation_id)
    return _confirm_page(
        request,
        card=card,
        title=gettext_lazy("Remove the designation?"),
        subject=_designation_subject(designation),
        consequence=gettext_lazy(
            "Remove a designation only when it was recorded by mistake. When the organisation was taken "
            "off the register, edit the designation and give the day it was removed instead."
        ),
        back_url=organisation_url(card),
    )


# --- Relationships -----------------------------------------------------------------------------------------


def relationship_remove(
    request: HttpRequest, organisation_id: uuid.UUID, relationship_id: uuid.UUID
) -> HttpResponse:
    """Remove a relationship from the page of its source organisation, whose keepers may remove it."""
    if request.method == "POST":
        relationship = services.relationship_remove(actor=user_of(request), relationship_id=relationship_id)
        messages.success(request, _("The relationship was removed."))
        return redirect("directory:organisation_detail", organisation_id=relationship.source_id)
    card = writable_organisation(request, organisation_id, needs=Tier.NETWORK)
    relationship = _one_of((r for r in card.relationships or () if r.outgoing), relationship_id)
    return _confirm_page(
        request,
        card=card,
        title=gettext_lazy("Remove the relationship?"),
        subject=f"{local_name(card)} — {relationship.kind_label} — {local_name(relationship.other)}",
        consequence=gettext_lazy(
            "The relationship will disappear from the pages of both organisations. "
            "The change log keeps the removal."
        ),
        back_url=organisation_url(card),
    )


# --- Positions ---------------------------------------------------------------------------------------------


def position_edit(request: HttpRequest, person_id: uuid.UUID, position_id: uuid.UUID) -> HttpResponse:
    card = writable_person(request, person_id, needs=Tier.NETWORK)
    position = _one_of(card.positions, position_id)
    form = PositionEditForm(posted(request), initial=PositionEditForm.initial_from(position))
    return _edit_page(
        request,
        card=card,
        title=gettext_lazy("Edit the position"),
        form=form,
        back_url=person_url(card),
        write=lambda: services.position_update(
            actor=user_of(request),
            position_id=position_id,
            values=form.values(),
            expected_version=form.cleaned_data["version"],
        ),
    )


def position_remove(request: HttpRequest, person_id: uuid.UUID, position_id: uuid.UUID) -> HttpResponse:
    if request.method == "POST":
        position = services.position_remove(actor=user_of(request), position_id=position_id)
        messages.success(request, _("The position was removed."))
        return redirect("directory:person_detail", person_id=position.person_id)
    card = writable_person(request, person_id, needs=Tier.NETWORK)
    position = _one_of(card.positions, position_id)
    return _confirm_page(
        request,
        card=card,
        title=gettext_lazy("Remove the position?"),
        subject=f"{position.title} — {local_name(position.organisation)}",
        consequence=gettext_lazy(
            "The position will disappear from the pages of the person and of the organisation. "
            "The change log keeps the removal."
        ),
        back_url=person_url(card),
    )
