"""What a searcher asked for, in the form every backend understands.

A query string is read once, here: words (each with its analysed terms, its word family and its name
keys), "quoted phrases", ``prefix*`` words and ``-excluded`` words. Backends translate the result; they
never analyse text themselves, so both backends match exactly the same terms.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from khronika.search import analysis, names

MAX_QUERY_LENGTH = 500
# Near matches: one edit away from a word of three letters or more (Oleg typed "leg"), two from eight.
FUZZY_MIN_LENGTH = 3
FUZZY_TWO_EDITS_LENGTH = 8
MAX_WORDS = 12
_PHRASE = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class Word:
    """One word of the query: the terms that match it in text, and the keys that match it in names."""

    surface: str
    terms: frozenset[str]
    keys: frozenset[str]
    prefix: bool = False


@dataclass(frozen=True)
class Query:
    text: str = ""
    words: tuple[Word, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[Word, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.words or self.phrases)

    @property
    def highlight_terms(self) -> frozenset[str]:
        found: set[str] = set()
        for word in self.words:
            found.update(word.terms)
        for phrase in self.phrases:
            found.update(phrase)
        return frozenset(found)


@dataclass(frozen=True)
class Scope:
    """Which records and which of their tiers a search may touch (see ``search.policies``)."""

    public_only: bool
    internal_stewards: frozenset[uuid.UUID] = frozenset()


@dataclass(frozen=True)
class SearchRequest:
    query: Query
    scope: Scope
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    limit: int = 20
    offset: int = 0
    fuzzy: bool = False
    any_word: bool = False  # the last resort of near matches: records matching some words, best first
    with_facets: bool = True


@dataclass(frozen=True)
class Hit:
    kind: str
    id: uuid.UUID
    score: float
    names: tuple[str, ...] = ()


@dataclass
class Found:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    fuzzy: bool = False  # nothing matched exactly; these are near matches (typos)


def _word(surface: str, term: str, keys: frozenset[str], prefix: bool) -> Word:
    # A prefix is matched against indexed terms (stems) and keys: the stem of what was typed so far
    # covers "задержани*" (stem задержан), the folded word covers "задерж*".
    terms = frozenset({term, analysis.fold(surface)}) if prefix else analysis.expand(term)
    return Word(surface=surface, terms=terms, keys=keys, prefix=prefix)


def _words(chunk: str) -> list[Word]:
    """The words of one space-free chunk. Text and names cut a chunk differently: marks of soft and hard
    signs (Il'in, Vasil`ev, Ob``edkov) join a name part but may split a text word, and a dotted number
    (212.1) is one word of text but no name. Words follow the name parts when the two disagree on a
    name, the text words otherwise."""
    prefix = chunk.endswith("*")
    chunk = chunk.rstrip("*")
    tokens = analysis.analyze(chunk)
    parts = names.name_parts(chunk)
    if len(tokens) == len(parts):
        pairs = [
            (chunk[t.start : t.end], t.term, names.name_keys(p)) for t, p in zip(tokens, parts, strict=True)
        ]
    elif len(parts) < len(tokens):
        pairs = [(p, term, names.name_keys(p)) for p in parts for term in analysis.terms(p)[:1]]
    else:
        pairs = [(chunk[t.start : t.end], t.term, frozenset()) for t in tokens]
    last = len(pairs) - 1
    return [_word(surface, term, keys, prefix and i == last) for i, (surface, term, keys) in enumerate(pairs)]


def parse(text: str) -> Query:
    """Read a query string. Over-long input is cut rather than refused: a search box must answer."""
    text = (text or "").strip()[:MAX_QUERY_LENGTH]
    phrases: list[tuple[str, ...]] = []
    for quoted in _PHRASE.findall(text):
        terms = tuple(analysis.terms(quoted))
        if len(terms) > 1:
            phrases.append(terms)
        elif terms:  # a one-word "phrase" is just a word
            text = text.replace(f'"{quoted}"', quoted, 1)
    rest = _PHRASE.sub(" ", text)
    included, excluded = [], []
    for chunk in rest.split():
        if chunk.startswith("-") and len(chunk) > 1:
            excluded.extend(_words(chunk[1:]))
        else:
            included.extend(_words(chunk))
    return Query(
        text=text,
        words=tuple(included[:MAX_WORDS]),
        phrases=tuple(phrases[:MAX_WORDS]),
        excluded=tuple(excluded[:MAX_WORDS]),
    )


def as_you_type(query: Query) -> Query:
    """While someone types, the last word is probably unfinished: let it match as a prefix as well."""
    if not query.words or query.words[-1].prefix:
        return query
    last = query.words[-1]
    terms = last.terms | {analysis.fold(last.surface)}
    widened = Word(surface=last.surface, terms=terms, keys=last.keys, prefix=True)
    return Query(
        text=query.text, words=(*query.words[:-1], widened), phrases=query.phrases, excluded=query.excluded
    )
