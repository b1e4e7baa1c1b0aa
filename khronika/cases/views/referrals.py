"""Referrals: a case referred to a partner (with partners suggested by category and region), the
referrals a group received and its answers; and the desk's settings for the public request form."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khronika.cases import pages, selectors, services
from khronika.cases.forms import HelpDeskForm, ReferralAnswerForm, ReferralForm
from khronika.core.errors import Conflict, ValidationFailed
from khronika.core.forms import submit
from khronika.directory.templatetags.directory_tags import local_name
from khronika.directory.views.common import INVALID_STATUS, form_page, posted, user_of


def referral_create(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    card = selectors.case_card(actor=user, case_id=case_id)
    try:
        partners = selectors.referral_partners(actor=user, case_id=card.id)
    except ValidationFailed:  # no category or region to look for partners by: any group, by its id
        partners = []
    suggestions = [(row["id"], local_name(row)) for row in partners]
    form = ReferralForm(posted(request), suggestions=suggestions)
    try:
        referral = submit(
            form,
            lambda: services.referral_create(
                actor=user,
                case_id=card.id,
                partner_id=form.cleaned_data["partner"],
                reason=form.cleaned_data["reason"],
                shared_summary=form.cleaned_data["shared_summary"],
            ),
        )
    except Conflict as conflict:  # referred to this partner already
        form.add_error(None, conflict.message)
        referral = None
    if referral is not None:
        messages.success(request, _("The case was referred."))
        return redirect(reverse("cases:case_detail", kwargs={"case_id": card.id}) + "#referrals")
    context = {"form": form, "card": card, "suggested": bool(suggestions)}
    return form_page(request, "cases/referrals/form.html", context)


def referral_list(request: HttpRequest) -> HttpResponse:
    return _referrals_page(request)


def _referrals_page(request: HttpRequest, *, refused: dict[str, Any] | None = None) -> HttpResponse:
    """What the referrals addressed to the reader's group say; ``refused`` is an answer that was not
    taken, shown again on its referral with what was typed."""
    rows = selectors.referrals_received(actor=user_of(request))
    context = {"rows": rows, "refused": refused or {}}
    return render(request, "cases/referrals/list.html", context, status=INVALID_STATUS if refused else 200)


@require_POST
def referral_answer(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    form = ReferralAnswerForm(request.POST)
    answered = submit(
        form,
        lambda: services.referral_answer(
            actor=user_of(request),
            referral_id=referral_id,
            status=form.cleaned_data["status"],
            answer=form.cleaned_data["answer"],
        ),
    )
    if answered is None:
        return _referrals_page(request, refused={"id": referral_id, "form": form})
    messages.success(request, _("Your answer was sent."))
    back = "home" if request.POST.get("back") == "home" else "cases:referral_list"
    return redirect(reverse(back) + f"#referral-{referral_id}")


def help_desk(request: HttpRequest) -> HttpResponse:
    """Whether the group's public page offers its request form, and the note the form shows."""
    user = user_of(request)
    desk = pages.help_desk_settings(actor=user)  # refuses everyone but the group's desk keepers
    form = HelpDeskForm(
        posted(request),
        initial={"accepts_public_requests": desk.accepts_public_requests, "public_note": desk.public_note},
    )
    saved = submit(form, lambda: services.help_desk_set(actor=user, values=form.values()))
    if saved is not None:
        messages.success(request, _("The desk's settings were saved."))
        return redirect("cases:help_desk")
    return form_page(request, "cases/desk.html", {"form": form, "desk": desk})
