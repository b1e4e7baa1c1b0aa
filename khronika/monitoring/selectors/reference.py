"""Vocabularies are public reference data: anyone may read them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from khronika.core.errors import NotFound, ValidationFailed
from khronika.monitoring.models import Term, Vocabulary


def vocabularies() -> QuerySet[Vocabulary]:
    """Every vocabulary, with how many terms it offers (``term_count``; retired terms not counted)."""
    return Vocabulary.objects.filter(deleted_at__isnull=True).annotate(
        term_count=Count("terms", filter=Q(terms__retired=False))
    )


def vocabulary(code: str) -> Vocabulary:
    found = Vocabulary.objects.filter(code=code, deleted_at__isnull=True).first()
    if found is None:
        raise NotFound(
            _("No vocabulary %(code)s. Known vocabularies: %(known)s.")
            % {"code": code, "known": ", ".join(v.code for v in vocabularies())}
        )
    return found


@dataclass(frozen=True)
class TermRow:
    term: Term
    depth: int  # 0 for a top-level term


def vocabulary_terms(code: str, *, include_retired: bool = False) -> list[TermRow]:
    """The terms of a vocabulary in the order of its file, each with its depth in the hierarchy."""
    return _term_rows(vocabulary(code), include_retired=include_retired)


def _term_rows(found: Vocabulary, *, include_retired: bool) -> list[TermRow]:
    depth: dict[object, int] = {}
    rows = []
    for term in found.terms.select_related("parent").order_by("position"):
        # Parents come before their children (the loader checks it), and a term in use keeps its parent.
        depth[term.pk] = 0 if term.parent_id is None else depth.get(term.parent_id, 0) + 1
        if include_retired or not term.retired:
            rows.append(TermRow(term=term, depth=depth[term.pk]))
    return rows


def term_resolve(vocabulary_code: str, value: str) -> Term:
    """The term ``value`` names in a vocabulary: its code, or its Russian or English name (any case).

    An import never invents a term: a value that names none raises ``ValidationFailed`` listing the codes
    the vocabulary offers."""
    wanted = value.strip().casefold()
    by_code = Term.objects.filter(
        vocabulary__code=vocabulary_code,
        vocabulary__deleted_at__isnull=True,
        code=wanted,
        retired=False,
        deleted_at__isnull=True,
    ).first()
    if by_code is not None:  # one indexed read: imports and forms give codes
        return by_code
    terms = [row.term for row in vocabulary_terms(vocabulary_code)]
    for term in terms:
        if wanted in {term.code, term.name_ru.casefold(), term.name_en.casefold()}:
            return term
    raise ValidationFailed(
        _("%(value)s is not a term of the vocabulary %(vocabulary)s. Its terms: %(codes)s.")
        % {"value": value, "vocabulary": vocabulary_code, "codes": ", ".join(t.code for t in terms)},
        fields={vocabulary_code: [_("Unknown term.")]},
    )


def vocabulary_summary(found: Vocabulary, term_count: int) -> dict[str, Any]:
    """A vocabulary as the API and the CLI give it."""
    return {
        "code": found.code,
        "name_ru": found.name_ru,
        "name_en": found.name_en,
        "edition": found.edition,
        "term_count": term_count,
    }


def vocabulary_summaries() -> list[dict[str, Any]]:
    """Every vocabulary, as the API and the CLI list them."""
    return [
        vocabulary_summary(v, v.term_count)  # type: ignore[attr-defined]  # annotated by vocabularies()
        for v in vocabularies()
    ]


def vocabulary_listing(code: str, *, include_retired: bool = False) -> dict[str, Any]:
    """A vocabulary with its terms (parent's code, depth, names, retired), as the API and the CLI give
    it; ``term_count`` counts the terms still offered."""
    found = vocabulary(code)
    rows = _term_rows(found, include_retired=include_retired)
    terms = [
        {
            "code": row.term.code,
            "parent": row.term.parent.code if row.term.parent else None,
            "depth": row.depth,
            "name_ru": row.term.name_ru,
            "name_en": row.term.name_en,
            "retired": row.term.retired,
        }
        for row in rows
    ]
    count = sum(not t["retired"] for t in terms)
    return vocabulary_summary(found, count) | {"terms": terms}


# --- events -------------------------------------------------------------------------------------------
