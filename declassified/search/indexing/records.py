"""Reading documents from the database as index records, in bounded batches.

The indexer reads thousands of documents a second, so this reads plain values (no model
instances): one query for the documents and one per relation, for a whole batch.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

from declassified.archive.editions import edition_short_title, participant_lines
from declassified.archive.languages import language_name
from declassified.archive.models import Document, Page, Text
from declassified.search.types import IndexRecord

BATCH_SIZE = 1000
# Block-level tags end a word; inline tags (em, a, sup…) do not.
_BLOCK_TAG_RE = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|section|hr|dd|dt|pre)\b[^>]*>",
    re.IGNORECASE,
)
_TAG_RE = re.compile(r"<[^>]*>")
_BLANK_LINES_RE = re.compile(r"\n\s*\n")
_DOCUMENT_FIELDS = (
    "id", "status", "slug", "title", "summary", "date", "display_date", "date_earliest",
    "date_latest", "document_type", "classification", "source_citation", "updated_at",
    "repository_id", "repository__name", "repository__abbreviation",
    "number", "participants", "place_of_origin__name",
)
# The collections a document is in, with what names an edition in a hit's label.
_COLLECTION_FIELDS = ("collection_id", "collection__title", "collection__is_edition",
                      "collection__series_title", "collection__volume_number",
                      "collection__volume_title")
# (relation, the related model's fields read) for the tag relations.
_TAGS = {
    "authors": ("person_id", "person__name", "person__variants"),
    "people": ("person_id", "person__name", "person__variants"),
    "contributors": ("person_id", "person__name"),
    "places": ("place_id", "place__name", "place__variants"),
    "subjects": ("subject_id", "subject__name"),
    "languages": ("language_id", "language__name"),
}


def html_to_text(markup: str) -> str:
    """Plain text of sanitised rich-text HTML, paragraphs kept as line breaks."""
    if not markup:
        return ""
    text = html.unescape(_TAG_RE.sub("", _BLOCK_TAG_RE.sub("\n", markup)))
    return _BLANK_LINES_RE.sub("\n", text).strip()


def records_for_ids(ids: Iterable[int]) -> dict[int, IndexRecord]:
    """{id: record} for the documents among `ids` that exist; missing ids are deleted ones.
    Ten queries per BATCH_SIZE ids (documents, texts, pages, seven relations)."""
    ids = sorted(set(ids))
    records: dict[int, IndexRecord] = {}
    for start in range(0, len(ids), BATCH_SIZE):
        records.update(_read(ids[start : start + BATCH_SIZE]))
    return records


def iter_all_records(batch_size: int = BATCH_SIZE) -> Iterator[IndexRecord]:
    """Every document, in id order, batch by batch (memory stays bounded at 1M documents)."""
    last_id = 0
    while True:
        ids = list(Document.objects.filter(pk__gt=last_id).order_by("pk")
                   .values_list("pk", flat=True)[:batch_size])
        if not ids:
            return
        batch = _read(ids)
        yield from (batch[pk] for pk in ids if pk in batch)
        last_id = ids[-1]


def _read(ids: list[int]) -> dict[int, IndexRecord]:
    """Records of these ids (sorted): one query for the documents, one per relation."""
    if not ids:
        return {}
    # Ids written together are mostly consecutive: a range is a cheaper condition than a
    # list of a thousand (the few other rows it reads are dropped below).
    bounds: dict[str, int | list[int]]
    if ids[-1] - ids[0] < 2 * len(ids):
        bounds, wanted = {"gte": ids[0], "lte": ids[-1]}, set(ids)
    else:
        bounds, wanted = {"in": ids}, None
    where = {f"document_id__{lookup}": value for lookup, value in bounds.items()}
    documents = Document.objects.filter(**{f"pk__{k}": v for k, v in bounds.items()})
    rows = [row for row in documents.values_list(*_DOCUMENT_FIELDS)
            if wanted is None or row[0] in wanted]
    tags = {name: _tag_rows(name, fields, where) for name, fields in _TAGS.items()}
    collections = _tag_rows("collections", _COLLECTION_FIELDS, where)
    texts: dict[int, list[list]] = defaultdict(list)
    text_rows = (Text.objects.filter(**where).order_by("document_id", "position", "id")
                 .values_list("document_id", "kind", "language_id", "language__name", "body",
                              "footnotes"))
    for document_id, *text in text_rows:
        texts[document_id].append(text)
    page_texts = _page_texts(where)
    return {row[0]: _record(row, tags, collections, texts, page_texts.get(row[0], []))
            for row in rows}


def _page_texts(where: dict) -> dict[int, list[tuple[int, str]]]:
    """{document id: [(page number, OCR text)]} for the pages with text: every page is read
    (one query), so a page's number is its place in reading order, as the viewer counts."""
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    numbers: dict[int, int] = defaultdict(int)
    rows = (Page.objects.filter(**where).order_by("document_id", "position", "id")
            .values_list("document_id", "reading__machine_text", "reading__corrected_text",
                         "reading__corrected_at"))
    for document_id, machine_text, corrected_text, corrected_at in rows:
        numbers[document_id] += 1
        # PageText.text: an editor's correction, once there is one, is what the page says.
        text = (corrected_text if corrected_at is not None else machine_text) or ""
        if text.strip():
            found[document_id].append((numbers[document_id], text.strip()))
    return found


