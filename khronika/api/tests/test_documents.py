"""Documents over the API: a multipart upload, the list, the download of the stripped copy, deletion."""

from __future__ import annotations

import hashlib
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from khronika.accounts.services import api_token_create
from khronika.monitoring import services


def client_for(user):
    _token, raw = api_token_create(actor=None, user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_photo_is_uploaded_listed_downloaded_without_exif_and_deleted(make_user, org_a, org_b):
    monitor = make_user("monitor", org_a)
    api = client_for(monitor)
    event = services.event_create(actor=monitor, values={"title": "Сход", "type": "rally"})
    exif = Image.Exif()
    exif[0x0110] = "Phone Model Secret"
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "JPEG", exif=exif.tobytes())
    photo = out.getvalue()

    uploaded = api.post(
        f"/api/v1/events/{event.pk}/documents",
        {"title": "Фото", "file": SimpleUploadedFile("IMG.jpg", photo)},
    )
    assert uploaded.status_code == 201, uploaded.content
    [listed] = api.get(f"/api/v1/events/{event.pk}/documents").json()
    assert listed["sha256"] == hashlib.sha256(photo).hexdigest() and "EXIF" in listed["metadata_removed"]
    download = api.get(f"/api/v1/documents/{listed['id']}/content")
    assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"
    assert b"Phone Model Secret" not in download.content
    assert (
        client_for(make_user("monitor", org_b)).get(f"/api/v1/documents/{listed['id']}/content").status_code
        == 404
    )

    protected = api.post(
        f"/api/v1/events/{event.pk}/documents",
        {"title": "Справка", "tier": "protected", "file": SimpleUploadedFile("s.txt", b"med")},
    )
    assert protected.status_code == 201
    refused = api.get(f"/api/v1/documents/{protected.json()['id']}/content")
    assert refused.status_code == 403  # a token holds no key
    bad = api.post(
        f"/api/v1/events/{event.pk}/documents", {"title": "", "file": SimpleUploadedFile("e", b"")}
    )
    assert bad.status_code == 422 and {"title", "file"} <= set(bad.json()["error"]["fields"])
    assert api.delete(f"/api/v1/documents/{listed['id']}").status_code == 204
    assert api.get(f"/api/v1/documents/{listed['id']}/content").status_code == 404
