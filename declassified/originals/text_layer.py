"""One page of a searchable PDF: the page's picture over an invisible layer of its OCR words.

    words = layer_words(reading)                        # the machine's boxes, text to lay
    render_page(jpeg_path, page, words, out_path)       # a one-page PDF

Drawn by OCRmyPDF's own renderer (ocrmypdf.fpdf_renderer: fpdf2), which writes each word in
invisible text scaled to fill its box, under the picture ("sandwich"), so a PDF reader
finds, selects and copies the words where they are on the page. Fonts are OCRmyPDF's
bundled ones only (Noto Sans for Latin, Cyrillic, Greek; the glyphless Occulta for the rest,
e.g. Chinese): the text extracts as the right Unicode whatever fonts the machine has, and
the same words give the same file on every machine.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from itertools import groupby
from pathlib import Path
from typing import Any

from ocrmypdf.font import BuiltinFontProvider, MultiFontManager
from ocrmypdf.fpdf_renderer import Fpdf2PdfRenderer
from ocrmypdf.models.ocr_element import Baseline, BoundingBox, OcrClass, OcrElement

from declassified.archive.models import Page, PageText

# OCRmyPDF warns on every PDF with Chinese that no installed font draws it: here that is
# the choice (an invisible layer needs no glyphs, and its text still extracts), not a fault.
logging.getLogger("ocrmypdf.font.multi_font_manager").setLevel(logging.ERROR)
# fontTools tells of every font subset it makes at INFO.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

Word = Sequence[Any]  # [text, x, y, w, h, confidence, line, block], as PageText.words


def layer_words(reading: PageText) -> list[Word]:
    """The words to lay under the picture: the machine's, each in its box.

    Only the machine's words have boxes. An editor's correction replaces them word for word
    when it has exactly as many words (the usual correction: misread letters mended), so
    the PDF finds the corrected spelling; a correction that adds or drops words cannot be
    placed and leaves the machine's words (the PDF's name follows `text_layer_stamp`)."""
    words = [word for word in reading.words if str(word[0]).strip()]
    if reading.is_corrected:
        corrected = reading.corrected_text.split()
        if len(corrected) == len(words):
            return [[text, *word[1:]] for text, word in zip(corrected, words, strict=True)]
    return words


def _element(kind: str, words: Sequence[Word], children: list[OcrElement] | None = None,
             text: str = "") -> OcrElement:
    left = min(float(word[1]) for word in words)
    top = min(float(word[2]) for word in words)
    right = max(float(word[1]) + max(1.0, float(word[3])) for word in words)
    bottom = max(float(word[2]) + max(1.0, float(word[4])) for word in words)
    return OcrElement(ocr_class=kind, bbox=BoundingBox(left, top, right, bottom), text=text,
                      children=children or [])


def _line(words: Sequence[Word]) -> OcrElement:
    """A line of words, with its baseline: where its words without descenders end (the
    highest quarter of the bottoms of words of two or more letters; «р» or "g" reach below
    it, a lone dash would sit above it). Without one the renderer guesses it from the line's
    height, which puts words without descenders a few points too low."""
    line = _element(OcrClass.LINE, words,
                    [_element(OcrClass.WORD, [word], text=str(word[0])) for word in words])
    bottoms = sorted(float(word[2]) + float(word[4]) for word in words
                     if len(str(word[0])) > 1) or [float(words[0][2]) + float(words[0][4])]
    assert line.bbox is not None
    # hOCR's convention: the baseline's offset from the line box's bottom (up is negative).
    line.baseline = Baseline(slope=0.0, intercept=bottoms[len(bottoms) // 4] - line.bbox.bottom)
    return line


def ocr_tree(page: Page, words: Sequence[Word]) -> OcrElement:
    """The page as OCRmyPDF's model: blocks (ocr_par) of lines of words, in page pixels."""
    paragraphs = []
    for _block, block_words in groupby(words, key=lambda word: int(word[7])):
        block_list = list(block_words)
        lines = [_line(list(group)) for _number, group in
                 groupby(block_list, key=lambda word: int(word[6]))]
        paragraphs.append(_element(OcrClass.PARAGRAPH, block_list, lines))
    return OcrElement(ocr_class=OcrClass.PAGE, bbox=BoundingBox(0, 0, page.width, page.height),
                      children=paragraphs)


def render_page(picture: Path, page: Page, words: Sequence[Word], out: Path, *,
                long_side_inches: float, fonts: MultiFontManager) -> None:
    """A one-page PDF at `out`: `picture` (a JPEG of the page, of any size) filling a page
    whose longest side is `long_side_inches`, over the words, placed in the page's pixels."""
    # The renderer sizes the page as pixels / dpi inches: this dpi gives the wanted size.
    dpi = max(page.width, page.height) / long_side_inches
    Fpdf2PdfRenderer(page=ocr_tree(page, words), dpi=dpi, multi_font_manager=fonts,
                     invisible_text=True, image=picture).render(out)


def bundled_fonts() -> MultiFontManager:
    """OCRmyPDF's bundled fonts only (see the module's docstring); one per PDF made."""
    return MultiFontManager(font_provider=BuiltinFontProvider())
