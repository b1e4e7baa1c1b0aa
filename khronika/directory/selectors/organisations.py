"""Organisations: lists, cards, history, pickers. Every card is a projection holding only the fields
the reader may see."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from khronika.accounts import policies as account_policies
from khronika.accounts.sealing import Opening, granted_ids, open_rows
from khronika.core.errors import NotAuthenticated, NotFound
from khronika.core.models import ChangeLogEntry
from khronika.core.pagination import page_with_total, slice_with_total
from khronika.core.projection import Projection, project, sealed_names
from khronika.core.records import live_record
from khronika.core.tiers import Tier
from khronika.directory import policies
from khronika.directory.models import (
    SORT_NAME_EN,
    TIER_OF_CHOICE,
    AreaOfWork,
    ContactPoint,
    Organisation,
    OrganisationArea,
    OrganisationRegion,
    PracticeNote,
)
from khronika.directory.selectors.reference import area_codes_with_descendants


@dataclass(frozen=True)
class OrganisationFilters:
    q: str = ""
    region: str = ""
    district: str = ""
    area: str = ""
    kind: str = ""
    status: str = ""

    @property
    def any(self) -> bool:
        return any((self.q, self.region, self.district, self.area, self.kind, self.status))


def _name_contains(queryset: QuerySet[Any], text: str) -> QuerySet[Any]:
    """Names containing ``text`` in any letter case, Cyrillic included (SQLite's own LIKE folds only
    Latin letters; core.apps makes SQLite's lower() Unicode-aware)."""
    needle = text.strip().lower()
    return queryset.alias(name_ru_lower=Lower("name_ru"), name_en_lower=Lower("name_en")).filter(
        Q(name_ru_lower__contains=needle) | Q(name_en_lower__contains=needle)
    )


def _filtered(queryset: QuerySet[Organisation], filters: OrganisationFilters) -> QuerySet[Organisation]:
    if filters.q:
        queryset = _name_contains(queryset, filters.q)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.region:
        queryset = queryset.filter(
            id__in=OrganisationRegion.objects.filter(region__code=filters.region).values("organisation_id")
        )
    if filters.district:
        queryset = queryset.filter(
            id__in=OrganisationRegion.objects.filter(region__federal_district=filters.district).values(
                "organisation_id"
            )
        )
    if filters.area:
        queryset = queryset.filter(
            id__in=OrganisationArea.objects.filter(
                area__code__in=area_codes_with_descendants(filters.area)
            ).values("organisation_id")
        )
    return queryset


def _in_name_order(queryset: QuerySet[Organisation], language: str) -> QuerySet[Organisation]:
    """Alphabetical by the name the reader sees: the English name for English readers (the Russian one
    where there is none), the Russian name otherwise. Both orders have an index (see the model)."""
    if language == "en":
        return queryset.order_by(SORT_NAME_EN.asc(), "id")
    return queryset.order_by("name_ru", "id")


def organisation_list(
    *, actor: Any, filters: OrganisationFilters, language: str = "ru"
) -> QuerySet[Organisation]:
    """Live organisations matching the filters, for signed-in readers. Rows go to readers only through
    ``organisation_row``."""
    if account_policies.signed_in(actor) is None:
        raise NotAuthenticated()
    queryset = Organisation.objects.filter(deleted_at__isnull=True).select_related("home_region")
    return _in_name_order(_filtered(queryset, filters), language)


def public_organisation_list(*, filters: OrganisationFilters, language: str = "ru") -> QuerySet[Organisation]:
    queryset = Organisation.objects.filter(deleted_at__isnull=True, is_public=True).select_related(
        "home_region"
    )
    return _in_name_order(_filtered(queryset, filters), language)


def organisation_rows(organisations: list[Organisation], *, actor: Any) -> list[Projection]:
    """List rows: public and network fields and the area codes, in two queries for the whole page."""
    ids = [org.id for org in organisations]
    areas: dict[uuid.UUID, list[AreaOfWork]] = defaultdict(list)
    for link in OrganisationArea.objects.filter(organisation_id__in=ids).select_related("area"):
        areas[link.organisation_id].append(link.area)
    ceiling = Tier.NETWORK if account_policies.signed_in(actor) else Tier.PUBLIC
    rows = []
    for org in organisations:
        row = project(org, ceiling=ceiling)
        row["home_region"] = org.home_region
        row["areas"] = areas[org.id]
        row["kind_label"] = org.get_kind_display()
        row["status_label"] = org.get_status_display()
        rows.append(row)
    return rows


def _live_organisation(organisation_id: Any, **extra: Any) -> Organisation:
    return live_record(
        Organisation.objects.select_related("home_region", "steward").filter(**extra), organisation_id
    )


def organisation_get(
    *, actor: Any, organisation_id: Any, public_only: bool = False, opening: Opening | None = None
) -> Projection:
    """One organisation with what the reader may see: fields, areas, regions, contacts, designations,
    relationships, people and practice notes. Sealed values stay ``SEALED`` unless ``opening`` (the
    reader's keyring and a purpose) opens them; ``card.sealed`` counts those left closed."""
    if public_only:
        org = _live_organisation(organisation_id, is_public=True)
        ceiling = Tier.PUBLIC
    else:
        if account_policies.signed_in(actor) is None:
            raise NotAuthenticated()
        org = _live_organisation(organisation_id)
        ceiling = policies.organisation_read_ceiling(actor, org)
    card = project(org, ceiling=ceiling)
    card["home_region"] = org.home_region
    card["kind_label"] = org.get_kind_display()
    card["status_label"] = org.get_status_display()
    card["areas"] = list(org.areas.order_by("position"))
    card["regions"] = list(org.regions.order_by("name_ru"))
    card["designations"] = [
        Projection(project(d, ceiling=ceiling), kind_label=d.get_kind_display())
        for d in org.designations.filter(deleted_at__isnull=True)
    ]
    card["contacts"] = _visible_contacts(
        org.contacts.filter(deleted_at__isnull=True), ceiling, actor=actor, opening=opening
    )
    card["write_ceiling"] = None if public_only else policies.organisation_write_ceiling(actor, org)
    if ceiling >= Tier.NETWORK:
        card["steward"] = org.steward
        card["relationships"] = _relationships(org)
        card["people"] = list(
            org.positions.filter(deleted_at__isnull=True, person__deleted_at__isnull=True).select_related(
                "person"
            )
        )
    card["practice_notes"] = _visible_notes(org, ceiling, actor=actor, opening=opening)
    return sealed_summary(card, card["contacts"], card["practice_notes"])


def sealed_summary(card: Projection, *rows: list[Projection]) -> Projection:
    """Count on the card what its rows hold sealed and what they show opened."""
    every = [row for group in rows for row in group]
    card["sealed"] = sum(len(sealed_names(row)) for row in every)
    card["opened"] = any(row.get("opened") for row in every)
    return card


def _visible_contacts(
    contacts: QuerySet[ContactPoint], ceiling: Tier, *, actor: Any = None, opening: Opening | None = None
) -> list[Projection]:
    """Contacts at or below the reader's tier, and protected ones the reader was granted."""
    records = list(contacts.order_by("kind", "created_at"))
    granted = _granted(actor, ContactPoint, [c.pk for c in records if c.tier == "protected"], ceiling)
    pairs = []
    for contact in records:
        row_ceiling = Tier.PROTECTED if contact.pk in granted else ceiling
        if TIER_OF_CHOICE[contact.tier] <= row_ceiling:
            row = project(contact, ceiling=row_ceiling)
            row["kind_label"] = contact.get_kind_display()
            pairs.append((contact, row))
    return open_rows(pairs, opening)


def _granted(actor: Any, model: Any, ids: list[Any], ceiling: Tier) -> set[Any]:
    """Which of these records the reader, below their protected tier, holds a grant for."""
    if ceiling >= Tier.PROTECTED or not ids or account_policies.signed_in(actor) is None:
        return set()
    return granted_ids(actor, model, ids)


def _visible_notes(
    org: Organisation, ceiling: Tier, *, actor: Any = None, opening: Opening | None = None
) -> list[Projection]:
    notes = list(org.practice_notes.filter(deleted_at__isnull=True).select_related("area", "region"))
    granted = _granted(actor, PracticeNote, [n.pk for n in notes if n.who_to_ask], ceiling)
    pairs = []
    for note in notes:
        if TIER_OF_CHOICE[note.tier] > ceiling and note.pk not in granted:
            continue
        row = project(note, ceiling=Tier.PROTECTED if note.pk in granted else ceiling)
        row["area"] = note.area
        row["region"] = note.region
        pairs.append((note, row))
    return open_rows(pairs, opening)


def _relationships(org: Organisation) -> list[Projection]:
    """The organisation's live relationships both ways, each with the organisation at its other end."""
    outgoing = org.relationships_out.filter(deleted_at__isnull=True, target__deleted_at__isnull=True)
    incoming = org.relationships_in.filter(deleted_at__isnull=True, source__deleted_at__isnull=True)
    return [
        _relationship_row(rel, rel.target, outgoing=True) for rel in outgoing.select_related("target")
    ] + [_relationship_row(rel, rel.source, outgoing=False) for rel in incoming.select_related("source")]


def _relationship_row(rel: Any, other: Organisation, *, outgoing: bool) -> Projection:
    return Projection(
        id=rel.id,
        kind=rel.kind,
        kind_label=rel.get_kind_display(),
        other=other,
        outgoing=outgoing,
        started_on=rel.started_on,
        started_precision=rel.started_precision,
        ended_on=rel.ended_on,
        ended_precision=rel.ended_precision,
    )


def change_history(*, actor: Any, entity: str, entity_id: Any) -> list[ChangeLogEntry]:
    """The changes of one record: when, which version, which fields (names only, never values)."""
    if account_policies.signed_in(actor) is None:
        raise NotAuthenticated()
    return list(
        ChangeLogEntry.objects.filter(entity=entity, entity_id=entity_id)
        .only("seq", "entity", "version", "operation", "changed_fields", "recorded_at", "origin_node")
        .order_by("-seq")
    )


def organisation_list_page(
    *, actor: Any, filters: OrganisationFilters, limit: int, offset: int
) -> tuple[int, list[Projection]]:
    """One page of ``organisation_list`` as rows, with the number of all matching organisations."""
    queryset = organisation_list(actor=actor, filters=filters)
    total, page = slice_with_total(queryset, offset=offset, limit=limit, filtered=filters.any)
    return total, organisation_rows(page, actor=actor)


def staff_organisation_page(
    *, actor: Any, filters: OrganisationFilters, page: Any, per_page: int = 25, language: str = "ru"
) -> tuple[Page, list[Projection]]:
    """One page of the staff directory list (a bad page number gives the nearest page) and its rows."""
    current = page_with_total(
        organisation_list(actor=actor, filters=filters, language=language),
        number=page,
        per_page=per_page,
        filtered=filters.any,
    )
    return current, organisation_rows(list(current.object_list), actor=actor)


def public_organisation_page(
    *, filters: OrganisationFilters, page: Any, per_page: int = 25, language: str = "ru"
) -> tuple[Any, list[Projection]]:
    """One page of the public directory: the paginator's page (a bad page number gives the nearest
    page) and its rows, projected to public fields."""
    current = page_with_total(
        public_organisation_list(filters=filters, language=language),
        number=page,
        per_page=per_page,
        filtered=filters.any,
    )
    return current, organisation_rows(list(current.object_list), actor=None)


def organisation_history(*, actor: Any, organisation_id: Any) -> Projection:
    """An organisation's names with its change-log entries (names of fields, never values)."""
    if account_policies.signed_in(actor) is None:
        raise NotAuthenticated()
    org = _live_organisation(organisation_id)
    card = project(org, ceiling=policies.organisation_read_ceiling(actor, org))
    card["entries"] = change_history(actor=actor, entity=Organisation._meta.label_lower, entity_id=org.id)
    return card


def new_record_write_ceiling(*, actor: Any) -> Tier:
    """The highest tier a user may fill in on a new organisation or person (their own organisation keeps
    it); PermissionDenied for those who may not add directory records."""
    user = policies.require_directory_creator(actor)
    return account_policies.read_ceiling(user, steward_id=user.organisation_id)


def organisation_suggestions(*, actor: Any, q: str, limit: int = 10) -> list[Projection]:
    """Live organisations whose name contains ``q``, for pickers: public fields and the home region."""
    queryset = organisation_list(actor=actor, filters=OrganisationFilters(q=(q or "").strip()))
    if len((q or "").strip()) < 2:
        return []
    rows = []
    for org in queryset[:limit]:
        row = project(org, ceiling=Tier.PUBLIC)
        row["home_region"] = org.home_region
        rows.append(row)
    return rows


def organisation_find(*, reference: str) -> Projection:
    """The live organisation named by ``reference`` (its id, or its exact Russian or English name), as its
    public fields. For the node operator at the command line, who names the
    organisation of a new user; NotFound when none matches, ValidationFailed when the name is ambiguous."""
    from khronika.core.errors import ValidationFailed

    text = (reference or "").strip()
    live = Organisation.objects.filter(deleted_at__isnull=True)
    try:
        matches = list(live.filter(pk=uuid.UUID(text))[:1])
    except ValueError:
        matches = list(live.filter(Q(name_ru__iexact=text) | Q(name_en__iexact=text))[:2])
    if not matches:
        raise NotFound(_("No organisation has this id or name."))
    if len(matches) > 1:
        raise ValidationFailed(
            fields={"organisation": [_("Several organisations have this name; give the id instead.")]}
        )
    return project(matches[0], ceiling=Tier.PUBLIC)
