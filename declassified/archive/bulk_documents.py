"""Bulk actions for documents: many documents with their transcripts, and their links.

The second half of `archive.bulk_actions` (its docstring states the rules both follow: one
transaction, the caller's; a revision row for every object created or changed; the caller
enqueues what they return for reindexing), kept apart for size.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from declassified.archive.actions import apply_document_date
from declassified.archive.bulk_actions import (
    BATCH,
    Change,
    assign,
    changed_row,
    created_rows,
)
from declassified.archive.bulk_insert import insert_created, insert_revisions
from declassified.archive.fields import related_model
from declassified.archive.models import (
    CollectionMembership,
    Document,
    Language,
    Revision,
    Text,
    make_slug,
)
from declassified.archive.revisions import Actor, created, membership_revision, revision_for

# --- Documents and their transcripts --------------------------------------------------------


@dataclass
class SourceDocumentInput:
    """A document of a source edition, recognised by `source_id`, with its transcript."""

    source_id: str
    fields: dict[str, Any]  # the importer's own fields (title, date as EDTF…), set every time
    summary: str = ""
    summary_generated: bool = False  # made from the text rather than given by the source
    transcript: str = ""  # sanitised HTML
    transcript_footnotes: str = ""  # sanitised HTML


@dataclass
class DocumentsWritten:
    """What bulk_upsert_documents did: every document by source_id, the IDs of those it
    created and of those it changed, and how many it left as they were."""

    by_source_id: dict[str, Document]
    created: list[int]
    updated: list[int]
    unchanged: int

    @property
    def touched(self) -> list[int]:
        return self.created + self.updated


@transaction.atomic(savepoint=False)
def bulk_upsert_documents(
    documents: Sequence[SourceDocumentInput], *, defaults: Mapping[str, Any],
    language: Language, actor: Actor, action: str = "import",
) -> DocumentsWritten:
    """Create or update documents by source_id, with one transcript each in `language`.

    On every call each document's `fields` are set and its transcript (its first one in
    `language`) rewritten; its summary too, unless an editor wrote it (a summary that is not
    `summary_generated`). Everything else is the editors'. A new document also gets
    `defaults` (e.g. status, rights). Each document created gets a revision row with its
    small values (not its transcript, source note or summary), each one changed a row with
    the old and new value of every field changed, and each transcript added or changed a row
    of its own, written before its document's (so restoring a document to its import keeps that transcript).
    The caller enqueues `touched` for reindexing. About a dozen queries, whatever the number
    of documents (in batches of BATCH).
    """
    return _DocumentBatch(documents, defaults, language, actor, action).write()


class _DocumentBatch:
    """Compares the inputs with the stored documents, then writes the differences in bulk."""

    def __init__(self, inputs: Sequence[SourceDocumentInput], defaults: Mapping[str, Any],
                 language: Language, actor: Actor, action: str) -> None:
        self.inputs = inputs
        self.defaults = defaults
        self.language = language
        self.actor, self.action = actor, action
        self.now = timezone.now()
        self.by_source_id: dict[str, Document] = {}
        self.new: list[tuple[Document, SourceDocumentInput]] = []
        self.changed: list[Document] = []
        self.field_changes: list[tuple[Document, dict[str, Change]]] = []
        self.text_revisions: list[Revision] = []  # edits of transcripts, before their documents'
        self.new_texts: list[Text] = []
        self.changed_texts: list[Text] = []

    def write(self) -> DocumentsWritten:
        existing = {d.source_id: d for d in Document.objects.filter(
            source_id__in=[entry.source_id for entry in self.inputs])}
        transcripts = self._transcripts(existing.values())
        for entry in self.inputs:
            document = existing.get(entry.source_id)
            if document is None:
                self.new.append((self._new_document(entry), entry))
                continue
            changes = self._update(document, entry)
            transcript_changed = self._update_transcript(document, transcripts.get(document.pk),
                                                         entry)
            if changes or transcript_changed:
                self.changed.append(document)
                document.updated_at = self.now
            if changes:
                self.field_changes.append((document, changes))
            self.by_source_id[entry.source_id] = document
        created_documents = self._save()
        unchanged = len(self.inputs) - len(created_documents) - len(self.changed)
        return DocumentsWritten(self.by_source_id, [d.pk for d in created_documents],
                                [d.pk for d in self.changed], unchanged)

    def _save(self) -> list[Document]:
        added_to_existing = len(self.new_texts)  # transcripts of existing documents come first
        created_documents = list(insert_created([d for d, _ in self.new]))
        for document, (_, entry) in zip(created_documents, self.new, strict=True):
            self.by_source_id[entry.source_id] = document
            self.new_texts.append(self._transcript(document, entry))
        if self.changed:
            Document.objects.bulk_update(self.changed, self._updated_fields(), batch_size=BATCH)
        insert_created(self.new_texts)
        if self.changed_texts:
            Text.objects.bulk_update(self.changed_texts, ["body", "footnotes"], batch_size=BATCH)
        revisions = created_rows(self.new_texts[:added_to_existing], self.actor)
        revisions += self.text_revisions + self._document_revisions(created_documents)
        insert_revisions(revisions)
        return created_documents

    def _document_revisions(self, created_documents: list[Document]) -> list[Revision]:
        """The "import" rows: created values, or old and new of each changed field; a
        reference (archive, place) as {"id", "name"} like every revision (one query a kind)."""
        names = _ReferenceNames()
        for document in created_documents:
            names.want(*((f.name, getattr(document, f.attname)) for f in _FOREIGN_KEYS))
        for _, changes in self.field_changes:
            names.want(*((name, value) for name, pair in changes.items() for value in pair))
        names.read()
        rows = []
        for document, (_, entry) in zip(created_documents, self.new, strict=True):
            recorded = ["source_id", *(name for name in entry.fields if name not in _LONG_FIELDS),
                        "status"]
            rows.append(revision_for(document, self.action, created({
                _FIELD_NAMES.get(name, name): names.named(name, getattr(document, name))
                for name in recorded}), self.actor))
        for document, changes in self.field_changes:
            rows.append(revision_for(document, self.action, {
                name: {"old": names.named(name, old), "new": names.named(name, new)}
                for name, (old, new) in changes.items()}, self.actor))
        return rows

    def _updated_fields(self) -> list[str]:
        owned = dict.fromkeys(name for entry in self.inputs for name in entry.fields)
        derived = ["date_earliest", "date_latest", "display_date", "slug", "summary",
                   "summary_generated", "updated_at"]
        return [*owned, *derived]

    def _new_document(self, entry: SourceDocumentInput) -> Document:
        document = Document(
            source_id=entry.source_id, slug=make_slug(entry.fields["title"]),
            summary=entry.summary, summary_generated=entry.summary_generated,
            **self.defaults, **entry.fields,
        )
        if document.status == Document.PUBLISHED and document.published_at is None:
            document.published_at = self.now
        apply_document_date(document)
        return document

    def _update(self, document: Document, entry: SourceDocumentInput) -> dict[str, Change]:
        """Set the importer's fields; the summary only while it is not an editor's."""
        changes = assign(document, entry.fields)
        if "title" in changes:
            changes["slug"] = (document.slug, make_slug(document.title))
            document.slug = changes["slug"][1]
        if "date" in changes:
            apply_document_date(document)
        editors_summary = document.summary and not document.summary_generated
        summary = (entry.summary, entry.summary_generated)
        if not editors_summary and entry.summary and (
            document.summary, document.summary_generated
        ) != summary:
            changes |= assign(document, {"summary": entry.summary,
                                         "summary_generated": entry.summary_generated})
        return changes

    def _update_transcript(self, document: Document, text: Text | None,
                           entry: SourceDocumentInput) -> bool:
        """Add or rewrite the importer's transcript; returns whether it changed."""
        if text is None:
            self.new_texts.append(self._transcript(document, entry))
            return True
        changes = assign(text, {"body": entry.transcript, "footnotes": entry.transcript_footnotes})
        if not changes:
            return False
        self.changed_texts.append(text)
        self.text_revisions.append(changed_row(text, changes, self.actor))
        return True

    def _transcripts(self, documents: Iterable[Document]) -> dict[int, Text]:
        """The transcript an import rewrites, per document: its first one in the language."""
        found: dict[int, Text] = {}
        rows = Text.objects.filter(
            document__in=[d.pk for d in documents], kind=Text.TRANSCRIPT, language=self.language
        ).order_by("position", "id")
        for text in rows:
            found.setdefault(text.document_id, text)
        return found

    def _transcript(self, document: Document, entry: SourceDocumentInput) -> Text:
        return Text(document=document, kind=Text.TRANSCRIPT, language=self.language,
                    body=entry.transcript, footnotes=entry.transcript_footnotes, position=0)


