"""What a document's "Document information" block and its API record say beyond its own
columns: the edition it is published in with the edition's editors and imprint, its
translators (from its texts) and its participants, one a line. No queries of its own: it
reads the document's prefetched collections and texts (queries.full_documents)."""

from __future__ import annotations

from dataclasses import dataclass

from declassified.archive.editions import document_edition, edition_editor_names
from declassified.archive.models import Collection, Document


@dataclass(frozen=True)
class DocumentInformation:
    edition: Collection | None  # the documentary edition that publishes it
    editors: list[str]  # the edition's editors, in order
    imprint: str  # "Washington, DC: Government Printing Office, 1996"
    translators: list[str]  # of its texts, each once, in the texts' order
    participants: list[str]

    @property
    def editors_in_prose(self) -> str:
        return names_in_prose(self.editors)


def document_information(document: Document) -> DocumentInformation:
    edition = document_edition(document)
    translators: list[str] = []
    for text in document.texts.all():
        if text.translator.strip() and text.translator.strip() not in translators:
            translators.append(text.translator.strip())
    return DocumentInformation(
        edition=edition,
        editors=edition_editor_names(edition) if edition else [],
        imprint=edition_imprint(edition) if edition else "",
        translators=translators,
        participants=[line.strip() for line in document.participants.splitlines()
                      if line.strip()],
    )


def edition_imprint(edition: Collection) -> str:
    """Place: publisher, year, as a citation prints it; the parts there are."""
    publisher = ": ".join(p for p in (edition.publisher_place, edition.publisher) if p)
    return ", ".join(p for p in (publisher, edition.published_year) if p)


def names_in_prose(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) <= 2:
        return " and ".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"
