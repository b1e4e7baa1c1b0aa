"""Persons: lists and cards, network fields for the network, internal notes for the steward."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from khronika.accounts import policies as account_policies
from khronika.accounts.sealing import Opening
from khronika.core.errors import NotAuthenticated
from khronika.core.projection import Projection, project
from khronika.core.records import live_record
from khronika.core.tiers import Tier
from khronika.directory import policies
from khronika.directory.models import (
    Person,
)
from khronika.directory.selectors.organisations import _name_contains, _visible_contacts, sealed_summary


def person_list(*, actor: Any, q: str = "") -> QuerySet[Person]:
    if account_policies.signed_in(actor) is None:
        raise NotAuthenticated()
    queryset = Person.objects.filter(deleted_at__isnull=True)
    if q:
        queryset = _name_contains(queryset, q)
    return queryset.order_by("name_ru", "id")


def person_get(*, actor: Any, person_id: Any, opening: Opening | None = None) -> Projection:
    """One person with what the reader may see; sealed contacts open as in ``organisation_get``."""
    if account_policies.signed_in(actor) is None:
        raise NotAuthenticated()
    person = live_record(Person, person_id)
    ceiling = policies.person_read_ceiling(actor, person)
    card = project(person, ceiling=ceiling)
    card["positions"] = list(person.positions.filter(deleted_at__isnull=True).select_related("organisation"))
    card["contacts"] = _visible_contacts(
        person.contacts.filter(deleted_at__isnull=True), ceiling, actor=actor, opening=opening
    )
    card["write_ceiling"] = policies.person_write_ceiling(actor, person)
    return sealed_summary(card, card["contacts"])


def person_list_page(*, actor: Any, q: str = "", limit: int, offset: int) -> tuple[int, list[Projection]]:
    """One page of ``person_list`` as rows of network fields, with the number of all matching persons."""
    queryset = person_list(actor=actor, q=q)
    return queryset.count(), person_rows(list(queryset[offset : offset + limit]), actor=actor)


def person_rows(persons: list[Person], *, actor: Any) -> list[Projection]:
    """List rows for persons: their network fields (names), never their internal notes."""
    ceiling = Tier.NETWORK if account_policies.signed_in(actor) else Tier.PUBLIC
    return [project(person, ceiling=ceiling) for person in persons]
