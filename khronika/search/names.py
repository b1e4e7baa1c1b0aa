"""Script-insensitive keys for the names of persons and organisations.

A name is searched by KEYS: every name part maps to a small set of plain ASCII keys, and a query part
matches a stored part when their key sets intersect. A Cyrillic part has exactly one key, its canonical
form; a Latin part has one key per spelling profile that reads it differently (English and passport
schemes with ISO diacritics, GOST 7.79 system B, j-for-zh schemes, French, German, Polish).

The canonical form is deliberately coarse, because the transliteration schemes disagree exactly where
Russian spelling itself wavers: е/ё/э are one letter (ё is usually written е), и/й/ы are one letter
(Dmitry, Dmitrii, Dmitrij, Dmitriy), ь and ъ vanish (Ilin, Ilyin, Il'in), doubled letters collapse,
"ie" reads as "e" (Vasiliev, Vasilyev, Sergeyevich, Yevgeny; Валериевич and Валерьевич meet) and т+с
reads as ц. Every other letter keeps its own symbol: ж j, х h, ц c, ч q, ш w, щ wq, ю iu, я ia, so that
Иванов and Ивашов stay apart. Gendered endings are kept apart too (Петров is not Петрова); a fuzzy
comparison of keys (``name_similarity``) bridges them, and typos, when a query needs it. What the keys
fold away, ``name_spelling_string`` keeps, for breaking ties (Fyodorov is Фёдоров rather than Федоров).
Other scripts fold to ASCII without accents; a name with no Latin reading keys on its code points.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from rapidfuzz import fuzz

__all__ = [
    "keys_similarity",
    "name_key_string",
    "name_keys",
    "name_parts",
    "name_similarity",
    "name_spelling_string",
    "part_display_key",
    "part_similarity",
    "similarity_from_scores",
]

# Apostrophes, primes and quotes mark soft and hard signs inside transliterated words (Il'in, ob"ezd,
# Yur’yev, s``esh`), so they are removed rather than treated as word breaks; so are combining marks that
# tie letters (i͡u) and the BGN/PCGN separator dot.
_DROPPED_MARKS = "'\"`´‘’‚‛“”„‟«»‹›ʹʺʻʼʽˈˊ·\u0301\u0306\u0308\u0311\u0361\u035c"
_DROP_TABLE = str.maketrans("", "", _DROPPED_MARKS)
_PART_SEPARATOR = re.compile(r"[\s,.;:/\\|()\[\]{}<>+&!?*_\-\u2010-\u2015\u2212]+")
_NOT_ASCII_ALNUM = re.compile("[^a-z0-9]+")
_NOT_CYRILLIC = re.compile("[^\u0400-\u052f]")

# ---------------------------------------------------------------------------------------------------
# Cyrillic


_CYRILLIC_TO_KEY = str.maketrans(
    {
        **dict(zip("абвгдезиклмнопрстуфхцчшыэ", "abvgdeziklmnoprstufhcqwie", strict=True)),
        "ё": "e", "ж": "j", "й": "i", "щ": "wq", "ъ": "", "ь": "", "ю": "iu", "я": "ia",
        # Letters of the other Cyrillic alphabets a name in a Russian register may carry.
        "і": "i", "ї": "i", "є": "e", "ґ": "g", "ў": "u", "ј": "i", "џ": "dj", "ђ": "dj", "ћ": "q",
        "љ": "l", "њ": "n", "ќ": "k", "ѓ": "g", "қ": "k", "ғ": "g", "ҳ": "h", "ң": "n", "ү": "u",
        "ұ": "u", "ө": "o", "ә": "a", "һ": "h", "ҷ": "dj", "ӣ": "i", "ӯ": "u", "ӏ": "",
    }
)  # fmt: skip

# Latin letters that look like Cyrillic ones, met inside Cyrillic names typed on a mixed keyboard.
_HOMOGLYPHS = ("abcehkmoptxyi", "авсенкмортхуі")
_HOMOGLYPH_TO_CYRILLIC = str.maketrans(dict(zip(*_HOMOGLYPHS, strict=True)))

# Cyrillic spelt the way the English-like profile reads it.
_CYRILLIC_TO_LATIN = str.maketrans(
    {
        **dict(zip("абвгдезиклмнопрстуфыэ", "abvgdeziklmnoprstufye", strict=True)),
        "ё": "e", "ж": "zh", "й": "y", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
        "ъ": "", "ь": "", "ю": "yu", "я": "ya",
    }
)  # fmt: skip

# A Latin word with a few Cyrillic letters inside is read as Latin: a Cyrillic letter that looks like a
# Latin one stands for it (a mixed keyboard), any other is spelt as above.
_MIXED_TO_LATIN = str.maketrans(
    {**_CYRILLIC_TO_LATIN, **{ord(cyrillic): latin for latin, cyrillic in zip(*_HOMOGLYPHS, strict=True)}}
)

# The spelling string keeps what keys fold away (ё, й, ь), in the way most schemes spell them.
_CYRILLIC_TO_SPELLING = str.maketrans({**_CYRILLIC_TO_LATIN, ord("ё"): "yo", ord("ë"): "yo", ord("ĭ"): "y"})

# ---------------------------------------------------------------------------------------------------
# Latin spelling profiles

# Letters whose diacritic changes the sound; every other accented Latin letter folds to its base letter
# before a profile reads the word.
_SOUND_DIACRITICS = "žčšŝûâżłßş"


def _diacritic_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        if char in _SOUND_DIACRITICS:
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        if base.isascii() and base.isalpha():
            table[code] = base.lower()
    table.update({ord(c): "" for c in map(chr, range(0x300, 0x370))})
    return table


_DIACRITIC_FOLD = _diacritic_fold_table()

_BASE_LATIN: dict[str, str] = {
    **{c: c for c in "abcdefghiklmnoprstuvz0123456789"},
    "j": "i", "y": "i", "w": "v", "q": "k", "x": "ks",
    "zh": "j", "kh": "h", "ch": "q", "sh": "w", "sch": "wq", "sc": "wq", "cz": "c", "ck": "k",
    "ž": "j", "č": "q", "š": "w", "ŝ": "wq", "û": "iu", "â": "ia", "ż": "j", "ł": "l", "ß": "s", "ş": "w",
}  # fmt: skip

_CONSONANT = "(?<=[bcdfghklmnpqrstvwxzžčšŝżł])"


@dataclass(frozen=True)
class _Profile:
    """How one family of schemes spells Russian: context rules, then letter groups, then single letters.

    Groups (zh, shch, tsch) are read longest first and written in upper case, so that the table of
    single letters, applied next in one pass, leaves them alone; the key is lowered at the end.
    """

    name: str
    context: tuple[tuple[re.Pattern[str], str], ...]
    groups: re.Pattern[str]
    group_table: dict[str, str]
    letters: dict[int, str]
    # What this profile reads unlike the English-like one: a word without any of it reads the same.
    differences: re.Pattern[str]

    def read(self, word: str) -> str:
        for pattern, replacement in self.context:
            word = pattern.sub(replacement, word)
        return self.groups.sub(self._group, word).translate(self.letters).lower()

    def _group(self, match: re.Match[str]) -> str:
        return self.group_table[match.group()]


# After a consonant, "yo" and "jo" can only be ё (Fyodorov, Solovyov, Fjodorow); in French and Polish
# spelling so is "io" (Fiodorov), except in "iou", the French ю.
_YO_AFTER_CONSONANT = (_CONSONANT + "[yj]o", "E")
_IO_AFTER_CONSONANT = (_CONSONANT + "io(?!u)", "E")


def _profile(name: str, overrides: dict[str, str], context: Sequence[tuple[str, str]] = ()) -> _Profile:
    table = {**_BASE_LATIN, **overrides}
    groups = {latin: key.upper() for latin, key in table.items() if len(latin) > 1}
    differences = [*map(re.escape, overrides), *(pattern for pattern, _ in context), _YO_AFTER_CONSONANT[0]]
    return _Profile(
        name=name,
        context=tuple((re.compile(pattern), replacement) for pattern, replacement in context),
        groups=re.compile("|".join(map(re.escape, sorted(groups, key=len, reverse=True)))),
        group_table=groups,
        letters=str.maketrans({latin: key for latin, key in table.items() if len(latin) == 1}),
        differences=re.compile("|".join(differences)),
    )


_PROFILES: tuple[_Profile, ...] = (
    # English-like schemes (BGN/PCGN, ICAO, MVD, Wikipedia, Yandex) and the ISO diacritic ones.
    _profile("english", {}, [_YO_AFTER_CONSONANT]),
    # GOST 7.79 system B and GOST 16876 without diacritics: x is х, shh is щ, eh is э, and yo or jo
    # (not jjo, their й+о) is ё wherever it stands (Yolkin, Kleyonkina).
    _profile("gost-b", {"x": "h", "shh": "wq", "eh": "e"}, [("(?<!j)[yj]o", "E")]),
    # Schemes with j for ж (Telegram, Uzbek Latin), where x is х.
    _profile("j-for-zh", {"j": "j", "x": "h"}, [(_CONSONANT + "yo", "E")]),
    _profile(
        "french",
        {"ch": "w", "tch": "q", "chtch": "wq", "shch": "wq", "j": "j", "ou": "u", "sch": "wq"},
        [_IO_AFTER_CONSONANT, ("gu(?=[eiy])", "g"), ("ine$", "in")],
    ),
    _profile(
        "german",
        {"sch": "w", "tsch": "q", "schtsch": "wq", "ch": "h", "sh": "j", "z": "c", "tz": "c"},
        [_YO_AFTER_CONSONANT],
    ),
    _profile(
        "polish",
        {"sz": "w", "cz": "q", "szcz": "wq", "rz": "j", "ch": "h"},
        [_YO_AFTER_CONSONANT, _IO_AFTER_CONSONANT],
    ),
)

# ---------------------------------------------------------------------------------------------------
# Keys


def _collapse(key: str) -> str:
    letters: list[str] = []
    previous = ""
    for letter in key:
        if letter != previous:
            letters.append(letter)
            previous = letter
    return "".join(letters)


def _fold(key: str) -> str:
    """The coarse folds shared by every script (see the module docstring)."""
    key = _collapse(key.replace("ts", "c").replace("tc", "c").replace("tq", "q"))
    return _collapse(key.replace("ie", "e")) if "ie" in key else key


def _ascii_letters(text: str) -> str:
    return _NOT_ASCII_ALNUM.sub("", text)


def _script_counts(text: str) -> tuple[int, int, int]:
    """How many Cyrillic, Latin and other letters ``text`` has."""
    if text.isascii():
        return 0, sum(map(str.isalpha, text)), 0
    if not _NOT_CYRILLIC.search(text):
        return len(text), 0, 0
    cyrillic = latin = other = 0
    for char in text:
        if "\u0400" <= char <= "\u052f":
            cyrillic += 1
        elif char.isascii():
            latin += char.isalpha()
        elif char.isalpha():
            if unicodedata.name(char, "").startswith("LATIN"):
                latin += 1
            else:
                other += 1
    return cyrillic, latin, other


def _cyrillic_key(text: str, has_latin: bool) -> str:
    if has_latin:
        text = text.translate(_HOMOGLYPH_TO_CYRILLIC)
    key = text.translate(_CYRILLIC_TO_KEY)
    return _fold(_ascii_letters(key if key.isascii() else key.translate(_DIACRITIC_FOLD)))


def _latin_word(text: str) -> str:
    return text if text.isascii() else text.translate(_MIXED_TO_LATIN).translate(_DIACRITIC_FOLD)


def _latin_keys(text: str) -> list[str]:
    word = _latin_word(text)
    english, *others = _PROFILES
    keys = [_fold(_ascii_letters(english.read(word)))]
    keys.extend(
        _fold(_ascii_letters(profile.read(word))) for profile in others if profile.differences.search(word)
    )
    return keys


def _fallback_key(text: str) -> str:
    """Other scripts: accents stripped; a name with no Latin reading keeps its code points, in hex."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _ascii_letters(folded) or "u" + "".join(f"{ord(c):x}" for c in folded if c.isalnum())


