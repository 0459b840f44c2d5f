"""An attachment's file becomes its pages: PDF, multi-page TIFF, JPEG; idempotent; bad files
are a message in the job's report and change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from declassified.archive.models import Page
from declassified.ingest.jobs import run_worker
from declassified.ingest.models import ImportJob
from declassified.ingest.page_jobs import enqueue_page_rendering
from tests.factories import make_attachment, make_document, make_document_with_pages, scan_bytes

SCANS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "scans"


@pytest.mark.django_db
def test_a_pdf_becomes_pages_rendered_at_300_dpi():
    document = make_document_with_pages(3)
    pages = list(document.pages.all())
    assert [p.number_in_file for p in pages] == [1, 2, 3]
    assert [p.position for p in pages] == [0, 1, 2]
    # 600x800 px at 100 dpi is 6x8 inches: 1800x2400 px at 300 dpi
    assert abs(pages[0].width - 1800) <= 1 and abs(pages[0].height - 2400) <= 1


@pytest.mark.django_db
def test_rendering_again_changes_nothing():
    document = make_document_with_pages(2)
    before = list(document.pages.values_list("pk", "master"))
    job = enqueue_page_rendering(list(document.attachments.all()))
    run_worker(only_job=job.pk)
    job.refresh_from_db()
    assert job.state == ImportJob.DONE, job.error
    assert list(document.pages.values_list("pk", "master")) == before


@pytest.mark.django_db
def test_a_truncated_file_fails_its_job_with_a_message_and_changes_nothing():
    document = make_document()
    good = make_attachment(document, "good.jpg", scan_bytes())
    bad = make_attachment(document, "bad.jpg", scan_bytes()[:2000])
    job = enqueue_page_rendering([good, bad])
    run_worker(only_job=job.pk)
    job.refresh_from_db()
    assert job.state == ImportJob.FAILED
    assert "bad" in job.error and "nothing changed" in job.error
    assert Page.objects.filter(attachment=bad).count() == 0
    assert Page.objects.filter(attachment=good).count() == 1


@pytest.mark.corpus
@pytest.mark.django_db
@pytest.mark.parametrize("name, pages", [
    ("frus1964-68v20-d150.tif", 2),  # bitonal CCITT G4
    ("frus1969-76v03-d68.pdf", 5),
    ("frus1943China-d532-p1.jpg", 1),
])
def test_files_of_the_scan_corpus_become_pages(name, pages):
    document = make_document()
    attachment = make_attachment(document, name, (SCANS / name).read_bytes())
    job = enqueue_page_rendering([attachment])
    run_worker(only_job=job.pk)
    job.refresh_from_db()
    assert job.state == ImportJob.DONE, job.error
    assert attachment.pages.count() == pages


@pytest.mark.django_db
def test_the_pages_job_makes_the_whole_document_pdf_ahead_of_its_first_download(settings):
    document = make_document()
    attachment = make_attachment(document, "page.jpg", scan_bytes())
    job = enqueue_page_rendering([attachment])
    run_worker(only_job=job.pk)
    made = list(Path(settings.DOCUMENT_PDF_DIR).glob("**/*.pdf"))
    assert len(made) == 1
    assert made[0].read_bytes().startswith(b"%PDF")
