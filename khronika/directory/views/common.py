"""What every directory page shares: the htmx partial rule, form errors from services, statuses, and the
records a page writes on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from khronika.accounts import policies as account_policies
from khronika.accounts.models import User
from khronika.core import forms as core_forms
from khronika.core.errors import ApplicationError, Conflict, PermissionDenied, ValidationFailed
from khronika.core.projection import Projection
from khronika.core.tiers import Tier
from khronika.directory import policies, selectors

PAGE_SIZE = 25
INVALID_STATUS = ValidationFailed.status
T = TypeVar("T")

# Services name a few inputs after their model fields; the forms name them as a person types them.
_FORM_FIELD_OF = {
    "founded_on": "founded",
    "happened_on": "happened",
    "started_on": "started",
    "ended_on": "ended",
    "target": "target_query",
    "organisation": "organisation_query",
}


def wants_partial(request: HttpRequest) -> bool:
    """An htmx request for part of a page; a history restore wants the whole page."""
    return request.headers.get("HX-Request") == "true" and "HX-History-Restore-Request" not in request.headers


def render_varying(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Render a page whose htmx request gets a fragment of it, so that caches keep the two apart."""
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def put_errors(form: forms.Form, error: ValidationFailed) -> None:
    """``core.forms.put_errors`` with the directory forms' names for the services' fields."""
    core_forms.put_errors(form, error, field_of=_FORM_FIELD_OF)


def submit(form: forms.Form, write: Callable[[], T]) -> T | None:
    """``core.forms.submit`` with the directory forms' names for the services' fields."""
    return core_forms.submit(form, write, field_of=_FORM_FIELD_OF)


def form_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, conflict: Conflict | None = None
) -> HttpResponse:
    """Render a form page: 409 after a conflict, 422 with field errors, 200 otherwise."""
    form = context["form"]
    status = Conflict.status if conflict else INVALID_STATUS if form.errors else 200
    return render(request, template, {**context, "conflict": conflict}, status=status)


def user_of(request: HttpRequest) -> User:
    """The signed-in user (the login middleware lets no one else through to these views)."""
    return account_policies.require_user(request.user)


def posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def may_add_records(request: HttpRequest) -> bool:
    """Whether to offer the "add" links; the services decide again when something is sent."""
    try:
        policies.require_directory_creator(request.user)
    except ApplicationError:
        return False
    return True


def writable_organisation(request: HttpRequest, organisation_id: Any, *, needs: Tier) -> Projection:
    """The organisation as the reader sees it; PermissionDenied unless they may write fields of ``needs``."""
    card = selectors.organisation_get(actor=user_of(request), organisation_id=organisation_id)
    if card.write_ceiling is None or card.write_ceiling < needs:
        raise PermissionDenied()
    return card


def writable_person(request: HttpRequest, person_id: Any, *, needs: Tier) -> Projection:
    card = selectors.person_get(actor=user_of(request), person_id=person_id)
    if card.write_ceiling is None or card.write_ceiling < needs:
        raise PermissionDenied()
    return card


def organisation_url(card: Projection) -> str:
    return reverse("directory:organisation_detail", kwargs={"organisation_id": card.id})


def person_url(card: Projection) -> str:
    return reverse("directory:person_detail", kwargs={"person_id": card.id})
