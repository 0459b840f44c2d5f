"""The back office's "Pages and originals" page: several files at once, one pages job,
thumbnails, page order without JavaScript, and the job's report."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from declassified.archive.models import Attachment, Document, Page, Revision
from declassified.ingest.jobs import run_worker
from declassified.ingest.models import ImportJob
from declassified.ingest.page_jobs import enqueue_page_rendering
from tests.factories import make_attachment, make_document, make_document_with_pages, scan_bytes

pytestmark = pytest.mark.django_db


def originals_url(document: Document) -> str:
    return f"/admin/archive/document/{document.pk}/originals/"


def tiff_bytes(pages: int) -> bytes:
    from PIL import Image

    frames = [Image.open(io.BytesIO(scan_bytes(300, 400, text=f"TIFF page {n}")))
              for n in range(1, pages + 1)]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw")
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def post_files(client, document, *files, capture):
    with capture(execute=False) as callbacks:
        response = client.post(originals_url(document), {"upload": "1", "originals": list(files)})
    return response, callbacks


def test_several_files_become_attachments_in_order_and_one_pages_job(
    alice_client, alice, django_capture_on_commit_callbacks
):
    document = make_document(status=Document.DRAFT)
    jpeg, png, tiff = scan_bytes(), scan_bytes(kind="PNG"), tiff_bytes(2)
    response, callbacks = post_files(
        alice_client, document, upload("first.jpg", jpeg), upload("second.png", png),
        upload("third.tif", tiff), capture=django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    attachments = list(document.attachments.order_by("position"))
    assert [a.sha256 for a in attachments] == [
        hashlib.sha256(content).hexdigest() for content in (jpeg, png, tiff)
    ]
    assert [a.position for a in attachments] == [0, 1, 2]
    job = ImportJob.objects.get(kind=ImportJob.PAGES)
    assert job.options["attachments"] == [a.pk for a in attachments]
    assert job.created_by == alice
    assert job.state == ImportJob.QUEUED  # nothing rendered in the request
    assert not Page.objects.exists()
    # The worker thread starts once the transaction commits.
    assert [c.__name__ for c in callbacks] == ["start_background_worker"]
    revisions = Revision.objects.of_document(document.pk).filter(kind="attachment")
    assert revisions.count() == 3 and {r.acting_user for r in revisions} == {alice}

    run_worker(only_job=job.pk)
    job.refresh_from_db()
    assert job.state == ImportJob.DONE, job.error
    pages = list(document.pages.order_by("position"))
    assert [(p.attachment_id, p.number_in_file) for p in pages] == [
        (attachments[0].pk, 1), (attachments[1].pk, 1), (attachments[2].pk, 1),
        (attachments[2].pk, 2),
    ]


def test_new_files_go_after_the_documents_other_files(
    alice_client, django_capture_on_commit_callbacks
):
    document = make_document()
    make_attachment(document, "old.pdf", b"%PDF-1.4 old", position=4)
    post_files(alice_client, document, upload("new.jpg", scan_bytes()),
               capture=django_capture_on_commit_callbacks)
    assert list(document.attachments.values_list("position", flat=True)) == [4, 5]


def test_a_file_that_is_no_original_is_a_form_error_naming_it_and_nothing_is_attached(
    alice_client, django_capture_on_commit_callbacks
):
    document = make_document()
    response, callbacks = post_files(
        alice_client, document, upload("good.jpg", scan_bytes()),
        upload("notes.docx", b"PK\x03\x04 not a scan"),
        upload("cut.pdf", b"%PDF-1.4\n truncated"),
        capture=django_capture_on_commit_callbacks,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "notes.docx" in body and "is not a PDF, TIFF, JPEG or PNG file" in body
    assert "cut.pdf" in body and "cannot be read" in body
    assert "Nothing was attached" in body
    assert not Attachment.objects.exists() and not ImportJob.objects.exists()
    assert not callbacks


def test_no_file_chosen_is_a_form_error(alice_client):
    document = make_document()
    response = alice_client.post(originals_url(document), {"upload": "1"})
    assert response.status_code == 200
    assert "Choose one or more files" in response.content.decode()


def test_a_file_over_the_upload_bound_is_refused(alice_client, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    document = make_document()
    big = scan_bytes() + b"\0" * (1024 * 1024)
    response = alice_client.post(originals_url(document),
                                 {"upload": "1", "originals": [upload("big.jpg", big)]})
    assert response.status_code == 200
    assert "big.jpg is 1.0 MB; a file may be at most 1 MB" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_page_shows_the_pages_with_iiif_thumbnails_in_bounded_queries(
    alice_client, django_assert_max_num_queries
):
    document = make_document_with_pages(3)
    job = enqueue_page_rendering(list(document.attachments.all()))
    run_worker(only_job=job.pk)
    with django_assert_max_num_queries(14):
        response = alice_client.get(originals_url(document))
    assert response.status_code == 200
    body = response.content.decode()
    for page in document.pages.all():
        assert f'src="/iiif/3/{page.pk}/full/,120/0/default.jpg"' in body
        assert f'name="position-{page.pk}"' in body
    assert "Pages (3)" in body
    assert f'href="/admin/ingest/importjob/{job.pk}/change/"' in body
    assert "Done" in body and "3 page(s) rendered" in body


def test_the_document_form_links_its_originals_page(alice_client):
    document = make_document()
    response = alice_client.get(f"/admin/archive/document/{document.pk}/change/")
    assert f'href="{originals_url(document)}"' in response.content.decode()


def test_position_numbers_reorder_the_pages(alice_client, alice):
    document = make_document_with_pages(3)
    first, second, third = document.pages.order_by("position")
    response = alice_client.post(originals_url(document), {
        "reorder": "1", f"position-{first.pk}": "1", f"position-{second.pk}": "2",
        f"position-{third.pk}": "1",  # the third page becomes the first
    })
    assert response.status_code == 302
    assert list(document.pages.order_by("position").values_list("pk", flat=True)) == [
        third.pk, first.pk, second.pk,
    ]
    latest = Revision.objects.of_document(document.pk).first()
    assert latest.acting_user == alice and "page order" in latest.changes


def test_move_buttons_swap_neighbours(alice_client):
    document = make_document_with_pages(3)
    first, second, third = document.pages.order_by("position")
    alice_client.post(originals_url(document), {"reorder": "1", "move": f"up:{third.pk}"})
    assert list(document.pages.order_by("position").values_list("pk", flat=True)) == [
        first.pk, third.pk, second.pk,
    ]
    alice_client.post(originals_url(document), {"reorder": "1", "move": f"down:{first.pk}"})
    assert list(document.pages.order_by("position").values_list("pk", flat=True)) == [
        third.pk, first.pk, second.pk,
    ]


def test_a_bad_position_is_a_message_and_changes_nothing(alice_client):
    document = make_document_with_pages(2)
    first, second = document.pages.order_by("position")
    response = alice_client.post(originals_url(document), {
        "reorder": "1", f"position-{first.pk}": "9", f"position-{second.pk}": "one",
    }, follow=True)
    assert "give a position from 1 to 2" in response.content.decode()
    assert "Nothing was reordered" in response.content.decode()
    assert list(document.pages.order_by("position")) == [first, second]
    response = alice_client.post(originals_url(document), {"reorder": "1",
                                                           "move": f"up:{first.pk}"}, follow=True)
    assert "cannot move that way" in response.content.decode()


def test_a_failed_file_is_reported_on_the_page_and_on_the_job_page(alice_client):
    document = make_document()
    bad = make_attachment(document, "torn.jpg", scan_bytes()[:2000])
    job = enqueue_page_rendering([bad])
    run_worker(only_job=job.pk)
    body = alice_client.get(originals_url(document)).content.decode()
    assert "Failed" in body and "torn" in body and "nothing changed" in body
    job_page = alice_client.get(f"/admin/ingest/importjob/{job.pk}/change/").content.decode()
    assert "Failed:" in job_page and "torn" in job_page
    assert f'href="{originals_url(document)}"' in job_page
    listing = alice_client.get("/admin/ingest/importjob/").content.decode()
    assert "1/1 files, 1 failed" in listing


def test_strangers_and_contributors_on_published_documents_may_not(
    client, charlie, bob, django_capture_on_commit_callbacks
):
    document = make_document(status=Document.PUBLISHED)
    client.force_login(charlie)  # not staff: the back office sends them to its login
    response = client.get(originals_url(document))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(bob)  # a contributor changes drafts only
    assert client.get(originals_url(document)).status_code == 403
    response, _ = post_files(client, document, upload("a.jpg", scan_bytes()),
                             capture=django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_an_unknown_document_is_404_and_a_wrong_method_405(alice_client):
    assert alice_client.get("/admin/archive/document/999999/originals/").status_code == 404
    document = make_document()
    assert alice_client.put(originals_url(document)).status_code == 405


def test_a_failed_pages_job_can_be_run_again_from_the_job_list(
    alice_client, django_capture_on_commit_callbacks
):
    document = make_document()
    bad = make_attachment(document, "torn.jpg", scan_bytes()[:2000])
    job = enqueue_page_rendering([bad])
    run_worker(only_job=job.pk)
    with django_capture_on_commit_callbacks(execute=False):
        response = alice_client.post("/admin/ingest/importjob/", {
            "action": "run_again", "_selected_action": [str(job.pk)],
        }, follow=True)
    assert "1 job(s) queued again" in response.content.decode()
    job.refresh_from_db()
    assert job.state == ImportJob.QUEUED


def test_the_page_costs_the_same_queries_for_more_pages(alice_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for pages in (1, 4):
        document = make_document_with_pages(pages)
        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get(originals_url(document)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_reordering_is_a_bounded_number_of_queries(alice_client, django_assert_max_num_queries):
    document = make_document_with_pages(4)
    pages = list(document.pages.order_by("position"))
    data = {"reorder": "1"}
    data.update({f"position-{page.pk}": str(4 - index) for index, page in enumerate(pages)})
    with django_assert_max_num_queries(16):
        assert alice_client.post(originals_url(document), data).status_code == 302
    assert list(document.pages.order_by("position")) == pages[::-1]
