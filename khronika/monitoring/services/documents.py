"""Files attached to events and cases: stored stripped of metadata, encrypted with a key of their own, the
hash of the upload recorded. See ``models.Document``."""

from __future__ import annotations

import base64
import hashlib
import os
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from khronika.accounts.models import User
from khronika.core import crypto
from khronika.core.changes import save_record
from khronika.core.errors import ValidationFailed
from khronika.core.models import ChangeOperation
from khronika.core.records import live_record
from khronika.core.tiers import TierChoices
from khronika.monitoring import policies
from khronika.monitoring.metadata import UnreadableFile, strip_metadata
from khronika.monitoring.models import Act, Document, Event, Intervention

MAX_BYTES = 25 * 1024 * 1024


def storage_path(storage_name: str) -> Path:
    return Path(settings.KHRONIKA_DOCUMENTS) / storage_name


def document_owner(
    actor: Any, *, event_id: Any, case_id: Any, for_update: bool = False
) -> tuple[User, Event | None, Any]:
    """The event or case a file is attached to, and the actor as one who may attach to it: the event's
    writers, or the case's case workers (NotFound for a record the actor may not see)."""
    if (event_id is None) == (case_id is None):
        raise ValidationFailed(fields={"owner": [_("Attach the file to one event or one case.")]})
    if event_id is not None:
        event = live_record(Event, event_id, for_update=for_update)
        policies.require_event_read(actor, event)
        return policies.require_event_writer(actor, steward_id=event.steward_id), event, None
    from khronika.cases import policies as case_policies
    from khronika.cases.models import Case

    case = live_record(Case, case_id, for_update=for_update)
    return case_policies.require_case_worker(actor, case.steward_id), None, case


@transaction.atomic
def document_add(
    *,
    actor: User,
    title: str,
    file_name: str,
    content: bytes,
    tier: str = TierChoices.INTERNAL,
    event_id: Any = None,
    case_id: Any = None,
    act_id: Any = None,
    intervention_id: Any = None,
) -> Document:
    """Attach a file. Nothing is stored unless every value is right; the stored copy is stripped of
    metadata and encrypted, and the hash of the file as received is recorded."""
    user, event, case = document_owner(actor, event_id=event_id, case_id=case_id, for_update=True)
    errors: dict[str, list[str]] = {}
    title, file_name = (title or "").strip(), Path(file_name or "").name.strip()
    if not title:
        errors["title"] = [_("Give the document a title that names nobody.")]
    if tier not in TierChoices.values:
        errors["tier"] = [_("Choose one of: %(tiers)s.") % {"tiers": ", ".join(TierChoices.values)}]
    elif tier == TierChoices.PROTECTED:
        policies.require_namer(user, (event or case).steward_id)
    elif tier == TierChoices.PUBLIC:
        policies.require_tier_allowed(user, tier)
    if not content:
        errors["file"] = [_("The file is empty.")]
    elif len(content) > MAX_BYTES:
        errors["file"] = [_("A file may be at most %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)}]
    act = intervention = None
    if act_id not in (None, ""):
        act = Act.objects.filter(pk=_uuid(act_id), event=event, deleted_at__isnull=True).first()
        if act is None:
            errors["act"] = [_("This act is not one of the event's.")]
    if intervention_id not in (None, ""):
        intervention = Intervention.objects.filter(
            pk=_uuid(intervention_id), event=event, deleted_at__isnull=True
        ).first()
        if intervention is None:
            errors["intervention"] = [_("This intervention is not one of the event's.")]
    stripped = None
    if "file" not in errors:
        try:
            stripped = strip_metadata(content)
        except UnreadableFile:
            errors["file"] = [_("The file says it is an image or a PDF but cannot be read as one.")]
    if errors:
        raise ValidationFailed(fields=errors)
    assert stripped is not None
    key = crypto.new_data_key()
    storage_name = uuid.uuid4().hex
    _write(storage_path(storage_name), crypto.encrypt_bytes(key, stripped.content))
    document = Document(
        steward_id=(event or case).steward_id,
        event=event,
        case=case,
        act=act,
        intervention=intervention,
        title=title[:300],
        file_name=file_name[:255] or "file",
        media_type=stripped.media_type,
        size=len(stripped.content),
        sha256=hashlib.sha256(content).hexdigest(),
        stored_sha256=hashlib.sha256(stripped.content).hexdigest(),
        metadata_removed=stripped.removed if stripped.stripped else ["not stripped: unknown kind of file"],
        storage_name=storage_name,
        file_key=base64.b64encode(key).decode("ascii"),
        tier=tier,
    )
    try:
        return save_record(
            document, actor=user, operation=ChangeOperation.CREATE, changed_fields=["title", "file"]
        )
    except Exception:
        storage_path(storage_name).unlink(missing_ok=True)
        raise


def _uuid(value: Any) -> uuid.UUID:
    """The id given, or the nil id (which names nothing) when it is not one."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return uuid.UUID(int=0)


def _write(path: Path, data: bytes) -> None:
    """Write the file whole or not at all: a temporary name, flushed to disk, then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".part")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)


@transaction.atomic
def document_delete(*, actor: User, document_id: Any, expected_version: int | None = None) -> Document:
    """Delete a document: its key is destroyed (a sealed key with its wrapped copies) and its file removed
    once the deletion is committed."""
    document = live_record(Document, document_id, for_update=True)
    user, _event, _case = document_owner(
        actor,
        event_id=document.event_id,
        case_id=document.case_id if document.event_id is None else None,
        for_update=True,
    )
    document.file_key = ""
    save_record(document, actor=user, operation=ChangeOperation.DELETE, expected_version=expected_version)
    path = storage_path(document.storage_name)
    transaction.on_commit(lambda: path.unlink(missing_ok=True))
    return document