# Left out of an imported document's "import" (create) revision, like a text's body: long,
# and the document holds them (a later change records their old value). Writing them made
# the revision rows of a FRUS import several times larger.
_LONG_FIELDS = frozenset({"source_citation", "summary"})
_FOREIGN_KEYS = [f for f in Document._meta.concrete_fields if f.many_to_one]  # archive, place
_FIELD_NAMES = {f.attname: f.name for f in _FOREIGN_KEYS}  # "repository_id" → "repository"


class _ReferenceNames:
    """Names of the rows documents' foreign keys point to, read once a batch (one query a
    model), so revisions record references as {"id", "name"} like the single actions."""

    def __init__(self) -> None:
        self.ids: dict[str, set[int]] = {f.name: set() for f in _FOREIGN_KEYS}
        self.names: dict[str, dict[int, str]] = {}

    def want(self, *pairs: tuple[str, Any]) -> None:
        for name, value in pairs:
            name = _FIELD_NAMES.get(name, name)
            if value is not None and name in self.ids:
                self.ids[name].add(value)

    def read(self) -> None:
        for name, ids in self.ids.items():
            model = related_model(Document, name)
            self.names[name] = dict(model._default_manager.filter(pk__in=ids)
                                    .values_list("pk", "name")) if ids else {}

    def named(self, name: str, value: Any) -> Any:
        names = self.names.get(_FIELD_NAMES.get(name, name))
        return value if names is None or value is None else {"id": value,
                                                             "name": names.get(value, "")}


