"""``demo_plan``: from a seed and the reference data, every record of the demo network, without
touching the database, so the same seed always plans the same network."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from typing import Any

from khronika.accounts.models import Role
from khronika.core.errors import ValidationFailed
from khronika.directory.demo.records import (
    DemoPlan,
    PlanArea,
    PlannedContact,
    PlannedDesignation,
    PlannedNote,
    PlannedOrganisation,
    PlannedPerson,
    PlannedPosition,
    PlannedRelationship,
    PlannedUser,
    PlanRegion,
)
from khronika.directory.demo.words import (
    BIG_REGIONS,
    CENTRE,
    CENTRE_NAME_EN,
    CENTRE_NAME_RU,
    CENTRE_REGION,
    CIVIC_KINDS,
    CIVIC_TITLES,
    DEMO_MARK,
    FEMALE,
    INTERNAL_NOTES,
    KIND_SENTENCES,
    KIND_WEIGHTS,
    MALE,
    MINIMUM_ORGANISATIONS,
    NAME_PATTERNS,
    NOTE_TEMPLATES,
    OFFICIAL_KINDS,
    PUBLIC_SHARE,
    QUOTED,
    ROLE_LOGINS,
    STREETS,
    SURNAMES,
    TITLES,
    USER_GROUP_REGIONS,
)
from khronika.directory.models import OrganisationKind, RegionKind


def demo_plan(
    *, seed: int, organisations: int, regions: Sequence[PlanRegion], areas: Sequence[PlanArea]
) -> DemoPlan:
    """Every record of the demo network, planned from ``seed`` alone: equal seeds, equal plans.

    The users come first and draw a fixed amount of chance, so the sign-ins of a seed do not depend on
    the number of organisations."""
    if organisations < MINIMUM_ORGANISATIONS:
        raise ValidationFailed(fields={"organisations": [f"Give at least {MINIMUM_ORGANISATIONS}."]})
    if not any(r.kind == RegionKind.FEDERAL_SUBJECT for r in regions) or not areas:
        raise ValidationFailed("Load the reference data (regions and areas of work) first.")
    planner = _Planner(random.Random(seed), regions, areas)
    planner.add_centre()
    planner.add_user_groups()
    planner.add_organisations(organisations - len(planner.organisations))
    planner.add_persons()
    planner.add_relationships()
    planner.add_notes()
    return planner.plan()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _Planner:
    def __init__(self, rng: random.Random, regions: Sequence[PlanRegion], areas: Sequence[PlanArea]) -> None:
        self.rng = rng
        self.regions = {r.code: r for r in sorted(regions, key=lambda r: r.code)}
        self.subjects = [r for r in self.regions.values() if r.kind == RegionKind.FEDERAL_SUBJECT]
        self.countries = [r for r in self.regions.values() if r.kind == RegionKind.COUNTRY]
        self.areas = {a.code: a for a in sorted(areas, key=lambda a: a.code)}
        self.organisations: list[PlannedOrganisation] = []
        self.users: list[PlannedUser] = []
        self.persons: list[PlannedPerson] = []
        self.relationships: list[PlannedRelationship] = []
        self.notes: list[PlannedNote] = []
        self.admins: dict[str, str] = {}
        self.people_of: dict[str, list[str]] = {}
        self.names: set[str] = set()
        self.slugs: set[str] = set()
        self.phones = 0

    def plan(self) -> DemoPlan:
        return DemoPlan(
            tuple(self.organisations),
            tuple(self.users),
            tuple(self.persons),
            tuple(self.relationships),
            tuple(self.notes),
        )

    # chance and small values

    def date(self, first_year: int, last_year: int, *, exact: bool = False, known: bool = False) -> str:
        """An approximate date as the services read it: a day, a month, a year, ~year or unknown (empty);
        ``exact`` gives a day, ``known`` anything but unknown."""
        year = self.rng.randint(first_year, last_year)
        month, day = self.rng.randint(1, 12), self.rng.randint(1, 28)
        weights = (1, 0, 0, 0, 0) if exact else (25, 20, 35, 10, 0 if known else 10)
        precision = self.rng.choices(("day", "month", "year", "estimate", "unknown"), weights)[0]
        return {
            "day": f"{year}-{month:02d}-{day:02d}",
            "month": f"{year}-{month:02d}",
            "year": str(year),
            "estimate": f"~{year}",
            "unknown": "",
        }[precision]

    def phone(self) -> str:
        self.phones += 1
        return f"+7 900 {self.phones // 10000:03d}-{self.phones // 100 % 100:02d}-{self.phones % 100:02d}"

    def person_name(self) -> tuple[str, str]:
        """A fictional "Surname Name Patronymic" and its English "Name Surname", never given twice."""
        for attempt in range(1000):  # noqa: B007 - named in the fallback below
            surname_ru, surname_en = self.rng.choice(SURNAMES)
            father = self.rng.choice(MALE)[2]
            if self.rng.random() < 0.5:
                first_ru, first_en, _patronymic = self.rng.choice(MALE)
                patronymic = father
            else:
                (first_ru, first_en), patronymic = self.rng.choice(FEMALE), father[:-2] + "на"
                surname_ru, surname_en = surname_ru + "а", surname_en + "a"
            name_ru = f"{surname_ru} {first_ru} {patronymic}"
            if name_ru not in self.names:
                break
        else:
            name_ru = f"{name_ru} ({attempt})"
        self.names.add(name_ru)
        return name_ru, f"{first_en} {surname_en}"

    def home(self, count: int) -> list[PlanRegion]:
        """Every federal subject once (in a random order), then more in the big ones."""
        homes = self.rng.sample(self.subjects, len(self.subjects))[:count]
        weights = [BIG_REGIONS.get(r.code, 1) for r in self.subjects]
        return homes + self.rng.choices(self.subjects, weights, k=count - len(homes))

    # organisations

    def organisation(
        self,
        kind: str,
        region: PlanRegion,
        *,
        pattern: int | None = None,
        keeps_itself: bool = False,
        key: str = "",
    ) -> PlannedOrganisation:
        kind, name_ru, name_en, hints, slug = self.name(kind, region, pattern)
        while slug in self.slugs:
            slug = f"{slug}-{len(self.slugs)}"
        self.slugs.add(slug)
        areas = self.areas_for(kind, hints)
        org = PlannedOrganisation(
            key=key or f"org-{len(self.organisations):03d}",
            values=self.organisation_values(kind, region, name_ru, name_en, slug, areas),
            keeps_itself=keeps_itself,
            contacts=self.organisation_contacts(kind, slug, region),
            designations=self.designations(kind),
        )
        self.organisations.append(org)
        return org

    def name(
        self, kind: str, region: PlanRegion, pattern: int | None
    ) -> tuple[str, str, str, tuple[str, ...], str]:
        """A name not given yet: (kind, Russian, English, areas the name suggests, a slug for addresses).

        When the kind's names are used up in this region (a third prosecutor's office in Moscow, say) the
        organisation becomes an informal initiative, whose names are many."""
        patterns = NAME_PATTERNS[kind]
        city_ru, city_en = region.capital_ru or region.name_ru, region.capital_en or region.name_en
        for attempt in range(60):
            index = pattern if pattern is not None and attempt < 20 else self.rng.randrange(len(patterns))
            name_ru, name_en, hints = patterns[index]
            (quoted_ru, quoted_en), n = self.rng.choice(QUOTED), self.rng.randint(1, 9)
            russian = name_ru.format(q=quoted_ru, city=city_ru, region=region.name_ru, n=n)
            if russian not in self.names:
                self.names.add(russian)
                english = name_en.format(q=quoted_en, city=city_en, region=region.name_en, n=n)
                word = quoted_en if "{q}" in name_ru else kind
                return kind, russian, english, hints, _slug(f"{word}-{city_en}")
        return self.name(OrganisationKind.INITIATIVE, region, None)

    def areas_for(self, kind: str, hints: Sequence[str]) -> list[str]:
        """The pattern's areas; groups add one or two of their own."""
        chosen = [code for code in hints if code in self.areas]
        if kind in (*CIVIC_KINDS, OrganisationKind.INTERNATIONAL) or not chosen:
            count = self.rng.randint(0, 1) if chosen else self.rng.randint(1, 2)
            extra = self.rng.sample(sorted(self.areas), k=min(len(self.areas), count))
            chosen += [code for code in extra if code not in chosen]
        return chosen

    def organisation_values(
        self, kind: str, region: PlanRegion, name_ru: str, name_en: str, slug: str, areas: list[str]
    ) -> dict[str, Any]:
        official = kind in OFFICIAL_KINDS
        status = (
            "active"
            if official
            else self.rng.choices(("active", "dormant", "closed", "liquidated"), (76, 11, 8, 5))[0]
        )
        covered = [region.code]
        if kind == OrganisationKind.INTERNATIONAL:
            covered += [r.code for r in self.rng.sample(self.subjects, k=min(4, len(self.subjects)))]
        elif kind in CIVIC_KINDS and self.rng.random() < 0.25:
            same_district = [r for r in self.subjects if r.federal_district == region.federal_district]
            covered += [r.code for r in self.rng.sample(same_district, k=min(2, len(same_district)))]
        area_names = ", ".join(self.areas[code].name_ru.lower() for code in areas)
        internal = self.rng.choice(INTERNAL_NOTES) if kind in CIVIC_KINDS and self.rng.random() < 0.4 else ""
        return {
            "kind": str(kind),
            "name_ru": name_ru,
            "name_en": name_en,
            "founded": self.date(1988 if kind in CIVIC_KINDS else 1991, 2023),
            "status": status,
            "home_region": region.code,
            "regions": list(dict.fromkeys(covered)),
            "areas": areas,
            "description": f"{KIND_SENTENCES[kind]} Направления работы: {area_names}.\n{DEMO_MARK}",
            "website": f"https://{slug}.example.org" if self.rng.random() < 0.5 else "",
            "is_public": self.rng.random() < PUBLIC_SHARE.get(kind, 0.3),
            "internal_notes": internal,
        }

    def organisation_contacts(self, kind: str, slug: str, region: PlanRegion) -> tuple[PlannedContact, ...]:
        city = region.capital_ru or region.name_ru
        address = f"г. {city}, ул. {self.rng.choice(STREETS)}, д. {self.rng.randint(1, 60)}"
        if kind in OFFICIAL_KINDS:
            return (
                PlannedContact("address", address, "public", "приёмная"),
                PlannedContact("phone", self.phone(), "public", "приёмная"),
            )
        contacts = [
            PlannedContact("email", f"info@{slug}.example.org", "public", "общий адрес"),
            PlannedContact("phone", self.phone(), "network", "для партнёров"),
        ]
        if self.rng.random() < 0.5:
            contacts.append(
                PlannedContact("email", f"coordination@{slug}.example.org", "internal", "для координации")
            )
        if self.rng.random() < 0.35:
            contacts.append(
                PlannedContact(
                    "messenger", f"@{slug.replace('-', '_')}_safe", "protected", "экстренная связь"
                )
            )
        if self.rng.random() < 0.2:
            contacts.append(PlannedContact("address", address, "protected", "офис"))
        return tuple(contacts)

    def designations(self, kind: str) -> tuple[PlannedDesignation, ...]:
        if kind in OFFICIAL_KINDS:
            return ()
        if kind == OrganisationKind.INTERNATIONAL and self.rng.random() < 0.3:
            listed = self.date(2015, 2024, exact=True)
            return (
                PlannedDesignation(
                    "undesirable",
                    listed,
                    None,
                    "Федеральный закон от 23.05.2015 № 129-ФЗ",
                    f"Демо-перечень, запись № {self.rng.randint(1, 999)}",
                ),
            )
        if self.rng.random() < 0.12:
            listed = self.date(2013, 2024, exact=True)
            basis = (
                "Федеральный закон от 14.07.2022 № 255-ФЗ"
                if listed >= "2022-12-01"
                else "Федеральный закон от 20.07.2012 № 121-ФЗ"
            )
            removed = self.date(int(listed[:4]) + 1, 2025, exact=True) if self.rng.random() < 0.1 else None
            return (
                PlannedDesignation(
                    "foreign_agent",
                    listed,
                    removed,
                    basis,
                    f"Демо-реестр, запись № {self.rng.randint(1, 999)}",
                ),
            )
        return ()

    def add_centre(self) -> None:
        region = self.regions.get(CENTRE_REGION) or self.subjects[0]
        org = self.organisation(
            OrganisationKind.HUMAN_RIGHTS_GROUP, region, pattern=0, keeps_itself=True, key=CENTRE
        )
        values = org.values | {
            "name_ru": CENTRE_NAME_RU,
            "name_en": CENTRE_NAME_EN,
            "founded": "1989-12",
            "status": "active",
            "is_public": True,
            "areas": sorted(self.areas)[:8],
            "website": "https://centre.example.org",
            "description": "Координационный центр сети: справочник, бюллетень, связь между группами.\n"
            + DEMO_MARK,
        }
        contacts = (
            PlannedContact("email", "info@centre.example.org", "public", "общий адрес"),
            PlannedContact("phone", self.phone(), "network", "горячая линия для групп"),
            PlannedContact("email", "coordination@centre.example.org", "internal", "координаторы"),
            PlannedContact("phone", self.phone(), "protected", "дежурный юрист"),
        )
        self.organisations[-1] = PlannedOrganisation(CENTRE, values, True, contacts, ())
        self.add_users(CENTRE, "")

    def add_user_groups(self) -> None:
        codes = [c for c in USER_GROUP_REGIONS if c in self.regions]
        codes += [r.code for r in self.subjects if r.code not in codes and r.code != CENTRE_REGION]
        for code in codes[:2]:
            region = self.regions[code]
            org = self.organisation(OrganisationKind.HUMAN_RIGHTS_GROUP, region, pattern=1, keeps_itself=True)
            self.organisations[-1] = PlannedOrganisation(
                org.key,
                org.values | {"status": "active", "is_public": True},
                True,
                org.contacts,
                org.designations,
            )
            self.add_users(org.key, "." + _slug(region.capital_en or region.name_en or code).replace("-", ""))

    def add_users(self, organisation: str, suffix: str) -> None:
        for role in Role:
            username = ROLE_LOGINS[role] + suffix
            self.users.append(PlannedUser(username, role.value, self.person_name()[0], organisation))
        self.admins[organisation] = ROLE_LOGINS[Role.ADMINISTRATOR] + suffix

    def add_organisations(self, count: int) -> None:
        kinds = self.rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()), k=count)
        for kind, region in zip(kinds, self.home(count), strict=True):
            if kind == OrganisationKind.INTERNATIONAL and self.countries and self.rng.random() < 0.7:
                region = self.rng.choice(self.countries)
            self.organisation(kind, region)

    # people, links and practice

    def steward_of(self, organisation: str) -> str:
        """The organisation whose users keep a person of ``organisation``: the organisation itself if it
        keeps its own records, else the centre."""
        return organisation if organisation in self.admins else CENTRE

    def add_persons(self) -> None:
        with_people = [
            o
            for o in self.organisations
            if o.values["kind"] not in (OrganisationKind.STATE_BODY, OrganisationKind.COURT)
        ]
        civic = [o.key for o in with_people if o.values["kind"] in CIVIC_KINDS]
        for org in with_people:
            count = 6 if org.key == CENTRE else 4 if org.keeps_itself else self.rng.randint(0, 3)
            for _ in range(count):
                self.add_person(org, civic)

    def add_person(self, org: PlannedOrganisation, civic: list[str]) -> None:
        name_ru, name_en = self.person_name()
        titles = TITLES.get(org.values["kind"], CIVIC_TITLES)
        positions = [PlannedPosition(org.key, self.rng.choice(titles), self.date(2000, 2024))]
        if self.rng.random() < 0.3:
            earlier = self.rng.choice(civic)
            if earlier != org.key:
                positions.append(
                    PlannedPosition(
                        earlier,
                        self.rng.choice(CIVIC_TITLES),
                        self.date(1995, 2005, known=True),
                        self.date(2006, 2012, known=True),
                    )
                )
        contacts = []
        login = _slug(name_en).replace("-", ".")
        if self.rng.random() < 0.5:
            contacts.append(PlannedContact("email", f"{login}.{len(self.persons)}@example.org", "network"))
        if self.rng.random() < 0.4:
            contacts.append(PlannedContact("phone", self.phone(), "protected", "личный"))
        notes = "Предпочитает связь через защищённый мессенджер." if self.rng.random() < 0.2 else ""
        self.persons.append(
            PlannedPerson(
                self.steward_of(org.key),
                {"name_ru": name_ru, "name_en": name_en, "notes": notes},
                tuple(positions),
                tuple(contacts),
            )
        )
        self.people_of.setdefault(org.key, []).append(name_ru)

    def add_relationships(self) -> None:
        civic = [o for o in self.organisations if o.values["kind"] in CIVIC_KINDS and o.key != CENTRE]
        partners = [
            o
            for o in self.organisations
            if o.values["kind"] in (*CIVIC_KINDS, OrganisationKind.MEDIA, OrganisationKind.INTERNATIONAL)
        ]
        seen: set[tuple[str, str, str]] = set()

        def link(
            source: PlannedOrganisation, target: PlannedOrganisation, kind: str, first_year: int
        ) -> None:
            if source.key == target.key or (source.key, target.key, kind) in seen:
                return
            seen.add((source.key, target.key, kind))
            note = "Договорённость о совместном мониторинге." if self.rng.random() < 0.2 else ""
            ended = (
                self.date(2020, 2024, known=True) if kind == "partner" and self.rng.random() < 0.15 else ""
            )
            self.relationships.append(
                PlannedRelationship(source.key, target.key, kind, self.date(first_year, 2019), ended, note)
            )

        centre = self.organisations[0]
        for org in civic:
            if self.rng.random() < 0.6:
                link(org, centre, "member_of_network", 2000)
            if self.rng.random() < 0.25:
                link(org, self.rng.choice(partners), "partner", 2005)
            if org.values["kind"] == OrganisationKind.HUMAN_RIGHTS_GROUP and self.rng.random() < 0.08:
                link(org, self.rng.choice(civic), "branch_of", 1995)
            if org.values["status"] in ("closed", "liquidated") and self.rng.random() < 0.5:
                successors = [
                    o
                    for o in civic
                    if o.values["status"] == "active" and o.values["home_region"] == org.values["home_region"]
                ]
                if successors:
                    link(self.rng.choice(successors), org, "successor_of", 2010)

    def add_notes(self) -> None:
        for org in self.organisations:
            if org.values["kind"] not in CIVIC_KINDS:
                continue
            for _ in range(4 if org.key == CENTRE else self.rng.choices((0, 1, 2, 3), (45, 30, 15, 10))[0]):
                self.add_note(org)

    def add_note(self, org: PlannedOrganisation) -> None:
        fitting = [t for t in NOTE_TEMPLATES if set(t[4]) & set(org.values["areas"])]
        title, summary, outcome, lessons, areas = self.rng.choice(fitting or NOTE_TEMPLATES)
        area = self.rng.choice([code for code in areas if code in org.values["areas"]] or org.values["areas"])
        region = self.regions[org.values["home_region"]]
        people = self.people_of.get(org.key, [])
        who = ""
        if self.rng.random() < 0.4:
            who = f"{self.rng.choice(people)}, через координатора группы" if people else "Координатор группы"
        n = self.rng.randint(5, 300)
        numbers = {"n": n, "m": self.rng.randint(1, min(n, 40))}
        values = {
            "area": area,
            "region": region.code,
            "title": f"{title} — {region.capital_ru or region.name_ru}",
            "summary": summary,
            "outcome": outcome.format(**numbers),
            "lessons": lessons,
            "who_to_ask": who,
            "happened": self.date(2012, 2025),
            "tier": self.rng.choices(("public", "network", "internal"), (35, 45, 20))[0],
        }
        self.notes.append(PlannedNote(org.key, values))
