"""`declassified ocr` (re-run on demand) and the attach commands following their OCR job."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from declassified.archive.models import PageText
from declassified.ingest.models import ImportJob
from tests.factories import make_collection, make_document, make_document_with_typed_pages

pytestmark = pytest.mark.django_db(transaction=True)  # the command's worker thread sees rows


def ocr(*args: str) -> str:
    out = StringIO()
    call_command("ocr", *args, stdout=out)
    return out.getvalue()


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as failed:
        ocr(*args)
    assert failed.value.returncode == 2
    return str(failed.value)


def test_ocr_of_a_document_prints_progress_and_its_report():
    document = make_document_with_typed_pages([["Kosygin met Zhou Enlai"], ["Hanoi"]],
                                              read=False, title="Record of a meeting")
    out = ocr("--document", str(document.pk))
    assert "queued: 2 page(s)" in out
    assert f"[2/2 pages] #{document.pk} Record of a meeting: 2 read, 0 already read, 0 failed, " \
           "mean confidence" in out
    assert "2 page(s) read, 0 already read, 0 failed, in 1 document(s)" in out
    assert PageText.objects.filter(page__document=document).count() == 2


def test_running_again_skips_pages_read_unless_force():
    document = make_document_with_typed_pages([["Telegram from Moscow"]])
    assert "0 page(s) read, 1 already read" in ocr("--document", str(document.pk))
    assert "1 page(s) read, 0 already read" in ocr("--document", str(document.pk), "--force")


def test_a_collection_and_all(settings):
    collection = make_collection()
    inside = make_document_with_typed_pages([["Inside"]], read=False, collections=[collection])
    make_document_with_typed_pages([["Outside"]], read=False)
    assert "1 page(s) read" in ocr("--collection", str(collection.pk))
    assert list(PageText.objects.values_list("page__document", flat=True)) == [inside.pk]
    assert "1 page(s) read, 1 already read, 0 failed, in 2 document(s)" in ocr("--all")


def test_no_wait_only_queues_the_job():
    document = make_document_with_typed_pages([["Secret"]], read=False)
    out = ocr("--document", str(document.pk), "--no-wait")
    assert "Not waiting" in out
    assert ImportJob.objects.get(kind=ImportJob.OCR).state == ImportJob.QUEUED
    assert not PageText.objects.exists()


def test_bad_input_is_a_clear_message_and_exit_status_2():
    assert "Say what to read: --document ID, --collection ID or --all" in refused()
    assert "No document with ID 999999; nothing was queued" in refused("--document", "999999")
    assert "No collection with ID 888" in refused("--collection", "888")
    without_pages = make_document()
    assert "Nothing to read: the documents selected have no pages" in refused(
        "--document", str(without_pages.pk))
    assert not ImportJob.objects.exists()


def test_the_command_line_says_so_with_exit_status_2():
    from declassified.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["declassified", "ocr", "--document", "999999"])
    assert exited.value.code == 2


def test_attach_follows_the_ocr_job_of_its_pages(tmp_path):
    from tests.factories import typed_page_bytes

    document = make_document()
    scan = tmp_path / "scan.png"
    scan.write_bytes(typed_page_bytes(["Peking, March 5, 1965"]))
    out = StringIO()
    call_command("attach", str(scan), document=document.pk, stdout=out)
    printed = out.getvalue()
    assert "Pages job #" in printed and "1 page(s) read, 0 already read, 0 failed" in printed
    assert "Peking" in PageText.objects.get(page__document=document).machine_text
    assert {job.state for job in ImportJob.objects.all()} == {ImportJob.DONE}


def test_attach_with_no_ocr_leaves_the_ocr_job_queued(tmp_path):
    from tests.factories import typed_page_bytes

    document = make_document()
    scan = tmp_path / "scan.png"
    scan.write_bytes(typed_page_bytes(["Moscow"]))
    out = StringIO()
    call_command("attach", str(scan), document=document.pk, no_ocr=True, stdout=out)
    assert "is queued" in out.getvalue()
    assert ImportJob.objects.get(kind=ImportJob.OCR).state == ImportJob.QUEUED
    assert not PageText.objects.exists()
