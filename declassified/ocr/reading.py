"""Reading one page image with Tesseract: its plain text, and every word's box and confidence.

    reading = read_page(image, ["rus", "eng"])        # a pyvips.Image: the page master
    reading.text             # lines joined by "\\n", blocks by a blank line
    reading.words            # Word(text, x, y, w, h, confidence, line, block), reading order
    reading.mean_confidence  # 0-100, None when the page has no words
    reading.engine           # "tesseract 5.3.0; <recipe>": a page read by another is read again

Coordinates are pixels of the image given (for a page master: the IIIF canvas). Needs no
database: the benchmark and the jobs both call it. The recipe (docs/ocr.md, "How pages are
read"): the page is made grey, divided by its paper's brightness and levelled
(declassified.ocr.preprocess), read as one column (--psm 4) with every glyph's box, and the
misreads that a glyph's height gives away are fixed (declassified.ocr.corrections).
Tesseract runs as its own process, one thread each (OMP_THREAD_LIMIT=1), so a job reading two
pages at once uses two cores, and a page that crashes or hangs Tesseract fails alone, in bounded time.
"""

from __future__ import annotations

import functools
import os
import subprocess
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyvips
from lxml import etree

from declassified.ocr.corrections import (
    Glyph,
    fixed_by_glyph_height,
    fixed_cjk_words,
    fixed_latin_word,
)
from declassified.ocr.preprocess import Prepared, prepared

# Name of the recipe below; change it whenever the recipe changes what is read, so that pages
# read by an older recipe are read again by `declassified ocr` (and only those).
RECIPE = "flat-level-psm4-1"


# Tesseract's Chinese and Japanese models (read alone: see reading_languages).
CJK_MODELS = frozenset({"chi_sim", "chi_tra", "chi_sim_vert", "chi_tra_vert", "jpn", "kor"})
# Signs no typewriter had, which Tesseract reads for a blotted letter (a -> @, ®) or for the
# edge of a fold or a shadow (|): never offered.
NEVER_TYPED = "|@®©°€¢™"
# hOCR's kinds of text line (a heading, a caption and a floating line are lines too).
LINE_CLASSES = frozenset({"ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat"})


class OcrFailed(RuntimeError):
    """Tesseract could not read the page; the message says why (for the job's report)."""


@dataclass(frozen=True)
class Word:
    text: str
    x: int
    y: int
    w: int
    h: int
    confidence: float  # 0-100
    line: int  # index of the word's line on the page, in reading order
    block: int  # index of its block (paragraph)

    def as_row(self) -> list:
        """The compact form archive.PageText.words keeps."""
        return [self.text, self.x, self.y, self.w, self.h, round(self.confidence, 1),
                self.line, self.block]


@dataclass(frozen=True)
class PageReading:
    text: str
    words: tuple[Word, ...]
    mean_confidence: float | None
    engine: str


def read_page(image: pyvips.Image, languages: Sequence[str], *,
              timeout: float = 300) -> PageReading:
    """OCR one page in these Tesseract languages (e.g. ["rus", "eng"]; the first leads)."""
    if not languages:
        raise ValueError("read_page needs at least one Tesseract language")
    page = prepared(image)
    with tempfile.TemporaryDirectory(prefix="declassified-ocr-") as folder:
        source = Path(folder) / "page.tif"
        page.image.tiffsave(str(source), compression="none")
        hocr = _tesseract(source, Path(folder) / "page", "+".join(reading_languages(languages)),
                          timeout)
    words = tuple(words_of_hocr(hocr, page))
    confidences = [word.confidence for word in words]
    mean = round(sum(confidences) / len(confidences), 2) if confidences else None
    return PageReading(text=text_of_words(words), words=words, mean_confidence=mean,
                       engine=f"tesseract {tesseract_version()}; {RECIPE}")


def reading_languages(languages: Sequence[str]) -> list[str]:
    """The languages Tesseract is given: a Chinese page is read by its Chinese model alone
    (adding English made it worse and 40 % slower); others as asked."""
    if languages[0] in CJK_MODELS:
        return [name for name in languages if name in CJK_MODELS]
    return list(languages)


def _tesseract(source: Path, output: Path, languages: str, timeout: float) -> bytes:
    # --psm 4: one column of lines of any size. Archive pages are typed in one column; the
    # default (3) splits stamps, labels and indented blocks into regions read out of order.
    command = ["tesseract", str(source), str(output), "-l", languages, "--psm", "4",
               "-c", f"tessedit_char_blacklist={NEVER_TYPED}", "-c", "hocr_char_boxes=1", "hocr"]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False,
                              env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except subprocess.TimeoutExpired as error:
        raise OcrFailed(f"Tesseract took longer than {timeout:.0f} s") from error
    except OSError as error:
        raise OcrFailed(f"Tesseract could not be started ({error.strerror or error}); "
                        "`make run` installs it") from error
    hocr = output.with_suffix(".hocr")
    if done.returncode != 0 or not hocr.exists():
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrFailed(f"Tesseract failed: {message[-1] if message else done.returncode}")
    return hocr.read_bytes()


