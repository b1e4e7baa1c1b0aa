"""Who else may open one record's sealed values: grant a user access for a stated purpose, or revoke it
(accounts/sealing.py, ``access_grant`` and ``access_revoke``)."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from khronika.accounts import keys, policies, sealing, selectors
from khronika.accounts.models import AccessPurpose, Grant
from khronika.core.errors import NotFound, ValidationFailed
from khronika.core.forms import submit


class GrantForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    purpose = forms.ChoiceField(label=gettext_lazy("Why"), choices=AccessPurpose.choices)


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


def _here(request: HttpRequest, entity: str, entity_id: uuid.UUID) -> str:
    url = reverse("accounts:access", kwargs={"entity": entity, "entity_id": entity_id})
    back = _back(request)
    return f"{url}?next={back}" if back else url


@require_http_methods(["GET", "POST"])
def access(request: HttpRequest, entity: str, entity_id: uuid.UUID) -> HttpResponse:
    actor = policies.require_user(request.user)
    card = selectors.record_access(actor=actor, entity=entity, entity_id=entity_id)
    form = GrantForm(request.POST if request.method == "POST" else None)

    def grant() -> Grant:
        try:
            grantee = selectors.user_by_username(form.cleaned_data["username"])
        except NotFound:
            raise ValidationFailed(fields={"username": [_("No active user has this username.")]}) from None
        return sealing.access_grant(
            actor=actor,
            keyring=keys.request_keyring(request),
            instance=card.record,
            user_id=grantee.pk,
            purpose=form.cleaned_data["purpose"],
        )

    if submit(form, grant) is not None:
        messages.success(request, _("Access granted."))
        return HttpResponseRedirect(_here(request, entity, entity_id))
    status = 422 if form.errors else 200
    context = {"card": card, "form": form, "back": _back(request)}
    return render(request, "accounts/access.html", context, status=status)


@require_POST
def access_revoke(
    request: HttpRequest, entity: str, entity_id: uuid.UUID, user_id: uuid.UUID
) -> HttpResponse:
    actor = policies.require_user(request.user)
    card = selectors.record_access(actor=actor, entity=entity, entity_id=entity_id)
    sealing.access_revoke(
        actor=actor, keyring=keys.request_keyring(request), instance=card.record, user_id=user_id
    )
    messages.success(request, _("Access revoked; the values are sealed again under new keys."))
    return HttpResponseRedirect(_here(request, entity, entity_id))
