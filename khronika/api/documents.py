"""Documents of events and cases: upload (multipart), list, download, delete.

The stored copy is stripped of metadata and encrypted; ``sha256`` is the hash of the file as uploaded.
A protected document opens only in a signed-in browser session with ``?purpose=`` (audited): an API
token holds no key.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from khronika.accounts.keys import request_opening
from khronika.api.auth import actor
from khronika.api.render import present
from khronika.api.schemas import PURPOSE_QUERY, READ_ERRORS, WRITE_ERRORS, ErrorOut, Written
from khronika.core.errors import ValidationFailed
from khronika.monitoring.selectors import documents as selectors
from khronika.monitoring.services import documents as services

router = Router(tags=["documents"])
UPLOAD: Any = File(..., description="The file.")
TITLE: Any = Form("", description="A title that names nobody.")
TIER: Any = Form("internal", description="public, network, internal or protected.")
PART: Any = Form("", description="For an event: the act or intervention it belongs to.")


class DocumentOut(Schema):
    id: uuid.UUID
    version: int
    title: str | None = Field(None, description="Null while sealed (a protected document).")
    file_name: str | None = Field(None, description="Null while sealed.")
    media_type: str
    size: int
    sha256: str
    stored_sha256: str
    metadata_removed: list[str]
    tier: str
    uploaded_at: dt.datetime
    sealed: list[str] = Field(default_factory=list)


SHOWN = (
    *("id", "version", "title", "file_name", "media_type", "size", "sha256", "stored_sha256"),
    *("metadata_removed", "tier", "uploaded_at"),
)


def document_answers(rows: Any) -> list[dict[str, Any]]:
    return [present(row, SHOWN) for row in rows]


def _content(upload: UploadedFile) -> tuple[str, bytes]:
    if upload.size is not None and upload.size > services.MAX_BYTES:
        message = _("A file may be at most %(mb)d MB.") % {"mb": services.MAX_BYTES // 2**20}
        raise ValidationFailed(fields={"file": [message]})
    return upload.name or "file", upload.read()


def _add(request: HttpRequest, upload: UploadedFile, title: str, tier: str, **owner: Any) -> Any:
    name, content = _content(upload)
    document = services.document_add(
        actor=actor(request), title=title, tier=tier or "internal", file_name=name, content=content, **owner
    )
    return Status(201, {"id": document.id, "version": document.version})


DESCRIPTION = (
    "multipart/form-data: `file`, `title` (naming nobody), `tier` (public, network, internal by default, "
    "or protected), and for an event `act` or `intervention` to attach it to one of them. At most 25 MB."
)


@router.post(
    "/events/{event_id}/documents",
    response={201: Written, WRITE_ERRORS: ErrorOut},
    summary="Attach a file to an event",
    description=DESCRIPTION,
)
def event_document_add(
    request: HttpRequest,
    event_id: str,
    file: UploadedFile = UPLOAD,
    title: str = TITLE,
    tier: str = TIER,
    act: str = PART,
    intervention: str = PART,
) -> Any:
    return _add(
        request,
        file,
        title,
        tier,
        event_id=event_id,
        act_id=act or None,
        intervention_id=intervention or None,
    )


@router.post(
    "/cases/{case_id}/documents",
    response={201: Written, WRITE_ERRORS: ErrorOut},
    summary="Attach a file to a case",
    description=DESCRIPTION,
)
def case_document_add(
    request: HttpRequest, case_id: str, file: UploadedFile = UPLOAD, title: str = TITLE, tier: str = TIER
) -> Any:
    return _add(request, file, title, tier, case_id=case_id)


@router.get(
    "/events/{event_id}/documents",
    response={200: list[DocumentOut], READ_ERRORS: ErrorOut},
    summary="An event's files",
)
def event_documents(request: HttpRequest, event_id: str) -> Any:
    return document_answers(selectors.event_documents(actor=actor(request), event_id=event_id))


@router.get(
    "/cases/{case_id}/documents",
    response={200: list[DocumentOut], READ_ERRORS: ErrorOut},
    summary="A case's files",
)
def case_documents(request: HttpRequest, case_id: str) -> Any:
    return document_answers(selectors.case_documents(actor=actor(request), case_id=case_id))


@router.get(
    "/documents/{document_id}/content",
    response={200: None, READ_ERRORS: ErrorOut, 403: ErrorOut},
    summary="Download a file (its stored, stripped copy)",
)
def document_download(request: HttpRequest, document_id: str, purpose: str = PURPOSE_QUERY) -> Any:
    opening = request_opening(request, actor=actor(request), purpose=purpose)
    found = selectors.document_content(actor=actor(request), document_id=document_id, opening=opening)
    response = HttpResponse(found.content, content_type=found.media_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quoted(found.file_name)}"
    response["Cache-Control"] = "no-store"
    return response


def _quoted(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


@router.delete(
    "/documents/{document_id}", response={204: None, WRITE_ERRORS: ErrorOut}, summary="Delete a file"
)
def document_remove(request: HttpRequest, document_id: str) -> Any:
    services.document_delete(actor=actor(request), document_id=document_id)
    return Status(204, None)
