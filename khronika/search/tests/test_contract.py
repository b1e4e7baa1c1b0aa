"""What every search backend must do, run against each one: morphology, names in any script, typos,
facets, permissions, updates after a change, rebuilding."""

from __future__ import annotations

import pytest

from khronika.directory import services
from khronika.directory.models import Region
from khronika.search import selectors
from khronika.search.indexer import index_rebuild, index_sync
from khronika.testing.factories import OrganisationFactory, PersonFactory, PracticeNoteFactory

pytestmark = pytest.mark.usefixtures("search_backend")


def titles(result):
    return [row.title for row in result.rows]


def found(actor, q, **kwargs):
    return selectors.search_records(actor=actor, q=q, **kwargs)


@pytest.fixture
def monitors(db):
    return OrganisationFactory(
        name_ru="Пермский правозащитный центр",
        name_en="Perm Human Rights Centre",
        description="Мониторинг задержаний на акциях и помощь задержанным; сведения о пытках в колониях.",
        home_region=Region.objects.get(code="RU-PER"),
        areas=["places-of-detention"],
        is_public=True,
    )


@pytest.fixture
def lawyers(db):
    return OrganisationFactory(
        name_ru="Тверская юридическая группа",
        name_en="Tver Legal Group",
        description="Защита арестованных, жалобы в ЕСПЧ.",
        home_region=Region.objects.get(code="RU-TVE"),
        kind="ngo",
        is_public=False,
    )


# --- morphology ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["задержание", "задержанных", "задержали", "задержать", "ЗАДЕРЖАНИЯ"])
def test_a_word_in_one_form_finds_the_others(make_user, monitors, lawyers, q):
    assert titles(found(make_user("viewer", lawyers), q)) == ["Пермский правозащитный центр"]


@pytest.mark.parametrize("q", ["пытка", "пытками", "пыток"])
def test_the_word_family_table_joins_what_stems_do_not(make_user, monitors, lawyers, q):
    assert titles(found(make_user("viewer", lawyers), q)) == ["Пермский правозащитный центр"]


def test_arrest_and_arrested_are_one_family(make_user, monitors, lawyers):
    assert titles(found(make_user("viewer", monitors), "арест")) == ["Тверская юридическая группа"]


def test_all_words_must_match_and_excluded_words_must_not(make_user, monitors, lawyers):
    viewer = make_user("viewer", lawyers)
    assert titles(found(viewer, "задержания колонии")) == ["Пермский правозащитный центр"]
    # No record has both words: what is shown then is flagged as near matches, never as matches.
    neither = found(viewer, "задержания жалобы")
    assert neither.fuzzy is True
    assert titles(found(viewer, "задержания -колонии")) == []


def test_a_phrase_matches_words_in_that_order(make_user, monitors, lawyers):
    viewer = make_user("viewer", lawyers)
    assert titles(found(viewer, '"помощь задержанным"')) == ["Пермский правозащитный центр"]
    assert titles(found(viewer, '"задержанным помощь"')) == []


def test_a_prefix_finds_longer_words(make_user, monitors, lawyers):
    assert titles(found(make_user("viewer", lawyers), "правозащ*")) == ["Пермский правозащитный центр"]


def test_region_names_are_words_of_the_record(make_user, monitors, lawyers):
    assert titles(found(make_user("viewer", lawyers), "Пермский край")) == ["Пермский правозащитный центр"]


# --- names --------------------------------------------------------------------------------------------


@pytest.fixture
def shevchenko(db, lawyers):
    return PersonFactory(name_ru="Шевченко Тарас Григорьевич", name_en="", steward=lawyers)


@pytest.mark.parametrize(
    "q",
    [
        "Шевченко",
        "Shevchenko",
        "Ševčenko",
        "Schewtschenko",
        "Chevtchenko",
        "Szewczenko",
        "Taras Shevchenko",
        "Shevchenko Taras Grigoryevich",
        "тарас шевченко",
    ],
)
def test_a_name_is_found_in_any_script_and_spelling(make_user, lawyers, shevchenko, q):
    PersonFactory(name_ru="Шевцов Тарас Петрович", name_en="", steward=lawyers)
    result = found(make_user("viewer", lawyers), q)
    assert titles(result)[:1] == ["Шевченко Тарас Григорьевич"]


@pytest.mark.parametrize("q", ["Shevchneko", "Шевчеко", "Schevtchenko Taras"])
def test_a_typo_still_finds_the_name_as_a_near_match(make_user, lawyers, shevchenko, q):
    result = found(make_user("viewer", lawyers), q)
    assert titles(result)[:1] == ["Шевченко Тарас Григорьевич"]


def test_near_matches_are_flagged_only_when_nothing_matched_exactly(make_user, lawyers, shevchenko):
    viewer = make_user("viewer", lawyers)
    assert found(viewer, "Shevchneko").fuzzy is True
    assert found(viewer, "Shevchenko").fuzzy is False


