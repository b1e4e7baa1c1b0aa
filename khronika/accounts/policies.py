"""Who may read which tier of a record, and who may write it.

A record is kept by a *steward* organisation (an organisation is its own steward; a state body or court
added by the centre is stewarded by the centre). Tiers are read as follows (DESIGN.md section 2):

- public: anyone;
- network: any active, signed-in user of the network;
- internal: users of the steward organisation;
- protected: users of the steward organisation whose role handles identities
  (administrator, coordinator, lawyer, hotline operator, monitor).

Writing: viewers never write. Administrators, coordinators and editors write the records their
organisation stewards, at every tier they may read. Coordinators keep the network directory, so they may
also write the public and network fields of any record and add records for any organisation.
"""

from __future__ import annotations

import uuid
from typing import Any

from khronika.accounts.models import Role, User
from khronika.core.errors import NotAuthenticated, PermissionDenied
from khronika.core.tiers import Tier

PROTECTED_READERS = frozenset(
    {Role.ADMINISTRATOR, Role.COORDINATOR, Role.LAWYER, Role.HOTLINE_OPERATOR, Role.MONITOR}
)
DIRECTORY_WRITERS = frozenset({Role.ADMINISTRATOR, Role.COORDINATOR, Role.EDITOR})
NETWORK_KEEPERS = frozenset({Role.COORDINATOR})
CONTRIBUTORS = frozenset(set(Role) - {Role.VIEWER})


def signed_in(actor: Any) -> User | None:
    """The actor as an active user, or None for anonymous visitors and disabled accounts."""
    if isinstance(actor, User) and actor.is_active and actor.deleted_at is None:
        return actor
    return None


def require_user(actor: Any) -> User:
    user = signed_in(actor)
    if user is None:
        raise NotAuthenticated()
    return user


def read_ceiling(actor: Any, *, steward_id: uuid.UUID | None) -> Tier:
    user = signed_in(actor)
    if user is None:
        return Tier.PUBLIC
    if steward_id is None or user.organisation_id != steward_id:
        return Tier.NETWORK
    if user.role in PROTECTED_READERS:
        return Tier.PROTECTED
    return Tier.INTERNAL


def write_ceiling(actor: Any, *, steward_id: uuid.UUID | None) -> Tier | None:
    """The highest tier of fields the actor may change on a record of this steward; None: no writing."""
    user = signed_in(actor)
    if user is None or user.role not in DIRECTORY_WRITERS:
        return None
    if steward_id is not None and user.organisation_id == steward_id:
        return read_ceiling(user, steward_id=steward_id)
    if user.role in NETWORK_KEEPERS:
        return Tier.NETWORK
    return None


def require_write(actor: Any, *, steward_id: uuid.UUID | None, tiers: set[Tier]) -> User:
    """Fail unless the actor may write fields of every tier in ``tiers`` on a record of this steward."""
    user = require_user(actor)
    ceiling = write_ceiling(user, steward_id=steward_id)
    if ceiling is None or (tiers and max(tiers) > ceiling):
        raise PermissionDenied()
    return user


def may_contribute(actor: Any, *, organisation_id: uuid.UUID) -> bool:
    """Members of an organisation (not viewers) may add its practice notes."""
    user = signed_in(actor)
    return user is not None and user.role in CONTRIBUTORS and user.organisation_id == organisation_id


def may_manage_users(actor: Any) -> bool:
    user = signed_in(actor)
    return user is not None and user.role == Role.ADMINISTRATOR
