"""Monitoring. So far: its vocabularies, public reference data like the regions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from khronika.api.schemas import ErrorOut, VocabularyOut, VocabularyWithTerms
from khronika.monitoring import selectors

router = Router(tags=["monitoring vocabularies"], auth=None)


@router.get("/vocabularies", response=list[VocabularyOut], summary="List the vocabularies")
def vocabularies_list(request: HttpRequest) -> Any:
    return selectors.vocabulary_summaries()


@router.get(
    "/vocabularies/{code}",
    response={200: VocabularyWithTerms, 404: ErrorOut},
    summary="One vocabulary with its terms",
    description="Terms in the vocabulary's order, each with its parent's code and its depth (0: top level). "
    "`retired=true` also lists terms no longer offered for new records.",
)
def vocabulary_detail(
    request: HttpRequest,
    code: str,
    retired: bool = Query(False, description="also list retired terms"),
) -> Any:
    return selectors.vocabulary_listing(code, include_retired=retired)