def test_namesakes_rank_the_full_match_first(make_user, lawyers):
    PersonFactory(name_ru="Иванов Андрей Петрович", name_en="", steward=lawyers)
    PersonFactory(name_ru="Иванов Андрей Сергеевич", name_en="", steward=lawyers)
    result = found(make_user("viewer", lawyers), "Ivanov Andrey Sergeyevich")
    assert titles(result) == ["Иванов Андрей Сергеевич"]
    both = found(make_user("viewer", lawyers), "Andrei Ivanov")
    assert sorted(titles(both)) == ["Иванов Андрей Петрович", "Иванов Андрей Сергеевич"]


# --- facets -------------------------------------------------------------------------------------------


def facet(result, name):
    for group in result.facets:
        if group.name == name:
            return {v.value: v.count for v in group.values}
    return {}


def test_facets_count_the_matches_and_filters_narrow_them(make_user, monitors, lawyers):
    OrganisationFactory(
        name_ru="Ещё одна пермская группа",
        description="Помощь задержанным.",
        home_region=Region.objects.get(code="RU-PER"),
        kind="ngo",
    )
    viewer = make_user("viewer", lawyers)
    result = found(viewer, "задержанным")
    assert result.total == 2
    assert facet(result, "region") == {"RU-PER": 2}
    assert facet(result, "district") == {"volga": 2}
    assert facet(result, "kind") == {"human_rights_group": 1, "ngo": 1}
    assert facet(result, "type") == {"organisation": 2}

    narrowed = found(viewer, "задержанным", filters={"kind": ["ngo"]})
    assert titles(narrowed) == ["Ещё одна пермская группа"]
    assert facet(narrowed, "kind") == {"ngo": 1}
    either = found(viewer, "", filters={"region": ["RU-PER", "RU-TVE"], "type": ["organisation"]})
    assert either.total >= 3


def test_a_parent_area_finds_records_of_its_sub_areas(make_user, monitors, lawyers):
    from khronika.directory.models import AreaOfWork

    child = AreaOfWork.objects.get(code="places-of-detention")
    assert child.parent is not None
    result = found(make_user("viewer", lawyers), "", filters={"area": [child.parent.code]})
    assert "Пермский правозащитный центр" in titles(result)


def test_facet_values_have_labels_for_people(make_user, monitors, lawyers):
    result = found(make_user("viewer", lawyers), "задержанным")
    labels = {v.value: v.label for g in result.facets if g.name == "region" for v in g.values}
    assert labels == {"RU-PER": "Пермский край"}


# --- permissions --------------------------------------------------------------------------------------


def test_a_member_of_group_a_cannot_find_group_b_internal_text(make_user, monitors, lawyers):
    lawyers.internal_notes = "ВНУТРЕННЯЯКАНАРЕЙКА источник в прокуратуре"
    lawyers.save()
    outsider = make_user("coordinator", monitors)
    assert titles(found(outsider, "ВНУТРЕННЯЯКАНАРЕЙКА")) == []
    assert titles(found(outsider, "прокуратуре")) == []
    # Excluding a word of another group's internal text must not reveal it either.
    assert titles(found(outsider, "Тверская -прокуратуре")) == ["Тверская юридическая группа"]
    member = make_user("viewer", lawyers)
    assert titles(found(member, "ВНУТРЕННЯЯКАНАРЕЙКА")) == ["Тверская юридическая группа"]
    assert titles(found(member, "Тверская -прокуратуре")) == []


def test_snippets_hold_only_words_the_reader_may_read(make_user, monitors, lawyers):
    lawyers.internal_notes = "ВНУТРЕННЯЯКАНАРЕЙКА"
    lawyers.save()
    outsider = make_user("viewer", monitors)
    rows = found(outsider, "Тверская").rows
    assert rows and "ВНУТРЕННЯЯКАНАРЕЙКА" not in repr(rows)
    member_rows = found(make_user("viewer", lawyers), "ВНУТРЕННЯЯКАНАРЕЙКА").rows
    assert any(match and "ВНУТРЕННЯЯКАНАРЕЙКА" in text for text, match in member_rows[0].snippet)


def test_public_search_finds_only_listed_public_records(make_user, monitors, lawyers, shevchenko):
    assert titles(selectors.search_records(actor=None, q="задержанным", public=True)) == [
        "Пермский правозащитный центр"
    ]
    assert titles(selectors.search_records(actor=None, q="арестованных", public=True)) == []
    assert titles(selectors.search_records(actor=None, q="Shevchenko", public=True)) == []
    # A member using the public search gets the public answer too.
    member = make_user("coordinator", lawyers)
    assert titles(selectors.search_records(actor=member, q="арестованных", public=True)) == []


def test_protected_values_are_never_indexed(make_user, lawyers):
    PracticeNoteFactory(
        organisation=lawyers,
        tier="internal",
        title="Практика защиты",
        summary="Обжаловали.",
        who_to_ask="ЗАЩИЩЁННАЯКАНАРЕЙКА",
    )
    PracticeNoteFactory(organisation=lawyers, tier="protected", title="ЗАКРЫТАЯПРАКТИКА", summary="Тайно.")
    lawyer = make_user("lawyer", lawyers)
    assert titles(found(lawyer, "ЗАЩИЩЁННАЯКАНАРЕЙКА")) == []
    assert titles(found(lawyer, "ЗАКРЫТАЯПРАКТИКА")) == []
    assert titles(found(lawyer, "обжаловали")) == ["Практика защиты"]


