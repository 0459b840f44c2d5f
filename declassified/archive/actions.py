"""Every write to the archive, as named actions.

Like Zulip's actions, each one
- takes who acts as keyword-only arguments: `acting_user` (a User; None for a program) and
  `via`, the program or channel ("api", "import", "frus-import", "samples", "cli"; empty for
  the back office). A program acting on its own must name itself (revisions.Actor);
- runs in one transaction, and in it writes
- a Revision row for every document, text, file, collection membership, collection or
  entity it changed, deleted ones included (old and new values of what changed, see
  archive.models.Revision and archive.revisions), and
- a SearchOutbox row for every document whose indexed content may have changed, so the
  search index follows the database (see declassified.search).

A failing action leaves nothing behind, its revision rows included. Importers that write
hundreds of documents at once use the actions of two modules this one owns, under the same
rules: `archive.upsert.do_upsert_documents` (CSV/JSON Lines) and the bulk actions of
`archive.bulk_actions` (documents with their transcripts, collections, people, places,
links, glossaries: a few queries a call instead of a few a document). They build the same
rows with archive.revisions and write them in batches: what changed costs a few JSON values
per object, never a snapshot. `do_restore_document` undoes the later revisions
(archive.restore) and is itself recorded, as a "restore". Nothing else writes archive models.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import timezone

from declassified.archive.dates import parse_document_date
from declassified.archive.models import (
    Attachment,
    Collection,
    CollectionMembership,
    Document,
    GlossaryTerm,
    Language,
    Person,
    Place,
    Repository,
    Revision,
    SearchOutbox,
    Subject,
    Text,
)
from declassified.archive.name_variants import add_generated_variants
from declassified.archive.restore import RestorePlan, plan_restore
from declassified.archive.revisions import (
    TAG_FIELDS,
    Actor,
    Changes,
    created,
    deleted,
    diff,
    membership_revision,
    named,
    references,
    revision_for,
    stored_values,
    tag_values,
    values,
)
from declassified.archive.richtext import sanitize_html

Entity = Person | Place | Subject | Repository | Language
STATUS_ACTIONS = {Document.PUBLISHED: "publish", Document.WITHDRAWN: "withdraw",
                  Document.DRAFT: "draft"}


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


def save_changed(instance: models.Model, before: dict[str, Any] | None, actor: Actor) -> None:
    """Record the create or edit of a just-saved object; an edit that changed nothing
    leaves no revision. `before`: its stored values beforehand (None: it is new)."""
    if before is None:
        revision_for(instance, "create", created(values(instance)), actor).save()
    elif changes := diff(before, values(instance)):
        revision_for(instance, "edit", changes, actor).save()


def apply_document_date(document: Document) -> None:
    """Derive earliest/latest day and display from the EDTF value (raises InvalidDate)."""
    parsed = parse_document_date(document.date)
    document.date = parsed.edtf
    document.date_earliest = parsed.earliest
    document.date_latest = parsed.latest
    document.display_date = parsed.display


# --- Documents -------------------------------------------------------------------------------


@transaction.atomic
def do_save_document(document: Document, *, acting_user: User | None, via: str = "") -> Document:
    """Create or update a document's own fields (not its tags or relations).

    Records a "create" with the values set, or an "edit" with the old and new value of each
    changed field (one query reads the stored row first).
    """
    actor = Actor(acting_user, via)
    before = stored_values(document)
    apply_document_date(document)
    if document.status == Document.PUBLISHED and document.published_at is None:
        document.published_at = timezone.now()
    document.save()
    save_changed(document, before, actor)
    enqueue_reindex([document.pk])
    return document


@transaction.atomic
def do_set_document_tags(document: Document, tags: Mapping[str, Iterable[models.Model]], *,
                         acting_user: User | None, via: str = "") -> bool:
    """Make each named tag list (languages, authors, people, contributors, places, subjects,
    related) exactly the given rows; True when any changed (one revision with each changed
    list's old and new members; documents linked or unlinked as related get theirs too).
    """
    unknown = set(tags) - set(TAG_FIELDS)
    if unknown:
        raise ValueError(f"Not tag lists of a document: {', '.join(sorted(unknown))}")
    actor = Actor(acting_user, via)
    before = tag_values(document, tags)
    after = {}
    for name, rows in tags.items():
        rows = list(rows)
        getattr(document, name).set(rows)
        after[name] = references(rows)
    changes = diff(before, after)
    if changes:
        revision_for(document, "edit", changes, actor).save()
        record_other_side(document, changes, actor)
        enqueue_reindex([document.pk])
    return bool(changes)


def record_other_side(instance: Document | Collection, changes: Changes, actor: Actor) -> None:
    """`related` links both ways: each document (or collection) linked or unlinked by this
    change of `instance` records the change of its own list, so its history and a restore
    of it know."""
    if "related" not in changes:
        return
    old = {r["id"] for r in changes["related"]["old"]}
    new = {r["id"] for r in changes["related"]["new"]}
    me = named(instance)
    revisions = []
    for other in type(instance)._default_manager.filter(pk__in=old ^ new).order_by("pk"):
        now = references(other.related.all())
        then = ([r for r in now if r["id"] != instance.pk] if other.pk in new
                else sorted([*now, me], key=lambda r: str(r["id"])))
        note = f"{'Linked from' if other.pk in new else 'Unlinked from'} {me['name']}."
        revisions.append(revision_for(other, "edit", {"related": {"old": then, "new": now}},
                                      actor, note))
    Revision.objects.bulk_create(revisions)


@transaction.atomic
def do_set_status(documents: Iterable[Document], status: str, *, acting_user: User | None,
                  via: str = "") -> int:
    """Publish, withdraw or return documents to draft; returns how many changed."""
    if status not in dict(Document.STATUS_CHOICES):
        raise ValueError(f"Unknown status {status!r}.")
    actor = Actor(acting_user, via)
    changed, revisions = [], []
    now = timezone.now()
    for document in documents:
        if document.status == status:
            continue
        changes: dict[str, dict] = {"status": {"old": document.status, "new": status}}
        document.status = status
        if status == Document.PUBLISHED and document.published_at is None:
            document.published_at = now
            changes["published_at"] = {"old": None, "new": now.isoformat()}
        document.save(update_fields=["status", "published_at", "updated_at"])
        revisions.append(revision_for(document, STATUS_ACTIONS[status], changes, actor))
        changed.append(document.pk)
    Revision.objects.bulk_create(revisions)
    enqueue_reindex(changed)
    return len(changed)


def do_publish_document(document: Document, *, acting_user: User | None, via: str = "") -> None:
    do_set_status([document], Document.PUBLISHED, acting_user=acting_user, via=via)


def do_withdraw_document(document: Document, *, acting_user: User | None, via: str = "") -> None:
    do_set_status([document], Document.WITHDRAWN, acting_user=acting_user, via=via)


@transaction.atomic
def do_delete_document(document: Document, *, acting_user: User | None, via: str = "") -> None:
    """Delete a document with its texts, files and memberships; its history stays (the
    revision rows keep its ID, and the deletion records its title and own fields)."""
    actor = Actor(acting_user, via)
    pk = document.pk
    revision = revision_for(document, "delete", deleted(values(document)), actor)
    document.delete()
    revision.save()
    enqueue_reindex([pk])


@transaction.atomic
def do_restore_document(document: Document, revision: Revision, *, acting_user: User | None,
                        via: str = "") -> RestorePlan:
    """Bring the document back to how it was right after `revision`, in one step.

    Fields and tags change in one "restore" revision; texts and collection memberships
    through their own actions (each recorded as usual). The status and files are left as
    they are (see archive.restore). Raises restore.NotRestorable; returns what was done.
    """
    actor = Actor(acting_user, via)
    document.refresh_from_db()  # the fields not restored are saved as they are now
    plan = plan_restore(document, revision)
    if plan.is_empty:
        return plan
    for name, (_, then) in plan.fields.items():
        if Document._meta.get_field(name).is_relation:  # a reference: {"id", "name"} or None
            setattr(document, f"{name}_id", then["id"] if then else None)
        else:
            setattr(document, name, then)
    apply_document_date(document)
    document.save()
    for name, (_, then) in plan.tags.items():
        getattr(document, name).set([reference["id"] for reference in then])
    changes = {name: {"old": now, "new": then}
               for name, (now, then) in [*plan.fields.items(), *plan.tags.items()]}
    note = f"Restored to the version of revision {revision.pk} ({revision.at:%Y-%m-%d %H:%M})."
    revision_for(document, "restore", changes, actor, note).save()
    record_other_side(document, changes, actor)
    restore_relations(plan, acting_user=acting_user, via=via)
    enqueue_reindex([document.pk])
    return plan


def restore_relations(plan: RestorePlan, *, acting_user: User | None, via: str) -> None:
    """The texts and memberships part of a restore, through the usual actions."""
    document = plan.document
    for text in plan.texts_removed:
        do_delete_text(text, acting_user=acting_user, via=via)
    for then in plan.texts_restored:
        text = Text(document=document, language_id=then["language"]["id"], **{
            name: then[name] for name in ("kind", "translator", "body", "footnotes", "position")
            if name in then})
        do_save_text(text, acting_user=acting_user, via=via)
    for text, changed in plan.texts_changed:
        for name, (_, then) in changed.items():
            if name == "language":
                text.language_id = then["id"]
            else:
                setattr(text, name, then)
        do_save_text(text, acting_user=acting_user, via=via)
    for reference in plan.collections_removed:
        membership = CollectionMembership.objects.get(document=document,
                                                      collection_id=reference["id"])
        do_delete_membership(membership, acting_user=acting_user, via=via)
    for reference in plan.collections_added:
        membership = CollectionMembership(document=document, collection_id=reference["id"])
        do_save_membership(membership, acting_user=acting_user, via=via)


# --- Texts, files and collection memberships of a document ------------------------------------


@transaction.atomic
def do_save_text(text: Text, *, acting_user: User | None, via: str = "") -> Text:
    """Save a translation or transcript, sanitised; a create records its kind, language,
    translator and position, an edit the old and new value of each changed field."""
    actor = Actor(acting_user, via)
    before = stored_values(text)
    text.body = sanitize_html(text.body)
    text.footnotes = sanitize_html(text.footnotes)
    text.save()
    save_changed(text, before, actor)
    enqueue_reindex([text.document_id])
    return text


@transaction.atomic
def do_delete_text(text: Text, *, acting_user: User | None, via: str = "") -> None:
    """Remove a translation or transcript; the revision keeps all of it, body included."""
    revision = revision_for(text, "delete", deleted(values(text)), Actor(acting_user, via))
    document_id = text.document_id
    text.delete()
    revision.save()
    enqueue_reindex([document_id])


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
def do_save_attachment(attachment: Attachment, *, acting_user: User | None,
                       via: str = "") -> Attachment:
    """Store a file with its SHA-256; the revision records its name and checksum."""
    actor = Actor(acting_user, via)
    before = stored_values(attachment)
    fill_attachment_checksum(attachment)
    attachment.save()
    save_changed(attachment, before, actor)
    enqueue_reindex([attachment.document_id])
    return attachment


@transaction.atomic
def do_delete_attachment(attachment: Attachment, *, acting_user: User | None,
                         via: str = "") -> None:
    """Remove an attachment; its file leaves storage only once the deletion is committed."""
    revision = revision_for(attachment, "delete", deleted(values(attachment)),
                            Actor(acting_user, via))
    document_id, storage, name = attachment.document_id, attachment.file.storage, attachment.file.name
    attachment.delete()
    revision.save()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    enqueue_reindex([document_id])


@transaction.atomic
def do_save_membership(membership: CollectionMembership, *, acting_user: User | None,
                       via: str = "") -> None:
    """Put a document in a collection; moving a membership to another collection is
    recorded as leaving the one and joining the other."""
    actor = Actor(acting_user, via)
    before = stored_values(membership)
    membership.save()
    joined = values(membership)["collection"]
    if before is not None and before["collection"] == joined:
        return
    if before is not None:
        membership_revision(membership.document_id, before["collection"], "delete", actor).save()
    membership_revision(membership.document_id, joined, "create", actor).save()
    enqueue_reindex([membership.document_id])


@transaction.atomic
def do_delete_membership(membership: CollectionMembership, *, acting_user: User | None,
                         via: str = "") -> None:
    """Take a document out of a collection."""
    left = values(membership)["collection"]
    membership.delete()
    membership_revision(membership.document_id, left, "delete", Actor(acting_user, via)).save()
    enqueue_reindex([membership.document_id])


# --- Collections and the entities documents are tagged with ----------------------------------


@transaction.atomic
def do_save_collection(collection: Collection, *, acting_user: User | None,
                       via: str = "") -> Collection:
    """Save a collection; its documents are reindexed since collection titles are searched."""
    actor = Actor(acting_user, via)
    before = stored_values(collection)
    collection.description = sanitize_html(collection.description)
    collection.save()
    save_changed(collection, before, actor)
    if before is not None:
        enqueue_reindex(collection_document_ids(collection))
    return collection


@transaction.atomic
def do_delete_collection(collection: Collection, *, acting_user: User | None,
                         via: str = "") -> None:
    """Delete a collection; its documents stay, each recording that it left the collection,
    and are reindexed without it."""
    actor = Actor(acting_user, via)
    document_ids = collection_document_ids(collection)
    revisions = [revision_for(collection, "delete", deleted(values(collection)), actor)]
    left = {"id": collection.pk, "name": collection.title}
    revisions += [membership_revision(pk, left, "delete", actor, "The collection was deleted.")
                  for pk in document_ids]
    collection.delete()
    Revision.objects.bulk_create(revisions)
    enqueue_reindex(document_ids)


@transaction.atomic
def do_set_related_collections(collection: Collection, related: Iterable[Collection], *,
                               acting_user: User | None, via: str = "") -> None:
    """Make `related` the collections linked from this one (the link goes both ways: the
    collections linked or unlinked record it too)."""
    actor = Actor(acting_user, via)
    related = list(related)
    before = {"related": references(collection.related.all())}
    collection.related.set(related)
    if changes := diff(before, {"related": references(related)}):
        revision_for(collection, "edit", changes, actor).save()
        record_other_side(collection, changes, actor)


def collection_document_ids(collection: Collection) -> list[int]:
    return list(CollectionMembership.objects.filter(collection=collection)
                .values_list("document_id", flat=True))


@transaction.atomic
def do_save_entity(entity: Entity, *, acting_user: User | None, via: str = "") -> Entity:
    """Save a person, place, subject, repository or language; documents naming it are
    reindexed. A new person or place, or one renamed, gets the other spellings of its name
    added to its variants (archive.name_variants)."""
    actor = Actor(acting_user, via)
    before = stored_values(entity)
    if before is None or before.get("name") != entity.name:
        add_generated_variants(entity)
    entity.save()
    save_changed(entity, before, actor)
    if before is not None:
        enqueue_reindex(documents_tagged_with(entity))
    return entity


def documents_tagged_with(entity: Entity) -> list[int]:
    if isinstance(entity, Person):
        ids: set[int] = set()
        for relation in ("authored_documents", "mentioned_in", "contributed_documents"):
            ids.update(getattr(entity, relation).values_list("id", flat=True))
        return sorted(ids)
    return list(entity.documents.values_list("id", flat=True))


@transaction.atomic
def do_delete_entity(entity: Entity, *, acting_user: User | None, via: str = "") -> None:
    """Delete a tag entity; documents that named it are reindexed without it.

    Raises ProtectedError for a language a text is written in (and records nothing).
    """
    revision = revision_for(entity, "delete", deleted(values(entity)), Actor(acting_user, via))
    document_ids = documents_tagged_with(entity)
    entity.delete()
    revision.save()
    enqueue_reindex(document_ids)


@transaction.atomic
def do_save_glossary_term(term: GlossaryTerm, *, acting_user: User | None,
                          via: str = "") -> GlossaryTerm:
    """Save an entry of a collection's glossary (shown on its page; not searched)."""
    actor = Actor(acting_user, via)
    before = stored_values(term)
    term.save()
    save_changed(term, before, actor)
    return term


@transaction.atomic
def do_delete_glossary_term(term: GlossaryTerm, *, acting_user: User | None, via: str = "") -> None:
    revision = revision_for(term, "delete", deleted(values(term)), Actor(acting_user, via))
    term.delete()
    revision.save()
