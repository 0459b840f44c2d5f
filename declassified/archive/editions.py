"""Documentary editions: a collection marked `is_edition` (a FRUS volume, or any published
volume of documents) whose documents are cited as published in it, by their number in it."""

from __future__ import annotations

import re

from declassified.archive.models import Collection, Document


def document_edition(document: Document) -> Collection | None:
    """The edition a document is published in: its first collection marked as an edition,
    in title order, or None for an archival document.

    Reads `document.collections.all()`, so a prefetched list costs no query.
    """
    editions = [c for c in document.collections.all() if c.is_edition]
    editions.sort(key=lambda c: (c.title, c.pk))
    return editions[0] if editions else None


def edition_editor_names(collection: Collection) -> list[str]:
    """The edition's editors as cited, in order (one name a line in `edition_editors`)."""
    return participant_lines(collection.edition_editors)


# The series most editions here belong to, and how historians abbreviate it in lists.
_FRUS = re.compile(r"^(?:Papers Relating to )?(?:the )?Foreign Relations of the United States"
                   r"(?:: Diplomatic Papers)?,?\s*", re.IGNORECASE)
_YEAR_RANGE = re.compile(r"\b(\d\d)(\d\d)\s*[–-]\s*(\d\d)(\d\d)\b")


def edition_short_title(series_title: str, volume_number: str, volume_title: str = "",
                        title: str = "") -> str:
    """'FRUS 1964–68, vol. XXX': the series (FRUS abbreviated, years shortened within a
    century) and the volume number, else the volume's title ('FRUS 1943, China, 1943'); the
    collection's title when it names no series."""
    series = series_title.strip()
    match = _FRUS.match(series)
    if match:
        series = f"FRUS {series[match.end():]}".strip()
    series = _YEAR_RANGE.sub(
        lambda m: f"{m[1]}{m[2]}–{m[4]}" if m[1] == m[3] else m[0], series) or title
    if volume_number:
        return f"{series}, vol. {volume_number}"
    return f"{series}, {volume_title}" if volume_title and series != title else series


def edition_full_title(collection: Collection) -> str:
    """'Foreign Relations of the United States, 1964–1968, Volume XXX, China'."""
    volume = f"Volume {collection.volume_number}" if collection.volume_number else ""
    parts = [collection.series_title, volume, collection.volume_title]
    return ", ".join(p for p in parts if p) or collection.title


def edition_chapter(document: Document, edition: Collection) -> Collection | None:
    """The innermost collection of the edition holding the document (its chapter): among the
    document's collections, one that is no other's parent and is not the edition itself.
    Reads the prefetched `document.collections.all()` only (no query)."""
    collections = list(document.collections.all())
    parents = {c.parent_id for c in collections}
    inner = [c for c in collections
             if c.pk != edition.pk and c.pk not in parents and c.parent_id is not None]
    return inner[0] if inner else None


def number_key(number: str) -> tuple[int, str]:
    """The order of document numbers: '9' < '72' < '72A' < '100' (a number without digits
    last)."""
    digits = re.match(r"\d+", number)
    if not digits:
        return (2**31, number)
    return (int(digits.group()), number[digits.end():])


def participant_lines(participants: str) -> list[str]:
    """A document's `participants` as a list, one person each (the field holds one a line;
    so does an edition's `edition_editors`)."""
    return [line.strip() for line in participants.splitlines() if line.strip()]
