"""The new documents of one `do_upsert_documents` call, written in bulk.

Creating a document one at a time cost about twenty queries (its row, each tag list, its
texts, its memberships, each revision): an import of 100,000 new documents ran at 113
documents/s. Here a batch of new documents costs a few queries per table, whatever its
size, and leaves exactly the rows the one-at-a-time path leaves (archive/upsert.py): the
document with its derived date and slug, its tag links in the input's order, its sanitised
texts, its collection memberships, and the revisions of each — its texts' and memberships'
before its own "import" revision, so that restoring it to that revision keeps all of it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from declassified.archive.actions import apply_document_date
from declassified.archive.bulk_documents import insert_links
from declassified.archive.bulk_insert import insert_created
from declassified.archive.models import (
    Collection,
    Document,
    Repository,
    Text,
    make_slug,
)
from declassified.archive.revisions import (
    created,
    membership_revision,
    named,
    references,
    revision_for,
    values,
)
from declassified.archive.upsert_input import (
    TAG_RELATIONS,
    DocumentInput,
    UpsertState,
    wanted_tags,
)


def create_documents(upsert: UpsertState, inputs: Sequence[DocumentInput]) -> None:
    """Create a document for each input (none of them exists yet) and record it on
    `upsert`: its revisions, the IDs to reindex and the count of created documents."""
    if not inputs:
        return
    _prefetch_names(upsert, inputs)
    documents = [_new_document(upsert, data) for data in inputs]
    insert_created(documents)
    links: dict[str, list[tuple[int, object]]] = {}
    tags = [_link_tags(upsert, document, data, links)
            for document, data in zip(documents, inputs, strict=True)]
    for name, rows in links.items():
        insert_links(name, set(rows))
    texts = _create_texts(upsert, documents, inputs)
    memberships = _join_collections(upsert, documents, inputs)
    for document, after_tags, text_rows, joined in zip(documents, tags, texts, memberships,
                                                       strict=True):
        children = [revision_for(t, "create", created(values(t)), upsert.actor)
                    for t in text_rows]
        children += [membership_revision(document.pk, named(c), "create", upsert.actor)
                     for c in joined]
        changes = created(values(document) | after_tags)
        upsert.revisions += [*children, revision_for(document, "import", changes, upsert.actor)]
        upsert.touched.append(document.pk)
    upsert.created += len(documents)


def _prefetch_names(upsert: UpsertState, inputs: Sequence[DocumentInput]) -> None:
    """Every name the inputs use, looked up (or created) a model at a time, in the order
    the one-at-a-time path meets them (so new entities' revisions come in that order)."""
    resolver = upsert.resolver
    resolver.prefetch(Repository, [data.repository for data in inputs if data.repository])
    for code in dict.fromkeys(code for data in inputs for code in data.languages or []):
        resolver.language(code)
    for model in dict.fromkeys(model for _, model in TAG_RELATIONS):
        resolver.prefetch(model, [name for data in inputs for relation, tagged in TAG_RELATIONS
                                  if tagged is model for name in getattr(data, relation) or []])
    for code in dict.fromkeys(t.language for data in inputs for t in data.texts or []):
        resolver.language(code)
    resolver.prefetch(Collection, [title for data in inputs for title in data.collections or []])


def _new_document(upsert: UpsertState, data: DocumentInput) -> Document:
    """The unsaved document, its values assigned as upsert.DocumentUpsert.assign and save do."""
    document = Document(pk=data.id, title=data.title)
    if data.source_id:
        document.source_id = data.source_id
    for name, value in data.fields.items():
        setattr(document, name, value)
    if data.repository:
        document.repository = upsert.resolver.get(Repository, data.repository)
    apply_document_date(document)
    if document.status == Document.PUBLISHED and document.published_at is None:
        document.published_at = timezone.now()
    document.slug = make_slug(document.title)
    return document


def _link_tags(upsert: UpsertState, document: Document, data: DocumentInput,
               links: dict[str, list[tuple[int, object]]]) -> dict:
    """Gather the document's tag links in `links`; their references, for its revision."""
    wanted = wanted_tags(upsert.resolver, data)
    for name, rows in wanted.items():
        links.setdefault(name, []).extend((document.pk, row.pk) for row in rows)
    return {name: references(rows) for name, rows in wanted.items()}


def _create_texts(upsert: UpsertState, documents: list[Document],
                  inputs: Sequence[DocumentInput]) -> list[list[Text]]:
    per_document = [
        [Text(document=document, kind=t.kind, language=upsert.resolver.language(t.language),
              translator=t.translator, body=t.body, footnotes=t.footnotes, position=i)
         for i, t in enumerate(text.clean() for text in data.texts or [])]
        for document, data in zip(documents, inputs, strict=True)
    ]
    insert_created([t for texts in per_document for t in texts])
    return per_document


def _join_collections(upsert: UpsertState, documents: list[Document],
                      inputs: Sequence[DocumentInput]) -> list[list]:
    """Add each document to its collections; the collections each joined, by ID."""
    joined = []
    rows: set[tuple[int, object]] = set()
    for document, data in zip(documents, inputs, strict=True):
        wanted = {c.pk: c for c in (upsert.resolver.get(Collection, t)
                                    for t in data.collections or [])}
        joined.append([wanted[pk] for pk in sorted(wanted)])
        rows.update((document.pk, pk) for pk in wanted)
    insert_links("collections", rows)
    return joined
