"""The vocabularies shipped with Khronika, loaded into the database.

``vocabularies_load`` makes the database match the files in ``monitoring/data/vocabularies/``: one JSON
file per vocabulary (code, Russian and English names, edition, terms with their parent's code). It adds
what is missing and updates what changed, through the change log like any other write; a term that left
its file is retired, never deleted. It is safe to run again, and a file that is not well formed is
refused whole, naming the file and the term.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from khronika.core.changes import save_values
from khronika.monitoring.models import Term, Vocabulary

DATA_DIR = Path(__file__).resolve().parent / "data" / "vocabularies"
CODE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_DEPTH = 3


class VocabularyFileInvalid(ValueError):
    """A vocabulary file that cannot be loaded; the message names the file and what is wrong."""


@dataclass(frozen=True)
class LoadReport:
    vocabularies: int = 0
    terms: int = 0
    retired: int = 0


def read_vocabulary(path: Path) -> dict[str, Any]:
    """The checked contents of one vocabulary file."""

    def fail(problem: str) -> VocabularyFileInvalid:
        return VocabularyFileInvalid(f"{path.name}: {problem}")

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise fail(f"not readable JSON ({exc})") from None
    if not isinstance(data, dict):
        raise fail("not a JSON object")
    for key in ("code", "name_ru", "name_en", "edition"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise fail(f"{key!r} is missing or empty")
    if data["code"] != path.stem or not CODE.fullmatch(data["code"]):
        raise fail(f"the code {data['code']!r} must be the file's name, in lower-case letters and hyphens")
    terms = data.get("terms")
    if not isinstance(terms, list) or not terms:
        raise fail("'terms' is missing or empty")
    depth: dict[str, int] = {}
    for number, term in enumerate(terms, start=1):
        if not isinstance(term, dict):
            raise fail(f"term {number} is not a JSON object")
        code = term.get("code")
        if not isinstance(code, str) or not CODE.fullmatch(code):
            raise fail(f"term {number}: the code {code!r} is not lower-case letters, digits and hyphens")
        if code in depth:
            raise fail(f"term {code!r} appears twice")
        for key in ("name_ru", "name_en"):
            if not isinstance(term.get(key), str) or not term[key].strip():
                raise fail(f"term {code!r}: {key!r} is missing or empty")
        parent = term.get("parent")
        if parent is not None and parent not in depth:
            raise fail(f"term {code!r}: its parent {parent!r} must come before it in the file")
        depth[code] = 1 if parent is None else depth[parent] + 1
        if depth[code] > MAX_DEPTH:
            raise fail(f"term {code!r} is more than {MAX_DEPTH} levels deep")
    return data


def vocabulary_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.json"))


@transaction.atomic
def vocabularies_load(paths: list[Path] | None = None) -> LoadReport:
    """Load every vocabulary file (all of them are checked before anything is written)."""
    contents = [read_vocabulary(path) for path in (paths if paths is not None else vocabulary_files())]
    report = LoadReport()
    for data in contents:
        vocabulary = Vocabulary.objects.filter(code=data["code"]).first() or Vocabulary(code=data["code"])
        changed = save_values(vocabulary, {key: data[key] for key in ("name_ru", "name_en", "edition")})
        existing = {term.code: term for term in Term.objects.filter(vocabulary=vocabulary)}
        loaded: dict[str, Term] = {}
        terms_changed = 0
        for position, row in enumerate(data["terms"]):
            term = existing.get(row["code"]) or Term(vocabulary=vocabulary, code=row["code"])
            values = {
                "parent": loaded[row["parent"]] if row.get("parent") else None,
                "name_ru": row["name_ru"].strip(),
                "name_en": row["name_en"].strip(),
                "position": position,
                "retired": False,
            }
            terms_changed += save_values(term, values)
            loaded[row["code"]] = term
        retired = 0
        for code, term in existing.items():
            if code not in loaded and not term.retired and term.added_by_id is None:
                save_values(term, {"retired": True})
                retired += 1
        report = LoadReport(
            vocabularies=report.vocabularies + changed,
            terms=report.terms + terms_changed,
            retired=report.retired + retired,
        )
    return report
