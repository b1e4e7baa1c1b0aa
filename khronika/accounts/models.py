"""Users of the network, their organisation and role, and API tokens."""

from __future__ import annotations

import secrets
from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from khronika.core.models import Record
from khronika.core.sealed import sealed_text
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
    sealed_fields = ("email",)

    username = internal(models.CharField(_("username"), max_length=150, unique=True))
    display_name = internal(models.CharField(_("display name"), max_length=200, blank=True))
    email = protected(sealed_text(_("email"), max_length=254, blank=True, email=True))
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


# --- Keys of sealed values (accounts/sealing.py) -----------------------------------------------------------


class GroupKey(models.Model):
    """The key pair of an organisation's protected readers. Every protected value the organisation keeps
    has its data key wrapped to the group's public key; the private key is stored only wrapped, once for
    each member and once for each recovery key (``GroupKeyShare``). When a member leaves, the group gets
    a new key pair and the old one is destroyed (``rotation_due`` until a member who holds it is online)."""

    id = internal(models.BigAutoField(primary_key=True))
    organisation = internal(
        models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, related_name="group_keys")
    )
    public_key = internal(models.CharField(max_length=64))
    created_at = internal(models.DateTimeField(auto_now_add=True))
    rotation_due = internal(models.BooleanField(default=False))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="one_group_key_per_organisation")
        ]

    def __str__(self) -> str:
        return f"group key {self.pk}"


class RecoveryKey(models.Model):
    """The public half of an organisation's recovery key. The private half was written to a file the
    operator took away (``khronika keys recovery-init``); the node never keeps it."""

    id = internal(models.BigAutoField(primary_key=True))
    organisation = internal(
        models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, related_name="recovery_keys")
    )
    public_key = internal(models.CharField(max_length=64))
    fingerprint = internal(models.CharField(max_length=32))
    created_at = internal(models.DateTimeField(auto_now_add=True))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="one_recovery_key_per_organisation")
        ]

    def __str__(self) -> str:
        return f"recovery key {self.fingerprint}"


class GroupKeyShare(models.Model):
    """A group's private key wrapped to one member's public key, or to the organisation's recovery key.
    An empty ``wrapped_private`` is a share still to be made: the server cannot make it alone, so the
    next member who holds the group key and is online makes it."""

    id = internal(models.BigAutoField(primary_key=True))
    group_key = internal(models.ForeignKey(GroupKey, on_delete=models.CASCADE, related_name="shares"))
    user = internal(
        models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True, related_name="group_shares")
    )
    recovery_key = internal(
        models.ForeignKey(RecoveryKey, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    )
    wrapped_private = protected(models.TextField(blank=True))
    created_at = internal(models.DateTimeField(auto_now_add=True))

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, recovery_key__isnull=True)
                    | models.Q(user__isnull=True, recovery_key__isnull=False)
                ),
                name="share_has_one_holder",
            ),
            models.UniqueConstraint(fields=["group_key", "user"], name="one_share_per_member"),
            models.UniqueConstraint(fields=["group_key", "recovery_key"], name="one_share_per_recovery_key"),
        ]

    def __str__(self) -> str:
        return f"share of group key {self.group_key_id}"


class ValueKey(models.Model):
    """One wrapped copy of the data key of one sealed value: wrapped to the steward organisation's group
    key, or to a user granted the record. Deleting every copy destroys the value (crypto-shredding)."""

    id = internal(models.BigAutoField(primary_key=True))
    entity = internal(models.CharField(max_length=100))
    entity_id = internal(models.UUIDField())
    field = internal(models.CharField(max_length=64))
    group_key = internal(
        models.ForeignKey(GroupKey, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    )
    user = internal(
        models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    )
    wrapped = protected(models.TextField())

    class Meta:
        indexes = [models.Index(fields=["entity_id", "entity"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(group_key__isnull=False, user__isnull=True)
                    | models.Q(group_key__isnull=True, user__isnull=False)
                ),
                name="value_key_has_one_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"key of {self.entity}.{self.field}"


class AccessPurpose(models.TextChoices):
    """Why someone opens or grants a protected value. A fixed list, so that the audit log never holds a
    free-text reason that might itself name someone."""

    CONTACT = "contact", _("to contact the person or group")
    ASSIST = "assist", _("to give legal or other help")
    SAFETY = "safety", _("to check on someone's safety")
    VERIFY = "verify", _("to check or correct the record")
    REFERRAL = "referral", _("a referral to a partner")
    OVERSIGHT = "oversight", _("oversight of the records")


class Grant(models.Model):
    """A named user's access to the protected values of one record, beyond their organisation's: who
    granted it, why and when; revoked grants are kept as history."""

    id = internal(models.BigAutoField(primary_key=True))
    entity = internal(models.CharField(max_length=100))
    entity_id = internal(models.UUIDField())
    user = internal(models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants"))
    purpose = internal(models.CharField(max_length=20, choices=AccessPurpose.choices))
    granted_by = internal(
        models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    )
    granted_at = internal(models.DateTimeField(auto_now_add=True))
    revoked_by = internal(
        models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    )
    revoked_at = internal(models.DateTimeField(null=True, blank=True))

    class Meta:
        indexes = [models.Index(fields=["entity_id", "entity"])]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "entity_id", "user"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_grant_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"grant of {self.entity} to {self.user_id}"
