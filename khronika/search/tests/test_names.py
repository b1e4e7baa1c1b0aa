"""Name keys: every common spelling of a Russian name part meets its Cyrillic form, different names don't."""

from __future__ import annotations

import pytest

from khronika.search.names import (
    keys_similarity,
    name_key_string,
    name_keys,
    name_parts,
    name_similarity,
    name_spelling_string,
    part_display_key,
    part_similarity,
)

# Each Cyrillic part with spellings of it in Latin: passport and library schemes (ICAO, MVD, GOST 7.79
# A and B, BGN/PCGN, ALA-LC, ISO 9, scientific, Wikipedia, Telegram, Yandex) and German, French, Polish.
SPELLINGS: dict[str, list[str]] = {
    "Шевченко": ["Shevchenko", "Ševčenko", "Schewtschenko", "Chevtchenko", "Szewczenko", "SHEVCHENKO"],
    "Юлия": ["Yulia", "Yuliya", "Iuliia", "Julija", "Ioulia", "Ûliâ", "I͡ulii͡a", "Julia"],
    "Сергеевич": ["Sergeevich", "Sergeyevich", "Sergejewitsch", "Sergeevitch", "Sergeevič", "Sergeevich"],
    "Щеглова": ["Shcheglova", "Chtcheglova", "Szczegłowa", "Scheglova", "Shheglova", "Ŝeglova", "Sceglova"],
    "Фёдоров": ["Fyodorov", "Fedorov", "Fjodorow", "Fiodorov", "Fëdorov", "Fёdorov", "Fedorov"],
    "Федоров": ["Fyodorov", "Fedorov"],
    "Жуков": ["Zhukov", "Žukov", "Jukov", "Żukow", "Shukow"],
    "Хабаров": ["Khabarov", "Habarov", "Xabarov", "Chabarow"],
    "Цветков": ["Tsvetkov", "Cvetkov", "Czvetkov", "Tcvetkov", "Zwetkow"],
    "Юрий": ["Yuri", "Yuriy", "Iurii", "Jurij", "Iouri", "Ûrij", "Yury"],
    "Яков": ["Yakov", "Iakov", "Jakow", "Âkov", "Jakov"],
    "Дмитрий": ["Dmitry", "Dmitrii", "Dmitrij", "Dmitriy", "Dmitri"],
    "Алексей": ["Aleksey", "Alexey", "Aleksei", "Alexei", "Aleksej", "Aleksiej"],
    "Евгений": ["Yevgeny", "Evgeny", "Evgenii", "Jewgeni", "Evgenij", "Evgeniy"],
    "Татьяна": ["Tatyana", "Tatiana", "Tat'jana", "Tatjana", "Tatʹâna", "Tat’yana"],
    "Васильев": ["Vasilyev", "Vasiliev", "Vasilev", "Vasil'ev", "Wassiljew", "Vasilʹev"],
    "Соловьёв": ["Solovyov", "Solovyev", "Solovev", "Soloviev", "Solowjow"],
    "Ильин": ["Ilyin", "Ilin", "Il'in", "Iljin", "Iline"],
    "Михаил": ["Mikhail", "Mihail", "Mixail", "Michail"],
    "Георгий": ["Georgiy", "Gueorguii", "Georgij", "Georgii", "Georgy"],
    "Эдуард": ["Eduard", "E`duard", "Ehduard", "Èduard", "Ėduard"],
    "Елена": ["Yelena", "Elena", "Jelena", "Ielena"],
    "Ёлкин": ["Yolkin", "Jolkin", "Elkin", "Ëlkin"],
    "Хрущёв": ["Khrushchyov", "Khrushchev", "Hruŝëv", "Chruschtschjow", "Hrushhyov", "Xrushhyov"],
    "Пётр": ["Pyotr", "Petr", "Piotr", "Pjotr", "Pëtr"],
    "Наталья": ["Natalya", "Natalia", "Natal'ja", "Natalja", "Natalʹâ"],
    "Чайковский": ["Tchaikovsky", "Chaykovskiy", "Čajkovskij", "Tschaikowski", "Czajkowski", "Chaikovskii"],
    "Григорьевич": ["Grigoryevich", "Grigorievich", "Grigor'evič", "Grigorjewitsch", "Grigorievitch"],
    "Ксения": ["Kseniya", "Ksenia", "Kseniia", "Xenia", "Ksenija"],
}

# Different names that a coarse key must still keep apart. Gendered endings stay apart on purpose:
# Петров and Петрова are different keys, and only the fuzzy similarity brings them together.
DIFFERENT: list[tuple[str, str]] = [
    ("Иванов", "Ивашов"),
    ("Петров", "Петрова"),
    ("Шукин", "Щукин"),
    ("Жуков", "Зуков"),
    ("Цветков", "Светков"),
    ("Козлов", "Кослов"),
    ("Чернов", "Шернов"),
    ("Хохлов", "Кохлов"),
    ("Юрьев", "Урьев"),
    ("Морозов", "Марозов"),
    ("Ivanov", "Ивашов"),
    ("Zhukov", "Зуков"),
    ("Shchukin", "Шукин"),
]


def test_cyrillic_part_has_exactly_one_ascii_key() -> None:
    for cyrillic in SPELLINGS:
        keys = name_keys(cyrillic)
        assert len(keys) == 1
        assert all(key.isascii() and key.isalnum() for key in keys)