def test_an_internal_note_is_found_only_by_its_group(make_user, monitors, lawyers):
    PracticeNoteFactory(
        organisation=lawyers,
        tier="internal",
        title="Стратегия по делам об обысках",
        summary="Обыски у активистов.",
    )
    assert titles(found(make_user("viewer", lawyers), "обыск")) == ["Стратегия по делам об обысках"]
    assert titles(found(make_user("coordinator", monitors), "обыск")) == []


def test_browsing_by_facets_alone_shows_only_what_the_reader_may_read(make_user, monitors, lawyers):
    PracticeNoteFactory(organisation=lawyers, tier="internal", title="Внутренняя практика", summary="Тайно.")
    PracticeNoteFactory(organisation=lawyers, tier="network", title="Сетевая практика", summary="Для сети.")
    by_type = {"type": ["practice_note"]}
    outsider = make_user("coordinator", monitors)
    assert titles(found(outsider, "", filters=by_type)) == ["Сетевая практика"]
    assert sorted(titles(found(make_user("viewer", lawyers), "", filters=by_type))) == [
        "Внутренняя практика",
        "Сетевая практика",
    ]
    assert titles(selectors.search_records(actor=None, q="", filters=by_type, public=True)) == []
    everything = found(outsider, "", filters={"type": ["organisation", "practice_note"]})
    assert "Внутренняя практика" not in titles(everything)
    assert everything.total == len(everything.rows) == 3


def test_the_total_is_the_same_with_and_without_facets(make_user, monitors, lawyers):
    for number in range(25):
        OrganisationFactory(name_ru=f"Группа помощи задержанным {number}", description="Помощь задержанным.")
    viewer = make_user("viewer", lawyers)
    with_facets = found(viewer, "задержанным", limit=5)
    assert with_facets.total == 26
    assert sum(facet(with_facets, "type").values()) == 26
    typing = found(viewer, "задержанным", limit=5, typing=True)
    assert typing.total == 26
    assert len(typing.rows) == 5


# --- keeping up with changes --------------------------------------------------------------------------


def test_an_edit_is_searchable_at_once_and_the_old_words_are_gone(make_user, monitors, lawyers):
    editor = make_user("editor", lawyers)
    viewer = make_user("viewer", monitors)
    assert titles(found(viewer, "юридическая")) == ["Тверская юридическая группа"]
    services.organisation_update(
        actor=editor,
        organisation_id=lawyers.id,
        expected_version=lawyers.version,
        values={"name_ru": "Новгородская правовая группа"},
    )
    assert titles(found(viewer, "юридическая")) == []
    assert titles(found(viewer, "новгородская")) == ["Новгородская правовая группа"]


def test_a_removed_record_leaves_the_results(make_user, monitors, lawyers):
    editor = make_user("editor", lawyers)
    viewer = make_user("viewer", monitors)
    assert titles(found(viewer, "Тверская")) == ["Тверская юридическая группа"]
    services.organisation_delete(actor=editor, organisation_id=lawyers.id)
    assert titles(found(viewer, "Тверская")) == []


def test_a_committed_change_reaches_the_index_without_a_search(
    make_user, monitors, lawyers, django_capture_on_commit_callbacks
):
    from khronika.search.engine import find
    from khronika.search.policies import search_scope
    from khronika.search.query import SearchRequest, parse

    viewer = make_user("viewer", monitors)
    found(viewer, "")  # builds the index
    editor = make_user("editor", lawyers)
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_update(
            actor=editor,
            organisation_id=lawyers.id,
            expected_version=lawyers.version,
            values={"description": "Консультации по мобилизации."},
        )
    request = SearchRequest(query=parse("мобилизации"), scope=search_scope(viewer))
    assert find(request, catch_up=False).total == 1


def test_the_index_rebuilds_when_the_database_is_not_the_one_it_followed(make_user, monitors, lawyers):
    from khronika.search.backends.base import Cursor
    from khronika.search.engine import backend

    viewer = make_user("viewer", monitors)
    assert found(viewer, "Тверская").total == 1
    # As after restoring an older backup: the entry the cursor names is not there.
    backend().write(upserts=[], removals=[f"organisation:{lawyers.id}"], cursor=Cursor(seq=10**9, stamp="x"))
    assert index_sync().rebuilt is True
    assert found(viewer, "Тверская").total == 1


def test_reindex_gives_the_same_answers(make_user, monitors, lawyers, shevchenko):
    viewer = make_user("viewer", lawyers)
    before = [titles(found(viewer, q)) for q in ("задержанным", "Shevchenko", "арест")]
    report = index_rebuild()
    assert report.indexed == 3
    assert [titles(found(viewer, q)) for q in ("задержанным", "Shevchenko", "арест")] == before
