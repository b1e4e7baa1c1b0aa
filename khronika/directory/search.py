"""The directory's records as the search index sees them (registered in ``DirectoryConfig.ready``).

Every value enters a document with the tier its field declares, so the search app can give each reader
only what the directory's own pages would show them; sealed and protected values never enter.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from khronika.core.tiers import Tier
from khronika.directory.models import (
    AreaOfWork,
    FederalDistrict,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Person,
    Position,
    PracticeNote,
    Region,
)
from khronika.search.registry import Document, Facet, Searchable, register


def _english() -> bool:
    return (get_language() or "ru").startswith("en")


def _region_labels(codes: list[str]) -> dict[str, str]:
    field = "name_en" if _english() else "name_ru"
    return dict(Region.objects.filter(code__in=codes).values_list("code", field))


def _area_labels(codes: list[str]) -> dict[str, str]:
    field = "name_en" if _english() else "name_ru"
    return dict(AreaOfWork.objects.filter(code__in=codes).values_list("code", field))


def _choice_labels(choices: Any) -> Any:
    return lambda codes: {code: str(label) for code, label in choices.choices if code in codes}


FACETS = {
    "kind": Facet("kind", _("kind"), _choice_labels(OrganisationKind)),
    "status": Facet("status", _("status"), _choice_labels(OrganisationStatus)),
    "region": Facet("region", _("region"), _region_labels),
    "district": Facet("district", _("federal district"), _choice_labels(FederalDistrict)),
    "area": Facet("area", _("area of work"), _area_labels),
}


@lru_cache(maxsize=1)
def _area_parents() -> dict[str, str | None]:
    """Reference data, read once per process: an area found by its parent's code too."""
    return dict(AreaOfWork.objects.values_list("code", "parent__code"))


def _with_ancestors(codes: Iterable[str]) -> list[str]:
    parents, found = _area_parents(), []
    for code in codes:
        current: str | None = code
        while current and current not in found:
            found.append(current)
            current = parents.get(current)
    return found


def _add_places(doc: Document, regions: Iterable[Region], tier: Tier) -> None:
    for region in regions:
        doc.add_facet("region", region.code)
        doc.add_facet("district", region.federal_district)
        doc.add_text(tier, region.name_ru, region.name_en, region.capital_ru, region.capital_en)


def _add_areas(doc: Document, areas: Iterable[AreaOfWork], tier: Tier) -> None:
    for area in areas:
        doc.add_text(tier, area.name_ru, area.name_en)
    doc.add_facet("area", *_with_ancestors(a.code for a in areas))


# --- organisations ------------------------------------------------------------------------------------


def organisation_document(org: Organisation) -> Document:
    doc = Document(
        kind="organisation",
        id=org.id,
        title=org.name_ru,
        steward=org.steward_key,
        tier=Tier.PUBLIC,
        listed=org.is_public,
    )
    doc.add_fields(org, "name_ru", "name_en", "aliases", names=True)
    doc.add_fields(org, "description", "website", "internal_notes")
    doc.add_facet("kind", org.kind)
    doc.add_facet("status", org.status)
    regions = list(org.regions.all())
    if org.home_region is not None and org.home_region not in regions:
        regions.insert(0, org.home_region)
    _add_places(doc, regions, Tier.PUBLIC)
    _add_areas(doc, org.areas.all(), Tier.PUBLIC)
    return doc


def _organisations() -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(deleted_at__isnull=True)
        .select_related("home_region")
        .prefetch_related("regions", "areas")
    )


def _organisation_url(org: Organisation) -> str:
    return reverse("directory:organisation_detail", args=[org.id])


def _public_organisation_url(org: Organisation) -> str:
    return reverse("public:organisation_detail", args=[org.id])


# --- persons --------------------------------------------------------------------------------------------


def person_document(person: Person) -> Document:
    doc = Document(
        kind="person", id=person.id, title=person.name_ru, steward=person.steward_id, tier=Tier.NETWORK
    )
    doc.add_fields(person, "name_ru", "name_en", "aliases", names=True)
    doc.add_fields(person, "notes")
    for position in person.positions.all():
        doc.add_text(
            Tier.NETWORK, position.title, position.organisation.name_ru, position.organisation.name_en
        )
    return doc


def _persons() -> QuerySet[Person]:
    live_positions = Position.objects.filter(deleted_at__isnull=True).select_related("organisation")
    return Person.objects.filter(deleted_at__isnull=True).prefetch_related(
        Prefetch("positions", queryset=live_positions)
    )


def _persons_of_positions(ids: list[uuid.UUID]) -> Iterable[uuid.UUID]:
    return Position.objects.filter(id__in=ids).values_list("person_id", flat=True)


def _persons_of_organisations(ids: list[uuid.UUID]) -> Iterable[uuid.UUID]:
    return Position.objects.filter(organisation_id__in=ids).values_list("person_id", flat=True).distinct()


def _person_url(person: Person) -> str:
    return reverse("directory:person_detail", args=[person.id])


# --- practice notes -------------------------------------------------------------------------------------


def practice_note_document(note: PracticeNote) -> Document | None:
    tier = Tier[str(note.tier).upper()]
    if tier > Tier.INTERNAL:
        return None  # a protected note is read only on its organisation's page, by its named readers
    org = note.organisation
    doc = Document(
        kind="practice_note",
        id=note.id,
        title=note.title,
        steward=org.steward_key,
        tier=tier,
        listed=org.is_public and org.deleted_at is None,
        day=note.happened_on,
    )
    doc.add_fields(note, "title", "summary", "outcome", "lessons")
    doc.add_text(tier, org.name_ru, org.name_en)
    if note.region is not None:
        _add_places(doc, [note.region], tier)
    _add_areas(doc, [note.area], tier)
    return doc


def _practice_notes() -> QuerySet[PracticeNote]:
    return PracticeNote.objects.filter(
        deleted_at__isnull=True, organisation__deleted_at__isnull=True
    ).select_related("organisation", "area", "region")


def _notes_of_organisations(ids: list[uuid.UUID]) -> Iterable[uuid.UUID]:
    return PracticeNote.objects.filter(organisation_id__in=ids).values_list("id", flat=True)


def _note_url(note: PracticeNote) -> str:
    return reverse("directory:organisation_detail", args=[note.organisation_id]) + f"#note-{note.id}"


def _public_note_url(note: PracticeNote) -> str:
    return reverse("public:organisation_detail", args=[note.organisation_id]) + f"#note-{note.id}"


def register_search() -> None:
    places = (FACETS["region"], FACETS["district"], FACETS["area"])
    register(
        Searchable(
            kind="organisation",
            model=Organisation,
            label=_("organisation"),
            label_plural=_("organisations"),
            document=organisation_document,
            queryset=_organisations,
            url=_organisation_url,
            public_url=_public_organisation_url,
            facets=(FACETS["kind"], *places, FACETS["status"]),
        )
    )
    register(
        Searchable(
            kind="person",
            model=Person,
            label=_("person"),
            label_plural=_("persons"),
            document=person_document,
            queryset=_persons,
            url=_person_url,
            follows={
                "directory.position": _persons_of_positions,
                "directory.organisation": _persons_of_organisations,
            },
        )
    )
    register(
        Searchable(
            kind="practice_note",
            model=PracticeNote,
            label=_("practice note"),
            label_plural=_("practice notes"),
            document=practice_note_document,
            queryset=_practice_notes,
            url=_note_url,
            public_url=_public_note_url,
            facets=places,
            follows={"directory.organisation": _notes_of_organisations},
        )
    )
