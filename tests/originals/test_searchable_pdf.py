"""The whole-document PDF of a document with OCR is searchable: under each page's picture an
invisible layer of its words, each where it is on the page, in its own script (Cyrillic and
Chinese extract as they were read); a new reading or a correction gives a new file."""

from __future__ import annotations

import shutil
import threading
import time
from io import StringIO

import pypdfium2
import pytest
import pyvips
from django.core.management import call_command
from django.test import Client

from declassified.archive.models import Document, Page, PageText
from declassified.archive.page_texts import (
    PageReadingValues,
    do_correct_page_text,
    do_record_page_reading,
)
from declassified.ingest.ocr_pages import ocr_languages, read_and_record
from declassified.originals.downloads import document_pdf
from tests.factories import make_document, make_document_with_typed_pages
from tests.originals.conftest import SCANS
from tests.originals.page_fixtures import add_pages, rendered_page

pytestmark = pytest.mark.django_db
TOLERANCE_PT = 4  # a word's extracted glyphs lie within its box, give or take this


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def pdf_of(document: Document) -> pypdfium2.PdfDocument:
    response = Client().get(f"/document/{document.pk}/pages.pdf")
    assert response.status_code == 200
    return pypdfium2.PdfDocument(body(response))


def page_texts(pdf: pypdfium2.PdfDocument) -> list[str]:
    return [pdf[n].get_textpage().get_text_range() for n in range(len(pdf))]


def record(page: Page, words: list[list], text: str = "") -> None:
    """A reading recorded as OCR would (the words' text, boxes in page pixels)."""
    do_record_page_reading(page, PageReadingValues(
        text=text or " ".join(str(w[0]) for w in words), words=words, mean_confidence=90,
        languages="rus+chi_sim+eng", engine="tesseract 5.3.0; plain-1"), via="test")


def assert_words_in_their_boxes(pdf_page, page: Page, words: list[list]) -> None:
    """Every word is found in the page's text where it is on the page (in points: the
    page's longest side is 792 pt, y counted from the bottom): its glyphs start where the
    box starts and their middle is inside the box, give or take TOLERANCE_PT. (Not their
    whole extent: a descender, as of «р», reaches below a box that Tesseract drew around
    letters without one, and the glyphless font of Chinese a few points past a box's end.)"""
    textpage = pdf_page.get_textpage()
    scale = pdf_page.get_height() / page.height
    height = pdf_page.get_height()
    for text, x, y, w, h, *_ in words:
        found = []
        searcher = textpage.search(text, match_case=True)
        while (match := searcher.get_next()) is not None:
            boxes = [textpage.get_charbox(i) for i in range(match[0], match[0] + match[1])]
            found.append((min(b[0] for b in boxes), min(b[1] for b in boxes),
                          max(b[2] for b in boxes), max(b[3] for b in boxes)))
        assert found, f"{text!r} is not in the PDF's text"
        box = (x * scale, height - (y + h) * scale, (x + w) * scale, height - y * scale)
        assert any(abs(left - box[0]) <= TOLERANCE_PT
                   and box[0] - TOLERANCE_PT <= (left + right) / 2 <= box[2] + TOLERANCE_PT
                   and box[1] - TOLERANCE_PT <= (bottom + top) / 2 <= box[3] + TOLERANCE_PT
                   for left, bottom, right, top in found), (text, box, found)


def test_a_read_documents_pdf_has_every_word_where_it_is_on_the_page():
    document = make_document_with_typed_pages(
        [["Memorandum of conversation", "Kosygin met Zhou Enlai in Hanoi"],
         ["Peking, March 5, 1965"]])
    readings = list(PageText.objects.filter(page__document=document)
                    .order_by("page__position").select_related("page"))

    pdf = pdf_of(document)

    assert len(pdf) == 2
    assert "Kosygin met Zhou Enlai in Hanoi" in page_texts(pdf)[0]
    assert "Peking, March 5, 1965" in page_texts(pdf)[1]
    for number, reading in enumerate(readings):
        assert_words_in_their_boxes(pdf[number], reading.page, reading.words)
    # The picture is over the text: the page still shows as before, 11 inches on its long side.
    assert round(pdf[0].get_height()) == 792


