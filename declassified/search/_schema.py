"""The index schema and how one document becomes one index entry.

`IndexRecord` is plain data (built from the database by `_records`, or by the benchmark's
generator); `build_entry` turns it into a Tantivy document. Analysed text goes in as
whitespace-separated terms (see `_analysis`); what a result shows is stored once, as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import tantivy

from declassified.search._analysis import analyze_for_index, join_values

# Bump when the schema or the analysis changes: `check-index` then asks for a reindex.
SCHEMA_VERSION = 2

# Analysed fields searched by plain words, with their BM25 boosts.
TEXT_FIELDS = {"title": 6.0, "summary": 2.0, "names": 2.0, "body": 1.0, "source": 1.0}
# Analysed fields behind the query language's field filters (`person:zhou`).
FIELD_FILTERS = {
    "title": "title",
    "person": "f_person",
    "place": "f_place",
    "subject": "f_subject",
    "collection": "f_collection",
    "type": "f_type",
    "lang": "f_lang",
    "archive": "f_archive",
}
# Filters by record ID: (u64 field, filtered on and counted; string field of "id\x1flabel"
# terms, where the labels of the counted IDs are looked up in the term dictionary).
ID_FACETS = {
    "collection": ("collection", "collection_facet"),
    "subject": ("subject", "subject_facet"),
    "person": ("person", "person_facet"),
    "place": ("place", "place_facet"),
    "archive": ("archive", "archive_facet"),
}
# Filters by a literal value: one raw string field, indexed and counted.
VALUE_FACETS = ("type", "language", "translation_language", "classification")
LABEL_SEPARATOR = "\x1f"
# Day numbers (proleptic ordinals) that sort undated documents last both ways.
UNDATED_LAST_ASC = 10**8
UNDATED_LAST_DESC = -1


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    builder.add_text_field("status", tokenizer_name="raw", fast=True)
    for name in dict.fromkeys([*TEXT_FIELDS, *FIELD_FILTERS.values()]):
        builder.add_text_field(name, tokenizer_name="whitespace")
    for id_field, facet_field in ID_FACETS.values():
        builder.add_unsigned_field(id_field, indexed=True, fast=True)
        builder.add_text_field(facet_field, tokenizer_name="raw", index_option="basic")
    for name in VALUE_FACETS:
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    for name in ("day_earliest", "day_latest"):
        builder.add_integer_field(name, indexed=True, fast=True)
    for name in ("sort_asc", "sort_desc", "updated"):
        builder.add_integer_field(name, fast=True)
    for name in ("decade", "year", "month"):
        builder.add_unsigned_field(name, fast=True)
    builder.add_text_field("title_sort", tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_bytes_field("stored", stored=True)
    return builder.build()


@dataclass
class IndexRecord:
    """Everything the index holds about one document, as plain values."""

    id: int
    status: str
    title: str
    slug: str = ""
    summary: str = ""
    date: str = ""
    display_date: str = ""
    earliest: dt.date | None = None
    latest: dt.date | None = None
    document_type: str = ""
    classification: str = ""
    source_citation: str = ""
    languages: list[str] = field(default_factory=list)  # codes of the original languages
    translation_languages: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # plain text of each translation/transcript
    repository: tuple[int, str, str] | None = None  # id, name, abbreviation
    collections: list[tuple[int, str]] = field(default_factory=list)
    subjects: list[tuple[int, str]] = field(default_factory=list)
    people: list[tuple[int, str, list[str]]] = field(default_factory=list)  # authors + mentioned
    places: list[tuple[int, str, list[str]]] = field(default_factory=list)
    other_names: list[str] = field(default_factory=list)  # donors, contributors
    language_names: dict[str, str] = field(default_factory=dict)
    updated_at: dt.datetime | None = None


def _label(pk: int, label: str) -> str:
    clean = label.replace(LABEL_SEPARATOR, " ")
    return f"{pk}{LABEL_SEPARATOR}{clean}"


def _names(entries) -> list[str]:
    names: list[str] = []
    for entry in entries:
        names.append(entry[1])
        if len(entry) > 2:
            names.extend(v for v in entry[2] if isinstance(v, str))
    return names


def updated_micros(value: dt.datetime | None) -> int:
    return int(value.timestamp() * 1_000_000) if value else 0


def build_entry(record: IndexRecord) -> tantivy.Document:
    """The Tantivy document for a record (pure: no database access)."""
    doc = tantivy.Document()
    doc.add_unsigned("id", record.id)
    doc.add_text("status", record.status)
    _add_analysed(doc, record)
    _add_facets(doc, record)
    _add_dates(doc, record)
    doc.add_integer("updated", updated_micros(record.updated_at))
    doc.add_text("title_sort", sort_key(record.title))
    doc.add_bytes("stored", json.dumps(_stored(record), ensure_ascii=False).encode())
    return doc


def _add_analysed(doc: tantivy.Document, record: IndexRecord) -> None:
    person_names = _names(record.people)
    place_names = _names(record.places)
    subject_names = [name for _, name in record.subjects]
    collection_names = [title for _, title in record.collections]
    archive_names = list(record.repository[1:]) if record.repository else []
    lang_words = [
        word for code in record.languages for word in (code, record.language_names.get(code, ""))
    ]
    doc.add_text("title", analyze_for_index(record.title))
    doc.add_text("summary", analyze_for_index(record.summary))
    doc.add_text("body", join_values(record.texts))
    doc.add_text("source", analyze_for_index(record.source_citation))
    doc.add_text("names", join_values(
        person_names + place_names + subject_names + collection_names + archive_names
        + record.other_names
    ))
    doc.add_text("f_person", join_values(person_names))
    doc.add_text("f_place", join_values(place_names))
    doc.add_text("f_subject", join_values(subject_names))
    doc.add_text("f_collection", join_values(collection_names))
    doc.add_text("f_archive", join_values(archive_names))
    doc.add_text("f_type", analyze_for_index(record.document_type))
    doc.add_text("f_lang", join_values(lang_words))


def _add_facets(doc: tantivy.Document, record: IndexRecord) -> None:
    tagged = {
        "collection": record.collections,
        "subject": record.subjects,
        "person": [(pk, name) for pk, name, *_ in record.people],
        "place": [(pk, name) for pk, name, *_ in record.places],
        "archive": [record.repository[:2]] if record.repository else [],
    }
    for name, (id_field, facet_field) in ID_FACETS.items():
        for pk, label in dict(tagged[name]).items():
            doc.add_unsigned(id_field, pk)
            doc.add_text(facet_field, _label(pk, label))
    values = {
        "type": [record.document_type] if record.document_type else [],
        "classification": [record.classification] if record.classification else [],
        "language": record.languages,
        "translation_language": record.translation_languages,
    }
    for name in VALUE_FACETS:
        for value in dict.fromkeys(values[name]):
            doc.add_text(name, value)


def _add_dates(doc: tantivy.Document, record: IndexRecord) -> None:
    earliest, latest = record.earliest, record.latest
    if earliest is None or latest is None:
        doc.add_integer("sort_asc", UNDATED_LAST_ASC)
        doc.add_integer("sort_desc", UNDATED_LAST_DESC)
        return
    doc.add_integer("day_earliest", earliest.toordinal())
    doc.add_integer("day_latest", latest.toordinal())
    doc.add_integer("sort_asc", earliest.toordinal())
    doc.add_integer("sort_desc", earliest.toordinal())
    # A histogram bucket counts a document only when its whole date span lies inside it, so
    # a bucket's count is what clicking it shows (see the date rule in docs/search.md).
    if earliest.year // 10 == latest.year // 10:
        doc.add_unsigned("decade", earliest.year // 10 * 10)
    if earliest.year == latest.year:
        doc.add_unsigned("year", earliest.year)
        if earliest.month == latest.month:
            doc.add_unsigned("month", earliest.year * 100 + earliest.month)


def _stored(record: IndexRecord) -> dict:
    return {
        "slug": record.slug,
        "title": record.title,
        "summary": record.summary,
        "date": record.date,
        "display_date": record.display_date,
        "text": "\n\n".join(record.texts),
    }


def sort_key(title: str) -> str:
    """Titles sort case- and accent-insensitively, ignoring leading punctuation and quotes."""
    from declassified.search._analysis import fold

    return fold(title).lstrip(" '\"‘“«([").strip()[:200]
