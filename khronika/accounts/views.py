"""Sign in, sign out, the interface language, and the account page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from khronika.accounts import keys, policies, services
from khronika.accounts.forms import LanguageForm, PasswordChangeForm, SignInForm
from khronika.accounts.lockdown import lockdown_targets
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
        _open_keyring(self.request, response, form.get_user(), form.cleaned_data["password"])
        # A language chosen on the sign-in page wins; otherwise the one the user chose last time.
        chosen = form.get_user().language
        if chosen and SESSION_LANGUAGE not in self.request.session:
            self.request.session[SESSION_LANGUAGE] = chosen
        return response


def _open_keyring(request: HttpRequest, response: HttpResponse, user: Any, password: str) -> None:
    """Unlock the user's private key and split it: the session keeps the wrapped key, the browser the
    key that unwraps it (accounts/keys.py)."""
    try:
        halves = keys.user_key_unlock(user=user, passphrase=password)
    except keys.KeyUnavailable:
        messages.warning(
            request,
            _(
                "Your key could not be opened, so protected values stay closed to you. Change your "
                "password on your account page to get a new key, and ask a coordinator to grant you "
                "access again."
            ),
        )
        return
    request.session[keys.SESSION_WRAPPED_KEY] = halves.session_value
    response.set_cookie(
        keys.SESSION_KEY_COOKIE,
        halves.cookie_value,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Strict",
    )


class SignOutView(LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response.delete_cookie(keys.SESSION_KEY_COOKIE, samesite="Strict")
        return response


sign_in = login_not_required(SignInView.as_view())
sign_out = SignOutView.as_view()


@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            user = services.user_password_change(
                actor=policies.require_user(request.user),
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationFailed as exc:
            for name, errors in exc.fields.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password was changed."))
            return HttpResponseRedirect(resolve_url("accounts:account"))
    status = 422 if form.errors else 200
    return render(request, "accounts/password_change.html", {"form": form}, status=status)


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
        {
            "account": request.user,
            "session_absolute_hours": settings.NODE.session_absolute_hours,
            "may_call_lockdown": bool(lockdown_targets(actor=request.user)),
        },
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