# --- Links between documents and the rest ------------------------------------------------------


@dataclass
class DocumentLinks:
    """Links to add as (document ID, other ID) pairs: its languages (by code), the people it
    mentions or is addressed to, its authors, places and collections."""

    languages: set[tuple[int, str]] = field(default_factory=set)
    people: set[tuple[int, int]] = field(default_factory=set)
    authors: set[tuple[int, int]] = field(default_factory=set)
    places: set[tuple[int, int]] = field(default_factory=set)
    collections: set[tuple[int, int]] = field(default_factory=set)


LINK_KINDS = ("languages", "people", "authors", "places", "collections")


@transaction.atomic(savepoint=False)
def bulk_add_document_links(links: DocumentLinks, *, actor: Actor,
                            created: Iterable[int] = ()) -> set[int]:
    """Add the links that are missing; never removes one. Returns the IDs of the documents
    that gained a link, other than those just `created` (whose creation is their record).

    Each such document gets a revision row with its tag lists before and after, and a
    membership row per collection it joined. One query a kind of link to read the links of
    the documents not just created, one to add the missing ones, and, only when any were
    missing, one a kind for the names the revisions show.
    """
    just_created = set(created)
    gained: dict[int, dict[str, set[Any]]] = {}
    before: dict[str, dict[int, list[dict[str, Any]]]] = {}
    for name in LINK_KINDS:
        rows: set[tuple[int, Any]] = getattr(links, name)
        present = _stored_links(name, {pk for pk, _ in rows} - just_created)
        missing = rows - present.keys()
        insert_links(name, missing)
        for pk, other in missing:
            if pk not in just_created:
                gained.setdefault(pk, {}).setdefault(name, set()).add(other)
        before[name] = {}
        for (pk, other), label in present.items():
            before[name].setdefault(pk, []).append({"id": other, "name": label})
    if gained:
        insert_revisions(_link_revisions(gained, before, actor))
    return set(gained)


def _link_table(name: str) -> tuple[Any, str]:
    """(the many-to-many table's model, the column naming the other side) of a kind of link."""
    if name == "collections":
        return CollectionMembership, "collection"
    relation = getattr(Document, name)
    return relation.through, relation.field.m2m_reverse_field_name()


def _stored_links(name: str, document_ids: set[int]) -> dict[tuple[int, Any], str]:
    """{(document ID, other ID): the other's name} of these documents' links of a kind."""
    table, other = _link_table(name)
    label = "title" if name == "collections" else "name"
    found: dict[tuple[int, Any], str] = {}
    ids = sorted(document_ids)
    for start in range(0, len(ids), BATCH):
        rows = table.objects.filter(document_id__in=ids[start:start + BATCH]).values_list(
            "document_id", f"{other}_id", f"{other}__{label}")
        found.update(((pk, other_id), text) for pk, other_id, text in rows)
    return found


def _link_revisions(gained: dict[int, dict[str, set[Any]]],
                    before: dict[str, dict[int, list[dict[str, Any]]]],
                    actor: Actor) -> list[Revision]:
    labels: dict[str, dict[Any, str]] = {}
    for name in LINK_KINDS:
        wanted = {other for kinds in gained.values() for other in kinds.get(name, ())}
        if wanted:
            table, other = _link_table(name)
            model = table._meta.get_field(other).related_model
            label = "title" if name == "collections" else "name"
            labels[name] = dict(model._default_manager.filter(pk__in=wanted)
                                .values_list("pk", label))
    titles = dict(Document.objects.filter(pk__in=gained).values_list("pk", "title"))
    rows: list[Revision] = []
    for pk, kinds in sorted(gained.items()):
        for collection_id in sorted(kinds.pop("collections", ())):
            rows.append(membership_revision(
                pk, {"id": collection_id, "name": labels["collections"][collection_id]},
                "create", actor))
        changes = {}
        for name, added in kinds.items():
            old = before[name].get(pk, [])
            new = old + [{"id": other, "name": labels[name][other]} for other in added]
            changes[name] = {"old": _by_id(old), "new": _by_id(new)}
        if changes:
            rows.append(Revision(kind=Revision.DOCUMENT, object_id=str(pk),
                                 object_label=titles.get(pk, "")[:1000], document_id=pk,
                                 action="import", changes=changes, **actor.row_fields()))
    return rows


def _by_id(references: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A tag list in the order archive.revisions.references records one (by ID as text)."""
    return sorted(references, key=lambda r: str(r["id"]))


def insert_links(name: str, rows: set[tuple[int, Any]]) -> None:
    """INSERT … ON CONFLICT DO NOTHING into a many-to-many table (SQLite and PostgreSQL):
    building a model instance per link was most of the write time of a FRUS volume."""
    if not rows:
        return
    table, other = _link_table(name)
    meta = table._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(f).column) for f in ("document", other))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES (%s, %s) ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.executemany(sql, sorted(rows))
