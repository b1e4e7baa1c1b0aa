"""Documents: stored stripped of metadata and encrypted, the upload's hash kept, read only by who may."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image
from pypdf import PdfWriter

from khronika.core import crypto
from khronika.core.errors import NotFound, PermissionDenied, ValidationFailed
from khronika.core.projection import SEALED
from khronika.monitoring import services
from khronika.monitoring.models import Document
from khronika.monitoring.selectors.documents import document_content, event_documents
from khronika.monitoring.services.documents import MAX_BYTES, document_add, document_delete, storage_path
from khronika.testing.keys import opening_for


def photo_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x013B] = "Фотограф Тайный"  # Artist
    exif[0x0110] = "Phone Model Secret"  # Model
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 120, 200)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def pdf_with_author() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_metadata({"/Author": "Author Secret", "/Creator": "Office"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def monitor(make_user, org_a):
    return make_user("monitor", org_a)


@pytest.fixture
def rally(monitor):
    return services.event_create(actor=monitor, values={"title": "Сход", "type": "rally"})


def test_a_photo_is_stored_without_its_exif_encrypted_with_the_hash_of_the_upload(monitor, rally):
    photo = photo_with_exif()
    document = document_add(
        actor=monitor, event_id=rally.pk, title="Фото задержания", file_name="IMG_1.jpg", content=photo
    )

    assert document.sha256 == hashlib.sha256(photo).hexdigest() != document.stored_sha256
    assert "EXIF" in document.metadata_removed and document.media_type == "image/jpeg"
    on_disk = storage_path(document.storage_name).read_bytes()
    assert b"Phone Model Secret" not in on_disk and on_disk[:3] != b"\xff\xd8\xff"
    stored = document_content(actor=monitor, document_id=document.pk)
    assert hashlib.sha256(stored.content).hexdigest() == document.stored_sha256
    assert b"Phone Model Secret" not in stored.content and Image.open(io.BytesIO(stored.content)).size == (
        30,
        20,
    )
    assert [row["title"] for row in event_documents(actor=monitor, event_id=rally.pk)] == ["Фото задержания"]


def test_a_pdf_loses_its_author_and_an_unknown_kind_is_kept_as_it_came_and_said_so(monitor, rally):
    pdf = document_add(
        actor=monitor, event_id=rally.pk, title="Решение суда", file_name="r.pdf", content=pdf_with_author()
    )
    assert pdf.metadata_removed == ["PDF information"]
    assert b"Author Secret" not in document_content(actor=monitor, document_id=pdf.pk).content
    text = document_add(
        actor=monitor, event_id=rally.pk, title="Заметки", file_name="n.txt", content=b"notes"
    )
    assert text.metadata_removed == ["not stripped: unknown kind of file"]
    assert document_content(actor=monitor, document_id=text.pk).content == b"notes"


def test_a_protected_documents_key_is_sealed_and_opened_only_with_a_keyring(monitor, rally, make_user, org_a):
    document = document_add(
        actor=monitor,
        event_id=rally.pk,
        title="Справка о побоях",
        file_name="s.pdf",
        content=pdf_with_author(),
        tier="protected",
    )
    assert crypto.is_sealed(Document.objects.values_list("file_key", flat=True).get(pk=document.pk))
    with pytest.raises(PermissionDenied):
        document_content(actor=monitor, document_id=document.pk)
    opened = document_content(
        actor=monitor, document_id=document.pk, opening=opening_for(monitor, purpose="verify")
    )
    assert opened.content.startswith(b"%PDF-")
    [listed] = event_documents(actor=monitor, event_id=rally.pk)
    assert listed["title"] is SEALED and listed["sha256"] == document.sha256
    assert crypto.is_sealed(Document.objects.values_list("title", flat=True).get(pk=document.pk))
    editor = make_user("editor", org_a)
    assert event_documents(actor=editor, event_id=rally.pk) == []
    with pytest.raises(NotFound):
        document_content(actor=editor, document_id=document.pk)
    with pytest.raises(PermissionDenied):
        document_add(
            actor=editor, event_id=rally.pk, title="x", file_name="x.txt", content=b"x", tier="protected"
        )


def test_another_group_sees_no_document_of_an_internal_event_and_deletion_removes_the_file(
    monitor, rally, make_user, org_b, django_capture_on_commit_callbacks
):
    document = document_add(
        actor=monitor, event_id=rally.pk, title="Протокол", file_name="p.txt", content=b"protocol"
    )
    with pytest.raises(NotFound):
        document_content(actor=make_user("monitor", org_b), document_id=document.pk)
    path = storage_path(document.storage_name)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        document_delete(actor=monitor, document_id=document.pk, expected_version=1)
    assert not path.exists() and Document.objects.get(pk=document.pk).file_key == ""
    with pytest.raises(NotFound):
        document_content(actor=monitor, document_id=document.pk)
    assert event_documents(actor=monitor, event_id=rally.pk) == []


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": " ", "content": b"x"}, "title"),
        ({"title": "x", "content": b""}, "file"),
        ({"title": "x", "content": b"\xff\xd8\xff broken jpeg"}, "file"),
        ({"title": "x", "content": b"x", "tier": "secret"}, "tier"),
        ({"title": "x", "content": b"x", "act_id": "not-an-id"}, "act"),
    ],
)
def test_bad_input_names_its_field_and_stores_nothing(monitor, rally, values, field, settings):
    with pytest.raises(ValidationFailed) as raised:
        document_add(actor=monitor, event_id=rally.pk, file_name="f", **values)
    assert field in raised.value.fields
    assert not Document.objects.exists() and not any(settings.KHRONIKA_DOCUMENTS.iterdir())


def test_a_file_over_the_limit_is_refused(monitor, rally):
    with pytest.raises(ValidationFailed) as raised:
        document_add(
            actor=monitor, event_id=rally.pk, title="x", file_name="big", content=b"0" * (MAX_BYTES + 1)
        )
    assert set(raised.value.fields) == {"file"}
