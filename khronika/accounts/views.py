"""Sign in, sign out, the interface language, and the account page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from khronika.accounts import policies, services
from khronika.accounts.forms import LanguageForm, SignInForm
from khronika.accounts.middleware import session_mark_signed_in
from khronika.core.errors import ValidationFailed

SESSION_LANGUAGE = "language"


class SignInView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        session_mark_signed_in(self.request)
        # A language chosen on the sign-in page wins; otherwise the one the user chose last time.
        chosen = form.get_user().language
        if chosen and SESSION_LANGUAGE not in self.request.session:
            self.request.session[SESSION_LANGUAGE] = chosen
        return response


sign_in = login_not_required(SignInView.as_view())
sign_out = LogoutView.as_view()


def _same_site(request: HttpRequest, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_not_required
@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Keep the chosen language in the session and, for a signed-in user, on their account."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed(
            fields={name: [str(e) for e in errors] for name, errors in form.errors.items()}
        )
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        services.user_language_set(actor=request.user, language=language)
    request.session[SESSION_LANGUAGE] = language
    return HttpResponseRedirect(_same_site(request, form.cleaned_data["next"]))


@require_safe
def account(request: HttpRequest) -> HttpResponse:
    """Who is signed in: name, organisation and role, and the way to end every session."""
    return render(
        request,
        "accounts/account.html",
        {"account": request.user, "session_absolute_hours": settings.NODE.session_absolute_hours},
    )


@require_POST
def sessions_end(request: HttpRequest) -> HttpResponse:
    """Sign out on every device, this one included."""
    user = policies.require_user(request.user)
    services.user_sessions_end(actor=user, user_id=user.pk)
    logout(request)
    messages.success(request, _("You are signed out on every device."))
    return HttpResponseRedirect(resolve_url(settings.LOGIN_URL))


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a sign-in refused for too many failures (``AXES_LOCKOUT_CALLABLE``).

    One page for every username, known or not, so it tells nothing about which accounts exist.
    """
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": settings.NODE.login_lockout_minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
