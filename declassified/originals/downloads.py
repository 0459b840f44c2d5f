"""A document's pages as files to take away: all of them as one PDF, or one as a JPEG.

    path = document_pdf(pages)              # made once, then read from DOCUMENT_PDF_DIR
    data = page_jpeg(page, width=1200)      # bytes

Pictures come from the page masters through libvips, which reads only the pyramid level it
needs, so a page costs a few megabytes of memory whatever the master's size; a PDF is made
one page at a time, each page's JPEG embedded as it is (img2pdf: no second compression).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import img2pdf  # type: ignore[import-untyped]  # a single-file module the overrides do not reach
import pyvips
from django.conf import settings

from declassified.archive.models import Page
from declassified.originals.masters import local_file

# Pages in the PDF: longest side at most 2,000 px (about 180 dpi for a letter page scanned at
# 300 dpi): sharp on screen and in print, a few hundred kB a page.
PDF_PAGE_MAX_PX = 2000
PDF_JPEG_QUALITY = 80
# The PDF page's physical size: its longest side 11 inches (US letter and A4 are 11–11.7 in.);
# the masters of image files do not record their resolution, so no truer size is known.
PDF_PAGE_LONG_SIDE_INCHES = 11
# Bump when the way PDFs are made changes: new file names follow, old files are not reused.
PDF_FORMAT = "pdf-jpeg80-2000px-v1"

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


def pdf_name(pages: Sequence[Page]) -> str:
    """The PDF's file name: made from the pages' masters in order, so another order or
    another rendering gives another file, and the same pages the same one."""
    key = hashlib.sha256(
        "\n".join([PDF_FORMAT, *(page.master_sha256 for page in pages)]).encode()).hexdigest()
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
    """The pages as one PDF in DOCUMENT_PDF_DIR, made now unless it already exists.

    Two requests making the same PDF at once each write their own temporary file and move it
    into place (an atomic rename), so a reader never gets half a file.
    """
    target = Path(settings.DOCUMENT_PDF_DIR) / pdf_name(pages)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="declassified-pdf-",
                                     dir=target.parent) as folder:
        jpegs = [str(_pdf_page_jpeg(page, Path(folder), number))
                 for number, page in enumerate(pages, start=1)]
        partial = Path(folder) / "document.pdf"
        with open(partial, "wb") as out:
            img2pdf.convert(jpegs, layout_fun=_page_layout, outputstream=out)
        os.replace(partial, target)
    return target
