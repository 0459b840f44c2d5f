"""Every write to the archive, as named actions.

Each action runs in one transaction, records who changed what (DocumentRevision) for
documents, and writes a SearchOutbox row for every document whose indexed content may have
changed, so the search index follows the database (see declassified.search).

Importers that write hundreds of documents at once use the bulk actions of
`declassified.archive.bulk_actions` (documents with their transcripts, collections, people,
places, links, glossaries): the same rules, a few queries a call instead of a few a
document. Nothing else writes archive models.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from declassified.archive.dates import parse_document_date
from declassified.archive.models import (
    Attachment,
    Collection,
    CollectionMembership,
    Document,
    DocumentRevision,
    GlossaryTerm,
    Language,
    Person,
    Place,
    Repository,
    SearchOutbox,
    Subject,
    Text,
)
from declassified.archive.richtext import sanitize_html


def enqueue_reindex(document_ids: Iterable[int]) -> None:
    """Ask the indexer to (re)index or drop these documents; call inside the writing transaction.

    Also moves their updated_at forward: a change of tags, texts or collections changes the
    record that OAI-PMH harvesters, sitemaps and bulk dumps see (their datestamp).
    """
    ids = sorted(set(document_ids))
    SearchOutbox.objects.bulk_create([SearchOutbox(document_id=pk) for pk in ids])
    now = timezone.now()
    for start in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
        Document.objects.filter(pk__in=ids[start:start + 500]).update(updated_at=now)


def record_revision(document: Document, actor, action: str, fields: Sequence[str]) -> None:
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = actor if isinstance(actor, str) else (user.get_username() if user else "")
    DocumentRevision.objects.create(
        document=document, actor=user, actor_label=label[:150], action=action, fields=list(fields)
    )


def apply_document_date(document: Document) -> None:
    """Derive earliest/latest day and display from the EDTF value (raises InvalidDate)."""
    parsed = parse_document_date(document.date)
    document.date = parsed.edtf
    document.date_earliest = parsed.earliest
    document.date_latest = parsed.latest
    document.display_date = parsed.display


@transaction.atomic
def do_save_document(
    document: Document, *, actor, changed_fields: Sequence[str] = (), action: str | None = None
) -> Document:
    """Create or update a document's own fields (not its relations); records history."""
    is_new = document.pk is None
    apply_document_date(document)
    if document.status == Document.PUBLISHED and document.published_at is None:
        document.published_at = timezone.now()
    document.save()
    record_revision(
        document, actor, action or ("create" if is_new else "edit"),
        changed_fields or (["all"] if is_new else []),
    )
    enqueue_reindex([document.pk])
    return document


@transaction.atomic
def do_document_relations_changed(document: Document, *, actor, changed: Sequence[str]) -> None:
    """Record that tags, texts, files or collections of a document changed (admin inlines)."""
    if changed:
        record_revision(document, actor, "edit", changed)
    enqueue_reindex([document.pk])


@transaction.atomic
def do_set_status(documents: Iterable[Document], status: str, *, actor) -> int:
    """Publish, withdraw or return documents to draft; returns how many changed."""
    if status not in dict(Document.STATUS_CHOICES):
        raise ValueError(f"Unknown status {status!r}.")
    changed = []
    now = timezone.now()
    for document in documents:
        if document.status == status:
            continue
        document.status = status
        if status == Document.PUBLISHED and document.published_at is None:
            document.published_at = now
        document.save(update_fields=["status", "published_at", "updated_at"])
        record_revision(document, actor, status if status != "published" else "publish", ["status"])
        changed.append(document.pk)
    enqueue_reindex(changed)
    return len(changed)


def do_publish_document(document: Document, *, actor) -> None:
    do_set_status([document], Document.PUBLISHED, actor=actor)


def do_withdraw_document(document: Document, *, actor) -> None:
    do_set_status([document], Document.WITHDRAWN, actor=actor)


@transaction.atomic
def do_save_text(text: Text, *, actor, record: bool = True) -> Text:
    """Save a translation or transcript, sanitised.

    record=False when the caller records one revision for a whole batch of changes (the
    admin's save_related); the document is reindexed either way.
    """
    text.body = sanitize_html(text.body)
    text.footnotes = sanitize_html(text.footnotes)
    text.save()
    changed = [f"texts.{text.kind}"] if record else []
    do_document_relations_changed(text.document, actor=actor, changed=changed)
    return text


