"""``khronika documents``: attaching a file from a terminal, listing it, fetching the stripped copy."""

from __future__ import annotations

import io
import json

from pypdf import PdfWriter

from khronika.monitoring import services
from khronika.testing.factories import OrganisationFactory, UserFactory


def test_a_pdf_is_attached_listed_and_fetched_without_its_author(run, db, tmp_path):
    group = OrganisationFactory(name_ru="Группа")
    monitor = UserFactory(username="monitor", organisation=group, role="monitor")
    event = services.event_create(actor=monitor, values={"title": "Суд", "type": "court-hearing"})
    writer = PdfWriter()
    writer.add_blank_page(50, 50)
    writer.add_metadata({"/Author": "Author Secret"})
    source = tmp_path / "decision.pdf"
    buffer = io.BytesIO()
    writer.write(buffer)
    source.write_bytes(buffer.getvalue())

    added = run(
        "--as",
        "monitor",
        "documents",
        "add",
        "--event",
        str(event.pk),
        str(source),
        "--title",
        "Решение",
        "--json",
    )
    assert added.code == 0, added.err
    document_id = json.loads(added.out)["id"]
    listed = json.loads(run("--as", "monitor", "documents", "list", "--event", str(event.pk), "--json").out)
    assert [(row["title"], row["media_type"]) for row in listed] == [("Решение", "application/pdf")]
    copy = tmp_path / "copy.pdf"
    fetched = run("--as", "monitor", "documents", "get", document_id, "--out", str(copy))
    assert (
        fetched.code == 0
        and copy.read_bytes().startswith(b"%PDF-")
        and b"Author Secret" not in copy.read_bytes()
    )
    missing = run(
        "--as", "monitor", "documents", "add", "--event", str(event.pk), str(tmp_path / "no"), "--title", "x"
    )
    assert missing.code == 2 and "Traceback" not in missing.err
