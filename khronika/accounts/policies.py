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

import enum
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model

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


# --- Which policy governs each model ------------------------------------------------------------------
#
# Every model names how its rows are governed, so that code reading records of any kind (the search index,
# sync, exports) asks one question, ``record_read_ceiling(actor, instance)``, and gets the same answer as
# the app's own selectors. A test fails when a model has no entry.


class Governance(enum.Enum):
    REFERENCE = "reference"  # reference data: public to all, written only by reference loading
    STEWARDED = "stewarded"  # belongs to a record kept by a steward organisation; tiers apply
    NODE = "node"  # node bookkeeping (users, tokens, logs, sessions): never read through generic code


@dataclass(frozen=True)
class ModelPolicy:
    governance: Governance
    steward_of: Callable[[Any], uuid.UUID | None] | None = None


_MODEL_POLICIES: dict[str, ModelPolicy] = {}


def govern(
    model: type[Model], governance: Governance, *, steward_of: Callable[[Any], Any] | None = None
) -> None:
    if (governance is Governance.STEWARDED) != (steward_of is not None):
        raise ValueError(f"{model._meta.label}: a stewarded model names its steward, and only it")
    _MODEL_POLICIES[model._meta.label_lower] = ModelPolicy(governance, steward_of)


def model_policy(model: type[Model]) -> ModelPolicy | None:
    return _MODEL_POLICIES.get(model._meta.label_lower)


def record_read_ceiling(actor: Any, instance: Model) -> Tier | None:
    """The highest tier of ``instance`` the actor may read; None for node records, which only their own
    selectors hand out."""
    policy = model_policy(type(instance))
    if policy is None:
        raise LookupError(f"{instance._meta.label} has no policy")
    if policy.governance is Governance.REFERENCE:
        return Tier.PUBLIC
    if policy.governance is Governance.NODE or policy.steward_of is None:
        return None
    return read_ceiling(actor, steward_id=policy.steward_of(instance))


def record_write_ceiling(actor: Any, instance: Model) -> Tier | None:
    policy = model_policy(type(instance))
    if policy is None or policy.governance is not Governance.STEWARDED or policy.steward_of is None:
        return None
    return write_ceiling(actor, steward_id=policy.steward_of(instance))
