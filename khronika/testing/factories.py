"""Factories for tests: rows built directly, as the state a test starts from ("given").

What a test exercises ("when") goes through services; factories only set the scene.
"""

from __future__ import annotations

import factory

from khronika.accounts.models import Role, User
from khronika.directory.models import (
    AreaOfWork,
    ContactPoint,
    Organisation,
    OrganisationArea,
    OrganisationKind,
    OrganisationRegion,
    Person,
    PracticeNote,
    Region,
)

TEST_PASSWORD = "correct horse battery staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    kind = OrganisationKind.HUMAN_RIGHTS_GROUP
    name_ru = factory.Sequence(lambda n: f"Тестовая группа {n}")
    name_en = factory.Sequence(lambda n: f"Test group {n}")
    description = "Помощь задержанным."
    version = 1

    @factory.post_generation
    def areas(obj: Organisation, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        for code in extracted or ():
            OrganisationArea.objects.create(organisation=obj, area=AreaOfWork.objects.get(code=code))

    @factory.post_generation
    def regions(obj: Organisation, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        codes = list(extracted or ())
        if obj.home_region is not None and obj.home_region.code not in codes:
            codes.insert(0, obj.home_region.code)
        for code in codes:
            OrganisationRegion.objects.create(organisation=obj, region=Region.objects.get(code=code))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"User {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.EDITOR
    version = 1

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: object) -> None:
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    steward = factory.SubFactory(OrganisationFactory)
    name_ru = factory.Sequence(lambda n: f"Иванова Анна {n}")
    name_en = factory.Sequence(lambda n: f"Anna Ivanova {n}")
    version = 1


class ContactPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPoint

    organisation = factory.SubFactory(OrganisationFactory)
    kind = "email"
    value = factory.Sequence(lambda n: f"group{n}@example.org")
    tier = "network"
    version = 1


class PracticeNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeNote

    organisation = factory.SubFactory(OrganisationFactory)
    area = factory.LazyFunction(lambda: AreaOfWork.objects.order_by("position").first())
    title = factory.Sequence(lambda n: f"Практика {n}")
    summary = "Что сделали."
    tier = "network"
    version = 1
