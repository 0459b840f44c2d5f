"""The importers' bulk action: `do_upsert_documents`, create or update documents from plain
data (DocumentInput) in one transaction, with their revisions and search-outbox rows.

The tabular importer (CSV, JSON Lines) and the sample collection write through it; like every
action it takes `acting_user` and `via` (declassified.archive.actions).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import User
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from declassified.archive.actions import apply_document_date, enqueue_reindex
from declassified.archive.bulk_actions import BATCH
from declassified.archive.bulk_insert import insert_revisions
from declassified.archive.models import (
    Collection,
    Document,
    Repository,
    Revision,
    Text,
)
from declassified.archive.revisions import (
    Actor,
    created,
    deleted,
    diff,
    membership_revision,
    named,
    references,
    revision_for,
    tag_values,
    values,
)
from declassified.archive.upsert_input import (
    DocumentInput,
    EntityResolver,
    TextInput,
    wanted_tags,
)
from declassified.archive.upsert_new import create_documents

__all__ = ["DocumentInput", "TextInput", "do_upsert_documents", "matched_documents",
           "reset_id_sequences"]


@transaction.atomic
def do_upsert_documents(inputs: Sequence[DocumentInput], *, acting_user: User | None,
                        via: str = "") -> tuple[int, int]:
    """Create or update documents by record ID (or source ID); all or nothing.

    Returns (created, updated). Callers validate first; a failure here rolls back everything.
    Each document gets an "import" revision with its changed fields and tag lists, after
    those of its replaced texts and changed memberships, so that restoring it to this
    revision keeps all of the import; entities the import created get theirs too.
    """
    upsert = DocumentUpsert(Actor(acting_user, via))
    existing = upsert.find_all(inputs)
    for index, data in enumerate(inputs):
        if index in existing:
            upsert.write(data, existing[index])
    create_documents(upsert, [data for index, data in enumerate(inputs) if index not in existing])
    upsert.finish()
    return upsert.created, upsert.updated


class DocumentUpsert:
    """The writes of one do_upsert_documents call, and the revision rows they leave."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.resolver = EntityResolver()
        self.created = self.updated = 0
        self.touched: list[int] = []
        self.revisions: list[Revision] = []

    def write(self, data: DocumentInput, document: Document | None) -> None:
        """Update `document` with `data`, or create it (None); one at a time."""
        is_new = document is None
        document = document or Document(pk=data.id)
        before = None if is_new else values(document)
        self.assign(document, data, is_new)
        document.save()
        tags_before, tags_after = self.set_tags(document, data, is_new)
        children = self.replace_texts(document, data.texts, is_new)
        children += self.set_collections(document, data.collections, is_new)
        after = values(document) | tags_after
        changes = created(after) if before is None else diff(before | tags_before, after)
        if is_new or changes or children:
            self.revisions += [*children, revision_for(document, "import", changes, self.actor)]
        self.touched.append(document.pk)
        self.created += is_new
        self.updated += not is_new

    def finish(self) -> None:
        entities = [revision_for(row, "create", created(values(row)), self.actor)
                    for row in self.resolver.created]
        insert_revisions(entities + self.revisions)
        enqueue_reindex(self.touched)
        reset_id_sequences()

    @staticmethod
    def find_all(inputs: Sequence[DocumentInput]) -> dict[int, Document]:
        """{input index: the document it updates}; the others are new."""
        return matched_documents(
            inputs, Document.objects.select_related("repository", "place_of_origin"), BATCH)

    def assign(self, document: Document, data: DocumentInput, is_new: bool) -> None:
        document.title = data.title
        if data.source_id:
            document.source_id = data.source_id
        for name, value in data.fields.items():
            setattr(document, name, value)
        if data.repository is not None:
            document.repository = (self.resolver.get(Repository, data.repository)
                                   if data.repository else None)
        apply_document_date(document)
        if document.status == Document.PUBLISHED and document.published_at is None:
            document.published_at = timezone.now()
        if data.title and (is_new or not document.slug):
            document.slug = ""

    def wanted_tags(self, data: DocumentInput) -> dict[str, list]:
        """{relation: its rows} for the tag lists the input has."""
        return wanted_tags(self.resolver, data)

    def set_tags(self, document: Document, data: DocumentInput, is_new: bool):
        """Replace the tag lists the input has; their references before and after."""
        wanted = self.wanted_tags(data)
        before = {name: [] for name in wanted} if is_new else tag_values(document, wanted)
        for name, rows in wanted.items():
            getattr(document, name).set(rows)
        return before, {name: references(rows) for name, rows in wanted.items()}

    def replace_texts(self, document: Document, texts: list[TextInput] | None,
                      is_new: bool) -> list[Revision]:
        if texts is None:
            return []
        old = [] if is_new else list(document.texts.select_related("language"))
        new = [
            Text(
                document=document, kind=t.kind, language=self.resolver.language(t.language),
                translator=t.translator, body=t.body, footnotes=t.footnotes, position=i,
            )
            for i, t in enumerate(text.clean() for text in texts)
        ]
        if [values(t) for t in old] == [values(t) for t in new]:
            return []  # the same texts: nothing to replace, nothing to record
        revisions = [revision_for(t, "delete", deleted(values(t)), self.actor) for t in old]
        if old:
            document.texts.all().delete()
        Text.objects.bulk_create(new)
        return revisions + [revision_for(t, "create", created(values(t)), self.actor) for t in new]

    def set_collections(self, document: Document, titles: list[str] | None,
                        is_new: bool) -> list[Revision]:
        if titles is None:
            return []
        wanted = {c.pk: c for c in (self.resolver.get(Collection, t) for t in titles)}
        current = {} if is_new else {c.pk: c for c in document.collections.all()}
        document.collections.set(list(wanted.values()))
        left = [current[pk] for pk in sorted(current.keys() - wanted.keys())]
        joined = [wanted[pk] for pk in sorted(wanted.keys() - current.keys())]
        return [membership_revision(document.pk, named(c), "delete", self.actor) for c in left] + [
            membership_revision(document.pk, named(c), "create", self.actor) for c in joined]


def matched_documents(inputs: Sequence[DocumentInput], documents: models.QuerySet,
                      chunk_size: int) -> dict[int, Document]:
    """{input index: the document of `documents` it matches}: by record ID, else by source
    ID, as do_upsert_documents matches; one query per `chunk_size` inputs."""
    found: dict[int, Document] = {}
    for start in range(0, len(inputs), chunk_size):
        chunk = list(enumerate(inputs[start:start + chunk_size], start=start))
        ids = [data.id for _, data in chunk if data.id is not None]
        source_ids = [data.source_id for _, data in chunk if data.source_id]
        rows = list(documents.filter(Q(pk__in=ids) | Q(source_id__in=source_ids)))
        by_id = {document.pk: document for document in rows}
        by_source = {document.source_id: document for document in rows if document.source_id}
        for index, data in chunk:
            document = by_id.get(data.id) if data.id is not None else None
            if document is None and data.source_id:
                document = by_source.get(data.source_id)
            if document is not None:
                found[index] = document
    return found


def reset_id_sequences() -> None:
    """After rows were written with explicit IDs, make PostgreSQL's sequence continue past them."""
    if connection.vendor != "postgresql":
        return  # SQLite's AUTOINCREMENT already continues past the largest ID ever used
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Document]):
            cursor.execute(statement)
