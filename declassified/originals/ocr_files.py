"""A page's OCR as files a reader or a harvester takes away: ALTO XML and plain text.

    page_alto(page, reading, number=3, image_url=...)   # bytes: ALTO v4, every word's box
    document_text([(1, reading), (2, None), ...])        # str: pages under "--- p. N ---"

Plain functions of rows already loaded (no query of their own). ALTO is written from the
machine's words (`PageText.words`, in the page's own pixels, which are the IIIF canvas's), so
every String's box is exactly the stored one; plain text is the page's `text`: an editor's
correction where there is one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import groupby
from typing import Any

from lxml import etree

from declassified.archive.models import Page, PageText

ALTO_NAMESPACE = "http://www.loc.gov/standards/alto/ns-v4#"
ALTO_SCHEMA = "http://www.loc.gov/standards/alto/v4/alto-4-4.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# What IIIF's cookbook (recipe 0068, newspapers) gives a canvas's seeAlso to its ALTO.
ALTO_PROFILE = "http://www.loc.gov/standards/alto/"
ALTO_CONTENT_TYPE = "application/xml; charset=utf-8"
TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"

_A = f"{{{ALTO_NAMESPACE}}}"
Word = Sequence[Any]  # [text, x, y, w, h, confidence 0-100, line, block]


def _box(element: etree._Element, left: int, top: int, width: int, height: int) -> None:
    element.set("HPOS", str(left))
    element.set("VPOS", str(top))
    element.set("WIDTH", str(width))
    element.set("HEIGHT", str(height))


def _bounds(words: Sequence[Word]) -> tuple[int, int, int, int]:
    """The smallest box holding every word: (left, top, width, height)."""
    left = min(int(word[1]) for word in words)
    top = min(int(word[2]) for word in words)
    right = max(int(word[1]) + int(word[3]) for word in words)
    bottom = max(int(word[2]) + int(word[4]) for word in words)
    return left, top, right - left, bottom - top


def _description(root: etree._Element, reading: PageText, image_url: str) -> None:
    description = etree.SubElement(root, _A + "Description")
    etree.SubElement(description, _A + "MeasurementUnit").text = "pixel"
    source = etree.SubElement(description, _A + "sourceImageInformation")
    etree.SubElement(source, _A + "fileName").text = image_url
    processing = etree.SubElement(description, _A + "OCRProcessing", ID="OCR_0")
    step = etree.SubElement(processing, _A + "ocrProcessingStep")
    if reading.read_at:
        etree.SubElement(step, _A + "processingDateTime").text = reading.read_at.isoformat()
    etree.SubElement(step, _A + "processingStepSettings").text = (
        f"languages: {reading.languages}")
    software = etree.SubElement(step, _A + "processingSoftware")
    # engine is e.g. "tesseract 5.3.0; plain-1": the program, its version, the recipe.
    name, _, version = reading.engine.partition(" ")
    etree.SubElement(software, _A + "softwareName").text = name or "OCR"
    if version:
        etree.SubElement(software, _A + "softwareVersion").text = version


def _line(block: etree._Element, words: Sequence[Word], line_id: str) -> None:
    line = etree.SubElement(block, _A + "TextLine", ID=line_id)
    _box(line, *_bounds(words))
    for number, word in enumerate(words):
        if number:
            # SP: the space between two words, from the end of one to the start of the next.
            before = words[number - 1]
            end = int(before[1]) + int(before[3])
            space = etree.SubElement(line, _A + "SP")
            space.set("HPOS", str(end))
            space.set("VPOS", str(int(word[2])))
            space.set("WIDTH", str(max(0, int(word[1]) - end)))
        string = etree.SubElement(line, _A + "String", ID=f"{line_id}_w{number + 1}")
        _box(string, int(word[1]), int(word[2]), int(word[3]), int(word[4]))
        string.set("WC", f"{max(0.0, min(100.0, float(word[5]))) / 100:.2f}")
        string.set("CONTENT", str(word[0]))


def _layout(root: etree._Element, page: Page, number: int, words: Sequence[Word]) -> None:
    layout = etree.SubElement(root, _A + "Layout")
    alto_page = etree.SubElement(layout, _A + "Page", ID=f"p{number}",
                                 PHYSICAL_IMG_NR=str(number))
    alto_page.set("WIDTH", str(page.width))
    alto_page.set("HEIGHT", str(page.height))
    space = etree.SubElement(alto_page, _A + "PrintSpace")
    _box(space, *(_bounds(words) if words else (0, 0, page.width, page.height)))
    # Words are kept in reading order, numbered by block and line (Tesseract's).
    for block_number, block_words in groupby(words, key=lambda word: int(word[7])):
        block_list = list(block_words)
        block_id = f"p{number}_b{block_number}"
        block = etree.SubElement(space, _A + "TextBlock", ID=block_id)
        _box(block, *_bounds(block_list))
        for line_number, line_words in groupby(block_list, key=lambda word: int(word[6])):
            _line(block, list(line_words), f"{block_id}_l{line_number}")


def page_alto(page: Page, reading: PageText, *, number: int, image_url: str) -> bytes:
    """The page's OCR as ALTO v4 (UTF-8 bytes): its `number` in the document, the URL of the
    picture the boxes are measured on (the full-size image of the IIIF canvas)."""
    root = etree.Element(_A + "alto", nsmap={None: ALTO_NAMESPACE, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{ALTO_NAMESPACE} {ALTO_SCHEMA}")
    _description(root, reading, image_url)
    words = [word for word in reading.words if str(word[0]).strip()]
    _layout(root, page, number, words)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def page_text(reading: PageText) -> str:
    """What the page says, ending with a newline: the editor's correction, else OCR's."""
    return reading.text.rstrip("\n") + "\n"


def document_text(pages: Iterable[tuple[int, PageText | None]]) -> str:
    """Every page's text in order, each after a "--- p. N ---" line (N: its place in the
    document, as in /page/N.txt); a page OCR has not read has the line alone."""
    parts = []
    for number, reading in pages:
        parts.append(f"--- p. {number} ---\n")
        if reading is not None and reading.text.strip():
            parts.append(page_text(reading))
    return "".join(parts)
