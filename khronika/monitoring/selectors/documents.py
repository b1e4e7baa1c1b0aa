"""Reads of documents: the list of an event's or a case's files the reader may see, and a file's content.

A document is seen with its owner (the event, at the reader's tier for it; the case, by its case workers)
and only up to the reader's tier. A protected document's key is sealed: its content opens only with the
reader's keyring, each opening audited.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from khronika.accounts.sealing import Opening, open_record
from khronika.core import crypto
from khronika.core.errors import NotFound, PermissionDenied
from khronika.core.projection import Projection, project
from khronika.core.records import live_record
from khronika.core.tiers import Tier
from khronika.monitoring import policies
from khronika.monitoring.models import Document, Event
from khronika.monitoring.services.documents import storage_path


def _ceiling(actor: Any, document: Document) -> Tier:
    if document.event_id is not None:
        return policies.require_event_read(actor, document.event)
    from khronika.cases import policies as case_policies

    case_policies.require_case_worker(actor, document.steward_id)
    return Tier.PROTECTED


def _rows(documents: list[Document], ceiling: Tier) -> list[Projection]:
    rows = []
    for document in documents:
        if Tier[str(document.tier).upper()] > ceiling:
            continue
        row = project(document, ceiling=ceiling, exclude=("file_key", "storage_name"))
        row["metadata_removed"] = document.metadata_removed
        row["uploaded_at"] = document.created_at
        rows.append(row)
    return rows


def event_documents(*, actor: Any, event_id: Any) -> list[Projection]:
    event = live_record(Event, event_id)
    ceiling = policies.require_event_read(actor, event)
    return _rows(list(event.documents.filter(deleted_at__isnull=True)), ceiling)


def case_documents(*, actor: Any, case_id: Any) -> list[Projection]:
    from khronika.cases import policies as case_policies
    from khronika.cases.models import Case

    case = live_record(Case, case_id)
    case_policies.require_case_worker(actor, case.steward_id)
    return _rows(list(Document.objects.filter(case=case, deleted_at__isnull=True)), Tier.PROTECTED)


@dataclass(frozen=True)
class DocumentContent:
    file_name: str
    media_type: str
    content: bytes


def document_content(*, actor: Any, document_id: Any, opening: Opening | None = None) -> DocumentContent:
    """The stored copy of a document, decrypted. A protected document needs an ``Opening`` whose keyring
    opens its key; the opening is audited with its purpose."""
    document = live_record(Document.objects.select_related("event"), document_id)
    ceiling = _ceiling(actor, document)
    if Tier[str(document.tier).upper()] > ceiling:
        raise NotFound()
    key_text = document.file_key
    if crypto.is_sealed(key_text):
        if opening is None or opening.keyring is None:
            raise PermissionDenied(
                _("This document is protected: open it from a signed-in session, saying why (audited).")
            )
        key_text = open_record(document, keyring=opening.keyring, purpose=opening.purpose).get("file_key", "")
        if not key_text:
            raise PermissionDenied(_("Your key does not open this document."))
    try:
        content = crypto.decrypt_bytes(
            base64.b64decode(key_text), storage_path(document.storage_name).read_bytes()
        )
    except (OSError, crypto.CryptoError):
        raise NotFound(_("The file of this document is missing or damaged on this node.")) from None
    return DocumentContent(file_name=document.file_name, media_type=document.media_type, content=content)
