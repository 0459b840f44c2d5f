"""One page read by OCR and its reading recorded: the step OCR jobs repeat for every page.

    read_and_record(page, via="ocr job 7")      # the PageText, or None when already read
    ocr_languages(document)                     # "rus+eng": the Tesseract languages it is read in

The page master is read outside any transaction (about a second a page); only the recording
(declassified.archive.page_texts) is a transaction. An editor's correction is never touched.
"""

from __future__ import annotations

import pyvips
from django.conf import settings

from declassified import ocr
from declassified.archive.models import Document, Page, PageText
from declassified.archive.page_texts import (
    PageReadingValues,
    do_record_page_reading,
    is_read_with,
)
from declassified.originals.masters import local_file


def ocr_languages(document: Document) -> str:
    """The document's own languages as Tesseract's ("rus+eng"); the setting when it has none
    Tesseract reads. One query, unless the languages were prefetched."""
    codes = [language.code for language in document.languages.all()]
    return ocr.tesseract_languages(codes, default=settings.OCR_DEFAULT_LANGUAGES)


def engine_name() -> str:
    """What a reading made now will be recorded as: engine version and recipe."""
    return f"tesseract {ocr.tesseract_version()}; {ocr.RECIPE}"


def read_and_record(page: Page, *, languages: str, via: str,
                    force: bool = False) -> PageText | None:
    """OCR the page's master in `languages` and record it. A page already read by this engine
    and recipe in these languages is skipped (None) unless `force`: its pixels never change,
    so its words would not either. Raises ocr.OcrFailed when Tesseract cannot read it."""
    reading = read_unless_done(page, languages=languages, force=force)
    return None if reading is None else do_record_page_reading(page, reading, via=via)


def read_unless_done(page: Page, *, languages: str,
                     force: bool = False) -> PageReadingValues | None:
    """read_and_record's reading alone (no write): OCR jobs record it apart, so that a record
    waiting for SQLite's write lock is tried again without reading the page again."""
    current = PageText.objects.filter(page=page).first()
    if not force and is_read_with(current, languages, engine_name()):
        return None
    with local_file(page.master) as path:
        image = pyvips.Image.new_from_file(str(path))  # the full-size level of the pyramid
        reading = ocr.read_page(image, languages.split("+"),
                                timeout=settings.OCR_PAGE_TIMEOUT_SECONDS)
    return PageReadingValues(
        text=reading.text, words=[word.as_row() for word in reading.words],
        mean_confidence=reading.mean_confidence, languages=languages, engine=reading.engine)