def _clean(part: str) -> str:
    return unicodedata.normalize("NFC", part).translate(_DROP_TABLE).casefold()


@lru_cache(maxsize=1 << 17)
def name_keys(part: str) -> frozenset[str]:
    """The keys of ONE name part: one for Cyrillic, one per differing Latin profile; empty if no letter."""
    text = _clean(part)
    cyrillic, latin, other = _script_counts(text)
    if other > cyrillic + latin:
        keys = [_fallback_key(text)]
    elif cyrillic and cyrillic >= latin:
        keys = [_cyrillic_key(text, has_latin=latin > 0)]
    elif latin:
        keys = _latin_keys(text)
    else:
        keys = [_ascii_letters(text)]
    return frozenset(key for key in keys if key)


@lru_cache(maxsize=1 << 17)
def part_display_key(part: str) -> str:
    """One deterministic key of a part: the Cyrillic key, or the English-like reading of a Latin part."""
    text = _clean(part)
    cyrillic, latin, other = _script_counts(text)
    if other > cyrillic + latin:
        return _fallback_key(text)
    if cyrillic and cyrillic >= latin:
        return _cyrillic_key(text, has_latin=latin > 0)
    return _fold(_ascii_letters(_PROFILES[0].read(_latin_word(text))))


def name_parts(text: str) -> list[str]:
    """Split a full name into its parts, in order: breaks at spaces, commas, dots, hyphens, brackets."""
    cleaned = unicodedata.normalize("NFC", text).translate(_DROP_TABLE)
    return [part for part in _PART_SEPARATOR.split(cleaned) if part]


