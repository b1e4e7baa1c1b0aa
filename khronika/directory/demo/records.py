"""The planned records of the demo network: plain values, no database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from khronika.directory.demo.words import DEMO_PASSWORD


@dataclass(frozen=True)
class SignIn:
    username: str
    password: str
    role: str
    organisation: str


@dataclass
class DemoNetwork:
    sign_ins: list[SignIn]
    counts: dict[str, int]
    seconds: float = 0.0


@dataclass(frozen=True)
class PlanRegion:
    code: str
    kind: str
    name_ru: str
    name_en: str
    capital_ru: str = ""
    capital_en: str = ""
    federal_district: str = ""


@dataclass(frozen=True)
class PlanArea:
    code: str
    name_ru: str


@dataclass(frozen=True)
class PlannedContact:
    kind: str
    value: str
    tier: str
    label: str = ""


@dataclass(frozen=True)
class PlannedDesignation:
    kind: str
    listed_on: str
    removed_on: str | None
    legal_basis: str
    register_entry: str


@dataclass(frozen=True)
class PlannedOrganisation:
    key: str
    values: dict[str, Any]
    keeps_itself: bool = False
    contacts: tuple[PlannedContact, ...] = ()
    designations: tuple[PlannedDesignation, ...] = ()


@dataclass(frozen=True)
class PlannedUser:
    username: str
    role: str
    display_name: str
    organisation: str


@dataclass(frozen=True)
class PlannedPosition:
    organisation: str
    title: str
    started: str
    ended: str = ""


@dataclass(frozen=True)
class PlannedPerson:
    steward: str
    values: dict[str, Any]
    positions: tuple[PlannedPosition, ...]
    contacts: tuple[PlannedContact, ...] = ()


@dataclass(frozen=True)
class PlannedRelationship:
    source: str
    target: str
    kind: str
    started: str
    ended: str = ""
    note: str = ""


@dataclass(frozen=True)
class PlannedNote:
    organisation: str
    values: dict[str, Any]


@dataclass(frozen=True)
class DemoPlan:
    organisations: tuple[PlannedOrganisation, ...]
    users: tuple[PlannedUser, ...]
    persons: tuple[PlannedPerson, ...]
    relationships: tuple[PlannedRelationship, ...]
    notes: tuple[PlannedNote, ...]

    def sign_ins(self) -> list[SignIn]:
        names = {org.key: org.values["name_ru"] for org in self.organisations}
        return [SignIn(u.username, DEMO_PASSWORD, u.role, names[u.organisation]) for u in self.users]
