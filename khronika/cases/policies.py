"""Who may read and write the case desk's records.

A case, its intakes, tasks and notes are read and written by the desk's roles of the group that runs it
(``CASE_ROLES``: administrators, coordinators, lawyers and hotline operators, who all read protected
values); nobody else, in the group or outside it, sees that a case exists. A referral is read also by
every member of the partner it is addressed to, and answered by the partner's case roles.
A colleague of another role is refused (403); for anyone outside the group, a case does not exist (404).
"""

from __future__ import annotations

from typing import Any

from khronika.accounts import policies
from khronika.accounts.models import Role, User
from khronika.core.errors import NotFound, PermissionDenied

CASE_ROLES = frozenset({Role.ADMINISTRATOR, Role.COORDINATOR, Role.LAWYER, Role.HOTLINE_OPERATOR})
DESK_KEEPERS = frozenset({Role.ADMINISTRATOR, Role.COORDINATOR})


def register_governance() -> None:
    from khronika.cases import models as m

    stewarded = policies.Governance.STEWARDED
    policies.govern(m.HelpDesk, stewarded, steward_of=lambda desk: desk.organisation_id)
    policies.govern(m.Intake, stewarded, steward_of=lambda intake: intake.steward_id)
    policies.govern(m.Case, stewarded, steward_of=lambda case: case.steward_id)
    policies.govern(m.Task, stewarded, steward_of=lambda task: task.case.steward_id)
    policies.govern(m.CaseNote, stewarded, steward_of=lambda note: note.case.steward_id)
    policies.govern(m.Referral, stewarded, steward_of=lambda referral: referral.case.steward_id)
    policies.govern(m.RequestLimit, policies.Governance.NODE)


def is_case_worker(actor: Any, steward_id: Any) -> bool:
    user = policies.signed_in(actor)
    return user is not None and user.role in CASE_ROLES and user.organisation_id == steward_id


def require_case_worker(actor: Any, steward_id: Any) -> User:
    """The actor as a case worker of the desk. A colleague of another role is refused; anyone outside the
    group is told the record does not exist."""
    if not is_case_worker(actor, steward_id):
        user = policies.require_user(actor)
        if user.organisation_id == steward_id:
            raise PermissionDenied()
        raise NotFound()
    return actor  # type: ignore[no-any-return]


def require_desk_worker(actor: Any) -> User:
    """A case worker of their own group (to create intakes and cases there)."""
    user = policies.require_user(actor)
    if user.role not in CASE_ROLES or user.organisation_id is None:
        raise PermissionDenied()
    return user


def require_desk_keeper(actor: Any, organisation_id: Any) -> User:
    user = policies.require_user(actor)
    if user.role not in DESK_KEEPERS or user.organisation_id != organisation_id:
        raise PermissionDenied()
    return user


def knows_referral(actor: Any, referral: Any) -> bool:
    """Whether the actor's group is one of the referral's two: a refusal to them is a 403, to anyone else
    the referral does not exist."""
    user = policies.signed_in(actor)
    return user is not None and user.organisation_id in (referral.case.steward_id, referral.partner_id)


def may_answer_referral(actor: Any, referral: Any) -> bool:
    user = policies.signed_in(actor)
    return user is not None and user.organisation_id == referral.partner_id and user.role in CASE_ROLES
