"""The machine transcript on the document page: its own text tab, page by page and marked as
OCR, and a choice beside the page images (the default where no text suits the reader)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from declassified.archive.models import Document, Language, PageText
from declassified.archive.page_texts import (
    PageReadingValues,
    do_correct_page_text,
    do_record_page_reading,
)
from declassified.web.views.viewer import viewer_url
from tests.factories import make_document_with_typed_pages, make_text

pytestmark = pytest.mark.django_db

PAGE_ONE = ["MEMORANDUM FOR THE PRESIDENT", "Subject: Talks with Premier Kosygin"]
PAGE_TWO = ["The Soviet delegation arrived on Tuesday", "SECRET"]


@pytest.fixture
def scan():
    """An English typed scan of two pages, read by Tesseract."""
    return make_document_with_typed_pages([PAGE_ONE, PAGE_TWO], title="Memorandum scan")


def page_html(client, document, **query) -> str:
    response = client.get(document.get_absolute_url(), query)
    assert response.status_code == 200
    return response.content.decode()


def record(page, text: str, *, confidence: float | None = 90.0, languages: str = "eng"):
    """A reading as the OCR job records it (words left out: the page shows only the text)."""
    values = PageReadingValues(text=text, words=[], mean_confidence=confidence,
                               languages=languages, engine="tests")
    return do_record_page_reading(page, values, via="tests")


def beside_pane(html: str) -> str:
    return html[html.index('class="beside-text"'):]


def test_the_tab_shows_the_text_page_by_page_marked_as_ocr(client, scan):
    html = page_html(client, scan)
    assert "Machine transcript (OCR)" in html  # the tab
    assert "?text=ocr#texts" in html

    html = page_html(client, scan, text="ocr")
    confidences = [r.mean_confidence for r in PageText.objects.filter(page__document=scan)]
    mean = round(sum(confidences) / len(confidences))
    assert f"Read by machine (OCR), mean confidence {mean} %; may contain errors." in html
    for number in (1, 2):
        assert f'id="ocr-page-{number}"' in html
        link = viewer_url(scan.pk, number).replace("&", "&amp;")
        assert f'<a href="{link}" title="p. {number} in the viewer">p. {number}</a>' in html
    assert "MEMORANDUM FOR THE PRESIDENT" in html
    assert "Soviet delegation arrived" in html
    assert html.index("MEMORANDUM") < html.index("Soviet delegation")
    assert len(re.findall(r"OCR confidence \d+ %", html)) == 2


def test_a_corrected_page_shows_the_correction_marked(client, scan):
    reading = PageText.objects.get(page__document=scan, page__position=1)
    do_correct_page_text(reading, "The Soviet delegation arrived on Wednesday\nSECRET",
                         acting_user=None, via="tests")
    html = page_html(client, scan, text="ocr")
    assert "Wednesday" in html and "Tuesday" not in html
    assert "OCR, corrected by an editor" in html
    assert "1 page corrected by an editor." in html
    assert "Wednesday<br>SECRET" in html  # lines kept


def test_pages_not_read_yet_and_pages_without_words_say_so(client):
    document = make_document_with_typed_pages([PAGE_ONE, [], PAGE_TWO], read=False)
    first, blank, _third = document.pages.order_by("position")
    record(first, "MEMORANDUM FOR THE PRESIDENT")
    record(blank, "", confidence=None)
    html = page_html(client, document, text="ocr")
    assert "2 of 3 pages read so far." in html
    assert "No text found on this page." in html
    assert "Not read by OCR yet." in html
    section = html[html.index('id="ocr-page-3"'):]
    assert "Not read by OCR yet." in section[:600]


def test_no_tab_until_ocr_has_read_a_page(client):
    document = make_document_with_typed_pages([PAGE_ONE], read=False)
    html = page_html(client, document)
    assert "Machine transcript" not in html
    # ?text=ocr names no tab: the first one (the Original) is shown.
    assert "Machine transcript" not in page_html(client, document, text="ocr")


def test_chinese_text_keeps_no_spaces_and_says_its_language(client):
    document = make_document_with_typed_pages([PAGE_ONE], read=False)
    record(document.pages.get(), "中华人民共和国外交部\n绝密", languages="chi_sim")
    html = page_html(client, document, text="ocr")
    assert '<div class="ocr-text" lang="zh-Hans"><p>中华人民共和国外交部<br>绝密</p></div>' in html


def test_an_english_scan_without_texts_shows_the_ocr_beside_its_pages(client, scan):
    html = page_html(client, scan, text="original")
    pane = beside_pane(html)
    assert 'id="beside-h" class="pane-title">Machine transcript (OCR)</h4>' in pane
    assert "Read by machine (OCR)" in pane and "MEMORANDUM FOR THE PRESIDENT" in pane
    assert 'id="ocr-page-2"' in pane
    assert "side-by-side--pages-only" not in html
    link = viewer_url(scan.pk, 2).replace("#", "&beside=ocr#").replace("&", "&amp;")
    assert f'<a href="{link}" title="p. 2 in the viewer">p. 2</a>' in pane


def test_a_russian_scan_with_an_english_translation_shows_the_translation(client):
    document = make_document_with_typed_pages([PAGE_ONE], read=False)
    document.languages.set([Language.objects.get_or_create(code="ru", name="Russian")[0]])
    record(document.pages.get(), "СЕКРЕТНО\nЗапись беседы", languages="rus")
    translation = make_text(document, "<p>Record of conversation.</p>", language="en")

    pane = beside_pane(page_html(client, document, text="original"))
    assert "Record of conversation." in pane and "Запись беседы" not in pane
    assert '<option value="ocr">Machine transcript (OCR)</option>' in pane
    assert f'<option value="{translation.pk}" selected>' in pane

    pane = beside_pane(page_html(client, document, text="original", beside="ocr"))
    assert 'id="beside-h" class="pane-title">Machine transcript (OCR)</h4>' in pane
    assert "Запись беседы" in pane and "Record of conversation." not in pane
    assert '<option value="ocr" selected>' in pane
    assert 'lang="ru"' in pane


def test_a_human_transcript_goes_before_the_ocr(client, scan):
    make_text(scan, "<p>Typed by an archivist.</p>", kind="transcript", language="en")
    pane = beside_pane(page_html(client, scan, text="original"))
    assert "Typed by an archivist." in pane and "Read by machine" not in pane
    assert '<option value="ocr">Machine transcript (OCR)</option>' in pane


def test_a_human_texts_tab_offers_the_ocr_tab_without_its_text(client, scan):
    text = make_text(scan, "<p>Typed by an archivist.</p>", kind="transcript", language="en")
    html = page_html(client, scan, text=str(text.pk))
    assert "Typed by an archivist." in html and "?text=ocr#texts" in html
    assert "MEMORANDUM FOR THE PRESIDENT" not in html


def test_a_scan_with_only_a_foreign_translation_shows_the_ocr(client, scan):
    make_text(scan, "<p>Traduction française.</p>", language="fr")
    pane = beside_pane(page_html(client, scan, text="original"))
    assert "Read by machine (OCR)" in pane and "Traduction française." not in pane


def count_queries(client, document, **query) -> int:
    with CaptureQueriesContext(connection) as queries:
        page_html(client, document, **query)
    return len(queries)


def test_queries_do_not_grow_with_the_pages(client, scan, django_assert_max_num_queries):
    big = make_document_with_typed_pages([[f"Page {n} of the long report"] for n in range(20)],
                                         read=False)
    for number, page in enumerate(big.pages.order_by("position"), start=1):
        record(page, f"Page {number} of the long report")
    for query in ({"text": "ocr"}, {"text": "original"}, {"text": "original", "beside": "ocr"}):
        small_count = count_queries(client, scan, **query)
        assert count_queries(client, big, **query) == small_count, query
        with django_assert_max_num_queries(15):
            page_html(client, big, **query)
    assert 'id="ocr-page-20"' in page_html(client, big, text="ocr")


@pytest.mark.parametrize("status", [Document.DRAFT, Document.WITHDRAWN])
def test_unpublished_documents_show_their_ocr_to_no_one_but_editors(client, alice, status):
    document = make_document_with_typed_pages([PAGE_ONE], status=status)
    assert PageText.objects.filter(page__document=document).exists()
    url = document.get_absolute_url()
    for query in ({}, {"text": "ocr"}, {"text": "original"}, {"text": "original", "beside": "ocr"}):
        response = client.get(url, query)
        assert response.status_code == 404
        assert "MEMORANDUM" not in response.content.decode()
    client.force_login(alice)
    assert "MEMORANDUM FOR THE PRESIDENT" in page_html(client, document, text="ocr")


def test_a_new_reading_shows_once_indexed_even_from_the_response_cache(client, response_cache):
    from declassified import search

    document = make_document_with_typed_pages([PAGE_ONE], read=False)
    search.apply_pending()
    assert "Machine transcript" not in page_html(client, document)
    record(document.pages.get(), "MEMORANDUM FOR THE PRESIDENT")
    search.apply_pending()  # a reading queues the document's reindex, which moves the cache key
    assert "MEMORANDUM FOR THE PRESIDENT" in page_html(client, document, text="ocr")
    assert "Machine transcript (OCR)" in page_html(client, document)
