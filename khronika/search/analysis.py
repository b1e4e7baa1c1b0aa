"""Text analysis shared by both search backends: text → words → folded, stemmed terms.

Both backends index the terms made here, never their own analysis, so a query finds the same records
whichever backend a node runs. The pipeline, per word:

1. Words are runs of letters and digits (a stress mark or soft hyphen inside a word does not split it;
   an apostrophe between letters joins, as in "O'Brien" or "Navalny's"). Dotted numbers stay one word,
   because lawyers search for article numbers such as "20.2" or "ст. 212.1". Hyphens and underscores
   split ("кто-то" → "кто", "то").
2. ``fold``: NFKC, case folding, ё → е; stress marks dropped from Cyrillic words; accents stripped from
   Latin words ("Łukasz" → "lukasz"). A Cyrillic word typed with Latin look-alike letters
   ("Hавальный" with a Latin H) is read as Cyrillic.
3. Stop words (``STOP_WORDS``) are dropped.
4. The stemmer is chosen by script: Snowball Russian for Cyrillic, Snowball English for Latin; other
   scripts and numbers keep their folded form.

Queries add one step: ``expand`` joins the stems of a curated word family (``data/word_families.txt``)
that Snowball alone leaves apart, such as "задержание" / "задержали" or "detention" / "detained".
``highlight`` marks the original words of a text whose terms a query wanted.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import Stemmer

FAMILIES_PATH = Path(__file__).resolve().parent / "data" / "word_families.txt"

# Longer "words" are identifiers, hashes or base64, never searched by hand; they would only bloat the index.
MAX_WORD_LENGTH = 100

# Short on purpose: only function words that carry no meaning of their own. Left out although frequent:
# "ли" (also the surname Ли), "нет", "против" (meaningful in "протест против …"), and in English "it" (IT),
# "us" (US), "who" (WHO), "will", "may", "can" (nouns or names too), "no" (No. 5).
# Space-separated, the lists read as they are documented; ruff's SIM905 would make them 50 lines each.
RUSSIAN_STOP_WORDS = frozenset(
    "а без бы в во да для до его ее же за и из или их к как ко мы на над не ни о об обо он она оно они от "  # noqa: SIM905
    "по под при про с со так то ты у уже что чтобы это еще я вы".split()
)
ENGLISH_STOP_WORDS = frozenset(
    "a an and are as at be been but by for from had has have he her his in into is not of on or she that "  # noqa: SIM905
    "the their them these they this those to was were which with".split()
)
STOP_WORDS = RUSSIAN_STOP_WORDS | ENGLISH_STOP_WORDS

_MARKS = "\u0300-\u036f\u00ad"  # combining accents and the soft hyphen, which may sit inside a word
_WORD = re.compile(rf"\d+(?:\.\d+)+|[^\W_]+(?:[{_MARKS}]+[^\W_]*)*(?:['’][^\W_]+(?:[{_MARKS}]+[^\W_]*)*)*")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_CYRILLIC_WORD_MARKS = re.compile(r"[\u0300-\u036f\u0483-\u0489]")
_ASCII_LETTER = re.compile(r"[a-z]")
_LATIN_LETTER = re.compile(r"[a-z\u00c0-\u024f\u1e00-\u1eff]")
# Latin letters with no Cyrillic twin: a mixed word holding one of them is not a look-alike typo.
_LATIN_WITHOUT_TWIN = re.compile(r"[dfgijlnqrsuvwz]")
_TWINS = str.maketrans("aceopxykmthb", "асеорхукмтнв")
_APOSTROPHES_AND_SOFT_HYPHEN = str.maketrans({"’": "'", "ʼ": "'", "\u00ad": None})
# Latin letters that Unicode does not decompose into a base letter and an accent.
_LATIN_UNDECOMPOSED = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"}
)


@dataclass(frozen=True, slots=True)
class Token:
    """One analysed word: its term, and where the word stands in the original text."""

    term: str
    start: int
    end: int


class _Stemmers(threading.local):
    """One pair of stemmers per thread: a Snowball stemmer keeps state between calls and is not safe to
    share. Their own caches are off because ``_term_of`` caches whole words in front of them."""

    def __init__(self) -> None:
        self.russian = Stemmer.Stemmer("russian")
        self.english = Stemmer.Stemmer("english")
        self.russian.maxCacheSize = 0
        self.english.maxCacheSize = 0


_STEMMERS = _Stemmers()


def fold(word: str) -> str:
    """The searchable spelling of one word: what differs only in case, ё/е or accents is the same."""
    if word.isascii():
        return word.lower()
    folded = unicodedata.normalize("NFKC", word).casefold().translate(_APOSTROPHES_AND_SOFT_HYPHEN)
    folded = folded.replace("ё", "е")
    if _CYRILLIC.search(folded):
        if _ASCII_LETTER.search(folded) and not _LATIN_WITHOUT_TWIN.search(folded):
            folded = folded.translate(_TWINS)
        # NFKC has composed й and ё, so the marks left on a Cyrillic word are stress marks.
        return _CYRILLIC_WORD_MARKS.sub("", folded)
    if _LATIN_LETTER.search(folded):
        decomposed = unicodedata.normalize("NFD", folded)
        stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
        return unicodedata.normalize("NFC", stripped).translate(_LATIN_UNDECOMPOSED)
    return folded


# Keyed by the word as written, so that the common words of a corpus skip folding and stemming entirely.
@functools.lru_cache(maxsize=1 << 17)
def _term_of(word: str) -> str:
    """The term of one word, or "" when the word is not indexed (a stop word or an over-long word)."""
    folded = fold(word)
    if folded in STOP_WORDS or len(folded) > MAX_WORD_LENGTH:
        return ""
    if _CYRILLIC.search(folded):
        return str(_STEMMERS.russian.stemWord(folded))
    if _ASCII_LETTER.search(folded):
        return str(_STEMMERS.english.stemWord(folded))
    return folded


def analyze(text: str) -> list[Token]:
    """The indexed words of ``text`` in order, with offsets into ``text`` itself."""
    # findall and str.find are faster than match objects. The find is exact: every letter or digit starts
    # a word, so the text between two words holds neither and cannot hide an earlier copy of the next word.
    tokens = []
    end = 0
    for word in _WORD.findall(text):
        start = text.find(word, end)
        end = start + len(word)
        term = _term_of(word)
        if term:
            tokens.append(Token(term, start, end))
    return tokens


def terms(text: str) -> list[str]:
    """The indexed terms of ``text`` in order: what both backends store for a field."""
    return [term for word in _WORD.findall(text) if (term := _term_of(word))]


def parse_word_families(source: str) -> dict[str, frozenset[str]]:
    """Map each stem of each family (one line of words; ``#`` starts a comment) to the family's stems.

    A stem in two families is a mistake in the table (which family would a query mean?), and so is a
    word that is a stop word or more than one word: both raise ``ValueError`` naming the line.
    """
    family_of: dict[str, frozenset[str]] = {}
    line_of_stem: dict[str, int] = {}
    for number, line in enumerate(source.splitlines(), start=1):
        words = line.split("#", 1)[0].split()
        stems = frozenset(_family_stem(word, number) for word in words)
        for stem in stems:
            if stem in line_of_stem:
                raise ValueError(
                    f"word families, line {number}: stem {stem!r} is already in line {line_of_stem[stem]}"
                )
            line_of_stem[stem] = number
        if len(stems) > 1:
            family_of.update(dict.fromkeys(stems, stems))
    return family_of


def _family_stem(word: str, line_number: int) -> str:
    word_terms = terms(word)
    if len(word_terms) != 1:
        raise ValueError(f"word families, line {line_number}: {word!r} is not one indexed word")
    return word_terms[0]


@functools.cache
def _families() -> dict[str, frozenset[str]]:
    return parse_word_families(FAMILIES_PATH.read_text(encoding="utf-8"))


def expand(term: str) -> frozenset[str]:
    """``term`` and the other stems of its word family; just ``{term}`` outside any family."""
    return _families().get(term) or frozenset((term,))


def query_terms(text: str) -> list[frozenset[str]]:
    """One set of alternative terms per query word, in the query's order (stop words dropped)."""
    return [expand(term) for term in terms(text)]


_SPACES = re.compile(r"\s+")


def highlight(text: str, wanted: set[str] | frozenset[str], *, width: int = 160) -> list[tuple[str, bool]]:
    """A snippet of about ``width`` characters of ``text`` as ``(text, is_match)`` segments.

    The window holds the most words whose term is in ``wanted``; it is cut at spaces, "…" marks a cut,
    and runs of white space become one space. Without a match the snippet is the start of the text.
    Segments are plain text: the caller escapes them and wraps the matches.
    """
    if not text or text.isspace():
        return []
    matches = [token for token in analyze(text) if token.term in wanted]
    if not matches:
        start = len(text) - len(text.lstrip())
        end = min(len(text), start + width)
        return _segments(text, start, _cut_end(text, end, floor=start, otherwise=end), [])
    first, last = _densest_run(matches, width)
    start, end = _window(text, matches[first].start, matches[last].end, width)
    inside = [token for token in matches if token.start >= start and token.end <= end]
    return _segments(text, start, end, inside)


def _densest_run(matches: list[Token], width: int) -> tuple[int, int]:
    """Indexes of the first and last match of the earliest run of most matches spanning ≤ ``width``."""
    best = (0, 0)
    last = 0
    for first in range(len(matches)):
        last = max(last, first)
        while last + 1 < len(matches) and matches[last + 1].end - matches[first].start <= width:
            last += 1
        if last - first > best[1] - best[0]:
            best = (first, last)
    return best


def _window(text: str, low: int, high: int, width: int) -> tuple[int, int]:
    """About ``width`` characters around ``text[low:high]``, cut at spaces, never inside that span."""
    spare = max(0, width - (high - low))
    start = max(0, low - spare // 2)
    end = min(len(text), max(high, start + width))
    start = max(0, min(start, end - width))  # near the end of the text, show more of what precedes
    return _cut_start(text, start, ceiling=low), _cut_end(text, end, floor=high, otherwise=high)


def _cut_start(text: str, start: int, *, ceiling: int) -> int:
    if start == 0 or text[start - 1].isspace() or text[start].isspace():
        return start
    for index in range(start, ceiling):
        if text[index].isspace():
            return index + 1
    return ceiling


def _cut_end(text: str, end: int, *, floor: int, otherwise: int) -> int:
    """Move ``end`` back to a space, but not below ``floor``; ``otherwise`` when there is none."""
    if end >= len(text) or text[end].isspace() or text[end - 1].isspace():
        return end
    for index in range(end - 1, floor - 1, -1):
        if text[index].isspace():
            return index
    return otherwise


def _segments(text: str, start: int, end: int, matches: list[Token]) -> list[tuple[str, bool]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    pieces: list[tuple[str, bool]] = []
    if text[:start].strip():
        pieces.append(("…", False))
    position = start
    for token in matches:
        pieces.append((text[position : token.start], False))
        pieces.append((text[token.start : token.end], True))
        position = token.end
    pieces.append((text[position:end], False))
    if text[end:].strip():
        pieces.append(("…", False))
    return _tidy(pieces)


def _tidy(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Join neighbouring plain pieces, collapse white space and drop what is empty."""
    joined: list[tuple[str, bool]] = []
    for piece, is_match in pieces:
        piece = _SPACES.sub(" ", piece)
        if joined and not is_match and not joined[-1][1]:
            joined[-1] = (joined[-1][0] + piece, False)
        else:
            joined.append((piece, is_match))
    return [(piece, is_match) for piece, is_match in joined if piece]
