"""How one document becomes one index entry.

`IndexRecord` is plain data (read from the database by indexing/records.py); `build_entry`
turns it into a Tantivy document (pure: no database). Text goes in as it is written: Tantivy
analyses it in its indexing threads with our analysers (see language/analysis.py). What a
result shows is stored once: the short fields as JSON, the texts (for snippets) as UTF-8
beside them, and the pages' OCR text apart from them (with where each page starts in it, in
the JSON), so a snippet read there can say which page it is on.
"""

from __future__ import annotations

import datetime as dt
import json

import tantivy

from declassified.search.engine.schema import LABEL_SEPARATOR
from declassified.search.language.analysis import (
    ENGLISH,
    MULTILINGUAL,
    analyzer,
    fold,
    has_cyrillic,
    prepare,
)
from declassified.search.language.pairs import NO_PAIRS, PairMaker, splits_like_the_index
from declassified.search.types import IndexRecord
from declassified.search.vocabulary import ID_FACETS, VALUE_FILTERS

# Day numbers (proleptic ordinals) that sort undated documents last both ways.
UNDATED_LAST_ASC = 10**8
UNDATED_LAST_DESC = -1
# Between the pages of the stored OCR text.
OCR_PAGE_SEPARATOR = "\n\n"


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


Analysed = tuple[str, str, str, list[str]]  # pair texts of title, summary, texts; texts' terms


def build_entry(record: IndexRecord, pairs: PairMaker | None = None,
                analysed: Analysed | None = None) -> tantivy.Document:
    """The Tantivy document for a record (pure: no database access). Its texts' words are
    analysed by `pairs` (which also makes their word pairs, see language/pairs.py), unless
    `analysed` brings what a PairMaker made of them elsewhere (indexing/pair_process.py)."""
    if analysed is None:
        analysed = analyse(record, pairs or _NO_PAIRS)
    doc = tantivy.Document()
    doc.add_unsigned("id", record.id)
    doc.add_text("status", record.status)
    _add_analysed(doc, record, analysed[3])
    for name, text in zip(("title_pairs", "summary_pairs", "body_pairs"), analysed[:3],
                          strict=True):
        if text:
            doc.add_text(name, text)
    _add_facets(doc, record)
    _add_dates(doc, record)
    doc.add_integer("updated", updated_micros(record.updated_at))
    doc.add_text("title_sort", sort_key(record.title))
    doc.add_bytes("stored", json.dumps(_stored(record), ensure_ascii=False).encode())
    doc.add_bytes("text", "\n\n".join(record.texts).encode())
    if record.page_texts:
        doc.add_bytes("ocr_text", OCR_PAGE_SEPARATOR.join(t for _, t in record.page_texts).encode())
    return doc


def analyse(record: IndexRecord, pairs: PairMaker) -> Analysed:
    """What `pairs` makes of a record's title, summary and texts (see build_entry)."""
    terms, body_pairs = pairs.analysed(record.texts)
    if not pairs:
        return "", "", body_pairs, terms
    return pairs.pair_text([record.title]), pairs.pair_text([record.summary]), body_pairs, terms


_NO_PAIRS = PairMaker(NO_PAIRS)


def ocr_page_starts(page_texts: list[tuple[int, str]]) -> list[list[int]]:
    """[[page number, offset of its first character in the stored OCR text], ...]."""
    starts, offset = [], 0
    for number, text in page_texts:
        starts.append([number, offset])
        offset += len(text) + len(OCR_PAGE_SEPARATOR)
    return starts


def _add_analysed(doc: tantivy.Document, record: IndexRecord, text_terms: list[str]) -> None:
    person_names = _names(record.people)
    place_names = _names(record.places)
    if record.place_of_origin and record.place_of_origin not in place_names:
        place_names.append(record.place_of_origin)
    subject_names = [name for _, name in record.subjects]
    collection_names = [title for _, title in record.collections]
    archive_names = list(record.repository[1:]) if record.repository else []
    lang_words = [
        word for code in record.languages for word in (code, record.language_names.get(code, ""))
    ]
    _add_values(doc, "title", [record.title])
    _add_values(doc, "summary", [record.summary])
    for text, terms in zip(record.texts, text_terms, strict=True):
        _add_text(doc, text, terms)
    for _, text in record.page_texts:  # one value a page: a phrase stays on its page
        _add_values(doc, "ocr_ml" if has_cyrillic(text) else "ocr", [text])
    _add_values(doc, "source", [record.source_citation])
    _add_values(doc, "names", person_names + place_names + subject_names + collection_names
                + archive_names + record.other_names + record.participants)
    _add_values(doc, "f_person", person_names + record.participants)
    _add_values(doc, "f_number", [record.number])
    _add_values(doc, "f_place", place_names)
    _add_values(doc, "f_subject", subject_names)
    _add_values(doc, "f_collection", collection_names)
    _add_values(doc, "f_archive", archive_names)
    _add_values(doc, "f_type", [record.document_type])
    _add_values(doc, "f_lang", lang_words)


def _add_text(doc: tantivy.Document, text: str, terms: str) -> None:
    """A text as its analysed terms (schema.PRE_ANALYSED_FIELDS); one whose words Python
    splits otherwise than Tantivy (combining marks) is analysed by Tantivy's analyser here."""
    if not text:
        return
    name = "body_ml" if has_cyrillic(text) else "body"
    if splits_like_the_index(text):
        doc.add_text(name, terms)
    else:
        tokens = analyzer(MULTILINGUAL if name == "body_ml" else ENGLISH).pre_tokenize(
            prepare(text))
        doc.add_pre_tokenized_text(name, tokens)


def _add_values(doc: tantivy.Document, name: str, values: list[str]) -> None:
    # One value each: Tantivy puts a position gap between values, so phrases stay inside one.
    for value in values:
        if value:
            doc.add_text(name, prepare(value))


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
    for name in VALUE_FILTERS:
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
    bucket = date_bucket(earliest, latest)
    if bucket is not None:
        doc.add_unsigned("date_bucket", bucket)


def date_bucket(earliest: dt.date, latest: dt.date) -> int | None:
    """The finest histogram bucket holding the document's whole date span, as one number:
    YYYYMM for a month, YYYY00 for a year, YYYY99 for a decade (YYYY its first year); None
    when the span crosses decades. A histogram bucket counts a document only when its whole
    span lies inside it, so a bucket's count is what clicking it shows (see the date rule in
    docs/search.md); one number per document is all three levels' counts in one pass."""
    if earliest.year == latest.year:
        month = earliest.month if earliest.month == latest.month else 0
        return earliest.year * 100 + month
    if earliest.year // 10 == latest.year // 10:
        return earliest.year // 10 * 10 * 100 + 99
    return None


def _stored(record: IndexRecord) -> dict:
    stored: dict[str, object] = {
        "slug": record.slug,
        "title": record.title,
        "summary": record.summary,
        "date": record.date,
        "display_date": record.display_date,
    }
    if record.edition:
        stored["edition"] = record.edition
    if record.status != "published":  # editors' lists mark drafts and withdrawn documents
        stored["status"] = record.status
    if record.page_texts:
        stored["ocr_pages"] = ocr_page_starts(record.page_texts)
    return stored


def sort_key(title: str) -> str:
    """Titles sort case- and accent-insensitively, ignoring leading punctuation and quotes."""
    return fold(title).lstrip(" '\"‘“«([").strip()[:200]
