"""The second-factor pages: the code after the password, enrolment, and the user's own settings.

Every page here shows or takes a secret (the authenticator's key, its QR code, recovery codes), so none
may be cached. The QR code is an inline SVG drawn on the server: no image from anywhere, no script.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.constants
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from khronika.accounts import second_factor, services
from khronika.core.errors import ApplicationError, ValidationFailed

QR_MODULE_PIXELS = 5
TEMPLATES = "accounts/second_factor/"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "off"}),
        error_messages={"required": gettext_lazy("Type a code.")},
    )


class AuthenticatorCodeForm(CodeForm):
    code = forms.CharField(
        label=gettext_lazy("Code from the app"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "off"}
        ),
        error_messages={"required": gettext_lazy("Type the 6-digit code that your app shows.")},
    )


def qr_svg(data: str) -> SafeString:
    """``data`` as a QR code in SVG markup, one square per dark module, on a white quiet zone."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    path = "".join(f"M{x},{y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{pixels}" '
        'height="{pixels}" role="img" aria-label="{label}" shape-rendering="crispEdges">'
        '<rect width="{size}" height="{size}" fill="#fff"/><path d="{path}" fill="#000"/></svg>',
        size=size,
        pixels=size * QR_MODULE_PIXELS,
        label=_("QR code of the key for your authenticator app"),
        path=path,
    )


def _next_url(request: HttpRequest) -> str:
    """Where to go once the step is done: a same-site ``next``, else the directory."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _put_error(form: forms.Form, error: ApplicationError) -> int:
    """Show a service's refusal of a code on the form; returns the page's status."""
    messages_ = error.fields.get("code") if isinstance(error, ValidationFailed) else None
    for message in messages_ or [error.message]:
        form.add_error("code", message)
    return error.status


def _verified(request: HttpRequest, device: Any) -> None:
    """Mark the session as having passed the second factor, under a new session key."""
    otp_login(request, device)
    request.session.cycle_key()


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """The code after the password (or one recovery code)."""
    if not second_factor.must_verify(request.user):
        return HttpResponseRedirect(_next_url(request))
    if not second_factor.has_device(request.user):  # type: ignore[arg-type]
        query = urlencode({"next": _next_url(request)})
        return HttpResponseRedirect(f"{reverse('accounts:second_factor_enrol')}?{query}")
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound and form.is_valid():
        try:
            device = services.second_factor_verify(actor=request.user, code=form.cleaned_data["code"])
        except (ValidationFailed, second_factor.TooManyAttempts) as error:
            status = _put_error(form, error)
        else:
            _verified(request, device)
            return HttpResponseRedirect(_next_url(request))
    elif form.is_bound:
        status = ValidationFailed.status
    return render(
        request, TEMPLATES + "verify.html", {"form": form, "next": _next_url(request)}, status=status
    )


def _enrolment_page(
    request: HttpRequest, device: Any, form: forms.Form, *, status: int = 200
) -> HttpResponse:
    context = {
        "form": form,
        "qr_code": qr_svg(device.config_url),
        "secret": second_factor.secret_text(device),
        "digits": device.digits,
        "period": device.step,
        "mandatory": second_factor.is_mandatory(request.user),  # type: ignore[arg-type]
        "next": _next_url(request),
    }
    return render(request, TEMPLATES + "enrol.html", context, status=status)


@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator: its key as a QR code and as text, then a first code to confirm it, then
    the recovery codes, once."""
    if second_factor.has_device(request.user):  # type: ignore[arg-type]
        step = (
            "accounts:second_factor_verify"
            if second_factor.must_verify(request.user)
            else "accounts:second_factor"
        )
        return HttpResponseRedirect(reverse(step))
    if request.method != "POST":
        device = services.second_factor_enrolment_begin(actor=request.user)
        return _enrolment_page(request, device, AuthenticatorCodeForm())
    form = AuthenticatorCodeForm(request.POST)
    if form.is_valid():
        try:
            device, codes = services.second_factor_enrolment_confirm(
                actor=request.user, code=form.cleaned_data["code"]
            )
        except (ValidationFailed, second_factor.TooManyAttempts) as error:
            status = _put_error(form, error)
        else:
            _verified(request, device)
            return _recovery_codes_page(request, codes, first=True)
    else:
        status = ValidationFailed.status
    pending = second_factor.pending_enrolment(actor=request.user)
    if pending is None:  # the half-done enrolment was replaced meanwhile: start again
        return HttpResponseRedirect(reverse("accounts:second_factor_enrol"))
    return _enrolment_page(request, pending, form, status=status)


def _recovery_codes_page(request: HttpRequest, codes: list[str], *, first: bool) -> HttpResponse:
    context = {"codes": codes, "first": first, "next": _next_url(request) if first else ""}
    return render(request, TEMPLATES + "recovery_codes.html", context)


def _overview_page(
    request: HttpRequest,
    *,
    regenerate: forms.Form | None = None,
    remove: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "status": second_factor.second_factor_status(actor=request.user),
        "regenerate_form": regenerate or CodeForm(prefix="regenerate"),
        "remove_form": remove or CodeForm(prefix="remove"),
    }
    return render(request, TEMPLATES + "overview.html", context, status=status)


@never_cache
def overview(request: HttpRequest) -> HttpResponse:
    """Whether the user has a second factor, with new recovery codes and (where allowed) removal."""
    return _overview_page(request)


@never_cache
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST, prefix="regenerate")
    if not form.is_valid():
        return _overview_page(request, regenerate=form, status=ValidationFailed.status)
    try:
        codes = services.second_factor_recovery_codes_regenerate(
            actor=request.user, code=form.cleaned_data["code"]
        )
    except (ValidationFailed, second_factor.TooManyAttempts) as error:
        status = _put_error(form, error)
        return _overview_page(request, regenerate=form, status=status)
    return _recovery_codes_page(request, codes, first=False)


@never_cache
@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST, prefix="remove")
    if not form.is_valid():
        return _overview_page(request, remove=form, status=ValidationFailed.status)
    try:
        services.second_factor_remove(actor=request.user, code=form.cleaned_data["code"])
    except (ValidationFailed, second_factor.TooManyAttempts) as error:
        status = _put_error(form, error)
        return _overview_page(request, remove=form, status=status)
    messages.success(request, _("The second factor is removed. You sign in with your password alone."))
    return HttpResponseRedirect(reverse("accounts:second_factor"))