@pytest.mark.parametrize("cyrillic", sorted(SPELLINGS))
def test_every_spelling_meets_the_cyrillic_key(cyrillic: str) -> None:
    target = name_keys(cyrillic)
    for latin in SPELLINGS[cyrillic]:
        keys = name_keys(latin)
        assert keys & target, f"{latin} {sorted(keys)} misses {cyrillic} {sorted(target)}"
        assert 1 <= len(keys) <= 6
        assert all(key.isascii() for key in keys)


@pytest.mark.parametrize(("first", "second"), DIFFERENT)
def test_different_names_do_not_share_keys(first: str, second: str) -> None:
    assert not name_keys(first) & name_keys(second)


def test_coarse_letters_fold_together() -> None:
    assert name_keys("Фёдоров") == name_keys("Федоров")
    assert name_keys("Валерьевич") == name_keys("Валериевич")
    assert name_keys("Дмитрий") == name_keys("Дмитрый")
    assert name_keys("Эдуард") == name_keys("Едуард")
    assert name_keys("Филиппов") == name_keys("Филипов")


def test_keys_ignore_case_and_latin_look_alikes_inside_cyrillic() -> None:
    assert name_keys("ШЕВЧЕНКО") == name_keys("шевченко") == name_keys("Шевченко")
    # "С" typed as Latin C inside a Cyrillic surname
    assert name_keys("Cоколова") == name_keys("Соколова")
    assert name_keys("Дeмин") == name_keys("Демин")
    # and the other way round: a Cyrillic letter inside a Latin word
    assert name_keys("Shсheglova") & name_keys("Щеглова")


def test_other_scripts_fall_back_to_an_ascii_fold() -> None:
    assert name_keys("Παπαδόπουλος") == name_keys("Παπαδοπουλος")
    assert all(key.isascii() for key in name_keys("Παπαδόπουλος"))
    assert name_keys("") == frozenset()
    assert name_keys("...") == frozenset()


def test_name_parts_split_on_spaces_commas_dots_hyphens_and_brackets() -> None:
    assert name_parts("Шевченко Тарас Григорьевич") == ["Шевченко", "Тарас", "Григорьевич"]
    assert name_parts("Римский-Корсаков Н.А.") == ["Римский", "Корсаков", "Н", "А"]
    assert name_parts("Иванова (Маниович) Светлана,  Ивановна") == [
        "Иванова",
        "Маниович",
        "Светлана",
        "Ивановна",
    ]
    assert name_parts("«Мемориал»") == ["Мемориал"]
    # Apostrophes mark soft signs inside a transliterated part: they are dropped, not split on.
    assert name_parts("Il'in Igor' Yur’yevich") == ["Ilin", "Igor", "Yuryevich"]


def test_display_key_is_one_key_per_part() -> None:
    assert name_key_string("Шевченко Тарас") == name_key_string("Shevchenko Taras")
    assert name_key_string("Щеглова Юлия") == "wqeglova iulia"
    assert part_display_key("Chevtchenko") in name_keys("Chevtchenko")


def test_similarity_is_100_for_any_spelling_of_the_same_name() -> None:
    assert name_similarity("Shcheglova Iuliia", "Щеглова Юлия") == 100
    assert name_similarity("Sergeyev Fyodor Petrovich", "Сергеев Фёдор Петрович") == 100
    assert name_similarity("Chevtchenko Taras Grigorievitch", "Шевченко Тарас Григорьевич") == 100


def test_similarity_forgives_word_order_and_a_missing_patronymic() -> None:
    full = "Шевченко Тарас Григорьевич"
    assert name_similarity("Shevchenko Taras", full) >= 95
    assert name_similarity("Taras Shevchenko", full) >= 95
    assert name_similarity("Rimsky-Korsakov Nikolai", "Римский-Корсаков Николай Андреевич") >= 95


def test_similarity_forgives_one_typo_and_prefers_the_right_name() -> None:
    typo = "Shevchenco Taras Grigorievich"
    right = name_similarity(typo, "Шевченко Тарас Григорьевич")
    assert right >= 90
    assert right > name_similarity(typo, "Шевчук Тарас Григорьевич")
    assert right > name_similarity(typo, "Шевченко Тарас Петрович")


def test_similarity_of_unrelated_names_is_low() -> None:
    assert name_similarity("Ivanov Pavel", "Шевченко Тарас Григорьевич") < 50
    assert name_similarity("", "Шевченко") == 0
    assert name_similarity("Shevchenko", "") == 0


def test_initials_match_a_little_below_full_parts() -> None:
    query = "Ivanov A. A."
    with_initials = name_similarity(query, "Иванов А. А.")
    with_full_parts = name_similarity(query, "Иванов Андрей Алексеевич")
    assert with_initials == 100
    assert 85 <= with_full_parts < with_initials
    assert name_similarity(query, "Иванов Борис Борисович") < with_full_parts


def test_gendered_endings_are_close_but_not_equal() -> None:
    assert 80 <= name_similarity("Petrova", "Петров") < 100
    assert part_similarity(name_keys("Petrova"), name_keys("Петрова")) == 100
    assert keys_similarity([name_keys("Petrova")], [name_keys("Петров")]) < 100


def test_spelling_string_keeps_what_the_keys_fold() -> None:
    assert name_keys("Фёдоров") == name_keys("Федоров")
    assert name_spelling_string("Фёдоров Пётр") == name_spelling_string("Fëdorov Pëtr") == "fyodorov pyotr"
    assert name_spelling_string("Федоров Петр") == "fedorov petr"
    assert name_spelling_string("Геннадиевна") != name_spelling_string("Геннадьевна")
