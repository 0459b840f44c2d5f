"""The writes of OCR text: each in one transaction, like every archive write.

Pages are read by OCR outside any transaction (declassified.ocr: about a second a page), then
the reading is handed here as plain values, so the transaction that records it is short.

    do_record_page_reading(page, PageReadingValues(...), via="ocr job 7")
    do_correct_page_text(page_text, "the corrected text", acting_user=editor)
    do_correct_page_text(page_text, None, acting_user=editor)   # back to the machine's text

A machine reading is derived data (like the search index: read again at will), so recording
one writes no revision; an editor's correction is the archive's own work and always does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from declassified.archive.actions import enqueue_reindex
from declassified.archive.models import Page, PageText
from declassified.archive.revisions import Actor, revision_for

# An editor's correction of one page: long enough for any typed page, bounded all the same.
MAX_CORRECTION_CHARS = 100_000


@dataclass(frozen=True)
class PageReadingValues:
    """One OCR reading of a page, in the page's own pixels (see PageText.words)."""

    text: str
    words: Sequence[Sequence[Any]]  # [text, x, y, w, h, confidence, line, block]
    mean_confidence: float | None
    languages: str
    engine: str


class CorrectionError(ValueError):
    """The correction cannot be kept (too long); the message says why."""


def is_read_with(page_text: PageText | None, languages: str, engine: str) -> bool:
    """True when the page was already read by this engine and recipe, in these languages:
    reading it again would give the same words (the page's pixels never change)."""
    return (page_text is not None and page_text.languages == languages
            and page_text.engine == engine)


@transaction.atomic
def do_record_page_reading(page: Page, reading: PageReadingValues, *, via: str) -> PageText:
    """Keep `reading` as the page's machine text; an editor's correction stays as it is.

    Idempotent: the same reading again writes nothing (and queues no reindex)."""
    values = {
        "machine_text": reading.text, "words": [list(word) for word in reading.words],
        "mean_confidence": reading.mean_confidence, "languages": reading.languages,
        "engine": reading.engine,
    }
    current = PageText.objects.select_for_update().filter(page=page).first()
    if current is not None and all(getattr(current, k) == v for k, v in values.items()):
        return current
    if current is None:
        current = PageText(page=page, **values)
    else:
        for name, value in values.items():
            setattr(current, name, value)
    current.read_at = timezone.now()
    current.save()
    enqueue_reindex([page.document_id])
    return current


@transaction.atomic
def do_correct_page_text(page_text: PageText, text: str | None, *, acting_user: User | None,
                         via: str = "") -> PageText:
    """Keep an editor's text for the page (None: use the machine's again), with a revision.

    The words' boxes stay the machine's: they say where words are on the image."""
    if text is not None:
        text = text.replace("\r\n", "\n").strip()
        if len(text) > MAX_CORRECTION_CHARS:
            raise CorrectionError(f"A page's text is at most {MAX_CORRECTION_CHARS:,} characters "
                                  f"(this one has {len(text):,}).")
    old = page_text.corrected_text if page_text.is_corrected else None
    if old == text:
        return page_text
    page_text.corrected_text = text or ""
    page_text.corrected_at = timezone.now() if text is not None else None
    page_text.corrected_by = acting_user if text is not None else None
    page_text.save(update_fields=["corrected_text", "corrected_at", "corrected_by"])
    changes = {"corrected text": {"old": old, "new": text}}
    revision_for(page_text, "edit", changes, Actor(acting_user, via)).save()
    enqueue_reindex([page_text.page.document_id])
    return page_text
