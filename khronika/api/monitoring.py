"""Monitoring: its vocabularies (public reference data, like the regions) and events."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from khronika.accounts.keys import request_opening
from khronika.api.auth import actor
from khronika.api.render import present
from khronika.api.schemas import (
    PURPOSE_QUERY,
    READ_ERRORS,
    WRITE_ERRORS,
    ActChanges,
    ActIn,
    ActOut,
    DetaineeLineOut,
    DetaineesAdd,
    DetaineesAdded,
    DetaineesIn,
    ErrorOut,
    EventChanges,
    EventDetail,
    EventIn,
    EventPage,
    EventQuery,
    EventRelationIn,
    Input,
    StatisticsOut,
    StatisticsQuery,
    TermOut,
    VocabularyOut,
    VocabularyWithTerms,
    Written,
)
from khronika.monitoring import selectors, services

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


# --- events -----------------------------------------------------------------------------------------------

events_router = Router(tags=["monitoring events"])


def event_answer(card: Any) -> dict[str, Any]:
    """An event card as the API and the CLI give it."""
    return {
        "id": card.id,
        "version": card.version,
        "steward": card.steward_id,
        "steward_name": card.steward_name,
        "tier": card.tier,
        "title": card.title,
        "description": card.description,
        "started": card.started,
        "ended": card.ended,
        "region": card.region_code,
        "place": card.place,
        "latitude": None if card.latitude is None else str(card.latitude),
        "longitude": None if card.longitude is None else str(card.longitude),
        "type": card.event_type,
        "projects": card.projects,
        "violation_status": card.violation_status,
        "monitoring_status": card.monitoring_status,
        "reference": card.reference,
        "acts": card.acts,
        "victims": card.victims,
        "may_edit": card.may_edit,
    }


@events_router.get(
    "/events",
    response={200: EventPage, READ_ERRORS: ErrorOut},
    summary="List events",
    description="The events you may see, newest first. Filters: "
    + ", ".join(f"`{name}`" for name in selectors.EVENT_FILTERS)
    + "; `since` and `until` take 2012, 2012-05 or 2012-05-06, and an approximate date counts in its whole "
    "month or year.",
)
def events_list(request: HttpRequest, query: Query[EventQuery]) -> Any:
    filters = query.model_dump(exclude={"limit", "offset"})
    limit, offset = query.limit, query.offset
    events = selectors.event_list(actor=actor(request), filters=filters)
    rows = selectors.event_rows(events[offset : offset + limit])
    return {"count": events.count(), "limit": limit, "offset": offset, "items": rows}


@events_router.post("/events", response={201: EventDetail, WRITE_ERRORS: ErrorOut}, summary="Record an event")
def event_create(request: HttpRequest, payload: EventIn) -> Any:
    event = services.event_create(actor=actor(request), values=payload.model_dump(exclude_unset=True))
    return Status(201, event_answer(selectors.event_card(actor=actor(request), event_id=event.pk)))


@events_router.get(
    "/events/{event_id}", response={200: EventDetail, READ_ERRORS: ErrorOut}, summary="One event"
)
def event_detail(request: HttpRequest, event_id: str) -> Any:
    return event_answer(selectors.event_card(actor=actor(request), event_id=event_id))


@events_router.patch(
    "/events/{event_id}", response={200: EventDetail, WRITE_ERRORS: ErrorOut}, summary="Change an event"
)
def event_change(request: HttpRequest, event_id: str, payload: EventChanges) -> Any:
    values = payload.model_dump(exclude_unset=True)
    version = values.pop("version", None)
    event = services.event_update(
        actor=actor(request), event_id=event_id, values=values, expected_version=version
    )
    return event_answer(selectors.event_card(actor=actor(request), event_id=event.pk))


@events_router.delete(
    "/events/{event_id}", response={204: None, WRITE_ERRORS: ErrorOut}, summary="Delete an event"
)
def event_delete(request: HttpRequest, event_id: str) -> Any:
    services.event_delete(actor=actor(request), event_id=event_id)
    return Status(204, None)


@events_router.post(
    "/events/{event_id}/relations",
    response={201: Written, WRITE_ERRORS: ErrorOut},
    summary="Chain this event to another",
)
def event_relate(request: HttpRequest, event_id: str, payload: EventRelationIn) -> Any:
    link = services.event_relate(
        actor=actor(request), event_id=event_id, relation=payload.relation, other_event_id=payload.other_event
    )
    return Status(201, {"id": link.id, "version": link.version})


@events_router.delete(
    "/event-relations/{relation_id}", response={204: None, WRITE_ERRORS: ErrorOut}, summary="Remove a chain"
)
def event_unrelate(request: HttpRequest, relation_id: str) -> Any:
    services.event_unrelate(actor=actor(request), relation_id=relation_id)
    return Status(204, None)


# --- acts -------------------------------------------------------------------------------------------------

ACT_TEXTS = (
    *("id", "version", "tier", "victim_kind", "victim_group", "victim_count", "started", "ended", "place"),
    *("consequences", "police_station", "legal_counsel", "court", "autopsy", "death_certificate"),
    *("medical_attention", "statements_signed", "property_loss", "compensation", "notes"),
    *("victim_name", "victim_birth_year", "case_number"),
)


def act_answer(row: Any) -> dict[str, Any]:
    """An act as the API and the CLI give it: terms and the region by code, sealed values null."""
    out = present(row, ACT_TEXTS)
    out.update(
        event=row["event_id"],
        victim=row.get("victim_id"),
        type=row["act_type"],
        region=row["region_code"],
        method=row["method"],
        end_status=row["end_status"],
        detention_place=row["detention_place"],
        involvements=[involvement_answer(link) for link in row.get("involvements", [])],
    )
    return out


def involvement_answer(link: Any) -> dict[str, Any]:
    return {
        "id": link["id"],
        "version": link["version"],
        "perpetrator_person": link.get("perpetrator_person_id"),
        "perpetrator_person_name": link.get("perpetrator_person_name"),
        "perpetrator_organisation": link.get("perpetrator_organisation_id"),
        "perpetrator_organisation_name": link.get("perpetrator_organisation_name"),
        "perpetrator": link.get("perpetrator_description", ""),
        "degree": link.get("degree"),
        "perpetrator_type": link.get("perpetrator_type"),
        "latest_status": link.get("latest_status"),
        "notes": link.get("notes", ""),
    }


def _act(request: HttpRequest, act_id: Any) -> dict[str, Any]:
    opening = request_opening(request, actor=actor(request))
    return act_answer(selectors.act_card(actor=actor(request), act_id=act_id, opening=opening))


@events_router.get(
    "/events/{event_id}/acts",
    response={200: list[ActOut], READ_ERRORS: ErrorOut},
    exclude_unset=True,
    summary="The acts of an event",
)
def event_acts(request: HttpRequest, event_id: str, purpose: str = PURPOSE_QUERY) -> Any:
    opening = request_opening(request, actor=actor(request), purpose=purpose)
    rows = selectors.event_acts(actor=actor(request), event_id=event_id, opening=opening)
    return [act_answer(row) for row in rows]


@events_router.post(
    "/events/{event_id}/acts",
    response={201: ActOut, WRITE_ERRORS: ErrorOut},
    exclude_unset=True,
    summary="Record an act within an event",
    description="The victim is an individual on record (`victim`), a new name (`victim_name`, sealed; only "
    "for roles that read protected values) or a group (`victim_group`, `victim_count`).",
)
def act_create(request: HttpRequest, event_id: str, payload: ActIn) -> Any:
    act = services.act_add(actor=actor(request), event_id=event_id, values=_act_values(payload))
    return Status(201, _act(request, act.pk))


@events_router.get(
    "/acts/{act_id}", response={200: ActOut, READ_ERRORS: ErrorOut}, exclude_unset=True, summary="One act"
)
def act_detail(request: HttpRequest, act_id: str, purpose: str = PURPOSE_QUERY) -> Any:
    opening = request_opening(request, actor=actor(request), purpose=purpose)
    return act_answer(selectors.act_card(actor=actor(request), act_id=act_id, opening=opening))


@events_router.patch(
    "/acts/{act_id}",
    response={200: ActOut, WRITE_ERRORS: ErrorOut},
    exclude_unset=True,
    summary="Change an act",
)
def act_change(request: HttpRequest, act_id: str, payload: ActChanges) -> Any:
    values = _act_values(payload)
    version = values.pop("version", None)
    act = services.act_update(actor=actor(request), act_id=act_id, values=values, expected_version=version)
    return _act(request, act.pk)


@events_router.delete("/acts/{act_id}", response={204: None, WRITE_ERRORS: ErrorOut}, summary="Delete an act")
def act_delete(request: HttpRequest, act_id: str) -> Any:
    services.act_delete(actor=actor(request), act_id=act_id)
    return Status(204, None)


def _act_values(payload: Any) -> dict[str, Any]:
    values = payload.model_dump(exclude_unset=True)
    if values.get("victim") is not None:
        values["victim"] = str(values["victim"])
    return values


# --- statistics -------------------------------------------------------------------------------------------


@events_router.get(
    "/statistics",
    response={200: StatisticsOut, READ_ERRORS: ErrorOut},
    summary="Counts of acts and victims",
    description="Acts and victims of the events you may see, by `by`: "
    + ", ".join(f"`{name}`" for name in selectors.DIMENSIONS)
    + ". Filters as the event list's, and `act_type` (with its sub-types). A date known only to the year "
    "counts in its year under its own row (`2012`), never in January; an undated act under `unknown`.",
)
def statistics(request: HttpRequest, query: Query[StatisticsQuery]) -> Any:
    filters = {name: value for name, value in query.model_dump(exclude={"by"}).items() if value}
    by = query.by
    return selectors.statistics(actor=actor(request), by=by, filters=filters).as_dict()


# --- bulk entry of detainees --------------------------------------------------------------------------------


@events_router.post(
    "/events/{event_id}/detainees/preview",
    response={200: list[DetaineeLineOut], WRITE_ERRORS: ErrorOut},
    summary="Read a pasted list of detainees and suggest names already on record",
    description="Writes nothing. Suggestions need the names opened: a signed-in browser session with "
    "`?purpose=verify`; each opening is audited. Only roles that read protected values.",
)
def detainees_preview(
    request: HttpRequest, event_id: str, payload: DetaineesIn, purpose: str = PURPOSE_QUERY
) -> Any:
    from khronika.monitoring.services.detainees import detainees_preview as preview

    opening = request_opening(request, actor=actor(request), purpose=purpose)
    lines = preview(actor=actor(request), event_id=event_id, text=payload.text, opening=opening)
    return [line.as_dict() for line in lines]


@events_router.post(
    "/events/{event_id}/detainees",
    response={201: DetaineesAdded, WRITE_ERRORS: ErrorOut},
    summary="Record a pasted list of detainees, one act each",
    description="Nothing is written unless every line reads (errors name `line N`). People named now "
    "leave the event's group of the same type of act, so the total stays right.",
)
def detainees_add(request: HttpRequest, event_id: str, payload: DetaineesAdd) -> Any:
    from khronika.monitoring.services.detainees import detainees_add as add

    report = add(
        actor=actor(request),
        event_id=event_id,
        text=payload.text,
        act_type=payload.act_type,
        matches=payload.matches,
    )
    return Status(201, report.as_dict())


# --- monitoring projects of a group's making ----------------------------------------------------------------


class ProjectIn(Input):
    name_ru: str
    name_en: str = ""


@events_router.post(
    "/monitoring-projects",
    response={201: TermOut, WRITE_ERRORS: ErrorOut},
    summary="Add a monitoring project",
    description="A project of your group's making, offered to every group like the shipped ones; its name "
    "is public, as every term's is. For coordinators, monitors and administrators.",
)
def project_create(request: HttpRequest, payload: ProjectIn) -> Any:
    term = services.project_create(actor=actor(request), name_ru=payload.name_ru, name_en=payload.name_en)
    return Status(
        201,
        {
            "code": term.code,
            "parent": None,
            "depth": 0,
            "name_ru": term.name_ru,
            "name_en": term.name_en,
            "retired": False,
        },
    )