def name_key_string(text: str) -> str:
    """A display key of a whole name: the display keys of its parts, joined by spaces."""
    return " ".join(key for key in map(part_display_key, name_parts(text)) if key)


def name_spelling_string(text: str) -> str:
    """A plain Latin spelling of a whole name that keeps what the keys fold (е/ё, и/й, ь).

    Names with equal keys (Фёдоров, Федоров) compare by it to break a tie: "Fyodorov" is closer to
    Фёдоров. Cyrillic is spelt in an English-like way; Latin loses its accents, but for the two that
    mark exactly what the keys fold: ë (ё) and ĭ (й).
    """
    spelt = unicodedata.normalize("NFC", text).casefold().translate(_CYRILLIC_TO_SPELLING)
    folded = "".join(c for c in unicodedata.normalize("NFKD", spelt) if not unicodedata.combining(c))
    return " ".join(_ascii_letters(part) for part in name_parts(folded))


# ---------------------------------------------------------------------------------------------------
# Similarity

# An initial ("A.", "Yu.") matches a full part that starts with it, a little below an exact match so
# that a query with initials prefers the record written with initials.
_INITIAL_SCORE = 90.0
# A name part the query does not mention (usually the patronymic) costs a little, so that the fullest
# match ranks first without burying a record the query names only in part.
_UNMATCHED_NAME_PART_COST = 3.0
_ORDER_COST = 0.5


