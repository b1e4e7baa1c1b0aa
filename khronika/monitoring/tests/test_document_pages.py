"""Document pages: attach a file to an event or a case, see it listed, download the stripped copy."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from khronika.cases import services as case_services
from khronika.monitoring import services
from khronika.monitoring.models import Document
from khronika.testing.second_factor import verified_login


def photo() -> bytes:
    exif = Image.Exif()
    exif[0x0110] = "Phone Model Secret"
    out = io.BytesIO()
    Image.new("RGB", (6, 6)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


@pytest.fixture
def monitor(make_user, org_a):
    return make_user("monitor", org_a)


@pytest.fixture
def rally(monitor):
    return services.event_create(actor=monitor, values={"title": "Сход", "type": "rally"})


def test_a_file_is_attached_to_an_event_listed_and_downloaded_without_its_exif(client, monitor, rally):
    verified_login(client, monitor)
    page = reverse("monitoring:event_document_add", args=[rally.pk])
    assert client.get(page).status_code == 200
    sent = client.post(
        page, {"title": "Фото", "tier": "internal", "file": SimpleUploadedFile("IMG.jpg", photo())}
    )
    assert sent.status_code == 302 and sent["Location"] == reverse("monitoring:event_detail", args=[rally.pk])
    document = Document.objects.get()
    detail = client.get(sent["Location"]).content.decode()
    assert f'id="document-{document.pk}"' in detail and document.sha256[:16] in detail
    download = client.get(reverse("monitoring:document_download", args=[document.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"
    assert b"Phone Model Secret" not in download.content and download["Cache-Control"] == "no-store"


def test_a_protected_file_is_listed_sealed_and_refused_without_a_purpose(client, monitor, rally):
    verified_login(client, monitor)
    client.post(
        reverse("monitoring:event_document_add", args=[rally.pk]),
        {"title": "Справка Тайной", "tier": "protected", "file": SimpleUploadedFile("s.txt", b"med")},
    )
    document = Document.objects.get()
    detail = client.get(reverse("monitoring:event_detail", args=[rally.pk])).content.decode()
    assert "Справка Тайной" not in detail and f'id="document-{document.pk}"' in detail
    assert client.get(reverse("monitoring:document_download", args=[document.pk])).status_code == 403


def test_bad_input_is_shown_on_the_form_and_others_cannot_attach(
    client, monitor, rally, make_user, org_a, org_b
):
    verified_login(client, monitor)
    refused = client.post(
        reverse("monitoring:event_document_add", args=[rally.pk]), {"title": "", "tier": "internal"}
    )
    assert refused.status_code == 422 and not Document.objects.exists()
    outsider = make_user("monitor", org_b)
    client.force_login(outsider)
    verified_login(client, outsider)
    assert client.get(reverse("monitoring:event_document_add", args=[rally.pk])).status_code == 404


def test_a_case_page_lists_its_files(client, make_user, org_a):
    lawyer = make_user("lawyer", org_a)
    case = case_services.case_open(actor=lawyer, values={"title": "Дело"})
    verified_login(client, lawyer)
    sent = client.post(
        reverse("monitoring:case_document_add", args=[case.pk]),
        {"title": "Заявление", "tier": "internal", "file": SimpleUploadedFile("z.txt", b"statement")},
    )
    assert sent.status_code == 302 and sent["Location"] == reverse("cases:case_detail", args=[case.pk])
    document = Document.objects.get()
    assert f'id="document-{document.pk}"' in client.get(sent["Location"]).content.decode()
    deleted = client.post(reverse("monitoring:document_delete", args=[document.pk]), {"version": "1"})
    assert deleted.status_code == 302 and Document.objects.get().deleted_at is not None
