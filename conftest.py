"""Test set-up shared by the whole suite: reference data loaded once per database, fast password
hashing (production's Argon2 is checked in accounts' own tests), and the common actors."""

from __future__ import annotations

import pytest

from khronika.testing.factories import OrganisationFactory, UserFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    from django.db import connections

    from khronika.directory.reference import reference_load
    from khronika.monitoring.vocabularies import vocabularies_load

    # The browser test's server answers each request in a thread of its own; a persistent connection
    # would outlive the thread and keep PostgreSQL from dropping the test database at the end.
    for alias in connections:
        connections.settings[alias]["CONN_MAX_AGE"] = 0
    with django_db_blocker.unblock():
        reference_load()
        vocabularies_load()


@pytest.fixture(autouse=True)
def _default_language():  # type: ignore[no-untyped-def]
    """Each test starts in the node's default language, whatever the test before it activated."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.KHRONIKA_ARGON2_COST = (1, 8192)  # the key wraps' derivation, as cheap as libsodium allows


@pytest.fixture
def org_a(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name_ru="Группа А", name_en="Group A", home_region=_region("RU-TVE"))


@pytest.fixture
def org_b(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name_ru="Группа Б", name_en="Group B", home_region=_region("RU-PER"))


def _region(code: str):  # type: ignore[no-untyped-def]
    from khronika.directory.models import Region

    return Region.objects.get(code=code)


@pytest.fixture
def verified_login(db):  # type: ignore[no-untyped-def]
    """``verified_login(client, user)``: ``client.force_login(user)`` with the second factor passed, as a
    user of a role that must have one needs for any staff page (khronika/testing/second_factor.py)."""
    from khronika.testing.second_factor import verified_login as login

    return login


@pytest.fixture
def make_user(db):  # type: ignore[no-untyped-def]
    def make(role: str = "editor", organisation=None, **kwargs):  # type: ignore[no-untyped-def]
        if organisation is not None:
            kwargs["organisation"] = organisation
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    """Each test starts with an empty cache: its database is its own, so must be what was derived from it
    (statistics are cached by the change log's last number, which a rolled-back test may reuse)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _search_index_of_its_own(settings, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Each test searches an index of its own (made on first use), as a test's database is its own."""
    from khronika.search.engine import reset_backend

    settings.KHRONIKA_SEARCH_INDEX = tmp_path_factory.mktemp("search-index")
    settings.KHRONIKA_DOCUMENTS = tmp_path_factory.mktemp("documents")
    yield
    reset_backend()
