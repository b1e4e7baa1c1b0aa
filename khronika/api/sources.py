"""What an event links to: the perpetrators of its acts, its sources and the interventions about it.

Perpetrators come with their act (``/acts/{id}``), at its tier; sources and interventions are internal to
the documenting group, and another group's reader gets an empty list.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from khronika.accounts.keys import request_opening
from khronika.api.auth import actor
from khronika.api.render import present
from khronika.api.schemas import (
    PURPOSE_QUERY,
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    InformationChanges,
    InformationIn,
    InformationOut,
    InterventionChanges,
    InterventionIn,
    InterventionOut,
    InvolvementChanges,
    InvolvementIn,
    Written,
)
from khronika.monitoring import selectors
from khronika.monitoring.services import links

router = Router(tags=["monitoring sources and interventions"])

INFORMATION_FIELDS = ("id", "version", "source_kind", "source_title", "url", "dated", "notes", "source_name")
INFORMATION_TERMS = ("source_type", "connection", "reliability", "language")
INTERVENTION_FIELDS = ("id", "version", "dated", "parties_requested", "notes", "by_organisation_name")
INTERVENTION_TERMS = ("response", "impact", "status", "priority")


def _values(payload: Any) -> tuple[dict[str, Any], int | None]:
    values = payload.model_dump(exclude_unset=True)
    version = values.pop("version", None)
    return {k: str(v) if hasattr(v, "hex") else v for k, v in values.items()}, version


def information_answer(row: Any) -> dict[str, Any]:
    out = present(row, INFORMATION_FIELDS)
    out.update({name: row.get(name) for name in INFORMATION_TERMS})
    out.update(act=row.get("act_id"), source=row.get("source_individual_id"))
    out["source_organisation"] = row.get("source_organisation_id")
    return out


def intervention_answer(row: Any) -> dict[str, Any]:
    out = present(row, INTERVENTION_FIELDS)
    out.update({name: row.get(name) for name in INTERVENTION_TERMS})
    out.update(
        act=row.get("act_id"), by_organisation=row["by_organisation_id"], type=row["intervention_type"]
    )
    return out


def _written(record: Any) -> dict[str, Any]:
    return {"id": record.id, "version": record.version}


# --- perpetrators ------------------------------------------------------------------------------------------


@router.post(
    "/acts/{act_id}/involvements",
    response={201: Written, WRITE_ERRORS: ErrorOut},
    summary="Record who was involved in an act",
)
def involvement_create(request: HttpRequest, act_id: str, payload: InvolvementIn) -> Any:
    values, _version = _values(payload)
    return Status(201, _written(links.involvement_add(actor=actor(request), act_id=act_id, values=values)))


@router.patch(
    "/involvements/{involvement_id}", response={200: Written, WRITE_ERRORS: ErrorOut}, summary="Change one"
)
def involvement_change(request: HttpRequest, involvement_id: str, payload: InvolvementChanges) -> Any:
    values, version = _values(payload)
    return _written(
        links.involvement_update(
            actor=actor(request), involvement_id=involvement_id, values=values, expected_version=version
        )
    )


@router.delete(
    "/involvements/{involvement_id}", response={204: None, WRITE_ERRORS: ErrorOut}, summary="Remove one"
)
def involvement_remove(request: HttpRequest, involvement_id: str) -> Any:
    links.involvement_delete(actor=actor(request), involvement_id=involvement_id)
    return Status(204, None)


# --- sources -----------------------------------------------------------------------------------------------


@router.get(
    "/events/{event_id}/information",
    response={200: list[InformationOut], READ_ERRORS: ErrorOut},
    exclude_unset=True,
    summary="The sources of an event",
)
def information_list(request: HttpRequest, event_id: str, purpose: str = PURPOSE_QUERY) -> Any:
    opening = request_opening(request, actor=actor(request), purpose=purpose)
    rows = selectors.event_information(actor=actor(request), event_id=event_id, opening=opening)
    return [information_answer(row) for row in rows]


@router.post(
    "/events/{event_id}/information",
    response={201: Written, WRITE_ERRORS: ErrorOut},
    summary="Record a source of an event",
    description="A person who gave evidence is `source` (an individual on record) or `source_name` "
    "(sealed; only roles that read protected values).",
)
def information_create(request: HttpRequest, event_id: str, payload: InformationIn) -> Any:
    values, _version = _values(payload)
    return Status(
        201, _written(links.information_add(actor=actor(request), event_id=event_id, values=values))
    )


@router.patch(
    "/information/{information_id}",
    response={200: Written, WRITE_ERRORS: ErrorOut},
    summary="Change a source",
)
def information_change(request: HttpRequest, information_id: str, payload: InformationChanges) -> Any:
    values, version = _values(payload)
    return _written(
        links.information_update(
            actor=actor(request), information_id=information_id, values=values, expected_version=version
        )
    )


@router.delete(
    "/information/{information_id}", response={204: None, WRITE_ERRORS: ErrorOut}, summary="Remove a source"
)
def information_remove(request: HttpRequest, information_id: str) -> Any:
    links.information_delete(actor=actor(request), information_id=information_id)
    return Status(204, None)


# --- interventions -----------------------------------------------------------------------------------------


@router.get(
    "/events/{event_id}/interventions",
    response={200: list[InterventionOut], READ_ERRORS: ErrorOut},
    summary="What was done about an event",
)
def intervention_list(request: HttpRequest, event_id: str) -> Any:
    rows = selectors.event_interventions(actor=actor(request), event_id=event_id)
    return [intervention_answer(row) for row in rows]


@router.post(
    "/events/{event_id}/interventions",
    response={201: Written, WRITE_ERRORS: ErrorOut},
    summary="Record an intervention about an event",
)
def intervention_create(request: HttpRequest, event_id: str, payload: InterventionIn) -> Any:
    values, _version = _values(payload)
    return Status(
        201, _written(links.intervention_add(actor=actor(request), event_id=event_id, values=values))
    )


@router.patch(
    "/interventions/{intervention_id}",
    response={200: Written, WRITE_ERRORS: ErrorOut},
    summary="Change an intervention",
)
def intervention_change(request: HttpRequest, intervention_id: str, payload: InterventionChanges) -> Any:
    values, version = _values(payload)
    return _written(
        links.intervention_update(
            actor=actor(request), intervention_id=intervention_id, values=values, expected_version=version
        )
    )


@router.delete(
    "/interventions/{intervention_id}",
    response={204: None, WRITE_ERRORS: ErrorOut},
    summary="Remove an intervention",
)
def intervention_remove(request: HttpRequest, intervention_id: str) -> Any:
    links.intervention_delete(actor=actor(request), intervention_id=intervention_id)
    return Status(204, None)
