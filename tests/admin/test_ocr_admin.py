"""OCR in the back office: the state on a document's "Pages and originals" page, and "Read
pages again (OCR)" there and on the collection list, for editors only."""

from __future__ import annotations

import pytest

from declassified.archive.models import Document, PageText
from declassified.archive.page_texts import PageReadingValues, do_record_page_reading
from declassified.ingest.jobs import run_worker
from declassified.ingest.models import ImportJob
from declassified.ingest.ocr_jobs import enqueue_ocr
from tests.factories import make_collection, make_document, make_document_with_pages

pytestmark = pytest.mark.django_db


def originals_url(document: Document) -> str:
    return f"/admin/archive/document/{document.pk}/originals/"


def record(page, confidence: float) -> None:
    do_record_page_reading(page, PageReadingValues(
        text="Kosygin", words=[["Kosygin", 1, 2, 3, 4, confidence, 0, 0]],
        mean_confidence=confidence, languages="eng", engine="tesseract; test"), via="tests")


def test_the_page_shows_what_ocr_read_and_the_latest_job(alice_client):
    document = make_document_with_pages(3)
    first, second, _third = document.pages.order_by("position")
    record(first, 90.0)
    record(second, 80.0)
    job = enqueue_ocr(documents=[document])
    body = alice_client.get(originals_url(document)).content.decode()
    assert "Text read by OCR" in body
    assert "2 of 3 page(s) read, 1 not yet" in body and "mean confidence 85.0" in body
    assert f'href="/admin/ingest/importjob/{job.pk}/change/"' in body and "Queued" in body
    assert 'value="Read pages again (OCR)"' in body


def test_a_failed_page_is_named_on_the_page_and_the_job_page(alice_client):
    document = make_document_with_pages(1)
    from django.core.files.storage import default_storage

    default_storage.delete(document.pages.get().master)
    job = enqueue_ocr(documents=[document])
    run_worker(only_job=job.pk)
    body = alice_client.get(originals_url(document)).content.decode()
    assert "1 failed" in body and "its image is missing or damaged" in body
    job_page = alice_client.get(f"/admin/ingest/importjob/{job.pk}/change/").content.decode()
    assert "its image is missing or damaged" in job_page
    listing = alice_client.get("/admin/ingest/importjob/").content.decode()
    assert "1/1 pages read, 1 failed" in listing


def test_an_editor_has_the_pages_read_again(alice_client, alice,
                                            django_capture_on_commit_callbacks):
    document = make_document_with_pages(2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = alice_client.post(originals_url(document), {"ocr": "1"})
    assert response.status_code == 302
    job = ImportJob.objects.get(kind=ImportJob.OCR)
    assert job.options == {"force": True, "documents": [document.pk]}
    assert job.created_by == alice and len(callbacks) == 1  # the background worker starts
    page = alice_client.get(originals_url(document)).content.decode()
    assert f"being read again (OCR job #{job.pk})" in page


def test_a_document_without_pages_has_nothing_to_read(alice_client):
    document = make_document()
    response = alice_client.post(originals_url(document), {"ocr": "1"}, follow=True)
    assert "no pages to read yet" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_contributors_strangers_and_anonymous_may_not(client, bob, charlie):
    document = make_document_with_pages(1, status=Document.DRAFT)
    response = client.post(originals_url(document), {"ocr": "1"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(charlie)  # not staff
    response = client.post(originals_url(document), {"ocr": "1"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(bob)  # a contributor may change this draft, not have it read again
    assert "Read pages again (OCR)" not in client.get(originals_url(document)).content.decode()
    assert client.post(originals_url(document), {"ocr": "1"}).status_code == 403
    response = client.post("/admin/archive/collection/", {
        "action": "read_pages_again", "_selected_action": [str(make_collection().pk)]})
    assert not ImportJob.objects.exists()


def test_the_collection_action_reads_its_documents_again(alice_client,
                                                         django_capture_on_commit_callbacks):
    collection = make_collection()
    make_document_with_pages(1, collections=[collection])
    empty = make_collection()
    listing = alice_client.get("/admin/archive/collection/").content.decode()
    assert "Read pages again (OCR)" in listing
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = alice_client.post("/admin/archive/collection/", {
            "action": "read_pages_again", "_selected_action": [str(collection.pk)]},
            follow=True)
    job = ImportJob.objects.get(kind=ImportJob.OCR)
    assert job.options == {"force": True, "collections": [collection.pk]}
    assert f"OCR job #{job.pk}" in response.content.decode() and len(callbacks) == 1
    response = alice_client.post("/admin/archive/collection/", {
        "action": "read_pages_again", "_selected_action": [str(empty.pk)]}, follow=True)
    assert "have no pages to read" in response.content.decode()
    assert ImportJob.objects.count() == 1


def test_the_page_costs_the_same_queries_for_more_pages_read(alice_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for pages in (1, 5):
        document = make_document_with_pages(pages)
        for page in document.pages.all():
            record(page, 88.0)
        enqueue_ocr(documents=[document])
        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get(originals_url(document)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert PageText.objects.count() == 6
