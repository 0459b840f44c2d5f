"""Reading real scan pages with Tesseract: text within an error bound, boxes on the words.

The pages are the scan corpus's (../shared/corpus/scans, with exact truth), rendered as the
page masters are (`page_images`, PDFs at 300 dpi); the corpus tests skip only without it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import pyvips
from rapidfuzz.distance import Levenshtein

from declassified.ocr import Word, read_page
from declassified.originals.sources import page_images

SCANS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "scans"


def corpus_page(slug: str, number: int = 1) -> tuple[pyvips.Image, dict]:
    """A page master of the corpus and its truth page, the truth's boxes in master pixels."""
    if not (SCANS / "manifest.csv").exists():
        pytest.skip("the scan corpus (../shared/corpus/scans) is not here")
    truth = json.loads((SCANS / f"{slug}.truth.json").read_text(encoding="utf-8"))
    page = truth["pages"][number - 1]
    file = page.get("file") or truth["file"]
    image = next(image for n, image in page_images(SCANS / file, dpi=300)
                 if n == (1 if truth["format"] == "jpg" else number))
    scale = image.width / page["width"]
    words = [(word["text"], [v * scale for v in word["box"]]) for word in page["words"]]
    return image, {"text": "\n".join(line["text"] for line in page["lines"]), "words": words}


def error_rate(reference: str, hypothesis: str, *, chinese: bool = False) -> float:
    space = r"\s+"
    if chinese:
        reference, hypothesis = re.sub(space, "", reference), re.sub(space, "", hypothesis)
    else:
        reference = re.sub(space, " ", reference).strip()
        hypothesis = re.sub(space, " ", hypothesis).strip()
    return Levenshtein.distance(reference, hypothesis) / len(reference)


def iou(word: Word, box: list[float]) -> float:
    x, y, w, h = box
    left, top = max(word.x, x), max(word.y, y)
    right, bottom = min(word.x + word.w, x + w), min(word.y + word.h, y + h)
    overlap = max(0.0, right - left) * max(0.0, bottom - top)
    union = word.w * word.h + w * h - overlap
    return overlap / union if union else 0.0


def boxed_share(read: tuple[Word, ...], true_words: list) -> float:
    """The share of true words with a read word of the same text over them (IoU >= 0.5)."""
    by_text: dict[str, list[Word]] = {}
    for word in read:
        by_text.setdefault(word.text, []).append(word)
    boxed = sum(1 for text, box in true_words
                if any(iou(word, box) >= 0.5 for word in by_text.get(text, [])))
    return boxed / len(true_words)


@pytest.mark.corpus
def test_a_clean_english_page_reads_within_one_percent_and_its_words_are_boxed():
    image, truth = corpus_page("frus1964-68v29p1-d55")
    reading = read_page(image, ["eng"])
    assert error_rate(truth["text"], reading.text) < 0.01
    assert reading.mean_confidence is not None and reading.mean_confidence > 80
    # Word boxes, not line boxes, scaled back from the 1,700-px reading to the 300-dpi master.
    assert boxed_share(reading.words, truth["words"]) > 0.9


@pytest.mark.corpus
def test_a_turned_faded_page_keeps_all_its_lines():
    # Turned by about a degree on 150 dpi paper: read as it is, Tesseract drops every other
    # line (the lines overlap when projected); levelled first, it reads them all.
    image, truth = corpus_page("frus1969-76v19p1-d118", 3)
    reading = read_page(image, ["eng"])
    assert error_rate(truth["text"], reading.text) < 0.05
    assert "will go in suppressing opposition" in reading.text
    # The page was levelled before it was read: its boxes are turned back onto the scan.
    assert boxed_share(reading.words, truth["words"]) > 0.85


@pytest.mark.corpus
def test_a_russian_page_reads_in_russian_with_its_de():
    image, truth = corpus_page("invented-ru-r04")  # clean
    reading = read_page(image, ["rus"])
    assert error_rate(truth["text"], reading.text) < 0.03
    assert re.search(r"[а-я]{4}", reading.text)
    assert "д" in reading.text  # this typewriter's «д» is not read as «л»


@pytest.mark.corpus
def test_a_chinese_page_has_no_spaces_between_its_characters():
    image, truth = corpus_page("invented-zh-z03")  # clean, a TIFF
    reading = read_page(image, ["chi_sim", "eng"])
    assert error_rate(truth["text"], reading.text, chinese=True) < 0.05
    assert not re.search(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]", reading.text)
    assert any(len(word.text) >= 1 and "\u4e00" <= word.text[0] <= "\u9fff"
               for word in reading.words)


def test_a_blank_page_has_no_words_and_no_error():
    blank = pyvips.Image.black(1275, 1650).invert()  # white, one band
    reading = read_page(blank, ["eng"])
    assert reading.words == () and reading.text == "" and reading.mean_confidence is None


def test_a_tiny_colour_image_is_read_without_error():
    tiny = pyvips.Image.black(40, 30, bands=3).invert()
    reading = read_page(tiny, ["eng"])
    assert reading.words == ()