def _edition_label(collections: list[tuple], number: str) -> str:
    """The label of the document's first edition in title order (as archive.editions
    document_edition chooses), with its number: 'FRUS 1964–68, vol. XXX, no. 100'."""
    editions = sorted((title, cid, series, number, volume_title)
                      for cid, title, is_edition, series, number, volume_title in collections
                      if is_edition)
    if not editions:
        return ""
    title, _cid, series, number_in_series, volume_title = editions[0]
    label = edition_short_title(series, number_in_series, volume_title, title)
    return f"{label}, no. {number}" if number else label


def _tag_rows(relation: str, fields: tuple[str, ...], where: dict) -> dict[int, list[tuple]]:
    """{document id: [(tag id, name, …)]} through the relation's join table, in tag id order."""
    through = getattr(Document, relation).through
    found: dict[int, list[tuple]] = defaultdict(list)
    rows = (through.objects.filter(**where).order_by("document_id", fields[0])
            .values_list("document_id", *fields))
    for document_id, *values in rows:
        found[document_id].append(tuple(values))
    return found


def _record(row: tuple, tags: dict, collections: dict, texts: dict,
            page_texts: list[tuple[int, str]]) -> IndexRecord:
    (pk, status, slug, title, summary, date, display_date, earliest, latest, document_type,
     classification, source_citation, updated_at, repository_id, repository_name,
     repository_abbreviation, number, participants, place_of_origin) = row
    document_texts = texts.get(pk, [])
    languages = [code for code, _ in tags["languages"].get(pk, [])]
    if not languages:
        languages = list(dict.fromkeys(code for kind, code, *_ in document_texts
                                       if kind == Text.TRANSCRIPT))
    names = {code: name for _, code, name, *_ in document_texts}
    names.update(dict(tags["languages"].get(pk, [])))
    # Contributors count as the document's people too (the person filter and the person's
    # page list them): after the authors and the mentioned, whose name variants they keep.
    people = {p[0]: p for p in [*tags["authors"].get(pk, []), *tags["people"].get(pk, [])]}
    for person_id, person_name in tags["contributors"].get(pk, []):
        people.setdefault(person_id, (person_id, person_name, []))
    return IndexRecord(
        id=pk, status=status, slug=slug, title=title, summary=summary, date=date,
        display_date=display_date or ("Undated" if not date else date),
        earliest=earliest, latest=latest, document_type=document_type,
        classification=classification, source_citation=source_citation,
        languages=languages,
        translation_languages=list(dict.fromkeys(
            code for kind, code, *_ in document_texts if kind == Text.TRANSLATION)),
        texts=[html_to_text(body) + "\n" + html_to_text(footnotes)
               for *_, body, footnotes in document_texts],
        page_texts=page_texts,
        repository=((repository_id, repository_name, repository_abbreviation)
                    if repository_id else None),
        collections=[(cid, title) for cid, title, *_ in collections.get(pk, [])],
        number=number, participants=participant_lines(participants),
        place_of_origin=place_of_origin or "",
        edition=_edition_label(collections.get(pk, []), number),
        subjects=tags["subjects"].get(pk, []),
        people=[(p[0], p[1], list(p[2] or [])) for p in people.values()],
        places=[(p[0], p[1], list(p[2] or [])) for p in tags["places"].get(pk, [])],
        other_names=[name for _, name in tags["contributors"].get(pk, [])],
        language_names={code: names.get(code) or language_name(code) for code in names},
        updated_at=updated_at,
    )
