"""Directory policies: the tier a reader may see and write on each kind of directory record."""

from __future__ import annotations

from typing import Any

from khronika.accounts import policies
from khronika.core.errors import PermissionDenied
from khronika.core.tiers import Tier
from khronika.directory.models import ContactPoint, Organisation, Person, PracticeNote


def organisation_read_ceiling(actor: Any, organisation: Organisation) -> Tier:
    return policies.read_ceiling(actor, steward_id=organisation.steward_key)


def organisation_write_ceiling(actor: Any, organisation: Organisation) -> Tier | None:
    return policies.write_ceiling(actor, steward_id=organisation.steward_key)


def person_read_ceiling(actor: Any, person: Person) -> Tier:
    return policies.read_ceiling(actor, steward_id=person.steward_id)


def person_write_ceiling(actor: Any, person: Person) -> Tier | None:
    return policies.write_ceiling(actor, steward_id=person.steward_id)


def contact_owner_steward(contact: ContactPoint) -> Any:
    if contact.organisation_id is not None:
        return contact.organisation.steward_key
    return contact.person.steward_id


def require_directory_creator(actor: Any) -> Any:
    """Administrators, coordinators and editors may add records; their organisation keeps them."""
    user = policies.require_user(actor)
    if user.role not in policies.DIRECTORY_WRITERS:
        raise PermissionDenied()
    return user


def practice_note_write_allowed(actor: Any, note_organisation: Organisation) -> bool:
    if policies.may_contribute(actor, organisation_id=note_organisation.id):
        return True
    ceiling = organisation_write_ceiling(actor, note_organisation)
    return ceiling is not None and ceiling >= Tier.INTERNAL


def practice_note_read_ceiling(actor: Any, note: PracticeNote) -> Tier:
    return policies.read_ceiling(actor, steward_id=note.organisation.steward_key)


def register_governance() -> None:
    """Tell accounts which steward governs each directory record (see accounts.policies.govern)."""
    from khronika.directory import models as m

    reference, stewarded = policies.Governance.REFERENCE, policies.Governance.STEWARDED
    for model in (m.Region, m.RegionNeighbour, m.AreaOfWork):
        policies.govern(model, reference)
    policies.govern(m.Organisation, stewarded, steward_of=lambda org: org.steward_key)
    policies.govern(m.OrganisationArea, stewarded, steward_of=lambda link: link.organisation.steward_key)
    policies.govern(m.OrganisationRegion, stewarded, steward_of=lambda link: link.organisation.steward_key)
    policies.govern(m.Designation, stewarded, steward_of=lambda d: d.organisation.steward_key)
    policies.govern(m.Relationship, stewarded, steward_of=lambda rel: rel.source.steward_key)
    policies.govern(m.PracticeNote, stewarded, steward_of=lambda note: note.organisation.steward_key)
    policies.govern(m.ContactPoint, stewarded, steward_of=contact_owner_steward)
    policies.govern(m.Person, stewarded, steward_of=lambda person: person.steward_id)
    policies.govern(m.Position, stewarded, steward_of=lambda position: position.person.steward_id)
