"""Text analysis: pure functions, no database. Every fixture is written here."""

from __future__ import annotations

import itertools

import pytest

from khronika.search.analysis import (
    FAMILIES_PATH,
    STOP_WORDS,
    Token,
    analyze,
    expand,
    fold,
    highlight,
    parse_word_families,
    query_terms,
    terms,
)


def finds(query: str, document: str) -> bool:
    """Whether a one-word query finds a one-word document, as both backends match terms."""
    (wanted,) = query_terms(query)
    return bool(wanted & set(terms(document)))


FAMILIES_OF_FORMS = [
    ["задержание", "задержанных", "задержать", "задержали", "задержан", "задерживают"],
    ["пытка", "пыток", "пытками", "пыточной"],
    ["арест", "арестованный", "арестовали", "арестовывают"],
    ["обыск", "обыски", "обыскали", "обыскивали"],
    ["detention", "detained", "detain", "detainees"],
    ["протестующие", "протестовали", "протесты"],
]


@pytest.mark.parametrize(
    ("query", "document"),
    [pair for forms in FAMILIES_OF_FORMS for pair in itertools.permutations(forms, 2)],
)
def test_each_form_of_a_word_finds_every_other_form(query, document):
    assert finds(query, document)


def test_torture_does_not_find_the_verb_to_try_whose_stem_pytali_shares():
    # "пытали" (tortured) and "пытался" (tried) have one stem, so the family leaves the verb out.
    assert terms("пытали") == terms("пытался")
    assert not finds("пытки", "пытался")
    assert not finds("пытались", "пытки")


def test_unrelated_words_stay_apart():
    assert not finds("арест", "обыск")
    assert not finds("detention", "protest")
    assert expand("москв") == frozenset({"москв"})


@pytest.mark.parametrize(
    ("written", "searched"),
    [("Фёдор", "Федор"), ("ЁЛКА", "елка"), ("Алёна", "Алена"), ("Пе\u0308тр", "Петр"), ("нашёл", "нашел")],
)
def test_yo_and_ye_are_one_letter(written, searched):
    assert fold(written) == fold(searched)
    assert terms(written) == terms(searched) != []


def test_yo_is_folded_before_the_stop_word_test():
    assert fold("ещё") == fold("еще") == "еще"
    assert terms("ещё еще") == []


@pytest.mark.parametrize(
    ("word", "folded"),
    [
        ("Café", "cafe"),
        ("Łukasz", "lukasz"),
        ("ＫＯＡＰ", "koap"),
        ("Май", "май"),  # й is a letter of its own, not и with an accent
        ("за\u0301мок", "замок"),  # a stress mark is not part of the word
        ("Hавальный", "навальный"),  # a Latin H typed for the Cyrillic Н
        ("O’Brien", "o'brien"),
        ("Αθήνα", "αθήνα"),  # accents of other scripts are letters of their own there
    ],
)
def test_fold(word, folded):
    assert fold(word) == folded


def test_the_stemmer_follows_the_script_of_each_word():
    assert terms("protests протесты") == ["protest", "протест"]
    assert terms("detained") == ["detain"]  # the Russian stemmer would have left it whole
    assert terms("Navalny's Navalny") == ["navalni", "navalni"]
    assert terms("Αθήνα 2019") == ["αθήνα", "2019"]
    assert not finds("detention", "задержание")  # families never cross languages


def test_stop_words_are_dropped_in_both_languages():
    assert terms("и в на не что the of and") == []
    assert terms("Задержан в Москве") == ["задержа", "москв"]
    assert query_terms("the detention of activists") == [expand("detent"), frozenset({"activist"})]
    assert {"и", "в", "что", "the", "of"} <= STOP_WORDS


def test_offsets_point_at_the_original_words():
    text = "  Фёдора ЗАДЕРЖАЛИ\tу суда (ст. 212.1), за\u0301мок — Navalny's"
    tokens = analyze(text)
    assert [text[token.start : token.end] for token in tokens] == [
        "Фёдора",
        "ЗАДЕРЖАЛИ",
        "суда",
        "ст",
        "212.1",
        "за\u0301мок",
        "Navalny's",
    ]
    assert tokens[1] == Token("задержа", 9, 18)


