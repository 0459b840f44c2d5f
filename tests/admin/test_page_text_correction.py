"""Correcting a page's machine transcript in the back office: its state on the "Pages and
originals" page, the correction page (image, textarea, the machine's reading), Save and "Use
the machine text again" through do_correct_page_text, and the revisions in the history."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from declassified.archive.models import Document, PageText, Revision
from declassified.archive.page_texts import MAX_CORRECTION_CHARS
from tests.factories import make_document, make_document_with_typed_pages

pytestmark = pytest.mark.django_db

PAGE_ONE = ["AIRGRAM FROM SAIGON", "The Embassy reports heavy rains"]
PAGE_TWO = ["Second page of the airgram"]


@pytest.fixture
def scan():
    """Two typed pages: the first read by Tesseract, the second not yet."""
    from declassified.ingest.ocr_pages import read_and_record

    document = make_document_with_typed_pages([PAGE_ONE, PAGE_TWO], read=False)
    read_and_record(document.pages.order_by("position").first(), languages="eng", via="tests")
    return document


def pages_of(document):
    return list(document.pages.order_by("position"))


def text_url(document, page) -> str:
    return f"/admin/archive/document/{document.pk}/pages/{page.pk}/text/"


def originals_url(document) -> str:
    return f"/admin/archive/document/{document.pk}/originals/"


def reading_of(page) -> PageText:
    return PageText.objects.get(page=page)


def test_the_originals_page_says_each_pages_text_state_and_links_to_it(alice_client, scan):
    first, second = pages_of(scan)
    html = alice_client.get(originals_url(scan)).content.decode()
    assert "Read by OCR, mean confidence" in html
    assert "Not read by OCR yet" in html
    assert f'href="{text_url(scan, first)}"' in html
    assert f'href="{text_url(scan, second)}"' not in html  # nothing to correct yet
    assert 'aria-label="Correct the text of page 1">Correct the text</a>' in html


def test_the_correction_page_shows_image_text_and_the_machines_reading(alice_client, scan):
    first, _ = pages_of(scan)
    html = alice_client.get(text_url(scan, first)).content.decode()
    assert f'src="/iiif/3/{first.pk}/full/1000,/0/default.jpg"' in html
    assert '<textarea id="page-text" name="text"' in html and 'lang="en"' in html
    assert "AIRGRAM FROM SAIGON" in html
    assert "What OCR read" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Use the machine text again" not in html  # nothing to undo yet


def test_save_keeps_the_correction_with_a_revision_and_readers_see_it(alice_client, alice, scan):
    first, _ = pages_of(scan)
    machine = reading_of(first).machine_text
    response = alice_client.post(text_url(scan, first), {
        "text": "AIRGRAM FROM SAIGON\r\nThe Embassy reports heavy rains in Hue", "save": "Save"})
    assert response.status_code == 302 and response["Location"] == text_url(scan, first)
    reading = reading_of(first)
    assert reading.is_corrected and reading.corrected_by == alice
    assert reading.text == "AIRGRAM FROM SAIGON\nThe Embassy reports heavy rains in Hue"
    assert reading.machine_text == machine
    revision = Revision.objects.get(kind=Revision.PAGE_TEXT)
    assert revision.document_id == scan.pk and revision.acting_user == alice

    page = alice_client.get(text_url(scan, first)).content.decode()
    assert "The corrected text of page 1 is saved." in page
    assert "Text corrected by an editor" in page and "Use the machine text again" in page
    public = Client().get(scan.get_absolute_url(), {"text": "ocr"}).content.decode()
    assert "heavy rains in Hue" in public and "OCR, corrected by an editor" in public


def test_use_the_machine_text_again_drops_the_correction(alice_client, scan):
    first, _ = pages_of(scan)
    alice_client.post(text_url(scan, first), {"text": "Typed by an editor", "save": "Save"})
    response = alice_client.post(text_url(scan, first), {
        "text": "ignored", "use_machine_text": "Use the machine text again"}, follow=True)
    assert "Page 1 shows the machine&#x27;s text again." in response.content.decode()
    reading = reading_of(first)
    assert not reading.is_corrected and reading.text == reading.machine_text
    assert Revision.objects.filter(kind=Revision.PAGE_TEXT).count() == 2


@pytest.mark.parametrize("text, message", [
    ("x" * (MAX_CORRECTION_CHARS + 1), f"at most {MAX_CORRECTION_CHARS:,} characters"),
    ("   \r\n ", "The text is empty."),
    (None, "The form sent no text"),
    ("Nul\x00byte", "Remove the control character U+0000"),
])
def test_bad_input_is_a_message_on_the_form(alice_client, scan, text, message):
    first, _ = pages_of(scan)
    response = alice_client.post(text_url(scan, first), {"save": "Save"} | (
        {"text": text} if text is not None else {}))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "othing was saved." in html
    assert 'class="errornote"' in html
    assert not reading_of(first).is_corrected
    assert not Revision.objects.filter(kind=Revision.PAGE_TEXT).exists()


def test_an_unknown_page_is_a_message_not_an_error(alice_client, scan):
    other = make_document_with_typed_pages([PAGE_TWO], read=False)
    for page_id in (pages_of(other)[0].pk, 999999):
        response = alice_client.get(f"/admin/archive/document/{scan.pk}/pages/{page_id}/text/",
                                    follow=True)
        assert response.status_code == 200
        assert f"has no page #{page_id}" in response.content.decode()
    assert alice_client.get("/admin/archive/document/999999/pages/1/text/").status_code == 404


def test_a_page_not_read_yet_has_nothing_to_correct(alice_client, scan):
    _, second = pages_of(scan)
    html = alice_client.get(text_url(scan, second)).content.decode()
    assert "OCR has not read this page yet" in html and "<textarea" not in html
    response = alice_client.post(text_url(scan, second), {"text": "Something"})
    assert response.status_code == 200 and not PageText.objects.filter(page=second).exists()
    assert alice_client.put(text_url(scan, second)).status_code == 405


def test_only_editors_may_correct(client, charlie, bob, groups, scan):
    first, _ = pages_of(scan)
    url = text_url(scan, first)
    response = client.get(url)  # anonymous: to the login
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(charlie)  # not staff: to the login too
    response = client.post(url, {"text": "Vandalism"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    staff = User.objects.create_user("dana", "dana@example.org", "correct horse battery",
                                     is_staff=True)  # staff, but no rights in the archive
    client.force_login(staff)
    assert client.get(url).status_code == 403
    assert client.post(url, {"text": "Vandalism"}).status_code == 403
    client.force_login(bob)  # a contributor changes drafts only; this document is published
    assert client.post(url, {"text": "Vandalism"}).status_code == 403
    assert not reading_of(first).is_corrected


def test_a_contributor_may_correct_a_draft(client, bob):
    draft = make_document_with_typed_pages([PAGE_ONE], status=Document.DRAFT)
    client.force_login(bob)
    page = pages_of(draft)[0]
    assert client.post(text_url(draft, page), {"text": "Draft text"}).status_code == 302
    assert reading_of(page).text == "Draft text"


def test_saving_needs_the_csrf_token(alice, scan):
    first, _ = pages_of(scan)
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(text_url(scan, first), {"text": "No token"}).status_code == 403
    page = client.get(text_url(scan, first))
    token = page.cookies["csrftoken"].value
    response = client.post(text_url(scan, first), {"text": "With token",
                                                    "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and reading_of(first).text == "With token"


def test_the_history_shows_the_corrections_readably(alice_client, scan):
    first, _ = pages_of(scan)
    url = text_url(scan, first)
    alice_client.post(url, {"text": "AIRGRAM FROM SAIGON\nThe Embassy reports rain"})
    alice_client.post(url, {"text": "AIRGRAM FROM SAIGON\nThe Embassy reports <b>floods</b>"})
    alice_client.post(url, {"use_machine_text": "1"})
    html = alice_client.get(f"/admin/archive/document/{scan.pk}/history/").content.decode()
    assert html.count("OCR text of p. 1") >= 3
    assert "corrected text" in html
    assert "(the machine&#x27;s reading)" in html
    assert "<ins>floods</ins>" in html or "&lt;b&gt;floods" in html
    assert "<b>floods</b>" not in html  # what an editor typed is escaped
    restore = Revision.objects.filter(kind=Revision.PAGE_TEXT).order_by("pk").first()
    confirmation = alice_client.get(
        f"/admin/archive/document/{scan.pk}/history/{restore.pk}/restore/").content.decode()
    assert "2 later correction(s) stay as they are" in confirmation


def test_an_editor_sees_the_state_of_a_document_without_pages(alice_client):
    document = make_document()
    assert alice_client.get(originals_url(document)).status_code == 200
