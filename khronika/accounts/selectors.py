"""Account reads."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from khronika.accounts.models import User
from khronika.core import crypto
from khronika.core.errors import NotFound, PermissionDenied
from khronika.core.projection import Projection


def user_by_username(username: str) -> User:
    user = (
        User.objects.select_related("organisation").filter(username=username, deleted_at__isnull=True).first()
    )
    if user is None:
        raise NotFound(_("No user has this username."))
    return user


def record_access(*, actor: Any, entity: str, entity_id: Any) -> Projection:
    """Who may open one record's sealed values besides its organisation's group: for a member who can
    open them (PermissionDenied otherwise). Names the record by its kind and id, never by a sealed value."""
    from django.apps import apps

    from khronika.accounts import policies, sealing
    from khronika.core.records import live_record
    from khronika.core.tiers import Tier

    try:
        model = apps.get_model(entity)
    except (LookupError, ValueError):
        raise NotFound() from None
    if not sealing.sealed_field_names(model) or model is User:
        raise NotFound()
    record = live_record(model, entity_id)
    user = policies.require_user(actor)
    if policies.record_read_ceiling(user, record) != Tier.PROTECTED:
        raise PermissionDenied()
    return Projection(
        entity=entity,
        entity_id=record.pk,
        kind=str(model._meta.verbose_name),
        sealed=[n for n in sealing.sealed_field_names(model) if crypto.is_sealed(getattr(record, n) or "")],
        grants=sealing.grants_of(record),
        record=record,
    )
