"""Who may read and write monitoring records.

Vocabularies are reference data, public to all and written only by ``vocabularies_load``. Events follow
below.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from khronika.accounts import policies
from khronika.accounts.models import Role, User
from khronika.core.errors import NotFound, PermissionDenied
from khronika.core.tiers import Tier, TierChoices


def register_governance() -> None:
    """Tell accounts which steward governs each monitoring record (see accounts.policies.govern)."""
    from khronika.monitoring import models as m

    for model in (m.Vocabulary, m.Term):
        policies.govern(model, policies.Governance.REFERENCE)
    stewarded = policies.Governance.STEWARDED
    policies.govern(m.Event, stewarded, steward_of=lambda event: event.steward_id)
    policies.govern(m.EventProject, stewarded, steward_of=lambda link: link.event.steward_id)
    policies.govern(m.EventRelation, stewarded, steward_of=lambda link: link.source.steward_id)
    policies.govern(m.Individual, stewarded, steward_of=lambda person: person.steward_id)
    policies.govern(m.Act, stewarded, steward_of=lambda act: act.event.steward_id)
    policies.govern(m.ActConsequence, stewarded, steward_of=lambda link: link.act.event.steward_id)
    policies.govern(m.Involvement, stewarded, steward_of=lambda link: link.act.steward_id)
    policies.govern(m.Information, stewarded, steward_of=lambda record: record.event.steward_id)
    policies.govern(m.Intervention, stewarded, steward_of=lambda record: record.event.steward_id)
    policies.govern(m.Document, stewarded, steward_of=lambda document: document.steward_id)


# --- events ---------------------------------------------------------------------------------------------
#
# An event is documented by its steward organisation. Its facts have the event's own tier: internal (the
# steward's members alone) until it is shared with the network or published. Every member of the steward
# but a viewer writes its events (monitors, lawyers and hotline operators record what they learn);
# publishing, which puts the facts on the public site and in exports, is for coordinators, monitors and
# administrators.

EVENT_WRITERS = policies.CONTRIBUTORS
EVENT_PUBLISHERS = frozenset({Role.ADMINISTRATOR, Role.COORDINATOR, Role.MONITOR})


def event_read_ceiling(actor: Any, event: Any) -> Tier | None:
    """The highest tier of the event the actor reads; None when the actor may not see it at all."""
    ceiling = policies.read_ceiling(actor, steward_id=event.steward_id)
    return ceiling if ceiling >= Tier[str(event.tier).upper()] else None


def require_event_read(actor: Any, event: Any) -> Tier:
    """An event the actor may not see is answered as one that does not exist."""
    ceiling = event_read_ceiling(actor, event)
    if ceiling is None:
        raise NotFound()
    return ceiling


def require_event_writer(actor: Any, *, steward_id: uuid.UUID | None) -> User:
    user = policies.require_user(actor)
    if user.role not in EVENT_WRITERS or steward_id is None or user.organisation_id != steward_id:
        raise PermissionDenied()
    return user


def event_write_allowed(actor: Any, *, steward_id: uuid.UUID | None) -> bool:
    user = policies.signed_in(actor)
    return user is not None and user.role in EVENT_WRITERS and steward_id == user.organisation_id


def require_user_may_publish(actor: Any) -> User:
    """Coordinators, monitors and administrators of a group: who publishes, and adds projects."""
    user = policies.require_user(actor)
    if user.role not in EVENT_PUBLISHERS or user.organisation_id is None:
        raise PermissionDenied(_("Coordinators, monitors and administrators add monitoring projects."))
    return user


def require_tier_allowed(user: User, tier: str) -> None:
    if tier == TierChoices.PUBLIC and user.role not in EVENT_PUBLISHERS:
        raise PermissionDenied(_("Only a coordinator, a monitor or an administrator publishes an event."))


def act_visibility_parts(actor: Any) -> list[tuple[str, Q, bool]]:
    """The acts an actor may see, as disjoint parts ``(name, condition, shared)``: a shared part is the
    same for every reader of its name (anonymous readers: the published acts; members: the published and
    the shared ones), the other is the reader's own group's internal acts. Together they are the acts of
    the events ``visible_events`` gives, by the columns the acts copy from their event."""
    user = policies.signed_in(actor)
    if user is None:
        return [("public", Q(tier=TierChoices.PUBLIC), True)]
    parts = [("members", Q(tier__in=[TierChoices.PUBLIC, TierChoices.NETWORK]), True)]
    if user.organisation_id:
        parts.append(("own", Q(tier=TierChoices.INTERNAL, steward_id=user.organisation_id), False))
    return parts


def visible_events(actor: Any) -> Q:
    """The events an actor may see: published ones; shared ones for members; all of their own group's."""
    user = policies.signed_in(actor)
    if user is None:
        return Q(tier=TierChoices.PUBLIC)
    seen = Q(tier__in=[TierChoices.PUBLIC, TierChoices.NETWORK])
    return seen | Q(steward_id=user.organisation_id) if user.organisation_id else seen


# --- acts and the individuals they name --------------------------------------------------------------------
#
# An act is read and written with its event. Naming a victim (an individual's name, a court case number)
# is for the roles that read protected values: the others record groups and acts without a name.

NAMERS = policies.PROTECTED_READERS


def require_namer(user: User, steward_id: uuid.UUID | None) -> None:
    if user.role not in NAMERS or user.organisation_id != steward_id:
        raise PermissionDenied(
            _("Your role may not record a victim's name or a case number; leave those fields empty.")
        )


def may_name(actor: Any, steward_id: uuid.UUID | None) -> bool:
    user = policies.signed_in(actor)
    return user is not None and user.role in NAMERS and user.organisation_id == steward_id