def test_article_numbers_and_dates_stay_one_word():
    assert terms("ч. 1 ст. 212.1 УК, ст.20.2 КоАП.") == ["ч", "1", "ст", "212.1", "ук", "ст", "20.2", "коап"]
    assert terms("10.12.2011") == ["10.12.2011"]
    assert terms("2019 год") == ["2019", "год"]


def test_hyphens_and_underscores_split_words():
    assert terms("Санкт-Петербург user_name") == ["санкт", "петербург", "user", "name"]


@pytest.mark.parametrize("text", ["", "   \n", "— … ,", "и в на"])
def test_nothing_to_index(text):
    assert analyze(text) == []
    assert terms(text) == []
    assert query_terms(text) == []


def test_the_word_families_table_loads_and_every_line_joins_stems():
    source = FAMILIES_PATH.read_text(encoding="utf-8")
    families = set(parse_word_families(source).values())
    lines = [line for line in source.splitlines() if line.split("#", 1)[0].strip()]
    assert len(families) == len(lines)
    assert 60 <= len(families) <= 130


def test_a_stem_in_two_families_is_refused_with_both_lines():
    with pytest.raises(ValueError, match=r"line 3.*line 1"):
        parse_word_families("арест арестовать\n# comment\nарестовали задержание\n")


def test_a_family_word_must_be_one_indexed_word():
    with pytest.raises(ValueError, match="line 1"):
        parse_word_families("арест и\n")
    with pytest.raises(ValueError, match="line 1"):
        parse_word_families("санкт-петербург\n")


def test_a_family_maps_every_stem_to_all_of_its_stems():
    families = parse_word_families("# torture\nпытка пыток  # a comment after the words\n\n")
    assert families == {"пытк": frozenset({"пытк", "пыток"}), "пыток": frozenset({"пытк", "пыток"})}


LONG_TEXT = (
    "Начало записи о событиях в городе. "
    + "Ничего особенного не происходило весь день. " * 6
    + "Вечером полиция задержала двоих активистов у здания суда, задержание длилось пять часов. "
    + "Потом были другие события. " * 8
)


def wanted_for(query: str) -> frozenset[str]:
    return frozenset().union(*query_terms(query))


def test_highlight_shows_the_window_with_the_most_matches_and_marks_them():
    segments = highlight(LONG_TEXT, wanted_for("задержание активист"))
    assert [piece for piece, is_match in segments if is_match] == ["задержала", "активистов", "задержание"]
    shown = "".join(piece for piece, _ in segments)
    assert shown.startswith("…") and shown.endswith("…")
    assert len(shown) <= 160 + 2
    assert " ".join(shown.strip("…").split()) in " ".join(LONG_TEXT.split())  # cut between words only


def test_highlight_prefers_more_matches_over_the_first_match():
    text = "арест " + "слово " * 60 + "обыск и арест, потом снова обыск"
    segments = highlight(text, wanted_for("арест обыск"), width=60)
    assert [piece for piece, is_match in segments if is_match] == ["обыск", "арест", "обыск"]
    assert segments[0][0].startswith("…слово")
    assert segments[-1] == ("обыск", True)  # the text ends there: no ellipsis after it


def test_highlight_without_a_match_shows_the_start_of_the_text():
    segments = highlight(LONG_TEXT, wanted_for("пытки"), width=40)
    assert segments == [("Начало записи о событиях в городе.…", False)]


def test_highlight_of_a_short_text_is_the_whole_text_without_ellipses():
    segments = highlight("Его  задержали\nвчера", wanted_for("задержание"))
    assert segments == [("Его ", False), ("задержали", True), (" вчера", False)]


def test_highlight_of_nothing_is_nothing():
    assert highlight("", wanted_for("арест")) == []
    assert highlight("  \n ", wanted_for("арест")) == []


def test_highlight_cuts_a_word_longer_than_the_window():
    assert highlight("x" * 300, wanted_for("арест"), width=20) == [("x" * 20 + "…", False)]


def test_highlight_keeps_a_match_longer_than_the_window_whole():
    word = "задержание" * 3
    segments = highlight(f"до {word} после", frozenset(terms(word)), width=10)
    assert segments == [("…", False), (word, True), ("…", False)]
