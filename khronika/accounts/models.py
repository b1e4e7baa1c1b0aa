"""Users of the network, their organisation and role, and API tokens."""

from __future__ import annotations

import secrets
from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from khronika.core.models import Record
from khronika.core.tiers import Tier, internal, network, protected


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("administrator")
    COORDINATOR = "coordinator", _("coordinator")
    EDITOR = "editor", _("editor")
    MONITOR = "monitor", _("monitor")
    LAWYER = "lawyer", _("lawyer")
    HOTLINE_OPERATOR = "hotline_operator", _("hotline operator")
    MEMBER = "member", _("member")
    VIEWER = "viewer", _("viewer")


def new_pseudonym() -> str:
    return secrets.token_hex(8)


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(username=username, deleted_at__isnull=True)


class User(AbstractBaseUser, Record):
    """A person who signs in. Belongs to one organisation of the network and holds one role in it.

    Logs name a user only by ``pseudonym``; who is behind a pseudonym is known to this table alone.
    """

    inherited_field_tiers = {"password": Tier.PROTECTED, "last_login": Tier.INTERNAL}

    username = internal(models.CharField(_("username"), max_length=150, unique=True))
    display_name = internal(models.CharField(_("display name"), max_length=200, blank=True))
    email = protected(models.EmailField(_("email"), blank=True))
    organisation = internal(
        models.ForeignKey(
            "directory.Organisation",
            on_delete=models.PROTECT,
            related_name="users",
            verbose_name=_("organisation"),
        )
    )
    role = internal(models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER))
    is_active = internal(models.BooleanField(_("active"), default=True))  # type: ignore[misc]
    language = internal(models.CharField(_("language"), max_length=5, blank=True))
    pseudonym = internal(models.CharField(max_length=32, unique=True, default=new_pseudonym, editable=False))

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects = UserManager()

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.username


class ApiToken(Record):
    """A bearer token for the API. Only a hash is stored; the token itself is shown once, at creation."""

    user = internal(models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens"))
    name = internal(models.CharField(max_length=100, blank=True))
    prefix = internal(models.CharField(max_length=12, db_index=True))
    token_hash = protected(models.CharField(max_length=64, unique=True))
    expires_at = internal(models.DateTimeField(null=True, blank=True))
    last_used_at = internal(models.DateTimeField(null=True, blank=True))
    revoked_at = internal(models.DateTimeField(null=True, blank=True))

    def __str__(self) -> str:
        return f"{self.prefix}…"


class UserKey(models.Model):
    """A user's key pair for protected values. The private key is stored only wrapped by a key derived
    from the user's passphrase (their sign-in password); the server never holds it in clear."""

    id = internal(models.BigAutoField(primary_key=True))
    user = internal(models.OneToOneField(User, on_delete=models.CASCADE, related_name="key"))
    public_key = internal(models.CharField(max_length=64))
    private_key_wrapped = protected(models.TextField())
    created_at = internal(models.DateTimeField(auto_now_add=True))
    rewrapped_at = internal(models.DateTimeField(null=True, blank=True))

    def __str__(self) -> str:
        return f"key of {self.user_id}"


class Lockdown(Record):
    """A panic: all accounts of an organisation locked and their sessions ended, because its office was
    raided or a phone seized. From the command line it takes effect at once; in the web interface one
    coordinator asks and a second one confirms, so that no single account — perhaps in the wrong hands —
    can lock out a group, nor be talked into it alone."""

    organisation = internal(
        models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="lockdowns")
    )
    requested_by = internal(
        models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    )
    confirmed_by = internal(
        models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    )
    # Network tier: every coordinator who may confirm the lockdown must know why it was asked for; the
    # form asks for no names.
    reason = network(models.CharField(_("reason"), max_length=300, blank=True))
    expires_at = internal(models.DateTimeField())
    confirmed_at = internal(models.DateTimeField(null=True, blank=True))
    cancelled_at = internal(models.DateTimeField(null=True, blank=True))
    lifted_at = internal(models.DateTimeField(null=True, blank=True))
    locked_users = internal(models.JSONField(default=list, blank=True))

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"lockdown of {self.organisation_id}"