def part_similarity(query_keys: frozenset[str], name_keys_: frozenset[str]) -> float:
    """Similarity 0..100 of two parts given by their keys: 100 if they share one, 90 for an initial."""
    if query_keys & name_keys_:
        return 100.0
    best = 0.0
    for query_key in query_keys:
        for name_key in name_keys_:
            if (len(query_key) <= 2 and name_key.startswith(query_key)) or (
                len(name_key) <= 2 and query_key.startswith(name_key)
            ):
                score = _INITIAL_SCORE
            else:
                score = fuzz.ratio(query_key, name_key)
            best = max(best, score)
    return best


def keys_similarity(query: Sequence[frozenset[str]], name: Sequence[frozenset[str]]) -> float:
    """Similarity 0..100 of two names given as the key sets of their parts (see ``name_similarity``)."""
    columns = [[part_similarity(query_part, name_part) for query_part in query] for name_part in name]
    return similarity_from_scores(columns, len(query))


def similarity_from_scores(columns: Sequence[Sequence[float]], query_count: int) -> float:
    """The name similarity from part scores: ``columns[j][i]`` compares query part i with name part j.

    A caller ranking many names computes each column once per distinct name part and reuses it.
    """
    if not columns or not query_count:
        return 0.0
    # Best pairs first; between equal scores, the pair that keeps the parts' positions.
    pairs = sorted(
        (-score, abs(i - j), i, j)
        for j, column in enumerate(columns)
        for i, score in enumerate(column)
        if score
    )
    matched: dict[int, int] = {}
    used: set[int] = set()
    total = 0.0
    for negative_score, _distance, i, j in pairs:
        if i not in matched and j not in used:
            matched[i] = j
            used.add(j)
            total -= negative_score
    order = [matched[i] for i in sorted(matched)]
    inversions = sum(1 for a, b in pairwise(order) if a > b)
    unmatched = len(columns) - len(used)
    result = total / query_count - _UNMATCHED_NAME_PART_COST * unmatched - _ORDER_COST * inversions
    return max(0.0, min(100.0, result))


def name_similarity(query: str, name: str) -> float:
    """How well ``query`` names ``name``, 0..100, over keys: any script or scheme, any word order.

    Each query part is paired with the name part it matches best (exact key 100, an initial 90, else the
    fuzzy ratio of the keys, which forgives a typo); the score is the mean over the query's parts, less
    a few points per name part the query leaves out.
    """
    query_keys = [keys for keys in map(name_keys, name_parts(query)) if keys]
    name_keys_ = [keys for keys in map(name_keys, name_parts(name)) if keys]
    return keys_similarity(query_keys, name_keys_)
