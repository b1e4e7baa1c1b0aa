"""Recall of name search across transliteration schemes, on real names.

    .venv/bin/python -m bench.quality.names [--data ../shared/data] [--limit N] [--seed S] [--misses K]

Every Russian name of the war-enablers list (``acf-war-enablers``) is transliterated by each of the 28
schemes of ``translit-iuliia`` and searched, once as is and once with one random typo (substitution,
deletion, insertion or transposition of one letter in one name part of four letters or more). A query
is a hit when the first result is the queried name; namesakes count as hits, two names being the same
when their parts are (so "Иванов А.А." and "Иванов А. А." are one name). Without a ``search`` callable
the evaluation uses ``ReferenceSearcher``, an in-memory searcher built on ``khronika.search.names``:
blocking on part keys, fuzzy keys when a part finds nothing, re-ranking by ``keys_similarity``.
Targets: recall@1 >= 0.985 for exact transliterations and >= 0.97 with one typo.
"""

from __future__ import annotations

import argparse
import csv
import heapq
import json
import math
import random
import re
import string
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from khronika.search.names import (
    name_keys,
    name_parts,
    name_spelling_string,
    part_similarity,
    similarity_from_scores,
)

Scheme = dict[str, Any]
Search = Callable[[str], list[str]]

TARGET_EXACT = 0.985
TARGET_TYPO = 0.97

# ---------------------------------------------------------------------------------------------------
# Transliteration by a scheme file

_WORD = re.compile(r"[^\W\d_]+")


def _cased(latin: str, source_letter: str, word: str) -> str:
    if not source_letter.isupper():
        return latin
    if len(word) > 1 and word.isupper():
        return latin.upper()
    return latin[:1].upper() + latin[1:]


def _letter(scheme: Scheme, previous: str, current: str, following: str) -> str | None:
    """The Latin for ``current`` (lower case): context rules first, then the plain letter table."""
    for table_name, key in (("prev_mapping", previous + current), ("next_mapping", current + following)):
        table = scheme.get(table_name) or {}
        if key in table:
            return str(table[key])
    value = scheme["mapping"].get(current)
    return None if value is None else str(value)


def _transliterate_word(word: str, scheme: Scheme) -> str:
    lower = word.lower()
    endings: dict[str, str] = scheme.get("ending_mapping") or {}
    stem_length, ending = len(word), ""
    for size in sorted({len(key) for key in endings}, reverse=True):
        if len(word) > size and lower[-size:] in endings:
            stem_length = len(word) - size
            ending = _cased(endings[lower[-size:]], word[stem_length], word)
            break
    letters = []
    for index in range(stem_length):
        previous = lower[index - 1] if index else ""
        following = lower[index + 1] if index + 1 < stem_length else ""
        latin = _letter(scheme, previous, lower[index], following)
        # A letter the scheme does not know (Latin look-alikes in a Cyrillic name) stays as written.
        letters.append(word[index] if latin is None else _cased(latin, word[index], word))
    return "".join(letters) + ending


def transliterate(text: str, scheme: Scheme) -> str:
    """``text`` spelt in Latin by ``scheme`` (one file of translit-iuliia): word by word, letter by letter.

    A letter is looked up by (previous, current) in ``prev_mapping`` (the previous letter is empty at the
    start of a word, so a one-letter key there is a word-initial rule), then by (current, next) in
    ``next_mapping``, then alone in ``mapping``; a word ending found in ``ending_mapping`` is spelt as a
    whole. An upper-case letter gives a capitalised spelling (Shch), a word in capitals stays in capitals.
    """
    return _WORD.sub(lambda match: _transliterate_word(match.group(), scheme), text)


def load_schemes(directory: Path) -> dict[str, Scheme]:
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(directory.glob("*.json"))
    }


def sample_agreement(scheme: Scheme) -> tuple[int, int]:
    """How many of the scheme's own samples ``transliterate`` reproduces exactly, out of how many."""
    samples = scheme.get("samples") or []
    return sum(transliterate(cyrillic, scheme) == latin for cyrillic, latin in samples), len(samples)


