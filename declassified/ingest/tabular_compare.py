"""How an imported row compares with the archive: the document it would update, and whether
it would change anything (rows equal to the archive are skipped: re-importing a file changes
nothing). Reading only, a bounded number of queries per chunk of rows."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Prefetch

from declassified.archive.models import Document, Text
from declassified.archive.upsert import DocumentInput, matched_documents
from declassified.ingest.tabular_columns import LIST_ATTRIBUTES

LOOKUP_CHUNK = 500  # rows looked up per query; stays under SQLite's bound-parameter limit


def existing_documents(inputs: Sequence[DocumentInput]) -> dict[int, Document]:
    """{input index: the document it would update}, matched as do_upsert_documents matches:
    by record ID, else by source_id. Relations are prefetched, a few queries per chunk."""
    return matched_documents(inputs, documents_with_relations(), LOOKUP_CHUNK)


def documents_with_relations():
    """Documents with everything the tabular format holds, in a bounded number of queries."""
    return Document.objects.select_related("repository").prefetch_related(
        "languages", "authors", "people", "contributors", "places", "subjects", "collections",
        Prefetch("texts", queryset=Text.objects.order_by("position", "id")),
    )


def differs(document: Document, data: DocumentInput) -> bool:
    """Would upserting `data` change `document`? Names compare ignoring case, as they match."""
    if data.title != document.title:
        return True
    if data.source_id and data.source_id != document.source_id:
        return True
    if any(getattr(document, name) != value for name, value in data.fields.items()):
        return True
    if data.repository is not None:
        current = document.repository.name if document.repository else ""
        if data.repository.casefold() != current.casefold():
            return True
    for attribute in LIST_ATTRIBUTES.values():
        wanted = getattr(data, attribute)
        if wanted is not None:
            names = tag_names(document, attribute)
            if {v.casefold() for v in wanted} != {v.casefold() for v in names}:
                return True
    if data.texts is not None:
        wanted_texts = [(t.kind, t.language, t.translator, t.body, t.footnotes)
                        for t in (text.clean() for text in data.texts)]
        current_texts = [
            (t.kind, t.language_id, t.translator, t.body, t.footnotes)
            for t in document.texts.all()
        ]
        return wanted_texts != current_texts
    return False


def tag_names(document: Document, attribute: str) -> list[str]:
    """The names (codes for languages, titles for collections) of a document's prefetched tags."""
    items = getattr(document, attribute).all()
    if attribute == "languages":
        return [language.code for language in items]
    if attribute == "collections":
        return [collection.title for collection in items]
    return [entity.name for entity in items]
