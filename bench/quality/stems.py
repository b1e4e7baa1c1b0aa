"""Does search's analyser stem Russian as Snowball's own test vocabulary says it should?

    .venv/bin/python -m bench.quality.stems [--data ../shared/data] [--speed]

Reads ``DATA/snowball-russian/voc.txt`` and ``output.txt`` (line-aligned: word → expected stem), analyses
each word alone with ``khronika.search.analysis.analyze`` and compares its one term with the expected
stem. Words the analyser drops as stop words are listed apart and not counted as disagreements.
Target: 100% agreement apart from those stop words. ``--speed`` also times the analyser on the same
vocabulary cut into short documents, a worst case for its word cache since every word is new.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import Stemmer

from khronika.search.analysis import STOP_WORDS, analyze, fold, terms

FOLDING_NOTE = (
    "Expected stems are compared after folding ё to е, as the analyser folds every word before stemming: "
    "a stem spelt with ё can never come out of it, and searchers treat the two letters as one."
)


def read_vocabulary(data_dir: Path) -> list[tuple[str, str]]:
    folder = data_dir / "snowball-russian"
    words = (folder / "voc.txt").read_text(encoding="utf-8").splitlines()
    stems = (folder / "output.txt").read_text(encoding="utf-8").splitlines()
    if len(words) != len(stems):
        raise SystemExit(f"voc.txt has {len(words)} lines but output.txt has {len(stems)}")
    return list(zip(words, stems, strict=True))


def stem_agreement(data_dir: Path) -> dict:
    """Compare the analyser with the expected stems; the figures and every word that differs."""
    pairs = read_vocabulary(data_dir)
    raw_stemmer = Stemmer.Stemmer("russian")
    agreed = 0
    stop_words: list[str] = []
    disagreements: list[dict[str, str]] = []
    for word, stem in pairs:
        tokens = analyze(word)
        expected = fold(stem)
        if not tokens and fold(word) in STOP_WORDS:
            stop_words.append(word)
        elif len(tokens) == 1 and tokens[0].term == expected:
            agreed += 1
        else:
            ours = " ".join(token.term for token in tokens) or "(nothing)"
            reason = _reason(word, expected, len(tokens), raw_stemmer)
            disagreements.append({"word": word, "expected": expected, "ours": ours, "reason": reason})
    compared = len(pairs) - len(stop_words)
    return {
        "words": len(pairs),
        "compared": compared,
        "agreed": agreed,
        "agreement_percent": 100.0 * agreed / compared if compared else 100.0,
        "disagreements": disagreements,
        "stop_words": stop_words,
    }


def _reason(word: str, expected: str, token_count: int, raw_stemmer: Stemmer.Stemmer) -> str:
    if token_count == 0:
        return "dropped although not a stop word"
    if token_count > 1:
        return "split into several words"
    if raw_stemmer.stemWord(word.lower()) == expected:
        return "folding changed the word before stemming"
    return "stemmer differs from the expected output"


def analysis_speed(words: list[str], *, words_per_document: int = 8) -> dict[str, float]:
    """Tokens and documents per second: ``analyze`` on words it has not seen (run this first in the
    process), then ``analyze`` and ``terms`` again on the same words, now in the analyser's word cache."""
    size = words_per_document
    documents = [" ".join(words[index : index + size]) for index in range(0, len(words), size)]
    runs = (("analyze, new words", analyze), ("analyze, known words", analyze), ("terms, known words", terms))
    figures: dict[str, float] = {}
    for label, function in runs:
        began = time.perf_counter()
        count = sum(len(function(document)) for document in documents)
        elapsed = time.perf_counter() - began
        figures[f"{label}: tokens/s"] = count / elapsed
        figures[f"{label}: documents/s"] = len(documents) / elapsed
    return figures


def print_report(result: dict) -> None:
    print(f"words: {result['words']}")
    print(f"compared (stop words excluded): {result['compared']}")
    print(f"agreement: {result['agreed']} / {result['compared']} = {result['agreement_percent']:.3f}%")
    print(FOLDING_NOTE)
    disagreements = result["disagreements"]
    print(f"disagreements: {len(disagreements)}")
    for item in disagreements[:20]:
        print(f"  {item['word']}: expected {item['expected']!r}, ours {item['ours']!r} ({item['reason']})")
    stop_words = result["stop_words"]
    print(f"stop words excluded: {len(stop_words)}: {' '.join(stop_words)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="the shared data folder")
    parser.add_argument("--speed", action="store_true", help="also time the analyser on the vocabulary")
    args = parser.parse_args(argv)
    # Timed before the comparison fills the analyser's word cache with the same words.
    speed = analysis_speed([word for word, _ in read_vocabulary(args.data)]) if args.speed else {}
    print_report(stem_agreement(args.data))
    for name, value in speed.items():
        print(f"{name} {value:,.0f}")


if __name__ == "__main__":
    main()