@transaction.atomic
def do_delete_text(text: Text, *, actor, record: bool = True) -> None:
    """Remove a translation or transcript; record=False as for do_save_text."""
    document = text.document
    text.delete()
    do_document_relations_changed(document, actor=actor, changed=["texts"] if record else [])


def fill_attachment_checksum(attachment: Attachment) -> None:
    """SHA-256, size and type of the attachment's file, streamed (files may be large)."""
    digest = hashlib.sha256()
    size = 0
    attachment.file.open("rb")
    try:
        for chunk in attachment.file.chunks():
            digest.update(chunk)
            size += len(chunk)
    finally:
        attachment.file.seek(0)
    attachment.sha256 = digest.hexdigest()
    attachment.size = size
    attachment.content_type = mimetypes.guess_type(attachment.file.name)[0] or ""


@transaction.atomic
def do_save_attachment(attachment: Attachment, *, actor, record: bool = True) -> Attachment:
    """Store a file with its SHA-256; record=False as for do_save_text."""
    fill_attachment_checksum(attachment)
    attachment.save()
    changed = ["attachments"] if record else []
    do_document_relations_changed(attachment.document, actor=actor, changed=changed)
    return attachment


@transaction.atomic
def do_delete_attachment(attachment: Attachment, *, actor, record: bool = True) -> None:
    """Remove an attachment; its file leaves storage only once the deletion is committed."""
    document, storage, name = attachment.document, attachment.file.storage, attachment.file.name
    attachment.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    changed = ["attachments"] if record else []
    do_document_relations_changed(document, actor=actor, changed=changed)


@transaction.atomic
def do_save_membership(membership: CollectionMembership, *, actor, record: bool = True) -> None:
    """Put a document in a collection (or move the membership); record=False as for texts."""
    membership.save()
    changed = ["collections"] if record else []
    do_document_relations_changed(membership.document, actor=actor, changed=changed)


@transaction.atomic
def do_delete_membership(membership: CollectionMembership, *, actor, record: bool = True) -> None:
    """Take a document out of a collection; record=False as for texts."""
    document = membership.document
    membership.delete()
    changed = ["collections"] if record else []
    do_document_relations_changed(document, actor=actor, changed=changed)


@transaction.atomic
def do_save_collection(collection: Collection, *, actor=None) -> Collection:
    """Save a collection; its documents are reindexed since collection titles are searched."""
    is_new = collection.pk is None
    collection.description = sanitize_html(collection.description)
    collection.save()
    if not is_new:
        enqueue_reindex(
            CollectionMembership.objects.filter(collection=collection).values_list(
                "document_id", flat=True
            )
        )
    return collection


@transaction.atomic
def do_save_entity(entity: Person | Place | Subject | Repository, *, actor=None):
    """Save a person, place, subject or repository; documents naming it are reindexed."""
    is_new = entity.pk is None
    entity.save()
    if not is_new:
        enqueue_reindex(documents_tagged_with(entity))
    return entity


def documents_tagged_with(entity) -> list[int]:
    if isinstance(entity, Person):
        ids: set[int] = set()
        for relation in ("authored_documents", "mentioned_in", "contributed_documents"):
            ids.update(getattr(entity, relation).values_list("id", flat=True))
        return sorted(ids)
    return list(entity.documents.values_list("id", flat=True))


@transaction.atomic
def do_delete_document(document: Document, *, actor) -> None:
    pk = document.pk
    document.delete()
    enqueue_reindex([pk])


@transaction.atomic
def do_delete_collection(collection: Collection, *, actor=None) -> None:
    """Delete a collection; its documents stay and are reindexed without it."""
    document_ids = list(
        CollectionMembership.objects.filter(collection=collection).values_list(
            "document_id", flat=True
        )
    )
    collection.delete()
    enqueue_reindex(document_ids)


@transaction.atomic
def do_delete_entity(entity: Person | Place | Subject | Repository | Language, *, actor=None):
    """Delete a tag entity; documents that named it are reindexed without it.

    Raises ProtectedError for a language a text is written in.
    """
    document_ids = documents_tagged_with(entity)
    entity.delete()
    enqueue_reindex(document_ids)


@transaction.atomic
def do_save_glossary_term(term: GlossaryTerm, *, actor=None) -> GlossaryTerm:
    """Save an entry of a collection's glossary (shown on its page; not searched)."""
    term.save()
    return term


@transaction.atomic
def do_delete_glossary_term(term: GlossaryTerm, *, actor=None) -> None:
    term.delete()


