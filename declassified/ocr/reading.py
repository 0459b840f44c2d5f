"""Reading one page image with Tesseract: its plain text, and every word's box and confidence.

    reading = read_page(image, ["rus", "eng"])        # a pyvips.Image: the page master
    reading.text             # lines joined by "\\n", blocks by a blank line
    reading.words            # Word(text, x, y, w, h, confidence, line, block), reading order
    reading.mean_confidence  # 0-100, None when the page has no words
    reading.engine           # "tesseract 5.3.0; <recipe>": a page read by another is read again

Coordinates are pixels of the image given (for a page master: the IIIF canvas). Needs no
database: the benchmark and the jobs both call it. Tesseract runs as its own process, one
thread each (OMP_THREAD_LIMIT=1), so a job reading two pages at once uses two cores, and a
page that crashes or hangs Tesseract fails alone, in bounded time.
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

# Name of the recipe below; change it whenever the recipe changes what is read, so that pages
# read by an older recipe are read again by `declassified ocr` (and only those).
RECIPE = "plain-1"


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
    with tempfile.TemporaryDirectory(prefix="declassified-ocr-") as folder:
        source = Path(folder) / "page.tif"
        grey = image.colourspace("b-w") if image.bands >= 3 else image
        grey.extract_band(0).cast("uchar").tiffsave(str(source), compression="none")
        alto = _tesseract(source, Path(folder) / "page", "+".join(languages), timeout)
    words = tuple(words_of_alto(alto))
    confidences = [word.confidence for word in words]
    mean = round(sum(confidences) / len(confidences), 2) if confidences else None
    return PageReading(text=text_of_words(words), words=words, mean_confidence=mean,
                       engine=f"tesseract {tesseract_version()}; {RECIPE}")


def _tesseract(source: Path, output: Path, languages: str, timeout: float) -> bytes:
    command = ["tesseract", str(source), str(output), "-l", languages, "--psm", "3", "alto"]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False,
                              env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except subprocess.TimeoutExpired as error:
        raise OcrFailed(f"Tesseract took longer than {timeout:.0f} s") from error
    except OSError as error:
        raise OcrFailed(f"Tesseract could not be started ({error.strerror or error}); "
                        "`make run` installs it") from error
    alto = output.with_suffix(".xml")
    if done.returncode != 0 or not alto.exists():
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrFailed(f"Tesseract failed: {message[-1] if message else done.returncode}")
    return alto.read_bytes()


def words_of_alto(alto: bytes) -> list[Word]:
    """Every String of Tesseract's ALTO, with its line and block, in reading order."""
    root = etree.fromstring(alto, parser=etree.XMLParser(resolve_entities=False))
    words: list[Word] = []
    line_index = -1
    for block_index, block in enumerate(root.iter("{*}TextBlock")):
        for line in block.iter("{*}TextLine"):
            line_index += 1
            for string in line.iter("{*}String"):
                text = (string.get("CONTENT") or "").strip()
                if not text:
                    continue
                words.append(Word(
                    text=text, x=int(float(string.get("HPOS", 0))),
                    y=int(float(string.get("VPOS", 0))), w=int(float(string.get("WIDTH", 0))),
                    h=int(float(string.get("HEIGHT", 0))),
                    confidence=100 * float(string.get("WC", 0)), line=line_index,
                    block=block_index))
    return words


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
