"""Documents turned into index fields: who may find which words, analysis in several processes, facet
names a backend can store."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from khronika.core.tiers import Tier
from khronika.search import registry
from khronika.search.fields import analyse_all, index_fields
from khronika.search.registry import Document, Facet, Searchable


def document(number: int, tier: Tier = Tier.NETWORK) -> Document:
    doc = Document(
        kind="organisation", id=uuid.UUID(int=number), title=str(number), steward=uuid.UUID(int=7), tier=tier
    )
    doc.add_name(Tier.PUBLIC, f"Правозащитный центр {number}")
    doc.add_text(Tier.NETWORK, f"Помощь задержанным на акциях, дело {number}.")
    doc.add_text(Tier.INTERNAL, "Источник в прокуратуре")
    doc.add_facet("region", "RU-PER")
    doc.day = dt.date(2024, 3, 1)
    return doc


def test_a_record_of_the_network_keeps_its_internal_words_apart():
    fields = index_fields(document(1))
    assert "задержа" in fields.text_open.split() or "задержан" in fields.text_open.split()
    assert "прокуратур" not in fields.text_open.split()
    assert fields.text_int.split() == ["источник", "прокуратур"]
    assert fields.names_open == ["Правозащитный центр 1"]


def test_every_word_of_an_internal_record_is_an_internal_word():
    fields = index_fields(document(2, tier=Tier.INTERNAL))
    assert (fields.text_open, fields.keys_open, fields.names_open) == ("", "", [])
    assert "прокуратур" in fields.text_int.split()
    assert "правозащитн" in fields.text_int.split()
    assert fields.keys_int and fields.names_int == ["Правозащитный центр 2"]
    assert fields.text_pub == ""


def test_analysis_in_several_processes_gives_the_same_fields_in_the_same_order():
    documents = [document(n, tier=Tier.INTERNAL if n % 5 == 0 else Tier.NETWORK) for n in range(1, 1300)]
    alone = list(analyse_all(documents, workers=1))
    together = list(analyse_all(iter(documents), workers=2))
    assert together == alone
    assert [f.key for f in together] == [f"organisation:{uuid.UUID(int=n)}" for n in range(1, 1300)]


@pytest.mark.parametrize("name", ["Region", "area.code", "", "1st", "область"])
def test_a_facet_name_must_be_a_plain_identifier(name):
    item = Searchable(
        kind="facet_name_check",
        model=object,
        label="x",
        label_plural="x",
        document=lambda instance: None,
        queryset=lambda: [],
        url=lambda instance: "",
        facets=(Facet(name=name, label="x"),),
    )
    with pytest.raises(ValueError, match="facet name"):
        registry.register(item)
    with pytest.raises(LookupError):
        registry.searchable("facet_name_check")