@transaction.atomic
def do_set_related_collections(collection: Collection, related: Iterable[Collection]) -> None:
    """Make `related` the collections linked from this one (the link goes both ways)."""
    collection.related.set(related)


# --- Importers hand plain data to these -------------------------------------------------


@dataclass
class TextInput:
    kind: str
    language: str
    body: str
    translator: str = ""
    footnotes: str = ""


@dataclass
class DocumentInput:
    """One document as an importer read it, validated before any write."""

    title: str
    id: int | None = None
    source_id: str | None = None
    fields: dict = field(default_factory=dict)  # plain Document fields: date, summary, ...
    repository: str | None = None
    # Tag lists replace the document's tags; None leaves them as they are (a column the
    # imported file does not have).
    languages: list[str] | None = field(default_factory=list)  # ISO 639 codes
    authors: list[str] | None = field(default_factory=list)
    people: list[str] | None = field(default_factory=list)
    contributors: list[str] | None = field(default_factory=list)
    places: list[str] | None = field(default_factory=list)
    subjects: list[str] | None = field(default_factory=list)
    collections: list[str] | None = field(default_factory=list)  # titles
    texts: list[TextInput] | None = None  # None: leave existing texts alone


TAG_RELATIONS = [
    ("authors", Person), ("people", Person), ("contributors", Person), ("places", Place),
    ("subjects", Subject), ("collections", Collection),
]


class EntityResolver:
    """Finds entities by exact name or creates them; caches within one import."""

    def __init__(self) -> None:
        self.cache: dict[tuple[type, str], object] = {}

    def get(self, model, name: str):
        name = name.strip()
        key = (model, name.casefold())
        if key not in self.cache:
            name_field = "title" if model is Collection else "name"
            found = model.objects.filter(**{f"{name_field}__iexact": name}).order_by("pk").first()
            if found is None:
                found = model.objects.create(**{name_field: name})
            self.cache[key] = found
        return self.cache[key]

    def language(self, code: str) -> Language:
        code = code.strip().lower()
        key = (Language, code)
        if key not in self.cache:
            from declassified.archive.languages import language_name

            self.cache[key], _ = Language.objects.get_or_create(
                code=code, defaults={"name": language_name(code)}
            )
        return self.cache[key]  # type: ignore[return-value]


@transaction.atomic
def do_upsert_documents(
    inputs: Sequence[DocumentInput], *, actor, action: str = "import"
) -> tuple[int, int]:
    """Create or update documents by record ID (or source ID); all or nothing.

    Returns (created, updated). Callers validate first; a failure here rolls back everything.
    """
    resolver = EntityResolver()
    created = updated = 0
    touched: list[int] = []
    for data in inputs:
        document = None
        if data.id is not None:
            document = Document.objects.filter(pk=data.id).first()
        if document is None and data.source_id:
            document = Document.objects.filter(source_id=data.source_id).first()
        is_new = document is None
        if document is None:
            document = Document(pk=data.id)
        document.title = data.title
        if data.source_id:
            document.source_id = data.source_id
        for name, value in data.fields.items():
            setattr(document, name, value)
        if data.repository is not None:
            document.repository = resolver.get(Repository, data.repository) if data.repository else None
        apply_document_date(document)
        if document.status == Document.PUBLISHED and document.published_at is None:
            document.published_at = timezone.now()
        if data.title and (is_new or not document.slug):
            document.slug = ""
        document.save()
        if data.languages is not None:
            document.languages.set([resolver.language(code) for code in data.languages])
        for relation, model in TAG_RELATIONS:
            names = getattr(data, relation)
            if names is not None:
                getattr(document, relation).set([resolver.get(model, n) for n in names])
        if data.texts is not None:
            document.texts.all().delete()
            Text.objects.bulk_create(
                Text(
                    document=document, kind=t.kind, language=resolver.language(t.language),
                    translator=t.translator, body=sanitize_html(t.body),
                    footnotes=sanitize_html(t.footnotes), position=i,
                )
                for i, t in enumerate(data.texts)
            )
        record_revision(document, actor, action, ["all"] if is_new else ["imported fields"])
        touched.append(document.pk)
        created += is_new
        updated += not is_new
    enqueue_reindex(touched)
    reset_id_sequences()
    return created, updated


def reset_id_sequences() -> None:
    """After rows were written with explicit IDs, make PostgreSQL's sequence continue past them."""
    from django.core.management.color import no_style
    from django.db import connection

    if connection.vendor != "postgresql":
        return  # SQLite's AUTOINCREMENT already continues past the largest ID ever used
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Document]):
            cursor.execute(statement)
