"""A document's pages as files to take away: all of them as one PDF, or one as a JPEG.

    path = document_pdf(pages)              # made once, then read from DOCUMENT_PDF_DIR
    data = page_jpeg(page, width=1200)      # bytes

Pictures come from the page masters through libvips, which reads only the pyramid level it
needs, so a page costs a few megabytes of memory whatever the master's size; a PDF is made
one page at a time, each page's JPEG embedded as it is (no second compression).

A document whose pages have OCR gets a searchable PDF: each page's picture over an invisible
layer of its words (declassified.originals.text_layer), each page made as a one-page PDF
and the pages joined as they come (declassified.originals.pdf_join), so memory stays a
page's worth for a 300-page document. Without OCR the pages go through img2pdf as
they always did. The file's name covers the pages' masters and, for pages with OCR, when
they were read and corrected, so a changed reading gives a new file and a stale text layer
is never served.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import img2pdf  # type: ignore[import-untyped]  # a single-file module the overrides do not reach
import pyvips
from django.conf import settings

from declassified.archive.models import Page, PageText
from declassified.originals import text_layer
from declassified.originals.masters import local_file
from declassified.originals.pdf_join import PdfJoiner

# Pages in the PDF: longest side at most 2,000 px (about 180 dpi for a letter page scanned at
# 300 dpi): sharp on screen and in print, a few hundred kB a page.
PDF_PAGE_MAX_PX = 2000
PDF_JPEG_QUALITY = 80
# The PDF page's physical size: its longest side 11 inches (US letter and A4 are 11–11.7 in.);
# the masters of image files do not record their resolution, so no truer size is known.
PDF_PAGE_LONG_SIDE_INCHES = 11
# Bump when the way PDFs are made changes: new file names follow, old files are not reused.
PDF_FORMAT = "pdf-jpeg80-2000px-v1"
# Bump when the text layer is drawn differently (see text_layer).
TEXT_LAYER_FORMAT = "ocrmypdf-fpdf2-bundled-fonts-v1"
# Pages whose words are loaded at once while a searchable PDF is made.
WORDS_BATCH = 20

JPEG_MIN_WIDTH = 100
JPEG_MAX_WIDTH = 4000
JPEG_DEFAULT_WIDTH = 1500
JPEG_QUALITY = 85


def _scaled(page: Page, width: int, height: int) -> pyvips.Image:
    """The page's picture shrunk to fit width × height (never enlarged), 8-bit sRGB or grey."""
    with local_file(page.master) as path:
        # thumbnail picks the smallest pyramid level that is still big enough.
        image = pyvips.Image.thumbnail(str(path), width, height=height, size="down")
        # Decode now, while the master's path is sure to exist (a remote storage's copy
        # is deleted when local_file ends).
        return image.copy_memory()


def page_jpeg(page: Page, *, width: int) -> bytes:
    """The page as a JPEG `width` px wide (at most its own width), height in proportion."""
    width = min(width, page.width)
    height = max(1, round(page.height * width / page.width))
    return _scaled(page, width, height).jpegsave_buffer(Q=JPEG_QUALITY, strip=True)


def text_layer_stamps(pages: Sequence[Page]) -> list[str]:
    """For each page, what its text layer is made from ("" for a page OCR has not read):
    when it was read and corrected. Reads `page.reading` when loaded with the pages
    (select_related, the words deferred), else asks the database once."""
    if all(Page.reading.is_cached(page) for page in pages):
        readings = {page.pk: getattr(page, "reading", None) for page in pages}
        found = {pk: (r.read_at, r.corrected_at) for pk, r in readings.items() if r}
    else:
        found = {pk: (read_at, corrected_at) for pk, read_at, corrected_at in
                 PageText.objects.filter(page__in=[page.pk for page in pages])
                 .values_list("page_id", "read_at", "corrected_at")}
    return [_stamp(*found[page.pk]) if page.pk in found else "" for page in pages]


