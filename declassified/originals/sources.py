"""The pages of an original file, one image at a time: PDF, TIFF (multi-page), JPEG, PNG.

    kind = file_kind(path)                  # "pdf" | "tiff" | "jpeg" | "png"; UnreadableOriginal
    for number, image in page_images(path): # 1-based; a pyvips image, 8-bit, 1 or 3 bands
        ...

The kind is read from the file's first bytes, never its name. PDF pages are rendered by
PDFium (pypdfium2) at `dpi`; image files are read by libvips. Only one page is in memory at
a time, so a 300-page PDF costs what one page costs.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pypdfium2
import pyvips

KINDS = ("pdf", "tiff", "jpeg", "png")

# A PDF page larger than this at the rendering resolution (a poster, a map, a page declared
# 200 inches wide) is rendered at the resolution that fits: a page's pixels are held a few
# times over while it is rendered (~9 bytes a pixel), and 45 MP still holds a Legal page at
# 600 dpi. Image files keep their own pixels: libvips streams them.
MAX_PDF_PAGE_PIXELS = 45_000_000


class UnreadableOriginal(ValueError):
    """The file is not a PDF, TIFF, JPEG or PNG we can read; the message says why."""


def file_kind(path: Path) -> str:
    with open(path, "rb") as handle:
        kind = kind_of_head(handle.read(8))
    if kind is None:
        raise UnreadableOriginal(f"{path.name} is not a PDF, TIFF, JPEG or PNG file")
    return kind


def kind_of_head(head: bytes) -> str | None:
    """The kind a file's first 8 bytes announce, or None (not a file that has pages)."""
    if head.startswith(b"%PDF"):
        return "pdf"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    return None


def page_count(path: Path) -> int:
    """How many pages the file has (reads headers only)."""
    kind = file_kind(path)
    try:
        if kind == "pdf":
            pdf = pypdfium2.PdfDocument(str(path))
            try:
                return len(pdf)
            finally:
                pdf.close()
        if kind == "tiff":
            return int(pyvips.Image.new_from_file(str(path)).get("n-pages"))
        pyvips.Image.new_from_file(str(path))
        return 1
    except (pypdfium2.PdfiumError, pyvips.Error) as error:
        raise UnreadableOriginal(f"{path.name} cannot be read: {_first_line(error)}") from None


def page_images(path: Path, *, dpi: int = 300) -> Iterator[tuple[int, pyvips.Image]]:
    """Each page as an 8-bit sRGB or greyscale image, in order; raises UnreadableOriginal."""
    kind = file_kind(path)
    if kind == "pdf":
        yield from _pdf_pages(path, dpi)
        return
    count = page_count(path)
    for index in range(count):
        try:
            # A cut-off file is an error, not a page of grey. libtiff reports a short strip
            # only as a warning (fail_on="truncated" lets it through); JPEGs stay at
            # "truncated", since harmless warnings (stray bytes before a marker) are common.
            options = {"page": index, "fail_on": "warning"} if kind == "tiff" else {
                "fail_on": "truncated"}
            image = pyvips.Image.new_from_file(str(path), **options)
        except pyvips.Error as error:
            raise UnreadableOriginal(
                f"{path.name}, page {index + 1}, cannot be read: {_first_line(error)}") from None
        yield index + 1, _normalised(image.autorot())


def _pdf_pages(path: Path, dpi: int) -> Iterator[tuple[int, pyvips.Image]]:
    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as error:
        raise UnreadableOriginal(f"{path.name} cannot be read as a PDF: {error}") from None
    try:
        for index in range(len(pdf)):
            try:
                image = _pdf_page(pdf, index, dpi)
            except pypdfium2.PdfiumError as error:
                raise UnreadableOriginal(
                    f"{path.name}, page {index + 1}, cannot be rendered: {error}") from None
            yield index + 1, image
    finally:
        pdf.close()


def _pdf_page(pdf: pypdfium2.PdfDocument, index: int, dpi: int) -> pyvips.Image:
    """One page at `dpi`, its PDFium objects closed before the next page is read."""
    page = pdf[index]
    try:
        points_wide, points_high = page.get_size()
        scale = dpi / 72
        if points_wide * points_high * scale * scale > MAX_PDF_PAGE_PIXELS:  # a poster, a map
            scale = math.sqrt(MAX_PDF_PAGE_PIXELS / (points_wide * points_high))
        width, height = round(points_wide * scale), round(points_high * scale)
        bitmap = page.render(scale=scale)
        picture = bitmap.to_pil().convert("RGB")
        bitmap.close()
    finally:
        page.close()
    image = pyvips.Image.new_from_memory(picture.tobytes(), picture.width, picture.height, 3,
                                         "uchar")
    # PDFium rounds the size up: 792 pt at 300 dpi is 3300 px, not 3301.
    if (image.width, image.height) != (width, height) and width <= image.width and \
            height <= image.height:
        image = image.crop(0, 0, width, height)
    return image


def _normalised(image: pyvips.Image) -> pyvips.Image:
    """8-bit, no alpha, sRGB or greyscale: what every master is made of. CMYK, Lab and 16-bit
    images are converted first (alpha kept and scaled), then flattened onto white, so a
    16-bit alpha is not mistaken for an 8-bit one."""
    colour_bands = image.bands - (1 if image.hasalpha() else 0)
    target = "b-w" if colour_bands == 1 else "srgb"
    try:
        if image.interpretation != target or image.format != "uchar":
            image = image.colourspace(target)
        if image.hasalpha():
            image = image.flatten(background=255)
        if image.format != "uchar":
            image = image.cast("uchar")
        if image.bands not in (1, 3):  # e.g. two colour bands that are not an alpha
            image = image.extract_band(0, n=3) if image.bands > 3 else image.extract_band(0)
    except pyvips.Error as error:
        raise UnreadableOriginal(f"an image of {image.bands} bands "
                                 f"({image.interpretation}) cannot be converted to sRGB: "
                                 f"{_first_line(error)}") from None
    return image


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
