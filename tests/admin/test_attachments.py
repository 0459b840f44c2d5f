"""Original files uploaded through the back office keep their SHA-256."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from declassified.archive.models import Attachment, Document, Revision
from tests.admin.formdata import document_change_form, document_form, inline_rows
from tests.factories import make_document

pytestmark = pytest.mark.django_db

SCAN = b"%PDF-1.4\n% a scanned cable\n" + bytes(range(256)) * 40


def test_an_uploaded_scan_stores_its_sha256(alice_client, settings):
    data = document_form(title="Cable with scan", attachments=[{
        "file": SimpleUploadedFile("cable.pdf", SCAN, content_type="application/pdf"),
        "title": "Original, page 1", "position": "0",
    }])
    response = alice_client.post("/admin/archive/document/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    attachment = Attachment.objects.get(document__title="Cable with scan")
    assert attachment.sha256 == hashlib.sha256(SCAN).hexdigest()
    assert attachment.size == len(SCAN)
    assert attachment.content_type == "application/pdf"
    assert (settings.MEDIA_ROOT / attachment.file.name).read_bytes() == SCAN


def test_adding_a_file_to_an_existing_document_records_it(alice_client, alice):
    document = make_document(status=Document.DRAFT)
    data = document_change_form(document)
    data.update(inline_rows("attachments", [{
        "file": SimpleUploadedFile("memo.pdf", b"%PDF-1.4 memo"), "title": "", "position": "0",
    }]))
    response = alice_client.post(f"/admin/archive/document/{document.pk}/change/", data)
    assert response.status_code == 302
    assert document.attachments.get().sha256 == hashlib.sha256(b"%PDF-1.4 memo").hexdigest()
    latest = Revision.objects.of_document(document.pk).first()
    assert (latest.acting_user, latest.kind, latest.action) == (alice, "attachment", "create")
    assert latest.changes["file"]["new"].endswith("memo.pdf")
    assert latest.changes["sha256"] == {"new": hashlib.sha256(b"%PDF-1.4 memo").hexdigest()}


def test_deleting_an_attachment_removes_its_file_once_committed(
    alice_client, settings, django_capture_on_commit_callbacks
):
    data = document_form(title="Scanned", attachments=[{
        "file": SimpleUploadedFile("scan.pdf", SCAN), "title": "", "position": "0",
    }])
    alice_client.post("/admin/archive/document/add/", data)
    document = Document.objects.get(title="Scanned")
    attachment = document.attachments.get()
    path = settings.MEDIA_ROOT / attachment.file.name
    change = document_change_form(document)
    change.update(inline_rows("attachments", [{
        "id": attachment.pk, "document": document.pk, "title": "", "position": "0",
        "DELETE": "on",
    }], initial=1))
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = alice_client.post(f"/admin/archive/document/{document.pk}/change/", change)
    assert response.status_code == 302
    assert not document.attachments.exists()
    assert callbacks and not path.exists()