def test_cyrillic_and_chinese_extract_as_read_in_their_boxes():
    document = make_document()
    page = rendered_page(document, width=1200, height=1600)
    words = [["Совершенно", 100, 100, 400, 60, 91, 1, 1], ["секретно", 540, 100, 320, 60, 88, 1, 1],
             ["Москва,", 100, 200, 300, 60, 90, 2, 1], ["Кремль", 440, 200, 260, 60, 90, 2, 1],
             ["中华人民共和国", 100, 400, 700, 80, 77, 1, 2], ["外交部", 100, 520, 300, 80, 80, 2, 2]]
    record(page, words)

    pdf = pdf_of(document)

    text = page_texts(pdf)[0]
    assert "Совершенно секретно" in text and "Москва, Кремль" in text
    assert "中华人民共和国" in text and "外交部" in text
    assert_words_in_their_boxes(pdf[0], page, words)


def test_documents_without_ocr_keep_the_plain_picture_pdf():
    document = make_document()
    read, unread = rendered_page(document), rendered_page(make_document())
    record(read, [["Hanoi", 50, 50, 120, 30, 90, 1, 1]])

    assert page_texts(pdf_of(unread.document)) == [""]
    assert "Hanoi" in page_texts(pdf_of(document))[0]


def test_a_new_reading_or_a_correction_gives_a_new_file_never_a_stale_layer(settings, alice):
    document = make_document()
    page = rendered_page(document)
    record(page, [["Hanio", 50, 50, 120, 30, 60, 1, 1], ["talks", 200, 50, 120, 30, 90, 1, 1]])
    assert "Hanio talks" in page_texts(pdf_of(document))[0]

    reading = PageText.objects.get(page=page)
    do_correct_page_text(reading, "Hanoi talks", acting_user=alice)
    assert "Hanoi talks" in page_texts(pdf_of(document))[0]  # word for word: boxes kept

    do_correct_page_text(reading, "Talks in Hanoi began", acting_user=alice)
    assert "Hanio talks" in page_texts(pdf_of(document))[0]  # not placeable: machine's

    record(page, [["Hanoi", 50, 50, 120, 30, 95, 1, 1], ["meeting", 200, 50, 160, 30, 90, 1, 1]])
    assert "Hanoi meeting" in page_texts(pdf_of(document))[0]
    assert len(list(settings.DOCUMENT_PDF_DIR.rglob("*.pdf"))) == 4


def test_a_pdf_made_ahead_by_a_worker_is_the_one_downloaded(settings,
                                                             django_assert_max_num_queries):
    document = make_document()
    first = rendered_page(document)
    add_pages(document, 2, like=first)
    record(first, [["Hanoi", 50, 50, 120, 30, 90, 1, 1]])

    made = document_pdf(list(Page.objects.filter(document=document).order_by("position", "id")))
    with django_assert_max_num_queries(2):
        response = Client().get(f"/document/{document.pk}/pages.pdf")
        body(response)

    assert list(settings.DOCUMENT_PDF_DIR.rglob("*.pdf")) == [made]
    assert response.status_code == 200


def test_the_original_tab_says_when_the_pdf_is_searchable():
    read = make_document(title="Read")
    record(rendered_page(read), [["Hanoi", 50, 50, 120, 30, 90, 1, 1]])
    unread = make_document(title="Unread")
    rendered_page(unread)

    read_html = Client().get(f"/document/{read.pk}/?text=original").content.decode()
    unread_html = Client().get(f"/document/{unread.pk}/?text=original").content.decode()

    assert f'<a href="/document/{read.pk}/pages.pdf">All pages as one PDF (searchable)</a>' in (
        read_html)
    assert f'<a href="/document/{read.pk}/ocr.txt">OCR text</a>' in read_html
    assert f'<a href="/document/{unread.pk}/pages.pdf">All pages as one PDF</a>' in unread_html
    assert "ocr.txt" not in unread_html


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


