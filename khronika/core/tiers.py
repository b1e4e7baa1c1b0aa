"""Confidentiality tiers. Every concrete field of every model declares one (DESIGN.md section 2).

A field declares its tier where it is defined::

    name_ru = public(models.CharField(max_length=300))

Fields a model inherits from Django (a user's password, say) are declared in the model's
``inherited_field_tiers``. A model whose rows carry their own tier (a contact point may be public or
protected) names that column in ``row_tier_field``; the fields listed in ``row_tiered_fields`` then take
the row's tier, never lower than the field's declared floor.
"""

from __future__ import annotations

import enum
from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(enum.IntEnum):
    PUBLIC = 0
    NETWORK = 1
    INTERNAL = 2
    PROTECTED = 3

    @property
    def label(self) -> str:
        return self.name.lower()


F = TypeVar("F", bound=models.Field)  # type: ignore[type-arg]


def _declare(field: F, tier: Tier) -> F:
    field.tier = tier  # type: ignore[attr-defined]
    return field


def public(field: F) -> F:
    return _declare(field, Tier.PUBLIC)


def network(field: F) -> F:
    return _declare(field, Tier.NETWORK)


def internal(field: F) -> F:
    return _declare(field, Tier.INTERNAL)


def protected(field: F) -> F:
    return _declare(field, Tier.PROTECTED)


# Models Khronika uses but does not define. Their fields are declared here, in one place, so the tier test
# covers them too.
EXTERNAL_MODEL_TIERS: dict[str, dict[str, Tier]] = {
    "contenttypes.contenttype": {"id": Tier.PUBLIC, "app_label": Tier.PUBLIC, "model": Tier.PUBLIC},
    "auth.permission": {
        "id": Tier.PUBLIC,
        "name": Tier.PUBLIC,
        "content_type": Tier.PUBLIC,
        "codename": Tier.PUBLIC,
    },
    "auth.group": {"id": Tier.INTERNAL, "name": Tier.INTERNAL, "permissions": Tier.INTERNAL},
    "auth.group_permissions": {"id": Tier.INTERNAL, "group": Tier.INTERNAL, "permission": Tier.INTERNAL},
    "sessions.session": {
        "session_key": Tier.PROTECTED,
        "session_data": Tier.PROTECTED,
        "expire_date": Tier.INTERNAL,
    },
    # django-axes' sign-in lockout records. What a person typed as a username (perhaps their password, in
    # the wrong field), where they connected from and with what browser are protected; the rest is
    # bookkeeping. Khronika keeps only AccessAttempt rows, and only until their cool-off passes.
    **{
        f"axes.{model}": {
            "id": Tier.INTERNAL,
            "user_agent": Tier.PROTECTED,
            "ip_address": Tier.PROTECTED,
            "username": Tier.PROTECTED,
            "http_accept": Tier.INTERNAL,
            "path_info": Tier.INTERNAL,
            "attempt_time": Tier.INTERNAL,
            **extra,
        }
        for model, extra in {
            "accessattempt": {
                "get_data": Tier.PROTECTED,
                "post_data": Tier.PROTECTED,
                "failures_since_start": Tier.INTERNAL,
            },
            "accesslog": {"logout_time": Tier.INTERNAL, "session_hash": Tier.PROTECTED},
            "accessfailurelog": {"locked_out": Tier.INTERNAL},
        }.items()
    },
    "axes.accessattemptexpiration": {"access_attempt": Tier.INTERNAL, "expires_at": Tier.INTERNAL},
    # The second factor (django-otp). The TOTP secret and the recovery codes are protected: they must be
    # readable by the server to check a code, so they are kept like a password hash, never logged,
    # exported or shown after enrolment.
    "otp_totp.totpdevice": {
        **dict.fromkeys(
            (
                *("id", "user", "name", "confirmed", "created_at", "last_used_at"),
                *("throttling_failure_timestamp", "throttling_failure_count"),
                *("step", "t0", "digits", "tolerance", "drift", "last_t"),
            ),
            Tier.INTERNAL,
        ),
        "key": Tier.PROTECTED,
    },
    "otp_static.staticdevice": dict.fromkeys(
        (
            *("id", "user", "name", "confirmed", "created_at", "last_used_at"),
            *("throttling_failure_timestamp", "throttling_failure_count"),
        ),
        Tier.INTERNAL,
    ),
    "otp_static.statictoken": {"id": Tier.INTERNAL, "device": Tier.INTERNAL, "token": Tier.PROTECTED},
}


def declared_tier(model: type[models.Model], field_name: str) -> Tier | None:
    field = model._meta.get_field(field_name)
    tier = getattr(field, "tier", None)
    if tier is not None:
        return Tier(tier)
    inherited = getattr(model, "inherited_field_tiers", {})
    if field_name in inherited:
        return Tier(inherited[field_name])
    external = EXTERNAL_MODEL_TIERS.get(model._meta.label_lower, {})
    if field_name in external:
        return external[field_name]
    return None


def field_tier(instance: models.Model, field_name: str) -> Tier:
    """The tier of one value: the declared tier, raised to the row's tier for row-tiered fields."""
    model = type(instance)
    tier = declared_tier(model, field_name)
    if tier is None:
        raise LookupError(f"{model._meta.label}.{field_name} declares no tier")
    if field_name in getattr(model, "row_tiered_fields", ()):
        row_tier = Tier[str(getattr(instance, model.row_tier_field)).upper()]  # type: ignore[attr-defined]
        return max(tier, row_tier)
    return tier


def undeclared_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if declared_tier(model, f.name) is None] + [
        f.name for f in model._meta.local_many_to_many if declared_tier(model, f.name) is None
    ]


def tier_filtered(instance: models.Model, *, ceiling: Tier) -> dict[str, Any]:
    """Values of the instance's concrete fields whose tier is at most ``ceiling``, ready for JSON."""
    values: dict[str, Any] = {}
    for field in type(instance)._meta.concrete_fields:
        if field_tier(instance, field.name) > ceiling:
            continue
        value = field.value_from_object(instance)
        values[field.attname] = field.value_to_string(instance) if value is not None else None
    return values


class TierChoices(models.TextChoices):
    """Row tiers a user can choose for a record that carries its own tier."""

    PUBLIC = "public", _("public: anyone")
    NETWORK = "network", _("network: signed-in members of the network")
    INTERNAL = "internal", _("internal: our organisation")
    PROTECTED = "protected", _("protected: named roles of our organisation")
