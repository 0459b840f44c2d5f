"""Export documents in the tabular format the importer reads, so export → edit → import
round-trips (see docs/import-format.md).

Documents stream out in record-ID order, a chunk at a time with their tags prefetched: the
number of queries grows with the number of chunks, never with the number of documents.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from declassified.archive.access import public_documents
from declassified.archive.models import Collection, Document
from declassified.ingest.tabular_columns import (
    COLUMNS_BY_NAME,
    EXPORT_COLUMNS,
    EXPORT_COLUMNS_WITH_STATUS,
    LIST_ATTRIBUTES,
    MULTI_SEPARATOR,
    spreadsheet_safe,
)
from declassified.ingest.tabular_compare import documents_with_relations, tag_names

EXPORT_CHUNK = 500
FORMATS = ("csv", "jsonl")


class TextWriter(Protocol):
    """Where an export goes: an open text file, or the export command's standard output."""

    def write(self, text: str, /) -> object: ...


@dataclass
class ExportResult:
    documents: int = 0
    texts_left_out: int = 0  # documents with several texts: the format carries one
    separator_clashes: int = 0  # CSV names containing the separator: they split on re-import

    def warnings(self) -> list[str]:
        notes = []
        if self.texts_left_out:
            notes.append(
                f"{self.texts_left_out} documents have several texts; their texts were not "
                "exported (an import leaves them as they are)."
            )
        if self.separator_clashes:
            notes.append(
                f"{self.separator_clashes} names contain '{MULTI_SEPARATOR}' and will split in "
                "two if this CSV is imported; use --format jsonl to keep them whole."
            )
        return notes


def documents_to_export(*, include_unpublished: bool = False, collection: Collection | None = None):
    """The public documents (or all), optionally of one collection, in record-ID order."""
    documents = Document.objects.all() if include_unpublished else public_documents()
    if collection is not None:
        documents = documents.filter(collections=collection)
    ids = documents.values("pk")
    return documents_with_relations().filter(pk__in=ids).order_by("pk")


def document_row(document: Document, columns: tuple[str, ...], result: ExportResult) -> dict:
    """One document as {column: value}; lists for multi-value columns."""
    row: dict[str, object] = {}
    for name in columns:
        column = COLUMNS_BY_NAME[name]
        if column.multi:
            row[name] = sorted(tag_names(document, LIST_ATTRIBUTES[name]), key=str.casefold)
        elif column.document_field:
            row[name] = getattr(document, column.document_field) or ""
    row["id"] = document.pk
    row["archive"] = document.repository.name if document.repository else ""
    row.update(text_cells(document, result))
    return {name: row[name] for name in columns}


def text_cells(document: Document, result: ExportResult) -> dict[str, str]:
    texts = list(document.texts.all())
    if len(texts) != 1:
        result.texts_left_out += len(texts) > 1
        return dict.fromkeys(("text", "text_language", "text_kind", "translator",
                              "text_footnotes"), "")
    text = texts[0]
    return {
        "text": text.body, "text_language": text.language_id, "text_kind": text.kind,
        "translator": text.translator, "text_footnotes": text.footnotes,
    }


def export_documents(
    out: TextWriter, *, fmt: str = "csv", include_unpublished: bool = False,
    collection: Collection | None = None,
) -> ExportResult:
    """Write documents to `out` as CSV (header row; '|' between values) or JSON Lines."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    columns = EXPORT_COLUMNS_WITH_STATUS if include_unpublished else EXPORT_COLUMNS
    result = ExportResult()
    documents = documents_to_export(include_unpublished=include_unpublished, collection=collection)
    rows = (
        document_row(document, columns, result)
        for document in documents.iterator(chunk_size=EXPORT_CHUNK)
    )
    write = write_csv if fmt == "csv" else write_jsonl
    for _ in write(out, columns, rows, result):
        result.documents += 1
    return result


def write_csv(out: TextWriter, columns, rows, result: ExportResult) -> Iterator[None]:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        cells = []
        for name in columns:
            value = row[name]
            if isinstance(value, list):
                result.separator_clashes += sum(MULTI_SEPARATOR in item for item in value)
                value = MULTI_SEPARATOR.join(value)
            cells.append(spreadsheet_safe(value) if isinstance(value, str) else value)
        writer.writerow(cells)
        yield


def write_jsonl(out: TextWriter, columns, rows, result: ExportResult) -> Iterator[None]:
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        yield
