"""Organisations and what hangs on them: contacts, designations, relationships and practice notes.

Each endpoint calls one selector (reads) or one service (writes). A write of an organisation answers
with the organisation as its writer may read it, read back through ``organisation_get``, so that no
field above the writer's tier is echoed; a write of a dependent record answers with its id and version.
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
    DesignationChanges,
    DesignationIn,
    ErrorOut,
    HistoryEntry,
    OrganisationChanges,
    OrganisationDetail,
    OrganisationIn,
    OrganisationPage,
    OrganisationQuery,
    PracticeNoteChanges,
    PracticeNoteIn,
    RelationshipIn,
    SimilarOrganisation,
    Written,
)
from khronika.directory import selectors, services
from khronika.directory.selectors import OrganisationFilters

router = Router(tags=["organisations"])


def _card(request: HttpRequest, organisation_id: Any, *, purpose: str = "") -> dict[str, Any]:
    opening = request_opening(request, actor=actor(request), purpose=purpose)
    return render.organisation_card(
        selectors.organisation_get(actor=actor(request), organisation_id=organisation_id, opening=opening)
    )


def _written(record: Any) -> dict[str, Any]:
    return {"id": record.id, "version": record.version}


@router.get("/organisations", response={200: OrganisationPage, READ_ERRORS: ErrorOut}, exclude_unset=True)
def organisations_list(request: HttpRequest, query: Query[OrganisationQuery]) -> Any:
    filters = OrganisationFilters(
        q=query.q,
        region=query.region,
        district=query.district,
        area=query.area,
        kind=query.kind,
        status=query.status,
    )
    count, rows = selectors.organisation_list_page(
        actor=actor(request), filters=filters, limit=query.limit, offset=query.offset
    )
    return {
        "count": count,
        "limit": query.limit,
        "offset": query.offset,
        "items": [render.organisation_row(row) for row in rows],
    }


@router.get(
    "/organisations/{organisation_id}",
    response={200: OrganisationDetail, READ_ERRORS: ErrorOut},
    exclude_unset=True,
)
def organisation_read(request: HttpRequest, organisation_id: str, purpose: str = PURPOSE_QUERY) -> Any:
    return _card(request, organisation_id, purpose=purpose)


@router.post("/organisations", response={201: OrganisationDetail, WRITE_ERRORS: ErrorOut}, exclude_unset=True)
def organisation_create(request: HttpRequest, payload: OrganisationIn) -> Any:
    org = services.organisation_create(actor=actor(request), values=payload.model_dump(exclude_unset=True))
    return Status(201, _card(request, org.id))


@router.patch(
    "/organisations/{organisation_id}",
    response={200: OrganisationDetail, WRITE_ERRORS: ErrorOut},
    exclude_unset=True,
)
def organisation_change(request: HttpRequest, organisation_id: str, payload: OrganisationChanges) -> Any:
    values = payload.model_dump(exclude_unset=True)
    version = values.pop("version", None)
    org = services.organisation_update(
        actor=actor(request), organisation_id=organisation_id, values=values, expected_version=version
    )
    return _card(request, org.id)


@router.delete("/organisations/{organisation_id}", response={204: None, WRITE_ERRORS: ErrorOut})
def organisation_delete(request: HttpRequest, organisation_id: str) -> Any:
    services.organisation_delete(actor=actor(request), organisation_id=organisation_id)
    return Status(204, None)


@router.get(
    "/organisations/{organisation_id}/similar",
    response={200: list[SimilarOrganisation], READ_ERRORS: ErrorOut},
    exclude_unset=True,
)
def organisation_similar(
    request: HttpRequest, organisation_id: str, limit: int = Query(10, ge=1, le=50)
) -> Any:
    rows = selectors.organisations_similar(actor=actor(request), organisation_id=organisation_id, limit=limit)
    return [render.similar_row(row) for row in rows]


@router.get(
    "/organisations/{organisation_id}/history", response={200: list[HistoryEntry], READ_ERRORS: ErrorOut}
)
def organisation_history(request: HttpRequest, organisation_id: str) -> Any:
    card = selectors.organisation_history(actor=actor(request), organisation_id=organisation_id)
    return [render.history_entry(entry) for entry in card["entries"]]


@router.post(
    "/organisations/{organisation_id}/contacts",
    response={201: Written, WRITE_ERRORS: ErrorOut},
    tags=["contacts"],
)
def organisation_contact_add(request: HttpRequest, organisation_id: str, payload: ContactIn) -> Any:
    contact = services.contact_add(
        actor=actor(request), organisation_id=organisation_id, **payload.model_dump()
    )
    return Status(201, _written(contact))


@router.delete("/contacts/{contact_id}", response={204: None, WRITE_ERRORS: ErrorOut}, tags=["contacts"])
def contact_remove(request: HttpRequest, contact_id: str) -> Any:
    services.contact_remove(actor=actor(request), contact_id=contact_id)
    return Status(204, None)


@router.post("/organisations/{organisation_id}/designations", response={201: Written, WRITE_ERRORS: ErrorOut})
def designation_add(request: HttpRequest, organisation_id: str, payload: DesignationIn) -> Any:
    designation = services.designation_add(
        actor=actor(request), organisation_id=organisation_id, **payload.model_dump()
    )
    return Status(201, _written(designation))


@router.patch("/designations/{designation_id}", response={200: Written, WRITE_ERRORS: ErrorOut})
def designation_change(request: HttpRequest, designation_id: str, payload: DesignationChanges) -> Any:
    values = payload.model_dump(exclude_unset=True)
    version = values.pop("version", None)
    designation = services.designation_update(
        actor=actor(request), designation_id=designation_id, values=values, expected_version=version
    )
    return _written(designation)


@router.delete("/designations/{designation_id}", response={204: None, WRITE_ERRORS: ErrorOut})
def designation_remove(request: HttpRequest, designation_id: str) -> Any:
    services.designation_remove(actor=actor(request), designation_id=designation_id)
    return Status(204, None)


@router.post(
    "/organisations/{organisation_id}/relationships", response={201: Written, WRITE_ERRORS: ErrorOut}
)
def relationship_add(request: HttpRequest, organisation_id: str, payload: RelationshipIn) -> Any:
    values = payload.model_dump()
    relationship = services.relationship_add(
        actor=actor(request), source_id=organisation_id, target_id=values.pop("target"), **values
    )
    return Status(201, _written(relationship))


@router.delete("/relationships/{relationship_id}", response={204: None, WRITE_ERRORS: ErrorOut})
def relationship_remove(request: HttpRequest, relationship_id: str) -> Any:
    services.relationship_remove(actor=actor(request), relationship_id=relationship_id)
    return Status(204, None)


@router.post(
    "/organisations/{organisation_id}/practice-notes",
    response={201: Written, WRITE_ERRORS: ErrorOut},
    tags=["practice notes"],
)
def practice_note_create(request: HttpRequest, organisation_id: str, payload: PracticeNoteIn) -> Any:
    note = services.practice_note_create(
        actor=actor(request), organisation_id=organisation_id, values=payload.model_dump(exclude_unset=True)
    )
    return Status(201, _written(note))


@router.patch(
    "/practice-notes/{note_id}", response={200: Written, WRITE_ERRORS: ErrorOut}, tags=["practice notes"]
)
def practice_note_change(request: HttpRequest, note_id: str, payload: PracticeNoteChanges) -> Any:
    values = payload.model_dump(exclude_unset=True)
    version = values.pop("version", None)
    note = services.practice_note_update(
        actor=actor(request), note_id=note_id, values=values, expected_version=version
    )
    return _written(note)


@router.delete(
    "/practice-notes/{note_id}", response={204: None, WRITE_ERRORS: ErrorOut}, tags=["practice notes"]
)
def practice_note_delete(request: HttpRequest, note_id: str) -> Any:
    services.practice_note_delete(actor=actor(request), note_id=note_id)
    return Status(204, None)
