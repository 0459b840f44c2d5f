"""Documents whose pages have OCR words, recorded the documented way (the page-texts action)
with words placed by hand, so a test knows where every box is."""

from __future__ import annotations

from declassified.archive.models import Document
from declassified.archive.page_texts import PageReadingValues, do_record_page_reading
from tests.factories import make_document_with_pages


def line_words(text: str, *, line: int, x: int = 100, y: int = 100, block: int = 0,
               char_width: int = 20, height: int = 30) -> list[list]:
    """The words of one typed line: each character `char_width` px wide, one space between
    words (Han characters are words of their own only if separated by spaces in `text`)."""
    words, left = [], x
    for word in text.split():
        words.append([word, left, y, char_width * len(word), height, 90.0, line, block])
        left += char_width * (len(word) + 1)
    return words


def record_words(page, words: list[list], languages: str = "eng") -> None:
    text = " ".join(str(row[0]) for row in words)
    do_record_page_reading(page, PageReadingValues(
        text=text, words=words, mean_confidence=90.0, languages=languages,
        engine="tesseract 5.3.0; test"), via="tests")


def make_read_document(pages: list[list[str]], **fields) -> Document:
    """A document with one page a list of lines, each page's words recorded as read by OCR
    (line n at y = 100 + 50 n)."""
    document = make_document_with_pages(len(pages), **fields)
    for page, lines in zip(document.pages.order_by("position", "id"), pages, strict=True):
        words = []
        for number, line in enumerate(lines):
            words += line_words(line, line=number, y=100 + 50 * number)
        record_words(page, words)
    return document
