"""Sign-in and session checks for Khronika's accounts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    """Django's password check, refusing deleted accounts as well as disabled ones: a deleted user's
    open sessions end at their next request, like a disabled user's."""

    def user_can_authenticate(self, user: Any) -> bool:
        return super().user_can_authenticate(user) and getattr(user, "deleted_at", None) is None
