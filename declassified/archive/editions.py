"""Documentary editions: a collection marked `is_edition` (a FRUS volume, or any published
volume of documents) whose documents are cited as published in it, by their number in it."""

from __future__ import annotations

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
    return [line.strip() for line in collection.edition_editors.splitlines() if line.strip()]
