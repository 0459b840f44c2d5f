"""OCR: the words on a page image, with their boxes and confidences (Tesseract 5).

    from declassified import ocr
    reading = ocr.read_page(image, ["rus", "eng"])       # a pyvips.Image (a page master)
    ocr.tesseract_languages(["ru", "en"], default="eng")   # "rus+eng"

This package knows nothing of the database: declassified.ingest.ocr_pages reads a Page's
master with it and records the reading through declassified.archive.page_texts. See docs/ocr.md.
"""

from declassified.ocr.languages import installed_languages, tesseract_languages
from declassified.ocr.reading import (
    RECIPE,
    OcrFailed,
    PageReading,
    Word,
    is_cjk,
    read_page,
    tesseract_version,
    text_of_words,
)

__all__ = [
    "RECIPE", "OcrFailed", "PageReading", "Word", "installed_languages", "is_cjk", "read_page",
    "tesseract_languages", "tesseract_version", "text_of_words",
]
