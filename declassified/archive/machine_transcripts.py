"""A document's machine transcript: what OCR read on its pages (or an editor's correction of
it), page by page, as the document page, the side-by-side view and the API show it.

    transcript = machine_transcript(pages)   # one query, however many pages; None: none read

The caller passes the pages of a document it has already found visible to the reader
(declassified.archive.access decides that): this module never looks a document up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from declassified.archive.models import Page, PageText

# The key of the transcript's text tab (?text=ocr) and of its choice beside the pages (?beside=ocr).
OCR_KEY = "ocr"
LABEL = "Machine transcript (OCR)"
# A page's first Tesseract language as an HTML lang (screen readers, fonts for Chinese).
HTML_LANGUAGES = {
    "eng": "en", "rus": "ru", "ukr": "uk", "chi_sim": "zh-Hans", "chi_tra": "zh-Hant",
    "deu": "de", "fra": "fr", "spa": "es", "ita": "it", "pol": "pl", "jpn": "ja", "kor": "ko",
}
# The columns a transcript reads: never the word boxes (tens of kB a page).
COLUMNS = ("page_id", "machine_text", "corrected_text", "corrected_at", "mean_confidence",
           "languages")


@dataclass(frozen=True)
class TranscriptPage:
    """One page of the transcript; `read` False: OCR has not read the page yet."""

    number: int  # 1-based place in the document
    page_id: int
    read: bool
    text: str = ""
    mean_confidence: float | None = None
    corrected: bool = False
    lang: str = ""

    # Strings, not numbers, for the template: Django localizes every number it prints, a
    # noticeable cost over the hundreds of pages of a long scan.
    @property
    def anchor(self) -> str:
        return f"ocr-page-{self.number}"

    @property
    def label(self) -> str:
        return f"p. {self.number}"

    @property
    def confidence_text(self) -> str:
        """ "91 %", or "" when the page has no words."""
        percent = self.confidence_percent
        return "" if percent is None else f"{percent} %"

    @property
    def confidence_percent(self) -> int | None:
        return None if self.mean_confidence is None else round(self.mean_confidence)


@dataclass(frozen=True)
class MachineTranscript:
    """The pages in reading order, each read or not yet."""

    pages: list[TranscriptPage]

    @property
    def mean_confidence(self) -> float | None:
        """The mean of the read pages' confidences (pages without words left out)."""
        values = [p.mean_confidence for p in self.pages if p.read and p.mean_confidence is not None]
        return round(sum(values) / len(values), 1) if values else None

    @property
    def confidence_percent(self) -> int | None:
        mean = self.mean_confidence
        return None if mean is None else round(mean)

    @property
    def pages_read(self) -> int:
        return sum(page.read for page in self.pages)

    @property
    def corrected_pages(self) -> int:
        return sum(page.corrected for page in self.pages)


def html_language(languages: str) -> str:
    first = languages.split("+", 1)[0]
    return HTML_LANGUAGES.get(first, "")


def has_machine_transcript(pages: Sequence[Page]) -> bool:
    """Whether OCR has read any of one document's pages (one query; none without pages)."""
    return bool(pages) and PageText.objects.filter(page__document_id=pages[0].document_id).exists()


def machine_transcript(pages: Sequence[Page]) -> MachineTranscript | None:
    """The transcript of one document's pages (in reading order): one query, none when
    there are no pages. None when OCR has read none of them yet."""
    if not pages:
        return None
    # By the document, not a list of page IDs: a 2,000-page document is one plain query.
    of_document = PageText.objects.filter(page__document_id=pages[0].document_id)
    readings = {reading.page_id: reading for reading in of_document.only(*COLUMNS)}
    if not readings:
        return None
    transcript_pages = []
    for number, page in enumerate(pages, start=1):
        reading = readings.get(page.pk)
        if reading is None:
            transcript_pages.append(TranscriptPage(number, page.pk, read=False))
            continue
        transcript_pages.append(TranscriptPage(
            number, page.pk, read=True, text=reading.text,
            mean_confidence=reading.mean_confidence, corrected=reading.is_corrected,
            lang=html_language(reading.languages),
        ))
    return MachineTranscript(transcript_pages)
