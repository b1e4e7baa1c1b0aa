"""Who the caller is."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from khronika.api import render
from khronika.api.auth import actor
from khronika.api.schemas import READ_ERRORS, ErrorOut, Me

router = Router(tags=["accounts"])


@router.get("/me", response={200: Me, READ_ERRORS: ErrorOut})
def me(request: HttpRequest) -> Any:
    """The caller's own account: username, role and organisation."""
    user = actor(request)
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "organisation": render.organisation_ref(user.organisation),
    }
