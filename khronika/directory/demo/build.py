"""Building the plan through the services, acting as the people of the network would."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy

from khronika.accounts.models import Role, User
from khronika.accounts.services import user_create
from khronika.core.errors import Conflict
from khronika.directory import services
from khronika.directory.demo.plan import demo_plan
from khronika.directory.demo.records import (
    DemoNetwork,
    DemoPlan,
    PlanArea,
    PlannedOrganisation,
    PlanRegion,
    SignIn,
)
from khronika.directory.demo.words import (
    CENTRE,
    CENTRE_NAME_RU,
    DEFAULT_ORGANISATIONS,
    DEFAULT_SEED,
    DEMO_PASSWORD,
    MINIMUM_ORGANISATIONS,
    ROLE_LOGINS,
)
from khronika.directory.models import AreaOfWork, Organisation, Region


def reference_for_plan() -> dict[str, Any]:
    regions = [
        PlanRegion(r.code, r.kind, r.name_ru, r.name_en, r.capital_ru, r.capital_en, r.federal_district)
        for r in Region.objects.filter(deleted_at__isnull=True).order_by("code")
    ]
    areas = [
        PlanArea(a.code, a.name_ru)
        for a in AreaOfWork.objects.filter(deleted_at__isnull=True).order_by("code")
    ]
    return {"regions": regions, "areas": areas}


def demo_network_loaded() -> bool:
    return Organisation.objects.filter(name_ru=CENTRE_NAME_RU, deleted_at__isnull=True).exists()


def demo_sign_ins(seed: int = DEFAULT_SEED) -> list[SignIn]:
    """The sign-ins of the demo network built from ``seed``, without building anything."""
    return demo_plan(seed=seed, organisations=MINIMUM_ORGANISATIONS, **reference_for_plan()).sign_ins()


def demo_network_create(
    *, seed: int = DEFAULT_SEED, organisations: int = DEFAULT_ORGANISATIONS
) -> DemoNetwork:
    """Build the demo network on an empty node, in one transaction: all of it or nothing."""
    started = time.perf_counter()
    if demo_network_loaded():
        raise Conflict("The demo network is already loaded on this node; its sign-ins can be shown again.")
    plan = demo_plan(seed=seed, organisations=organisations, **reference_for_plan())
    with transaction.atomic():
        counts = _Builder(plan).build()
    return DemoNetwork(
        sign_ins=plan.sign_ins(), counts=counts, seconds=round(time.perf_counter() - started, 2)
    )


# The demo keeps the second factor mandatory, as a real node does (accounts/second_factor.py).
SECOND_FACTOR_NOTE = gettext_lazy(
    "Administrators, coordinators, lawyers, hotline operators and monitors set up a second factor at their "
    "first sign-in: have an authenticator app (any app for TOTP codes) ready on a phone."
)


def demo_report(network: DemoNetwork) -> str:
    """The sign-ins and counts as text for a terminal."""
    width = max(len(s.username) for s in network.sign_ins)
    lines = [
        f"Demo network built in {network.seconds:.1f} s.",
        f"Password of every demo user: {DEMO_PASSWORD}",
        str(SECOND_FACTOR_NOTE),
        "",
    ]
    lines += [f"  {s.username:<{width}}  {s.role:<16}  {s.organisation}" for s in network.sign_ins]
    lines += ["", *(f"  {name}: {count}" for name, count in sorted(network.counts.items()))]
    return "\n".join(lines)


@dataclass
class _Builder:
    plan: DemoPlan
    organisations: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    admins: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.admins = {u.organisation: u.username for u in self.plan.users if u.role == Role.ADMINISTRATOR}

    def writer(self, organisation_key: str) -> User:
        """Who edits this organisation's records: the administrator of a regional group that keeps its
        own record, else the centre's coordinator (for the centre's own records too)."""
        admin = self.admins.get(organisation_key) if organisation_key != CENTRE else None
        return self.users[admin] if admin else self.users[ROLE_LOGINS[Role.COORDINATOR]]

    def build(self) -> dict[str, int]:
        centre, *others = self.plan.organisations
        self.organisations[CENTRE] = services.organisation_bootstrap(values=centre.values)
        self.create_users(CENTRE)
        coordinator = self.users[ROLE_LOGINS[Role.COORDINATOR]]
        for planned in others:
            org = services.organisation_create(actor=coordinator, values=planned.values)
            if planned.keeps_itself:
                org = services.organisation_hand_over(actor=coordinator, organisation_id=org.id)
            self.organisations[planned.key] = org
            self.create_users(planned.key)
        for planned in self.plan.organisations:
            self.add_contacts_and_designations(planned)
        self.add_persons()
        for rel in self.plan.relationships:
            services.relationship_add(
                actor=self.writer(rel.source),
                source_id=self.organisations[rel.source].id,
                target_id=self.organisations[rel.target].id,
                kind=rel.kind,
                started=rel.started,
                ended=rel.ended,
                note=rel.note,
            )
        for note in self.plan.notes:
            services.practice_note_create(
                actor=self.writer(note.organisation),
                organisation_id=self.organisations[note.organisation].id,
                values=note.values,
            )
        return self.totals()

    def create_users(self, organisation_key: str) -> None:
        """The organisation's planned users (the centre's and two regional groups' have some), created by
        the node operator."""
        for planned in (u for u in self.plan.users if u.organisation == organisation_key):
            self.users[planned.username] = user_create(
                actor=None,
                username=planned.username,
                password=DEMO_PASSWORD,
                role=planned.role,
                organisation_id=self.organisations[organisation_key].id,
                display_name=planned.display_name,
            )

    def add_contacts_and_designations(self, planned: PlannedOrganisation) -> None:
        actor, org = self.writer(planned.key), self.organisations[planned.key]
        for contact in planned.contacts:
            services.contact_add(
                actor=actor,
                organisation_id=org.id,
                kind=contact.kind,
                value=contact.value,
                tier=contact.tier,
                label=contact.label,
            )
            self.counts[f"contacts_{contact.tier}"] += 1
        for designation in planned.designations:
            services.designation_add(
                actor=actor,
                organisation_id=org.id,
                kind=designation.kind,
                listed_on=designation.listed_on,
                removed_on=designation.removed_on,
                legal_basis=designation.legal_basis,
                register_entry=designation.register_entry,
            )

    def add_persons(self) -> None:
        for planned in self.plan.persons:
            actor = self.writer(planned.steward)
            person = services.person_create(actor=actor, values=planned.values)
            for position in planned.positions:
                services.position_add(
                    actor=actor,
                    person_id=person.id,
                    organisation_id=self.organisations[position.organisation].id,
                    title=position.title,
                    started=position.started,
                    ended=position.ended,
                )
            for contact in planned.contacts:
                services.contact_add(
                    actor=actor,
                    person_id=person.id,
                    kind=contact.kind,
                    value=contact.value,
                    tier=contact.tier,
                    label=contact.label,
                )
                self.counts[f"contacts_{contact.tier}"] += 1

    def totals(self) -> dict[str, int]:
        plan = self.plan
        homes = {o.values["home_region"] for o in plan.organisations}
        return dict(self.counts) | {
            "organisations": len(plan.organisations),
            "regions": len(homes),
            "users": len(plan.users),
            "persons": len(plan.persons),
            "positions": sum(len(p.positions) for p in plan.persons),
            "relationships": len(plan.relationships),
            "practice_notes": len(plan.notes),
            "designations": sum(len(o.designations) for o in plan.organisations),
            "contacts": sum(v for k, v in self.counts.items() if k.startswith("contacts_")),
        }
