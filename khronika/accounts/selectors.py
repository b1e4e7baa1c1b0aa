"""Account reads."""

from __future__ import annotations

from khronika.accounts.models import User
from khronika.core.errors import NotFound


def user_by_username(username: str) -> User:
    user = User.objects.select_related("organisation").filter(username=username, deleted_at__isnull=True).first()
    if user is None:
        raise NotFound(f"No user named {username!r}.")
    return user
