"""The case desk: intakes, cases, tasks, notes, the timeline, referrals and the link to events.

Everything here is for the desk's case workers (administrators, coordinators, lawyers and hotline
operators of the group); for anyone else a case does not exist (404). Who asked and how to reach them are
sealed: a browser session opens them with ``?purpose=``, an API token never does.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from khronika.accounts.keys import request_opening
from khronika.api.auth import actor
from khronika.api.case_schemas import (
    CaseChanges,
    CaseEventIn,
    CaseEventLink,
    CaseEventOut,
    CaseIn,
    CaseOut,
    CasePage,
    CaseRow,
    HelpDeskIn,
    HelpDeskOut,
    IntakeChanges,
    IntakeIn,
    IntakeOut,
    IntakePage,
    NoteIn,
    PartnerOut,
    ReferralAnswer,
    ReferralIn,
    ReferralReceived,
    TaskChanges,
    TaskIn,
    TaskOut,
    TimelineOut,
)
from khronika.api.render import present
from khronika.api.schemas import PURPOSE_QUERY, READ_ERRORS, WRITE_ERRORS, ErrorOut, Written
from khronika.cases import selectors, services

router = Router(tags=["case desk"])
MAX_PAGE = 200
INTAKE_FIELDS = ("id", "version", "channel", "received_at", "contact", "summary", "urgency", "language")
CASE_FIELDS = ("id", "version", "number", "title", "summary", "status", "outcome", "compensation_currency")


def _values(payload: Any) -> tuple[dict[str, Any], int | None]:
    values = payload.model_dump(exclude_unset=True)
    version = values.pop("version", None)
    return {k: str(v) if hasattr(v, "hex") else v for k, v in values.items()}, version


def _written(record: Any) -> dict[str, Any]:
    return {"id": record.id, "version": record.version}


def intake_answer(row: Any) -> dict[str, Any]:
    out = present(row, (*INTAKE_FIELDS, "caller_name"))
    out.update(
        caller=row["caller_id"],
        region=row["region_code"],
        status=row["status"],
        case=row["case_id"],
        case_number=row["case_number"],
    )
    return out


def task_answer(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "version": row["version"],
        "title": row["title"],
        "due_on": row["due_on"],
        "assignee": row["assignee_username"],
        "done_at": row["done_at"],
        "overdue": row["overdue"],
        "case": row.get("case_id"),
        "case_number": row.get("case_number"),
    }


def case_answer(card: Any) -> dict[str, Any]:
    out = present(card, (*CASE_FIELDS, "client_name"))
    amount = card["compensation_amount"]
    out.update(
        category=card["category_code"],
        client=card["client_id"],
        region=card["region_code"],
        transitions=card["transitions"],
        compensation_amount=None if amount is None else str(amount),
        lawyer=card["lawyer_username"],
        opened_on=card["opened_on"],
        closed_on=card["closed_on"],
        event=card["event_id"],
        act=card["act_id"],
        tasks=[task_answer(t) for t in card["tasks"]],
        notes=[{"id": n["id"], "text": n["text"], "created_at": n["created_at"]} for n in card["notes"]],
        referrals=[
            {
                "id": r["id"],
                "version": r["version"],
                "partner": r["partner_id"],
                "partner_name": r["partner_name"],
                "reason": r["reason"],
                "shared_summary": r["shared_summary"],
                "status": r["status"],
                "answer": r["answer"],
            }
            for r in card["referrals"]
        ],
    )
    return out


def _case(request: HttpRequest, case_id: Any, purpose: str = "") -> dict[str, Any]:
    opening = request_opening(request, actor=actor(request), purpose=purpose)
    return case_answer(selectors.case_card(actor=actor(request), case_id=case_id, opening=opening))


# --- intakes ---------------------------------------------------------------------------------------------


@router.get("/intakes", response={200: IntakePage, READ_ERRORS: ErrorOut}, summary="Requests for help")
def intakes_list(
    request: HttpRequest,
    status: str = Query("new", description="new (default), case, declined, duplicate; empty: all"),
    limit: int = Query(50, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0),
) -> Any:
    intakes = selectors.intake_list(actor=actor(request), status=status)
    rows = [
        {
            "id": i.pk,
            "channel": i.channel,
            "received_at": i.received_at,
            "urgency": i.urgency,
            "status": i.status,
            "region": i.region.code if i.region else None,
            "case": i.case_id,
        }
        for i in intakes[offset : offset + limit]
    ]
    return {"count": intakes.count(), "limit": limit, "offset": offset, "items": rows}


@router.post(
    "/intakes",
    response={201: IntakeOut, WRITE_ERRORS: ErrorOut},
    exclude_unset=True,
    summary="Take a request",
)
def intake_create(request: HttpRequest, payload: IntakeIn) -> Any:
    values, _version = _values(payload)
    intake = services.intake_create(actor=actor(request), values=values)
    return Status(201, intake_answer(selectors.intake_card(actor=actor(request), intake_id=intake.pk)))


@router.get(
    "/intakes/{intake_id}",
    response={200: IntakeOut, READ_ERRORS: ErrorOut},
    exclude_unset=True,
    summary="One request",
)
def intake_detail(request: HttpRequest, intake_id: str, purpose: str = PURPOSE_QUERY) -> Any:
    opening = request_opening(request, actor=actor(request), purpose=purpose)
    return intake_answer(selectors.intake_card(actor=actor(request), intake_id=intake_id, opening=opening))


@router.patch(
    "/intakes/{intake_id}",
    response={200: Written, WRITE_ERRORS: ErrorOut},
    summary="Change or decline a request",
)
def intake_change(request: HttpRequest, intake_id: str, payload: IntakeChanges) -> Any:
    values, version = _values(payload)
    intake = services.intake_update(
        actor=actor(request), intake_id=intake_id, values=values, expected_version=version
    )
    return _written(intake)


# --- cases -----------------------------------------------------------------------------------------------


@router.get("/cases", response={200: CasePage, READ_ERRORS: ErrorOut}, summary="The desk's cases")
def cases_list(
    request: HttpRequest,
    status: str = "",
    open: str = Query("", description="1: every case not closed"),
    lawyer: str = Query("", description="a username, or me"),
    category: str = "",
    region: str = "",
    limit: int = Query(50, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0),
) -> Any:
    filters = {"status": status, "open": open, "lawyer": lawyer, "category": category, "region": region}
    cases = selectors.case_list(actor=actor(request), filters=filters)
    rows = selectors.case_rows(cases[offset : offset + limit])
    return {"count": cases.count(), "limit": limit, "offset": offset, "items": rows}


@router.post(
    "/cases", response={201: CaseOut, WRITE_ERRORS: ErrorOut}, exclude_unset=True, summary="Open a case"
)
def case_create(request: HttpRequest, payload: CaseIn) -> Any:
    values, _version = _values(payload)
    intake = values.pop("intake", None)
    case = services.case_open(actor=actor(request), values=values, intake_id=intake)
    return Status(201, _case(request, case.pk))


@router.get(
    "/cases/{case_id}", response={200: CaseOut, READ_ERRORS: ErrorOut}, exclude_unset=True, summary="One case"
)
def case_detail(request: HttpRequest, case_id: str, purpose: str = PURPOSE_QUERY) -> Any:
    return _case(request, case_id, purpose)


@router.patch(
    "/cases/{case_id}",
    response={200: CaseOut, WRITE_ERRORS: ErrorOut},
    exclude_unset=True,
    summary="Change a case or move it on",
)
def case_change(request: HttpRequest, case_id: str, payload: CaseChanges) -> Any:
    values, version = _values(payload)
    case = services.case_update(
        actor=actor(request), case_id=case_id, values=values, expected_version=version
    )
    return _case(request, case.pk)


@router.get(
    "/cases/{case_id}/timeline",
    response={200: list[TimelineOut], READ_ERRORS: ErrorOut},
    summary="Every action on a case, oldest first",
)
def case_timeline(request: HttpRequest, case_id: str) -> Any:
    return [entry.__dict__ for entry in selectors.case_timeline(actor=actor(request), case_id=case_id)]


@router.post("/cases/{case_id}/notes", response={201: Written, WRITE_ERRORS: ErrorOut}, summary="Add a note")
def case_note(request: HttpRequest, case_id: str, payload: NoteIn) -> Any:
    return Status(
        201, _written(services.case_note_add(actor=actor(request), case_id=case_id, text=payload.text))
    )


# --- tasks -----------------------------------------------------------------------------------------------


@router.post("/cases/{case_id}/tasks", response={201: Written, WRITE_ERRORS: ErrorOut}, summary="Add a task")
def task_create(request: HttpRequest, case_id: str, payload: TaskIn) -> Any:
    values, _version = _values(payload)
    return Status(201, _written(services.task_add(actor=actor(request), case_id=case_id, values=values)))


@router.get("/tasks/mine", response={200: list[TaskOut], READ_ERRORS: ErrorOut}, summary="My tasks due soon")
def tasks_mine(request: HttpRequest, days: int = Query(14, ge=0, le=365)) -> Any:
    return [task_answer(row) for row in selectors.my_tasks(actor=actor(request), days=days)]


@router.patch(
    "/tasks/{task_id}", response={200: Written, WRITE_ERRORS: ErrorOut}, summary="Change or finish a task"
)
def task_change(request: HttpRequest, task_id: str, payload: TaskChanges) -> Any:
    values, version = _values(payload)
    task = services.task_update(
        actor=actor(request), task_id=task_id, values=values, expected_version=version
    )
    return _written(task)


# --- referrals -------------------------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/partners",
    response={200: list[PartnerOut], READ_ERRORS: ErrorOut},
    summary="Partners to refer a case to",
    description="Active groups working on the case's category of rights in its region, its neighbours or "
    "its federal district, nearest first.",
)
def case_partners(request: HttpRequest, case_id: str) -> Any:
    rows = selectors.referral_partners(actor=actor(request), case_id=case_id)
    return [{"id": r["id"], "name_ru": r["name_ru"], "home_region": r.get("home_region_code")} for r in rows]


@router.post(
    "/cases/{case_id}/referrals", response={201: Written, WRITE_ERRORS: ErrorOut}, summary="Refer a case"
)
def referral_create(request: HttpRequest, case_id: str, payload: ReferralIn) -> Any:
    referral = services.referral_create(
        actor=actor(request),
        case_id=case_id,
        partner_id=payload.partner,
        reason=payload.reason,
        shared_summary=payload.shared_summary,
    )
    return Status(201, _written(referral))


@router.get(
    "/referrals/received",
    response={200: list[ReferralReceived], READ_ERRORS: ErrorOut},
    summary="Referrals to your group",
)
def referrals_received(request: HttpRequest) -> Any:
    return selectors.referrals_received(actor=actor(request))


@router.post(
    "/referrals/{referral_id}/answer",
    response={200: Written, WRITE_ERRORS: ErrorOut},
    summary="Accept, decline or close a referral",
)
def referral_answer(request: HttpRequest, referral_id: str, payload: ReferralAnswer) -> Any:
    referral = services.referral_answer(
        actor=actor(request), referral_id=referral_id, status=payload.status, answer=payload.answer
    )
    return _written(referral)


# --- events ----------------------------------------------------------------------------------------------


@router.post(
    "/cases/{case_id}/event",
    response={201: CaseEventOut, WRITE_ERRORS: ErrorOut},
    summary="Record the event a case documents, and its act",
)
def case_event_create(request: HttpRequest, case_id: str, payload: CaseEventIn) -> Any:
    event, act = services.case_event_create(
        actor=actor(request), case_id=case_id, event_values=payload.event, act_values=payload.act
    )
    return Status(201, {"event": event.pk, "act": act.pk})


@router.put(
    "/cases/{case_id}/event",
    response={200: CaseEventOut, WRITE_ERRORS: ErrorOut},
    summary="Link a case to an event on record",
)
def case_event_link(request: HttpRequest, case_id: str, payload: CaseEventLink) -> Any:
    case = services.case_event_link(
        actor=actor(request), case_id=case_id, event_id=payload.event, act_id=payload.act
    )
    return {"event": case.event_id, "act": case.act_id}


@router.get(
    "/events/{event_id}/cases",
    response={200: list[CaseRow], READ_ERRORS: ErrorOut},
    summary="The cases of your desk behind an event",
)
def event_cases(request: HttpRequest, event_id: str) -> Any:
    return selectors.event_cases(actor=actor(request), event_id=event_id)


@router.put("/help-desk", response={200: HelpDeskOut, WRITE_ERRORS: ErrorOut}, summary="Your group's desk")
def help_desk(request: HttpRequest, payload: HelpDeskIn) -> Any:
    values, _version = _values(payload)
    desk = services.help_desk_set(actor=actor(request), values=values)
    return {
        "organisation": desk.organisation_id,
        "accepts_public_requests": desk.accepts_public_requests,
        "public_note": desk.public_note,
    }