def load_names(directory: Path) -> list[str]:
    names: list[str] = []
    for path in sorted(directory.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as file:
            names.extend(row["Name ru"].strip() for row in csv.DictReader(file) if row["Name ru"].strip())
    return names


# ---------------------------------------------------------------------------------------------------
# Queries


def add_typo(query: str, rng: random.Random) -> str | None:
    """``query`` with one letter substituted, deleted, inserted or transposed in one part of 4+ letters."""
    spans = [match.span() for match in _WORD.finditer(query) if match.end() - match.start() >= 4]
    if not spans:
        return None
    start, end = rng.choice(spans)
    word = list(query[start:end])
    operation = rng.choice(("substitute", "delete", "insert", "transpose"))
    position = rng.randrange(len(word))
    letter = rng.choice(string.ascii_lowercase)
    if operation == "substitute":
        word[position] = rng.choice([c for c in string.ascii_lowercase if c != word[position].lower()])
    elif operation == "delete":
        del word[position]
    elif operation == "insert":
        word.insert(position, letter)
    else:
        position = min(position, len(word) - 2)
        word[position], word[position + 1] = word[position + 1], word[position]
    return query[:start] + "".join(word) + query[end:]


def same_name(first: str, second: str) -> bool:
    return [part.casefold() for part in name_parts(first)] == [part.casefold() for part in name_parts(second)]


# ---------------------------------------------------------------------------------------------------
# Reference searcher

# A part found only through a key one or two edits away counts for less than a part found as typed.
_FUZZY_WEIGHT = 0.8
_RERANK = 40
# Candidates far below the best blocking score cannot win the re-ranking; skip them.
_RERANK_FLOOR = 0.5


def _max_distance(key: str) -> int:
    # Two edits on a short key reach too many other names to be a typo of this one.
    return 1 if len(key) <= 5 else 2


@dataclass
class ReferenceSearcher:
    """An in-memory name search over key blocks, re-ranked by the similarity of the keys.

    Candidates are the names sharing a key with a query part, weighted by how rare the part's names are.
    A part that finds nothing, and every part when no name has them all, also looks for keys within
    one or two edits (a typo), found by rapidfuzz among the keys of about the same length.
    """

    names: Sequence[str]
    part_keys: list[list[frozenset[str]]] = field(init=False)
    index: dict[str, list[int]] = field(init=False)
    # length -> the keys within two letters of that length: the only ones two edits can reach
    by_length: dict[int, list[str]] = field(init=False)
    spellings: list[str] = field(init=False)
    fuzzy_cache: dict[str, frozenset[str]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.part_keys = [[keys for keys in map(name_keys, name_parts(name)) if keys] for name in self.names]
        index: dict[str, set[int]] = defaultdict(set)
        for row, parts in enumerate(self.part_keys):
            for keys in parts:
                for key in keys:
                    index[key].add(row)
        self.index = {key: sorted(rows) for key, rows in index.items()}
        by_length: dict[int, list[str]] = defaultdict(list)
        for key in self.index:
            for length in range(len(key) - 2, len(key) + 3):
                by_length[length].append(key)
        self.by_length = dict(by_length)
        self.spellings = [name_spelling_string(name) for name in self.names]

    def _rows(self, keys: Iterable[str]) -> set[int]:
        return {row for key in keys for row in self.index.get(key, ())}

    def _fuzzy_keys(self, key: str) -> frozenset[str]:
        if key not in self.fuzzy_cache:
            matches = process.extract(
                key,
                self.by_length.get(len(key), ()),
                scorer=OSA.distance,
                score_cutoff=_max_distance(key),
                limit=30,
            )
            self.fuzzy_cache[key] = frozenset(match for match, _distance, _index in matches)
        return self.fuzzy_cache[key]

    def _expanded(self, keys: frozenset[str]) -> set[int]:
        return self._rows(fuzzy for key in keys for fuzzy in self._fuzzy_keys(key))

    def _candidates(self, query: list[frozenset[str]]) -> dict[int, float]:
        part_rows = [self._rows(keys) for keys in query]
        fuzzy = [not rows for rows in part_rows]
        part_rows = [
            self._expanded(keys) if empty else rows
            for keys, rows, empty in zip(query, part_rows, fuzzy, strict=True)
        ]
        if not set.intersection(*part_rows):
            part_rows = [
                rows if expanded else rows | self._expanded(keys)
                for keys, rows, expanded in zip(query, part_rows, fuzzy, strict=True)
            ]
            fuzzy = [True] * len(query)
        scores: dict[int, float] = defaultdict(float)
        for rows, expanded in zip(part_rows, fuzzy, strict=True):
            weight = (_FUZZY_WEIGHT if expanded else 1.0) * math.log(1 + len(self.names) / max(1, len(rows)))
            for row in rows:
                scores[row] += weight
        return scores

    def search(self, query: str, limit: int = 10) -> list[str]:
        query_keys = [keys for keys in map(name_keys, name_parts(query)) if keys]
        if not query_keys:
            return []
        scores = self._candidates(query_keys)
        shortlist = heapq.nlargest(_RERANK, scores, key=scores.__getitem__)
        floor = _RERANK_FLOOR * scores[shortlist[0]] if shortlist else 0.0
        columns: dict[frozenset[str], list[float]] = {}

        def similarity(row: int) -> float:
            for keys in self.part_keys[row]:
                if keys not in columns:
                    columns[keys] = [part_similarity(query_part, keys) for query_part in query_keys]
            return similarity_from_scores([columns[keys] for keys in self.part_keys[row]], len(query_keys))

        # Names with equal keys (Федоров, Фёдоров) are told apart by the spelling the query kept.
        spelling = name_spelling_string(query)
        ranked = sorted(
            (row for row in shortlist if scores[row] >= floor),
            key=lambda row: (-similarity(row), -fuzz.ratio(spelling, self.spellings[row]), row),
        )
        return [self.names[row] for row in ranked[:limit]]


# ---------------------------------------------------------------------------------------------------
# Evaluation


@dataclass
class _Tally:
    exact_hits: int = 0
    exact_total: int = 0
    typo_hits: int = 0
    typo_total: int = 0
    ambiguous: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)

    def recall(self) -> tuple[float, float]:
        return self.exact_hits / max(1, self.exact_total), self.typo_hits / max(1, self.typo_total)

    def add(self, other: _Tally) -> None:
        for attribute in ("exact_hits", "exact_total", "typo_hits", "typo_total", "ambiguous"):
            setattr(self, attribute, getattr(self, attribute) + getattr(other, attribute))


def _first_result(search: Search, query: str, cache: dict[str, str | None]) -> str | None:
    if query not in cache:
        results = search(query)
        cache[query] = results[0] if results else None
    return cache[query]


def _ambiguous_rows(names: Sequence[str], queries: Sequence[str]) -> int:
    """Names whose transliteration is also that of a different name: no search can tell them apart."""
    meanings: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for name, query in zip(names, queries, strict=True):
        meanings[query.casefold()].add(tuple(part.casefold() for part in name_parts(name)))
    return sum(len(meanings[query.casefold()]) > 1 for query in queries)


def _evaluate_scheme(
    names: Sequence[str], scheme: tuple[str, Scheme], search: Search, seed: int, cache: dict[str, str | None]
) -> _Tally:
    scheme_name, table = scheme
    queries = [transliterate(name, table) for name in names]
    tally = _Tally(ambiguous=_ambiguous_rows(names, queries))
    for row, (name, query) in enumerate(zip(names, queries, strict=True)):
        typo = add_typo(query, random.Random(f"{seed}/{scheme_name}/{row}"))
        for text, is_typo in ((query, False), (typo, True)):
            if text is None:
                continue
            found = _first_result(search, text, cache)
            hit = found is not None and same_name(found, name)
            if is_typo:
                tally.typo_total += 1
                tally.typo_hits += hit
            else:
                tally.exact_total += 1
                tally.exact_hits += hit
            if not hit:
                tally.misses.append((name, text, found or ""))
    return tally


def evaluate(
    data_dir: Path,
    search: Search | None = None,
    *,
    limit: int | None = None,
    seed: int = 2024,
) -> dict[str, Any]:
    """Recall@1 of ``search`` (ranked ``Name ru`` strings, best first) per scheme and overall.

    ``data_dir`` holds ``translit-iuliia`` and ``acf-war-enablers``; ``limit`` keeps the first N names.
    "ambiguous" counts the names whose transliteration is also that of another name in the list.
    """
    started = time.perf_counter()
    schemes = load_schemes(data_dir / "translit-iuliia")
    names = load_names(data_dir / "acf-war-enablers")[:limit]
    search = search or ReferenceSearcher(names).search
    # Many schemes spell a name alike: each distinct query is searched once.
    cache: dict[str, str | None] = {}
    tallies = {
        name: _evaluate_scheme(names, (name, scheme), search, seed, cache) for name, scheme in schemes.items()
    }
    per_scheme: dict[str, dict[str, Any]] = {}
    total = _Tally()
    for scheme_name, tally in tallies.items():
        exact, typo = tally.recall()
        matched, samples = sample_agreement(schemes[scheme_name])
        per_scheme[scheme_name] = {
            "exact": exact,
            "typo": typo,
            "ambiguous": tally.ambiguous,
            "queries": tally.exact_total + tally.typo_total,
            "samples_matched": matched,
            "samples": samples,
            "misses": tally.misses,
        }
        total.add(tally)
    exact, typo = total.recall()
    worst = sorted(per_scheme, key=lambda name: per_scheme[name]["exact"] + per_scheme[name]["typo"])[:5]
    return {
        "names": len(names),
        "schemes": per_scheme,
        "overall": {
            "exact": exact,
            "typo": typo,
            "ambiguous": total.ambiguous,
            "queries": total.exact_total + total.typo_total,
        },
        "targets": {"exact": TARGET_EXACT, "typo": TARGET_TYPO},
        "worst": worst,
        "seconds": time.perf_counter() - started,
    }


def print_report(report: dict[str, Any], misses: int = 0) -> None:
    print(f"{'scheme':<16} {'exact':>7} {'typo':>7} {'ambiguous':>9} {'samples':>8}")
    for scheme_name, row in report["schemes"].items():
        samples = f"{row['samples_matched']}/{row['samples']}"
        print(
            f"{scheme_name:<16} {row['exact']:>7.4f} {row['typo']:>7.4f} {row['ambiguous']:>9} {samples:>8}"
        )
    overall = report["overall"]
    print(f"{'overall':<16} {overall['exact']:>7.4f} {overall['typo']:>7.4f} {overall['ambiguous']:>9}")
    targets = report["targets"]
    verdict = overall["exact"] >= targets["exact"] and overall["typo"] >= targets["typo"]
    print(
        f"targets: exact >= {targets['exact']}, typo >= {targets['typo']}: {'met' if verdict else 'NOT met'}"
    )
    print(f"worst schemes: {', '.join(report['worst'])}")
    print(f"{report['names']} names, {overall['queries']} queries, {report['seconds']:.1f} s")
    for scheme_name in report["worst"][:3] if misses else ():
        for name, query, found in report["schemes"][scheme_name]["misses"][:misses]:
            print(f"  miss {scheme_name}: {name} <- {query!r} -> {found}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Recall@1 of name search across transliteration schemes.")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="the real-data folder")
    parser.add_argument("--limit", type=int, default=None, help="evaluate the first N names only")
    parser.add_argument("--seed", type=int, default=2024, help="seed of the typos")
    parser.add_argument("--misses", type=int, default=0, help="print up to N misses of the worst schemes")
    arguments = parser.parse_args(argv)
    report = evaluate(arguments.data, limit=arguments.limit, seed=arguments.seed)
    print_report(report, arguments.misses)


if __name__ == "__main__":
    main()