def _stamp(read_at: datetime, corrected_at: datetime | None) -> str:
    corrected = corrected_at.isoformat() if corrected_at else "-"
    return f"{read_at.isoformat()}/{corrected}"


def pdf_name(pages: Sequence[Page], stamps: Sequence[str] | None = None) -> str:
    """The PDF's file name: made from the pages' masters in order (and, for pages with OCR,
    their text layer stamps), so another order, rendering or reading gives another file,
    and the same pages the same one."""
    stamps = text_layer_stamps(pages) if stamps is None else stamps
    parts = [PDF_FORMAT, *(page.master_sha256 for page in pages)]
    if any(stamps):
        parts += [TEXT_LAYER_FORMAT, *stamps]
    key = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"{key[:2]}/{key}.pdf"


def _pdf_page_jpeg(page: Page, folder: Path, number: int) -> Path:
    path = folder / f"{number:05}.jpg"
    _scaled(page, PDF_PAGE_MAX_PX, PDF_PAGE_MAX_PX).jpegsave(str(path), Q=PDF_JPEG_QUALITY)
    return path


def _page_layout(width_px: int, height_px: int, _dpi) -> tuple[float, float, float, float]:
    """img2pdf's layout: every page's longest side PDF_PAGE_LONG_SIDE_INCHES long (72 pt
    an inch), the picture filling the page."""
    scale = PDF_PAGE_LONG_SIDE_INCHES * 72 / max(width_px, height_px)
    width, height = width_px * scale, height_px * scale
    return width, height, width, height


def document_pdf(pages: Sequence[Page]) -> Path:
    """The pages as one PDF in DOCUMENT_PDF_DIR, made now unless it already exists:
    searchable (an invisible text layer) when some page has OCR.

    Two requests making the same PDF at once each write their own temporary file and move it
    into place (an atomic rename), so a reader never gets half a file.
    """
    stamps = text_layer_stamps(pages)
    target = Path(settings.DOCUMENT_PDF_DIR) / pdf_name(pages, stamps)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="declassified-pdf-",
                                     dir=target.parent) as folder:
        partial = Path(folder) / "document.pdf"
        if any(stamps):
            _searchable_pdf(pages, stamps, Path(folder), partial)
        else:
            _image_pdf(pages, Path(folder), partial)
        os.replace(partial, target)
    return target


def _image_pdf(pages: Sequence[Page], folder: Path, out: Path) -> None:
    jpegs = [str(_pdf_page_jpeg(page, folder, number))
             for number, page in enumerate(pages, start=1)]
    with open(out, "wb") as stream:
        img2pdf.convert(jpegs, layout_fun=_page_layout, outputstream=stream)


def _searchable_pdf(pages: Sequence[Page], stamps: Sequence[str], folder: Path,
                    out: Path) -> None:
    """Each page made as a one-page PDF (picture over its words) and at once appended to
    the joined PDF (pdf_join), so neither memory nor the temporary folder grows with the
    document; the words are loaded WORDS_BATCH pages at a time."""
    fonts = text_layer.bundled_fonts()
    with open(out, "wb") as stream:
        joiner = PdfJoiner(stream)
        for first in range(0, len(pages), WORDS_BATCH):
            batch = pages[first:first + WORDS_BATCH]
            read = [page.pk for page, stamp in zip(batch, stamps[first:], strict=False)
                    if stamp]
            readings = {r.page_id: r for r in PageText.objects.filter(page__in=read).only(
                "page_id", "words", "corrected_text", "corrected_at")}
            for number, page in enumerate(batch, start=first + 1):
                reading = readings.get(page.pk)
                words = text_layer.layer_words(reading) if reading else []
                picture = _pdf_page_jpeg(page, folder, number)
                page_file = folder / f"{number:05}.pdf"
                text_layer.render_page(picture, page, words, page_file,
                                       long_side_inches=PDF_PAGE_LONG_SIDE_INCHES, fonts=fonts)
                joiner.add_page_of(page_file)
                picture.unlink()
                page_file.unlink()
        joiner.finish()
