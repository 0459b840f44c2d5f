"""Bulk actions: the archive's writes for importers that hand over hundreds of documents.

Part of the write path `declassified.archive.actions` owns (see its docstring), under its
rules: everything inside one transaction — the caller's: each bulk action is atomic without
a savepoint, so an importer that wraps a volume in `transaction.atomic` writes all of it or
nothing, at no extra cost; a revision row for every document created or changed, built by
`revision_row`, the one place bulk actions make them; and `actions.enqueue_reindex` for every
document touched, which the caller calls once at the end. What differs from the single
actions is the cost: a few queries a call, whatever the number of rows.

Inputs are plain, already validated data (dataclasses, dicts of field values) that fit the
fields; HTML must already be sanitised with `archive.richtext.sanitize_html` (an importer
sanitises where it parses, in its parsing process), except collection descriptions, which
are sanitised here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connection, transaction
from django.utils import timezone

from declassified.archive.actions import apply_document_date
from declassified.archive.languages import language_name
from declassified.archive.models import (
    Collection,
    CollectionMembership,
    Document,
    DocumentRevision,
    GlossaryTerm,
    Language,
    Person,
    Place,
    Repository,
    Text,
    make_slug,
)
from declassified.archive.richtext import sanitize_html

BATCH = 500  # rows a query: SQLite limits the parameters of one statement
Change = tuple[Any, Any]  # (old value, new value) of one field
_Named = TypeVar("_Named", Place, Repository)  # entities found by their exact name


def revision_row(
    document: Document, *, actor, action: str, changes: Mapping[str, Change] | None
) -> DocumentRevision:
    """The revision row recording one change to a document, unsaved (saved in batches).

    The one place bulk actions build revision rows. `changes` maps each changed field to its
    (old, new) values, None for a document just created; DocumentRevision keeps the names of
    the fields only. `actor` is a user or a label such as "import job 12".
    """
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = actor if isinstance(actor, str) else (user.get_username() if user else "")
    return DocumentRevision(document=document, actor=user, actor_label=label[:150],
                            action=action, fields=["all"] if changes is None else list(changes))


def assign(instance, values: Mapping[str, Any]) -> dict[str, Change]:
    """Set the values that differ; returns them as {field: (old, new)}, foreign keys named
    without their `_id` ('repository', not 'repository_id')."""
    changes: dict[str, Change] = {}
    for name, value in values.items():
        old = getattr(instance, name)
        if old != value:
            setattr(instance, name, value)
            changes[name.removesuffix("_id")] = (old, value)
    return changes


# --- Languages, places, repositories, people ------------------------------------------------


@transaction.atomic(savepoint=False)
def get_or_create_language(code: str) -> Language:
    """The language with this ISO 639 code, created with its common name if new."""
    language, _ = Language.objects.get_or_create(code=code, defaults={"name": language_name(code)})
    return language


@transaction.atomic(savepoint=False)
def bulk_get_or_create_by_name(model: type[_Named], names: Iterable[str]) -> dict[str, _Named]:
    """{name: row} of places or repositories by exact name; the missing ones created in one
    batch (two queries)."""
    wanted = set(names)
    found: dict[str, _Named] = {}
    for row in model.objects.filter(name__in=wanted).order_by("id"):
        found.setdefault(row.name, row)
    missing = [model(name=n[:300], slug=make_slug(n)) for n in sorted(wanted - found.keys())]
    for row in model.objects.bulk_create(missing):
        found[row.name] = row
    return found


@transaction.atomic(savepoint=False)
def bulk_get_or_create_repositories(
    details: Mapping[str, tuple[str, str]],
) -> dict[str, Repository]:
    """{name: Repository} for {name: (abbreviation, location)}, as bulk_get_or_create_by_name;
    a repository without abbreviation and location gets them (once: then they are editors')."""
    found = bulk_get_or_create_by_name(Repository, details)
    for name, repository in found.items():
        if not repository.abbreviation and not repository.location:
            repository.abbreviation, repository.location = details[name]
            repository.save(update_fields=["abbreviation", "location"])
    return found


@dataclass
class PersonInput:
    """A person or organisation that an importer recognises again by `source_key`."""

    source_key: str
    name: str
    description: str = ""
    variants: list[str] = field(default_factory=list)  # other names, for a new person only
    kind: str = Person.PERSON


@transaction.atomic(savepoint=False)
def bulk_merge_people(people: Sequence[PersonInput]) -> dict[str, Person]:
    """{source_key: Person}: people found by source_key, the new ones created in one batch.

    Editors own a person's name and description once created: a found person only gets an
    empty description filled in and another spelling of the name added to its variants
    (one more query when any did). Of several inputs with a new key, the first creates the
    person. A handful of queries in all.
    """
    found = _people_by_source_key(people)
    new: dict[str, Person] = {}
    changed: dict[int, Person] = {}
    for entry in people:
        person = found.get(entry.source_key)
        if person is None:
            new.setdefault(entry.source_key, _new_person(entry))
            continue
        if not person.description and entry.description:
            person.description = entry.description
            changed[person.pk] = person
        if entry.name != person.name and entry.name not in person.variants:
            person.variants = [*person.variants, entry.name]
            changed[person.pk] = person
    Person.objects.bulk_create(list(new.values()))
    if changed:
        Person.objects.bulk_update(list(changed.values()), ["description", "variants"])
    return found | new


@transaction.atomic(savepoint=False)
def bulk_get_or_create_people(people: Sequence[PersonInput]) -> dict[str, Person]:
    """{source_key: Person}: people found by source_key are left as they are; the missing
    ones are created (from the first input with their key) in one batch."""
    if not people:
        return {}
    found = _people_by_source_key(people)
    new: dict[str, Person] = {}
    for entry in people:
        if entry.source_key not in found:
            new.setdefault(entry.source_key, _new_person(entry))
    Person.objects.bulk_create(list(new.values()))
    return found | new


def _people_by_source_key(people: Sequence[PersonInput]) -> dict[str, Person]:
    found: dict[str, Person] = {}
    keys = {entry.source_key for entry in people}
    for person in Person.objects.filter(source_key__in=keys).order_by("id"):
        found.setdefault(person.source_key, person)
    return found


def _new_person(entry: PersonInput) -> Person:
    return Person(name=entry.name[:300], slug=make_slug(entry.name), kind=entry.kind,
                  description=entry.description, source_key=entry.source_key,
                  variants=list(entry.variants))


# --- Collections and their glossaries ---------------------------------------------------------


@dataclass
class CollectionInput:
    """A collection an importer recognises by `source_id`. `values` are the fields it owns
    (title, editors, date_span, position, description…), set on every import."""

    source_id: str
    values: dict[str, Any]
    parent: str | None = None  # source_id of an earlier input; None leaves the parent alone


@dataclass
class CollectionsWritten:
    """What bulk_upsert_collections did: every collection by source_id, the source_ids of
    those it created, and {source_id: {field: (old, new)}} of those it changed."""

    by_source_id: dict[str, Collection] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, Change]] = field(default_factory=dict)