@dataclass
class _ReadWord:
    glyphs: list[Glyph]
    box: tuple[int, int, int, int]  # x, y, w, h in the prepared image's pixels
    confidence: float
    line: int
    block: int


def words_of_hocr(hocr: bytes, page: Prepared) -> list[Word]:
    """Every word of Tesseract's hOCR, fixed (declassified.ocr.corrections), its box in the
    given image's pixels, in reading order."""
    lines = _lines_of_hocr(hocr)
    fixed_by_glyph_height([[word.glyphs for word in line] for line in lines])
    words: list[Word] = []
    for line in lines:
        texts = ["".join(glyph.text for glyph in word.glyphs).strip() for word in line]
        if any(is_cjk(text[:1]) or is_cjk(text[-1:]) for text in texts if text):
            texts = fixed_cjk_words(texts, is_cjk)
        else:
            texts = [fixed_latin_word(text) for text in texts]
        for word, text in zip(line, texts, strict=True):
            if not text:
                continue
            x, y, w, h = page.original_box(*word.box)
            words.append(Word(text=text, x=x, y=y, w=w, h=h, confidence=word.confidence,
                              line=word.line, block=word.block))
    return words


def _lines_of_hocr(hocr: bytes) -> list[list[_ReadWord]]:
    root = etree.fromstring(hocr, parser=etree.XMLParser(resolve_entities=False))
    lines: list[list[_ReadWord]] = []
    for block_index, paragraph in enumerate(root.iter("{*}p")):
        for line in paragraph.iter("{*}span"):
            if line.get("class") not in LINE_CLASSES:
                continue
            words = [_read_word(span, len(lines), block_index) for span in line.iter("{*}span")
                     if span.get("class") == "ocrx_word"]
            lines.append([word for word in words if word.glyphs])
    return lines


def _read_word(span: etree._Element, line: int, block: int) -> _ReadWord:
    title = _title(span)
    x0, y0, x1, y1 = (int(v) for v in title["bbox"].split()[:4])
    glyphs = []
    for char in span.iter("{*}span"):
        if char.get("class") == "ocrx_cinfo":
            box = [int(v) for v in _title(char).get("x_bboxes", "0 0 0 0").split()[:4]]
            glyphs.append(Glyph(text=char.text or "", height=box[3] - box[1]))
    if not glyphs:  # no glyph boxes (an old Tesseract): the word's text, heights unknown
        glyphs = [Glyph(text="".join(span.itertext()), height=0)]
    return _ReadWord(glyphs=glyphs, box=(x0, y0, x1 - x0, y1 - y0),
                     confidence=float(title.get("x_wconf", 0)), line=line, block=block)


def _title(element: etree._Element) -> dict[str, str]:
    """hOCR's title="bbox 1 2 3 4; x_wconf 93" as {"bbox": "1 2 3 4", "x_wconf": "93"}."""
    fields = {}
    for part in (element.get("title") or "").split(";"):
        name, _, value = part.strip().partition(" ")
        fields[name] = value
    return fields


def text_of_words(words: Sequence[Word]) -> str:
    """Words of a line joined by spaces (none between two Chinese or Japanese characters),
    lines by a newline, blocks by a blank line."""
    parts: list[str] = []
    previous: Word | None = None
    for word in words:
        if previous is not None:
            if word.block != previous.block:
                parts.append("\n\n")
            elif word.line != previous.line:
                parts.append("\n")
            elif not (is_cjk(previous.text[-1]) and is_cjk(word.text[0])):
                parts.append(" ")
        parts.append(word.text)
        previous = word
    return "".join(parts)


def is_cjk(character: str) -> bool:
    """A Han, kana or hangul character, or CJK punctuation: written without spaces."""
    name = unicodedata.name(character, "")
    return name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC",
                            "FULLWIDTH"))


@functools.cache
def tesseract_version() -> str:
    """"5.3.0", or "unknown" when Tesseract cannot be asked."""
    try:
        first = subprocess.run(["tesseract", "--version"], capture_output=True, text=True,
                               timeout=30, check=False).stdout.split("\n", 1)[0]
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return first.removeprefix("tesseract ").strip() or "unknown"
