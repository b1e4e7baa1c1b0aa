"""Staff pages of documents: attach a file to an event or a case, download the stored copy, delete.

A protected document's title, name and content open only with a purpose (``?purpose=``), each opening
audited; the list shows it as sealed until then.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from khronika.accounts.keys import request_opening
from khronika.core import forms as core_forms
from khronika.core.errors import Conflict
from khronika.core.projection import SEALED
from khronika.core.records import live_record
from khronika.core.tiers import TierChoices
from khronika.directory.forms import Form
from khronika.directory.views.common import form_page, user_of
from khronika.monitoring.models import Document
from khronika.monitoring.selectors import documents as selectors
from khronika.monitoring.services import documents as services

FORM = "monitoring/documents/form.html"


def documents_context(documents: list[Any], *, may_attach: bool, attach_url: str) -> dict[str, Any]:
    """What ``monitoring/documents/_list.html`` shows: the rows the reader may see (a protected one
    sealed until opened), and whether to offer attaching and deleting."""
    for row in documents:
        row["title_sealed"] = row.get("title") is SEALED
    return {"documents": documents, "may_attach": may_attach, "attach_url": attach_url}


class DocumentForm(Form):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=300,
        help_text=gettext_lazy("Name nobody in it: a protected document's title is sealed, others' are not."),
    )
    tier = forms.ChoiceField(
        label=gettext_lazy("Who may see it"), choices=TierChoices.choices, initial=TierChoices.INTERNAL
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "At most 25 MB. Photographs lose their EXIF (place, time, phone) and PDFs their author before "
            "they are stored; the hash of the file as sent is kept."
        ),
    )


def _owner_page(document_or_ids: Any) -> Any:
    event_id, case_id = document_or_ids
    if event_id is not None:
        return redirect("monitoring:event_detail", event_id=event_id)
    return redirect("cases:case_detail", case_id=case_id)


def document_upload(
    request: HttpRequest, event_id: uuid.UUID | None = None, case_id: uuid.UUID | None = None
) -> HttpResponse:
    """Attach a file; the service decides who may (the event's writers, the case's case workers)."""
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "GET":
        services.document_owner(user_of(request), event_id=event_id, case_id=case_id)
    document = core_forms.submit(
        form,
        lambda: services.document_add(
            actor=user_of(request),
            title=form.cleaned_data["title"],
            tier=form.cleaned_data["tier"],
            file_name=form.cleaned_data["file"].name,
            content=form.cleaned_data["file"].read(),
            event_id=event_id,
            case_id=case_id,
        ),
    )
    if document is not None:
        messages.success(request, _("The file was attached; its metadata was removed where it could be."))
        return _owner_page((event_id, case_id))
    return form_page(request, FORM, {"form": form, "event_id": event_id, "case_id": case_id})


def document_download(request: HttpRequest, document_id: uuid.UUID) -> HttpResponse:
    found = selectors.document_content(
        actor=user_of(request),
        document_id=document_id,
        opening=request_opening(request, actor=user_of(request)),
    )
    response = HttpResponse(found.content, content_type=found.media_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(found.file_name, safe='')}"
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def document_delete(request: HttpRequest, document_id: uuid.UUID) -> HttpResponse:
    document = live_record(Document, document_id)
    owner = (document.event_id, document.case_id if document.event_id is None else None)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        services.document_delete(actor=user_of(request), document_id=document_id, expected_version=version)
    except Conflict:
        messages.error(request, _("Someone changed this file meanwhile; reload the page and try again."))
        return _owner_page(owner)
    messages.success(request, _("The file was deleted, and its key destroyed."))
    return _owner_page(owner)