@transaction.atomic(savepoint=False)
def bulk_upsert_collections(collections: Sequence[CollectionInput]) -> CollectionsWritten:
    """Create or update collections by source_id, in order (a parent before its children).

    One query finds them all; each one created or changed is saved on its own (a child needs
    its parent's ID), an unchanged one costs nothing. A new title makes a new slug.
    """
    existing: dict[str, Collection] = {}
    wanted = [entry.source_id for entry in collections]
    for collection in Collection.objects.filter(source_id__in=wanted).order_by("id"):
        existing.setdefault(collection.source_id, collection)
    result = CollectionsWritten()
    for entry in collections:
        values = dict(entry.values)
        if "description" in values:
            values["description"] = sanitize_html(values["description"])
        if entry.parent is not None:
            values["parent_id"] = result.by_source_id[entry.parent].pk
        collection = existing.get(entry.source_id)
        if collection is None:
            collection = Collection(source_id=entry.source_id, **values)
            collection.save()  # Collection.save makes the slug
            result.created.append(entry.source_id)
        else:
            changes = assign(collection, values)
            if "title" in changes:
                collection.slug = ""  # Collection.save makes it from the new title
            if changes:
                collection.save()
                result.changed[entry.source_id] = changes
        result.by_source_id[entry.source_id] = collection
    return result


@dataclass(frozen=True)
class GlossaryEntry:
    term_id: str  # the ID in the source, e.g. "t_NSC1"
    term: str
    expansion: str


