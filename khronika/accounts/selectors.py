"""Account reads."""

from __future__ import annotations

from django.utils.translation import gettext as _

from khronika.accounts.models import User
from khronika.core.errors import NotFound


def user_by_username(username: str) -> User:
    user = (
        User.objects.select_related("organisation").filter(username=username, deleted_at__isnull=True).first()
    )
    if user is None:
        raise NotFound(_("No user has this username."))
    return user
