"""Persons: the directory's neutral actors, their positions and contacts.

A write of a person answers with the person as the writer may read them, read back through
``person_get``; a write of a position or contact answers with its id and version. A position is corrected
(PATCH) or removed (DELETE) at ``/positions/{id}``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from khronika.accounts.keys import request_opening
from khronika.api import render
from khronika.api.auth import actor
from khronika.api.schemas import (
    PURPOSE_QUERY,
    READ_ERRORS,
    WRITE_ERRORS,
    ContactIn,
    ErrorOut,
    PersonChanges,
    PersonDetail,
    PersonIn,
    PersonPage,
    PersonQuery,
    PositionChanges,
    PositionIn,
    Written,
)
from khronika.directory import selectors, services

router = Router(tags=["persons"])


def _card(request: HttpRequest, person_id: Any, *, purpose: str = "") -> dict[str, Any]:
    opening = request_opening(request, actor=actor(request), purpose=purpose)
    return render.person_card(
        selectors.person_get(actor=actor(request), person_id=person_id, opening=opening)
    )


@router.get("/persons", response={200: PersonPage, READ_ERRORS: ErrorOut}, exclude_unset=True)
def persons_list(request: HttpRequest, query: Query[PersonQuery]) -> Any:
    count, rows = selectors.person_list_page(
        actor=actor(request), q=query.q, limit=query.limit, offset=query.offset
    )
    return {
        "count": count,
        "limit": query.limit,
        "offset": query.offset,
        "items": [render.person_row(row) for row in rows],
    }


@router.get("/persons/{person_id}", response={200: PersonDetail, READ_ERRORS: ErrorOut}, exclude_unset=True)
def person_read(request: HttpRequest, person_id: str, purpose: str = PURPOSE_QUERY) -> Any:
    return _card(request, person_id, purpose=purpose)


@router.post("/persons", response={201: PersonDetail, WRITE_ERRORS: ErrorOut}, exclude_unset=True)
def person_create(request: HttpRequest, payload: PersonIn) -> Any:
    person = services.person_create(actor=actor(request), values=payload.model_dump(exclude_unset=True))
    return Status(201, _card(request, person.id))


@router.patch(
    "/persons/{person_id}", response={200: PersonDetail, WRITE_ERRORS: ErrorOut}, exclude_unset=True
)
def person_change(request: HttpRequest, person_id: str, payload: PersonChanges) -> Any:
    values = payload.model_dump(exclude_unset=True)
    version = values.pop("version", None)
    person = services.person_update(
        actor=actor(request), person_id=person_id, values=values, expected_version=version
    )
    return _card(request, person.id)


@router.post("/persons/{person_id}/positions", response={201: Written, WRITE_ERRORS: ErrorOut})
def position_add(request: HttpRequest, person_id: str, payload: PositionIn) -> Any:
    values = payload.model_dump()
    position = services.position_add(
        actor=actor(request), person_id=person_id, organisation_id=values.pop("organisation"), **values
    )
    return Status(201, {"id": position.id, "version": position.version})


@router.patch("/positions/{position_id}", response={200: Written, WRITE_ERRORS: ErrorOut})
def position_change(request: HttpRequest, position_id: str, payload: PositionChanges) -> Any:
    values = payload.model_dump(exclude_unset=True)
    version = values.pop("version", None)
    position = services.position_update(
        actor=actor(request), position_id=position_id, values=values, expected_version=version
    )
    return {"id": position.id, "version": position.version}


@router.delete("/positions/{position_id}", response={204: None, WRITE_ERRORS: ErrorOut})
def position_remove(request: HttpRequest, position_id: str) -> Any:
    services.position_remove(actor=actor(request), position_id=position_id)
    return Status(204, None)


@router.post(
    "/persons/{person_id}/contacts", response={201: Written, WRITE_ERRORS: ErrorOut}, tags=["contacts"]
)
def person_contact_add(request: HttpRequest, person_id: str, payload: ContactIn) -> Any:
    contact = services.contact_add(actor=actor(request), person_id=person_id, **payload.model_dump())
    return Status(201, {"id": contact.id, "version": contact.version})
