"""The lockdown pages: one coordinator asks, a second one confirms (accounts/lockdown.py)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from khronika.accounts import lockdown, policies
from khronika.core.errors import PermissionDenied


@require_http_methods(["GET", "POST"])
def lockdown_page(request: HttpRequest) -> HttpResponse:
    actor = policies.require_user(request.user)
    targets = lockdown.lockdown_targets(actor=actor)
    if not targets:
        raise PermissionDenied()
    if request.method == "POST":
        lockdown.lockdown_request(
            actor=actor,
            organisation_id=request.POST.get("organisation", ""),
            reason=request.POST.get("reason", ""),
        )
        messages.warning(
            request, _("Lockdown requested. A second coordinator must confirm it within an hour.")
        )
        return HttpResponseRedirect(resolve_url("accounts:lockdown"))
    context = {
        "targets": targets,
        "requests": [
            r
            for r in lockdown.open_lockdown_requests()
            if lockdown.may_call_lockdown(actor, r.organisation_id)
        ],
        "me": actor,
    }
    return render(request, "accounts/lockdown.html", context)


@require_POST
def lockdown_confirm(request: HttpRequest, lockdown_id: uuid.UUID) -> HttpResponse:
    actor = policies.require_user(request.user)
    done = lockdown.lockdown_confirm(actor=actor, lockdown_id=lockdown_id)
    if str(actor.pk) in done.locked_users:
        # The confirmer locked their own organisation, their own account and session with it.
        logout(request)
        return HttpResponseRedirect(resolve_url("accounts:login"))
    messages.success(
        request,
        _("Locked %(count)d accounts; their sessions are ended and their API tokens revoked.")
        % {"count": len(done.locked_users)},
    )
    return HttpResponseRedirect(resolve_url("accounts:lockdown"))


@require_POST
def lockdown_cancel(request: HttpRequest, lockdown_id: uuid.UUID) -> HttpResponse:
    lockdown.lockdown_cancel(actor=policies.require_user(request.user), lockdown_id=lockdown_id)
    messages.success(request, _("The lockdown request was cancelled."))
    return HttpResponseRedirect(resolve_url("accounts:lockdown"))
