"""Reading documents from the database as index records, in bounded batches."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator

from django.db.models import Prefetch

from declassified.archive.languages import language_name
from declassified.archive.models import Document, Text
from declassified.search._schema import IndexRecord

# Block-level tags end a word; inline tags (em, a, sup…) do not.
_BLOCK_TAG_RE = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|section|hr|dd|dt|pre)\b[^>]*>",
    re.IGNORECASE,
)
_TAG_RE = re.compile(r"<[^>]*>")
_SPACE_RE = re.compile(r"[ \t\r\f\v]+")
_LINES_RE = re.compile(r"\s*\n\s*")


def html_to_text(markup: str) -> str:
    """Plain text of sanitised rich-text HTML, paragraphs kept as line breaks."""
    if not markup:
        return ""
    text = _BLOCK_TAG_RE.sub("\n", markup)
    text = html.unescape(_TAG_RE.sub("", text))
    return _LINES_RE.sub("\n", _SPACE_RE.sub(" ", text)).strip()


def documents_for_index() -> Iterable[Document]:
    """The queryset the indexer reads: every relation prefetched (about ten queries a batch)."""
    return Document.objects.select_related("repository").prefetch_related(
        "languages", "authors", "people", "contributors", "places", "subjects", "collections",
        Prefetch("texts", queryset=Text.objects.select_related("language").order_by("position")),
    )


def records_for_ids(ids: Iterable[int]) -> dict[int, IndexRecord]:
    """{id: record} for the documents among `ids` that exist; missing ids are deleted ones."""
    found = documents_for_index().filter(pk__in=list(ids))
    return {document.pk: record_from_document(document) for document in found}


def iter_all_records(batch_size: int = 500) -> Iterator[IndexRecord]:
    """Every document, in id order, batch by batch (memory stays bounded at 1M documents)."""
    last_id = 0
    while True:
        batch = list(documents_for_index().filter(pk__gt=last_id).order_by("pk")[:batch_size])
        if not batch:
            return
        for document in batch:
            yield record_from_document(document)
        last_id = batch[-1].pk


def record_from_document(document: Document) -> IndexRecord:
    """Plain index data from a document whose relations were prefetched."""
    texts = list(document.texts.all())
    languages = [language.code for language in document.languages.all()]
    if not languages:
        languages = list(dict.fromkeys(t.language_id for t in texts if t.kind == Text.TRANSCRIPT))
    translation_languages = list(
        dict.fromkeys(t.language_id for t in texts if t.kind == Text.TRANSLATION)
    )
    names = {t.language_id: t.language.name for t in texts}
    names.update({language.code: language.name for language in document.languages.all()})
    people = {p.pk: p for p in [*document.authors.all(), *document.people.all()]}
    repository = document.repository
    return IndexRecord(
        id=document.pk,
        status=document.status,
        slug=document.slug,
        title=document.title,
        summary=document.summary,
        date=document.date,
        display_date=document.display_date or ("Undated" if not document.date else document.date),
        earliest=document.date_earliest,
        latest=document.date_latest,
        document_type=document.document_type,
        classification=document.classification,
        source_citation=document.source_citation,
        languages=languages,
        translation_languages=translation_languages,
        texts=[html_to_text(t.body) + "\n" + html_to_text(t.footnotes) for t in texts],
        repository=(
            (repository.pk, repository.name, repository.abbreviation) if repository else None
        ),
        collections=[(c.pk, c.title) for c in document.collections.all()],
        subjects=[(s.pk, s.name) for s in document.subjects.all()],
        people=[(p.pk, p.name, list(p.variants or [])) for p in people.values()],
        places=[(p.pk, p.name, list(p.variants or [])) for p in document.places.all()],
        other_names=[p.name for p in document.contributors.all()],
        language_names={code: names.get(code) or language_name(code) for code in names},
        updated_at=document.updated_at,
    )