@transaction.atomic(savepoint=False)
def bulk_replace_glossary(collection: Collection, entries: Sequence[GlossaryEntry]) -> None:
    """Make `entries` the collection's glossary, in this order (two queries)."""
    GlossaryTerm.objects.filter(collection=collection).delete()
    GlossaryTerm.objects.bulk_create(
        [GlossaryTerm(collection=collection, term_id=entry.term_id, term=entry.term,
                      expansion=entry.expansion, position=position)
         for position, entry in enumerate(entries)],
        batch_size=BATCH,
    )


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
    language: Language, actor, action: str = "import",
) -> DocumentsWritten:
    """Create or update documents by source_id, with one transcript each in `language`.

    On every call each document's `fields` are set and its transcript (its first one in
    `language`) rewritten; its summary too, unless an editor wrote it (a summary that is not
    `summary_generated`). Everything else is the editors'. A new document also gets
    `defaults` (e.g. status, rights). Each document created or changed gets a revision row
    naming what changed; the caller enqueues `touched` for reindexing. About ten queries,
    whatever the number of documents (in batches of BATCH).
    """
    return _DocumentBatch(documents, defaults, language, actor, action).write()


class _DocumentBatch:
    """Compares the inputs with the stored documents, then writes the differences in bulk."""

    def __init__(self, inputs, defaults, language, actor, action) -> None:
        self.inputs: Sequence[SourceDocumentInput] = inputs
        self.defaults = defaults
        self.language = language
        self.actor, self.action = actor, action
        self.now = timezone.now()
        self.by_source_id: dict[str, Document] = {}
        self.new: list[tuple[Document, SourceDocumentInput]] = []
        self.changed: list[Document] = []
        self.revisions: list[DocumentRevision] = []
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
            changes.update(self._update_transcript(document, transcripts.get(document.pk), entry))
            if changes:
                self.changed.append(document)
                self.revisions.append(self._revision(document, changes))
            self.by_source_id[entry.source_id] = document
        created = self._save()
        unchanged = len(self.inputs) - len(created) - len(self.changed)
        return DocumentsWritten(self.by_source_id, [d.pk for d in created],
                                [d.pk for d in self.changed], unchanged)

    def _save(self) -> list[Document]:
        created = Document.objects.bulk_create([d for d, _ in self.new], batch_size=BATCH)
        for document, (_, entry) in zip(created, self.new, strict=True):
            self.by_source_id[document.source_id] = document
            self.new_texts.append(self._transcript(document, entry))
            self.revisions.append(self._revision(document, None))
        if self.changed:
            Document.objects.bulk_update(self.changed, self._updated_fields(), batch_size=BATCH)
        Text.objects.bulk_create(self.new_texts, batch_size=BATCH)
        if self.changed_texts:
            Text.objects.bulk_update(self.changed_texts, ["body", "footnotes"], batch_size=BATCH)
        DocumentRevision.objects.bulk_create(self.revisions, batch_size=BATCH)
        return created

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
            document.slug = make_slug(document.title)
        if "date" in changes:
            apply_document_date(document)
        editors_summary = document.summary and not document.summary_generated
        summary = (entry.summary, entry.summary_generated)
        if not editors_summary and entry.summary and (
            document.summary, document.summary_generated
        ) != summary:
            changes["summary"] = (document.summary, entry.summary)
            document.summary, document.summary_generated = summary
        if changes:
            document.updated_at = timezone.now()
        return changes

    def _update_transcript(self, document, text: Text | None, entry) -> dict[str, Change]:
        if text is None:
            self.new_texts.append(self._transcript(document, entry))
            return {"texts.transcript": (None, entry.transcript)}
        if (text.body, text.footnotes) == (entry.transcript, entry.transcript_footnotes):
            return {}
        old = text.body
        text.body, text.footnotes = entry.transcript, entry.transcript_footnotes
        self.changed_texts.append(text)
        return {"texts.transcript": (old, text.body)}

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

    def _revision(self, document: Document, changes: Mapping[str, Change] | None):
        return revision_row(document, actor=self.actor, action=self.action, changes=changes)


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


@transaction.atomic(savepoint=False)
def bulk_add_document_links(links: DocumentLinks) -> None:
    """Add the links that are missing; never removes one (one statement a kind of link)."""
    for name in ("languages", "people", "authors", "places", "collections"):
        _insert_links(name, getattr(links, name))


def _insert_links(name: str, rows: set[tuple[int, Any]]) -> None:
    """INSERT … ON CONFLICT DO NOTHING into a many-to-many table (SQLite and PostgreSQL):
    building a model instance per link was most of the write time of a FRUS volume."""
    if not rows:
        return
    if name == "collections":
        table, fields = CollectionMembership._meta, ("document", "collection")
    else:
        table = getattr(Document, name).through._meta
        fields = ("document", {"languages": "language", "places": "place"}.get(name, "person"))
    quote = connection.ops.quote_name
    columns = ", ".join(quote(table.get_field(f).column) for f in fields)
    sql = f"INSERT INTO {quote(table.db_table)} ({columns}) VALUES (%s, %s) ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.executemany(sql, sorted(rows))
