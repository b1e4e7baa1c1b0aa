"""Factories for tests: rows built directly, as the state a test starts from ("given").

What a test exercises ("when") goes through services; factories only set the scene.
"""

from __future__ import annotations

from typing import Any

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
        obj._factory_password = extracted or TEST_PASSWORD  # type: ignore[attr-defined]
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def key(obj: User, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """A key pair opened by the password, as the account service makes one, unless ``key=False``:
        protected readers take part in their group's key from the start."""
        if create and extracted is not False:
            from khronika.accounts.keys import user_key_create

            user_key_create(user=obj, passphrase=obj._factory_password)  # type: ignore[attr-defined]

    @factory.post_generation
    def email(obj: User, create: bool, extracted: str | None, **kwargs: object) -> None:
        """Set after the key, as the account service does: the address is sealed for the user too."""
        if extracted:
            obj.email = extracted
            if create:
                obj.save(update_fields=["email"])


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    steward = factory.SubFactory(OrganisationFactory)
    name_ru = factory.Sequence(lambda n: f"Иванова Анна {n}")
    name_en = factory.Sequence(lambda n: f"Anna Ivanova {n}")
    version = 1


def ensure_key_holder(organisation_id: Any) -> None:
    """Give an organisation someone who can open protected values, if it has nobody yet: Khronika seals
    a value only for an organisation in which someone can open it (accounts/sealing.py), and tests that
    plant protected values would otherwise have to create such a user first, every time."""
    from khronika.accounts.models import GroupKey, UserKey
    from khronika.accounts.policies import PROTECTED_READERS

    if organisation_id is None:
        return
    group_key = GroupKey.objects.filter(organisation_id=organisation_id).first()
    if group_key is not None:
        if group_key.shares.exclude(wrapped_private="").exists():
            return
    elif UserKey.objects.filter(
        user__organisation_id=organisation_id, user__role__in=PROTECTED_READERS, user__deleted_at__isnull=True
    ).exists():
        return
    import uuid

    from khronika.directory.models import Organisation

    UserFactory(
        organisation=Organisation.objects.get(pk=organisation_id),
        role=Role.COORDINATOR,
        username=f"keyholder-{uuid.uuid4().hex[:8]}",
    )


class SealingFactory(factory.django.DjangoModelFactory):
    """Creates a record whose protected values are sealed, after making sure someone can open them."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class: type, *args: object, **kwargs: object) -> object:
        from khronika.accounts import sealing

        instance = model_class(*args, **kwargs)
        if any(getattr(instance, name) for name in sealing.sealed_now(instance)):
            ensure_key_holder(sealing.steward_of(instance))
        instance.save()
        return instance


class ContactPointFactory(SealingFactory):
    class Meta:
        model = ContactPoint

    organisation = factory.SubFactory(OrganisationFactory)
    kind = "email"
    value = factory.Sequence(lambda n: f"group{n}@example.org")
    tier = "network"
    version = 1


class PracticeNoteFactory(SealingFactory):
    class Meta:
        model = PracticeNote

    organisation = factory.SubFactory(OrganisationFactory)
    area = factory.LazyFunction(lambda: AreaOfWork.objects.order_by("position").first())
    title = factory.Sequence(lambda n: f"Практика {n}")
    summary = "Что сделали."
    tier = "network"
    version = 1