def test_a_long_searchable_pdf_is_made_a_page_at_a_time():
    """Pages of 1,700 x 2,200 px, each with 300 words: made a page at a time, the 120-page
    PDF needs about what the 40-page one did (which also paid for loading the renderer and
    its fonts); pikepdf's join held every page until saved (+41 MB for 120 typed pages)."""
    document = make_document_with_typed_pages([["Kosygin met Zhou Enlai"]], read=False)
    like = document.pages.get()
    pages = [like, *add_pages(document, 119, like=like)]
    words = [[f"word{n}", 100 + (n % 10) * 150, 100 + (n // 10) * 60, 130, 40, 90, n // 10, 1]
             for n in range(300)]
    for page in pages:
        record(page, words)
    # libvips keeps its last 100 operations (up to 100 MB) for reuse, whatever the document:
    # a fixed amount, left out here to see what the PDF itself costs.
    operations = pyvips.cache_get_max()
    pyvips.cache_set_max(0)
    try:
        baseline = resident_mb()
        short = peak_while(lambda: document_pdf(pages[:40])) - baseline
        long = peak_while(lambda: document_pdf(pages)) - baseline
    finally:
        pyvips.cache_set_max(operations)
    print(f"searchable pdf grew_mb pages=40: {short:.0f} pages=120: {long:.0f}")
    # Measured: +60 and +70 MB (Python's and fontTools' allocations settle, not pages held).
    assert long - short < 30, f"40 pages: +{short:.0f} MB, 120 pages: +{long:.0f} MB"
    pdf = pypdfium2.PdfDocument(document_pdf(pages))
    assert len(pdf) == 120 and "word299" in pdf[119].get_textpage().get_text_range()
    pdf.close()


def peak_while(work) -> float:
    """The highest resident memory (MB) seen while `work()` runs."""
    seen = {"peak": resident_mb()}
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen["peak"] = max(seen["peak"], resident_mb())
            time.sleep(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        work()
    finally:
        done.set()
        watcher.join()
    return seen["peak"]


@pytest.mark.corpus
def test_russian_and_chinese_scans_make_a_searchable_pdf_of_their_own_script(
        invented_documents, tmp_path):
    """A Russian and a Chinese scan of the corpus, attached and read by real Tesseract: the
    PDF's text has their words where the ALTO says they are."""
    wanted = ("invented-ru-r01.tif", "invented-zh-z03.tif")
    lines = [line for line in (SCANS / "manifest.csv").read_text().splitlines()
             if line.startswith("file,") or line.startswith(wanted)]
    for name in wanted:
        shutil.copy(SCANS / name, tmp_path / name)
    (tmp_path / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # The OCR job is left queued (its worker threads would need committed rows): read below.
    call_command("attach_scans", str(tmp_path / "manifest.csv"), foreground=True,
                 no_ocr=True, stdout=StringIO())
    for source_id, script in (("invented/ru/r01", "Cyrillic"), ("invented/zh/z03", "CJK")):
        document = Document.objects.get(source_id=source_id)
        page = document.pages.get()
        read_and_record(page, languages=ocr_languages(document), via="test")
        reading = PageText.objects.get(page=page)
        own = [w for w in reading.words if w[5] > 80 and _in_script(str(w[0]), script)]
        assert len(own) > 10, (source_id, reading.machine_text[:200])

        pdf = pdf_of(document)

        assert_words_in_their_boxes(pdf[0], page, own[:40])


def _in_script(text: str, script: str) -> bool:
    if script == "Cyrillic":
        return len(text) > 2 and all("\u0400" <= c <= "\u04ff" for c in text)
    return all("\u4e00" <= c <= "\u9fff" for c in text)
