"""The OCR text of pages: recorded by the page-texts actions, corrections kept and recorded."""

from __future__ import annotations

import pytest

from declassified.archive.models import PageText, Revision, SearchOutbox
from declassified.archive.page_texts import (
    MAX_CORRECTION_CHARS,
    CorrectionError,
    PageReadingValues,
    do_correct_page_text,
    do_record_page_reading,
)
from declassified.ingest.ocr_pages import engine_name, ocr_languages, read_and_record
from tests.factories import make_document_with_typed_pages, make_language

pytestmark = pytest.mark.django_db


def reading(text: str, engine: str = "tesseract 5.3.0; test") -> PageReadingValues:
    return PageReadingValues(text=text, words=[[text, 10, 20, 100, 30, 91.0, 0, 0]],
                             mean_confidence=91.0, languages="eng", engine=engine)


def test_a_typed_page_is_read_with_its_words_boxes_and_confidence():
    document = make_document_with_typed_pages([["Kosygin met Zhou Enlai in Hanoi"]])
    page_text = PageText.objects.get(page__document=document)
    assert "Kosygin met Zhou Enlai in Hanoi" in page_text.machine_text
    words = {row[0]: row for row in page_text.words}
    text, x, y, w, h, confidence, line, block = words["Kosygin"]
    # The factory types its first line at (150, 200) in 48 px type, on the page's own pixels.
    assert 140 <= x <= 160 and 190 <= y <= 215 and 120 <= w <= 240 and 25 <= h <= 60
    assert confidence > 80 and page_text.mean_confidence > 80
    assert page_text.engine == engine_name() and page_text.languages == "eng"


def test_a_page_already_read_by_this_engine_is_not_read_again():
    document = make_document_with_typed_pages([["Peking, March 5, 1965"]])
    page = document.pages.get()
    assert read_and_record(page, languages="eng", via="tests") is None
    assert read_and_record(page, languages="eng", via="tests", force=True) is not None


def test_the_documents_languages_choose_tesseracts():
    document = make_document_with_typed_pages([["Page"]], read=False)
    document.languages.set([make_language("en", "English"), make_language("ru", "Russian")])
    assert ocr_languages(document) == "rus+eng"
    document.languages.set([make_language("sq", "Albanian")])  # no Albanian model here
    assert ocr_languages(document) == "eng"


def test_reading_again_keeps_the_editors_correction_and_queues_a_reindex(alice):
    document = make_document_with_typed_pages([["Original"]], read=False)
    page = document.pages.get()
    page_text = do_record_page_reading(page, reading("Kosygln"), via="tests")
    editor = alice
    do_correct_page_text(page_text, "Kosygin", acting_user=editor)
    SearchOutbox.objects.all().delete()
    do_record_page_reading(page, reading("Kosyqin", engine="tesseract 5.3.0; newer"), via="tests")
    page_text.refresh_from_db()
    assert page_text.machine_text == "Kosyqin"
    assert page_text.text == "Kosygin" and page_text.is_corrected
    assert page_text.corrected_by == editor
    assert SearchOutbox.objects.filter(document_id=document.pk).exists()


def test_the_same_reading_again_writes_nothing():
    document = make_document_with_typed_pages([["Original"]], read=False)
    page = document.pages.get()
    first = do_record_page_reading(page, reading("Hanoi"), via="tests")
    SearchOutbox.objects.all().delete()
    again = do_record_page_reading(page, reading("Hanoi"), via="tests")
    assert again.read_at == first.read_at
    assert not SearchOutbox.objects.exists()


def test_a_correction_is_recorded_in_the_documents_history_and_can_be_undone(alice):
    document = make_document_with_typed_pages([["Original"]], read=False)
    page_text = do_record_page_reading(document.pages.get(), reading("Hanoj"), via="tests")
    editor = alice
    do_correct_page_text(page_text, "Hanoi", acting_user=editor)
    do_correct_page_text(page_text, None, acting_user=editor)
    assert page_text.text == "Hanoj" and not page_text.is_corrected
    changes = [r.changes["corrected text"] for r in Revision.objects.of_document(document.pk)
               .filter(kind=Revision.PAGE_TEXT).order_by("id")]
    assert changes == [{"old": None, "new": "Hanoi"}, {"old": "Hanoi", "new": None}]


def test_a_correction_too_long_is_refused_with_a_message(alice):
    document = make_document_with_typed_pages([["Original"]], read=False)
    page_text = do_record_page_reading(document.pages.get(), reading("Hanoi"), via="tests")
    with pytest.raises(CorrectionError, match="at most"):
        do_correct_page_text(page_text, "x" * (MAX_CORRECTION_CHARS + 1),
                             acting_user=alice)
    page_text.refresh_from_db()
    assert not page_text.is_corrected
