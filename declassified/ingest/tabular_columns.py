"""The columns of the tabular (CSV / JSON Lines) document format, in one place.

The importer, the exporter and docs/import-format.md all follow this table; a test fails when
a column is missing from the documentation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Separator of several values in one CSV cell (JSON Lines uses lists instead).
MULTI_SEPARATOR = "|"

# A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return before
# one) as a formula: `=HYPERLINK(…)` in a title would be a live link, `@SUM(…)` a formula.
# The export puts a ' before such a cell (OWASP's advice; spreadsheets show the rest as
# text) and the import takes that one quote off again, so export → import round-trips.
# Quotes already there are counted in: "'=x" exports as "''=x" and comes back as "'=x".
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def spreadsheet_safe(cell: str) -> str:
    """The CSV cell a spreadsheet shows as text, never runs (one ' added when needed)."""
    return "'" + cell if _FORMULA_START.match(cell) else cell


def from_spreadsheet_safe(cell: str) -> str:
    """The value `spreadsheet_safe` protected: its one added ' taken off."""
    return cell[1:] if cell.startswith("'") and _FORMULA_START.match(cell, 1) else cell


@dataclass(frozen=True)
class Column:
    name: str
    # "id", "text", "date", "status", "codes" (languages), "names" (entities), "paths" (files)
    kind: str
    help: str
    document_field: str | None = None  # the Document field a plain text column fills
    max_length: int | None = None  # for names: the entity's name length

    @property
    def multi(self) -> bool:
        return self.kind in ("codes", "names", "paths")


COLUMNS: tuple[Column, ...] = (
    Column("id", "id", "Record ID (whole number). Empty: a new document with a fresh ID."),
    Column("title", "text", "Title. Required.", "title"),
    Column("date", "date", "EDTF date, e.g. 1965-03-05, 1965-03, 1965-03~, 1964/1965; "
           "empty means undated.", "date"),
    Column("summary", "text", "Plain-text summary.", "summary"),
    Column("type", "text", "Document type, e.g. Cable, Memorandum of Conversation.",
           "document_type"),
    Column("classification", "text", "Original classification, e.g. Secret.", "classification"),
    Column("language", "codes", "Original language(s) as ISO 639 codes, e.g. zh, ru."),
    Column("collections", "names", "Collection titles; missing collections are created.",
           max_length=300),
    Column("subjects", "names", "Subject names.", max_length=300),
    Column("people", "names", "People and organizations the document is about.",
           max_length=300),
    Column("authors", "names", "Authors (people or organizations).", max_length=300),
    Column("contributors", "names", "Donors and contributors.", max_length=300),
    Column("places", "names", "Place names.", max_length=300),
    Column("source", "text", "Source citation, e.g. an archive call number.", "source_citation"),
    Column("archive", "text", "Name of the original archive (repository); created if new.",
           max_length=300),
    Column("rights", "text", "Rights statement.", "rights"),
    Column("funding", "text", "Funding credit.", "funding"),
    Column("status", "status", "draft, published or withdrawn. Empty: draft for a new "
           "document, unchanged for an existing one.", "status"),
    Column("source_id", "text", "Identifier in the original publication; also matches "
           "documents on re-import when id is empty.", "source_id"),
    Column("source_url", "text", "Web address of the original publication.", "source_url"),
    Column("date_detail", "text", "Time or other detail the EDTF date does not hold.",
           "date_detail"),
    Column("number", "text", "The document's number in the edition that publishes it, as "
           "printed, e.g. 100 or 72A.", "number"),
    Column("participants", "text", "Who took part (e.g. in a memorandum of conversation), one "
           "a line.", "participants"),
    Column("call_number", "text", "Where the original archive keeps it, e.g. Central Files, "
           "POL CHICOM-USSR.", "call_number"),
    Column("text", "text", "The document's text: plain text (paragraphs separated by blank "
           "lines) or HTML when it starts with '<'. Non-empty: replaces the document's texts."),
    Column("text_language", "text", "ISO 639 code of the text. Default: en for a "
           "translation, the first `language` for a transcript."),
    Column("text_kind", "text", "translation (default) or transcript."),
    Column("translator", "text", "Who translated the text.", max_length=300),
    Column("text_footnotes", "text", "Footnotes of the text (HTML or plain text)."),
    Column("attachments", "paths", "Original files (PDF, TIFF, JPEG, PNG) to attach, relative "
           "to the import file; a file already attached (same SHA-256) is not attached again. "
           "Their pages are rendered by a pages job. Needs id or source_id."),
)

COLUMNS_BY_NAME: dict[str, Column] = {column.name: column for column in COLUMNS}

#: The DocumentInput (and Document) attribute of each list column.
LIST_ATTRIBUTES = {
    "language": "languages", "collections": "collections", "subjects": "subjects",
    "people": "people", "authors": "authors", "contributors": "contributors", "places": "places",
}

#: Columns that describe the one text a row may carry; ignored while `text` is empty.
TEXT_COLUMNS = ("text", "text_language", "text_kind", "translator", "text_footnotes")

#: Columns the import reads but the export does not write: attachments names files next to
#: the import file, which an exported file does not bring along (its import would fail).
IMPORT_ONLY_COLUMNS = ("attachments",)

#: What `declassified export` writes; `status` only with --include-unpublished.
EXPORT_COLUMNS_WITH_STATUS: tuple[str, ...] = tuple(
    c.name for c in COLUMNS if c.name not in IMPORT_ONLY_COLUMNS
)
EXPORT_COLUMNS: tuple[str, ...] = tuple(c for c in EXPORT_COLUMNS_WITH_STATUS if c != "status")
