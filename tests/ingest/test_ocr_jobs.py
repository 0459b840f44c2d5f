"""OCR jobs: queued when pages are made, OCR_WORKERS pages read at once, a report per
document, idempotent, resumable, one bad page failing alone."""

from __future__ import annotations

import threading
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.backends.signals import connection_created
from django.utils import timezone

from declassified.archive.models import Page, PageText, Revision
from declassified.archive.page_texts import do_correct_page_text
from declassified.ingest import jobs
from declassified.ingest.models import ImportJob
from declassified.ingest.ocr_jobs import enqueue_ocr
from declassified.ingest.page_jobs import enqueue_page_rendering
from tests.factories import make_attachment, make_document, typed_page_bytes

pytestmark = pytest.mark.django_db(transaction=True)  # worker threads see committed rows

PAGES = [["Kosygin met Zhou Enlai"], ["Hanoi, February 1965"], ["Telegram from Moscow"],
         ["Secret and personal"]]


def typed_document(pages=PAGES, **fields):
    from tests.factories import make_document_with_typed_pages

    return make_document_with_typed_pages(pages, read=False, **fields)


def run(job: ImportJob) -> ImportJob:
    claimed = jobs.claim_job(only_job=job.pk)
    assert claimed is not None
    return jobs.run_job(claimed)


def test_a_pages_job_queues_an_ocr_job_that_reads_every_page():
    document = make_document()
    attachment = make_attachment(document, "two.png", typed_page_bytes(["Peking, March 1965"]))
    other = make_attachment(document, "one.png", typed_page_bytes(["Moscow, April 1965"]))
    pages_job = enqueue_page_rendering([attachment, other])
    assert jobs.run_worker() == 2  # the back office's worker: until the queue is empty
    pages_job.refresh_from_db()
    assert pages_job.state == ImportJob.DONE
    ocr_job = ImportJob.objects.get(pk=pages_job.report["ocr_job"])
    assert ocr_job.kind == ImportJob.OCR
    assert ocr_job.state == ImportJob.DONE
    texts = PageText.objects.filter(page__document=document).order_by("page__position")
    assert ["Peking" in texts[0].machine_text, "Moscow" in texts[1].machine_text] == [True, True]
    [entry] = ocr_job.report["documents"]
    assert (entry["document"], entry["pages"], entry["read"], entry["failed"]) == (
        document.pk, 2, 2, 0)
    assert entry["mean_confidence"] > 70 and entry["status"] == "done"


def test_the_ocr_job_makes_the_searchable_pdf_so_no_download_has_to(settings, tmp_path):
    from pathlib import Path

    import pypdfium2

    from declassified.originals.downloads import pdf_name

    settings.DOCUMENT_PDF_DIR = tmp_path
    document = typed_document(PAGES[:2])
    run(enqueue_ocr(documents=[document]))
    pages = list(Page.objects.filter(document=document).order_by("position", "id"))
    searchable = Path(tmp_path) / pdf_name(pages)
    assert searchable.exists()
    pdf = pypdfium2.PdfDocument(str(searchable))
    assert "Kosygin" in pdf[0].get_textpage().get_text_range()


def test_two_pages_are_read_at_once_and_the_threads_close_their_connections(settings):
    settings.OCR_WORKERS = 2
    document = typed_document()
    opened: list = []

    def remember(sender, connection, **kwargs):
        if threading.current_thread().name.startswith("ocr-job-"):
            opened.append(connection)

    connection_created.connect(remember)
    try:
        job = run(enqueue_ocr(documents=[document]))
    finally:
        connection_created.disconnect(remember)
    assert job.state == ImportJob.DONE, job.error
    assert job.progress["pages_done"] == job.progress["pages_total"] == 4
    assert job.progress["workers"] == 2
    assert PageText.objects.filter(page__document=document).count() == 4
    assert job.report["totals"] == {"pages": 4, "read": 4, "skipped": 0, "failed": 0,
                                    "documents": 1}
    # Django never closes SQLite's in-memory test database (it would vanish); others closed.
    assert opened and all(wrapper.connection is None
                          or wrapper.vendor == "sqlite" and wrapper.is_in_memory_db()
                          for wrapper in opened)


