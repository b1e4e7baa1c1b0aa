"""What only the embedded index does: its files in the node home, kept across schema versions."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from khronika.search import selectors
from khronika.search.engine import backend, reset_backend
from khronika.search.indexer import index_rebuild
from khronika.testing.factories import OrganisationFactory


def titles(result):
    return sorted(row.title for row in result.rows)


def test_an_index_of_an_older_schema_is_rebuilt_whole_not_patched(db, make_user):
    first = OrganisationFactory(name_ru="Правозащитный центр «Север»", is_public=True)
    OrganisationFactory(name_ru="Правозащитный центр «Юг»", is_public=True)
    index_rebuild()
    viewer = make_user("viewer", first)
    assert titles(selectors.search_records(actor=viewer, q="правозащитный")) == [
        "Правозащитный центр «Север»",
        "Правозащитный центр «Юг»",
    ]
    # An index written by an earlier version of Khronika: its cursor must not be trusted.
    reset_backend()
    (Path(settings.KHRONIKA_SEARCH_INDEX) / "khronika-schema").write_text("1")
    assert backend().cursor() is None
    assert titles(selectors.search_records(actor=viewer, q="правозащитный")) == [
        "Правозащитный центр «Север»",
        "Правозащитный центр «Юг»",
    ]