def test_running_again_skips_pages_read_and_force_reads_them_again():
    document = typed_document(PAGES[:2])
    run(enqueue_ocr(documents=[document]))
    revisions = Revision.objects.count()
    read_at = dict(PageText.objects.values_list("pk", "read_at"))
    again = run(enqueue_ocr(documents=[document]))
    assert again.report["totals"]["skipped"] == 2 and again.report["totals"]["read"] == 0
    assert dict(PageText.objects.values_list("pk", "read_at")) == read_at
    assert Revision.objects.count() == revisions  # a machine reading writes no revision
    forced = run(enqueue_ocr(documents=[document], force=True))
    assert forced.report["totals"]["read"] == 2 and forced.report["totals"]["skipped"] == 0
    assert Revision.objects.count() == revisions


def test_an_editors_correction_survives_reading_again(alice):
    document = typed_document(PAGES[:1])
    run(enqueue_ocr(documents=[document]))
    page_text = PageText.objects.get(page__document=document)
    do_correct_page_text(page_text, "Kosygin met Zhou Enlai.", acting_user=alice)
    run(enqueue_ocr(documents=[document], force=True))
    page_text.refresh_from_db()
    assert page_text.is_corrected and page_text.text == "Kosygin met Zhou Enlai."
    assert "Kosygin" in page_text.machine_text


def test_a_page_whose_master_is_missing_or_corrupt_fails_alone_with_its_reason():
    document = typed_document(PAGES[:3])
    missing, corrupt, good = document.pages.order_by("position")
    default_storage.delete(missing.master)
    with default_storage.open(corrupt.master, "wb") as handle:
        handle.write(b"II*\x00 not a TIFF at all")
    job = run(enqueue_ocr(documents=[document]))
    assert job.state == ImportJob.FAILED
    [entry] = job.report["documents"]
    assert (entry["read"], entry["failed"]) == (1, 2)
    errors = sorted(entry["errors"])
    assert errors[0].startswith(f"page 1 (#{missing.pk}): its image is missing or damaged")
    assert errors[1].startswith(f"page 2 (#{corrupt.pk}): its image is missing or damaged")
    assert f"#{corrupt.pk}" in job.error and f"#{missing.pk}" in job.error
    assert list(PageText.objects.values_list("page", flat=True)) == [good.pk]

    # Run again (the job list's action): the document with failures is tried again.
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.QUEUED)
    again = run(job)
    [entry] = again.report["documents"]
    assert (entry["read"], entry["skipped"], entry["failed"]) == (0, 1, 2)


def test_a_stale_job_is_resumed_and_skips_the_documents_it_finished():
    first, second = typed_document(PAGES[:1]), typed_document(PAGES[1:3])
    job = enqueue_ocr(documents=[first, second])
    run(enqueue_ocr(documents=[first]))  # as if the dead worker had read the first document
    finished = {"document": first.pk, "title": str(first), "status": "done", "pages": 1,
                "read": 1, "skipped": 0, "failed": 0, "errors": [], "mean_confidence": 90.0}
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.RUNNING, worker=f"{jobs.socket.gethostname()}:999999999",
        heartbeat_at=timezone.now(), report={"documents": [finished]})
    out = StringIO()
    call_command("worker", "--once", stdout=out)
    assert f"#{job.pk}" in out.getvalue() and "OCR job" in out.getvalue()
    job.refresh_from_db()
    assert job.state == ImportJob.DONE and job.attempts == 1
    entries = {e["document"]: e for e in job.report["documents"]}
    assert entries[first.pk] == finished  # not read again
    assert entries[second.pk]["read"] == 2
    assert PageText.objects.count() == 3


def test_a_document_without_languages_is_read_in_the_default_languages(settings):
    settings.OCR_DEFAULT_LANGUAGES = "eng"
    document = typed_document(PAGES[:1])
    run(enqueue_ocr(pages=list(Page.objects.filter(document=document))))
    assert PageText.objects.get().languages == "eng"
