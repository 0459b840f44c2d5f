"""What restoring a document to an earlier revision would change: a plan, written nowhere.

The version "as of" a revision is the document right after that revision. Revisions record
what changed (old and new values), not snapshots, so the plan undoes every later revision of
the document: each field, tag list and text field takes the "old" value of the *first*
later change to it (which is what undoing them one by one, newest first, would leave); a text
created later is removed, a text deleted later comes back (its deletion recorded all its
values); a collection membership takes the state before its first later change. Things no
later revision touched stay as they are.

Not restored, and said so in `notes`: the status (publishing is its own step, with its own
permission), original files (their bytes are not kept), and whatever no longer exists (a
deleted person or collection, a source ID another document took since).

declassified.archive.actions.do_restore_document carries a plan out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from declassified.archive.fields import related_model
from declassified.archive.models import (
    Collection,
    CollectionMembership,
    Document,
    Language,
    Revision,
    Text,
)
from declassified.archive.revisions import TAG_FIELDS, recorded_fields, tag_values, values

# Document fields a restore leaves alone: the status changes only by publishing/withdrawing.
NOT_RESTORED = frozenset({"status", "published_at"})
TEXT_FIELDS = ("kind", "language", "translator", "body", "footnotes", "position")


class NotRestorable(Exception):
    """This revision cannot be restored (a message for the editor)."""


@dataclass
class TextTarget:
    existed: bool  # did the text exist at the revision?
    values: dict[str, Any] = field(default_factory=dict)  # its fields then, as far as changed


@dataclass
class RestorePlan:
    """Every change a restore would make, as (now, then) pairs of recorded values."""

    document: Document
    revision: Revision
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    tags: dict[str, tuple[list, list]] = field(default_factory=dict)
    texts_removed: list[Text] = field(default_factory=list)
    texts_restored: list[dict[str, Any]] = field(default_factory=list)  # values to recreate
    texts_changed: list[tuple[Text, dict[str, tuple[Any, Any]]]] = field(
        default_factory=list)
    collections_removed: list[dict[str, Any]] = field(default_factory=list)  # references
    collections_added: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.fields or self.tags or self.texts_removed or self.texts_restored
                    or self.texts_changed or self.collections_removed or self.collections_added)


def plan_restore(document: Document, revision: Revision) -> RestorePlan:
    """The plan to bring `document` back to how it was right after `revision`.

    Raises NotRestorable when the revision is not the document's or a later revision was
    recorded without values. A few queries: the later revisions, the document, its changed
    tag lists, texts and memberships, and existence checks.
    """
    if revision.document_id != document.pk:
        raise NotRestorable("That revision is not about this document.")
    later = list(Revision.objects.of_document(document.pk).filter(pk__gt=revision.pk)
                 .order_by("id"))
    if any(not r.values_recorded for r in later):
        raise NotRestorable("Changes after this version were recorded before their values were "
                            "kept; it can no longer be restored.")
    plan = RestorePlan(document, revision)
    own, texts, members = undo_later(later)
    plan_fields(plan, own)
    plan_texts(plan, texts)
    plan_memberships(plan, members)
    files = sum(r.kind == Revision.ATTACHMENT for r in later)
    if files:
        plan.notes.append(f"Files are not part of a version: {files} later change(s) to files "
                          "stay as they are.")
    page_texts = sum(r.kind == Revision.PAGE_TEXT for r in later)
    if page_texts:
        plan.notes.append(f"Corrections of the pages' OCR text are not part of a version: "
                          f"{page_texts} later correction(s) stay as they are.")
    return plan


def undo_later(later: list[Revision]):
    """From the later revisions, oldest first: each field's, text's and membership's state
    before its first later change."""
    own: dict[str, Any] = {}
    texts: dict[str, TextTarget] = {}
    members: dict[int, tuple[bool, dict]] = {}  # collection ID → (member then?, reference)
    for revision in later:
        changes = revision.changes
        if revision.kind == Revision.DOCUMENT:
            for name, change in changes.items():
                if "old" in change:
                    own.setdefault(name, change["old"])
        elif revision.kind == Revision.TEXT:
            target = texts.setdefault(revision.object_id,
                                      TextTarget(existed=revision.action != "create"))
            for name, change in changes.items():
                if "old" in change:
                    target.values.setdefault(name, change["old"])
        elif revision.kind == Revision.MEMBERSHIP:
            change = changes.get("collection", {})
            members.setdefault(int(revision.object_id),
                               ("old" in change, change.get("old") or change.get("new") or {}))
    return own, texts, members


def plan_fields(plan: RestorePlan, own: dict[str, Any]) -> None:
    document = plan.document
    names = {f.name for f in recorded_fields(Document)}
    now = values(Document.objects.select_related("repository", "place_of_origin")
                 .get(pk=document.pk))
    if "status" in own and own["status"] != now["status"]:
        plan.notes.append(f"The status stays {document.get_status_display().lower()}: "
                          "publishing and withdrawing are separate steps.")
    for name, then in own.items():
        if name in names and name not in NOT_RESTORED and then != now[name]:
            plan.fields[name] = (now[name], then)
    check_references(plan)
    tags_now = tag_values(document, [name for name in TAG_FIELDS if name in own])
    for name, current in tags_now.items():
        if [r["id"] for r in own[name]] == [r["id"] for r in current]:
            continue
        wanted = existing_references(plan, name, own[name])
        if [r["id"] for r in wanted] != [r["id"] for r in current]:
            plan.tags[name] = (current, wanted)


def check_references(plan: RestorePlan) -> None:
    """Drop restored values that can no longer be (a deleted archive, a taken source ID)."""
    for name in ("repository", "place_of_origin"):
        then = plan.fields.get(name, (None, None))[1]
        if then is not None:
            related = related_model(Document, name)
            if not related._default_manager.filter(pk=then["id"]).exists():
                del plan.fields[name]
                plan.notes.append(f"{name.replace('_', ' ').capitalize()} “{then['name']}” no "
                                  "longer exists; left as it is.")
    source_id = plan.fields.get("source_id", (None, None))[1]
    if source_id and Document.objects.filter(source_id=source_id).exclude(
            pk=plan.document.pk).exists():
        del plan.fields["source_id"]
        plan.notes.append(f"Source ID “{source_id}” now belongs to another document; left as it is.")


def existing_references(plan: RestorePlan, name: str, wanted: list[dict]) -> list[dict]:
    model = related_model(Document, name)
    found = set(model._default_manager.filter(pk__in=[r["id"] for r in wanted])
                .values_list("pk", flat=True))
    gone = [r["name"] for r in wanted if r["id"] not in found]
    if gone:
        plan.notes.append(f"No longer in the archive, so not restored to {name}: "
                          + ", ".join(gone) + ".")
    return [r for r in wanted if r["id"] in found]


def plan_texts(plan: RestorePlan, texts: dict[str, TextTarget]) -> None:
    current = {str(t.pk): t for t in plan.document.texts.select_related("language")}
    for text_id, target in texts.items():
        text = current.get(text_id)
        if not target.existed:
            if text is not None:
                plan.texts_removed.append(text)
        elif text is not None:
            now = values(text)
            changed = {name: (now[name], then) for name, then in target.values.items()
                       if name in now and then != now[name]}
            if changed:
                plan.texts_changed.append((text, changed))
        elif set(TEXT_FIELDS) - {"translator", "footnotes", "position"} <= set(target.values):
            if Language.objects.filter(pk=target.values["language"]["id"]).exists():
                plan.texts_restored.append(target.values)
            else:
                plan.notes.append("A text in a language no longer in the archive cannot come back.")
        else:
            plan.notes.append("A deleted text cannot come back: its values were not recorded.")


def plan_memberships(plan: RestorePlan, members: dict[int, tuple[bool, dict]]) -> None:
    current = set(CollectionMembership.objects.filter(document=plan.document)
                  .values_list("collection_id", flat=True))
    wanted = [reference for pk, (was_member, reference) in members.items()
              if was_member and pk not in current]
    existing = set(Collection.objects.filter(pk__in=[r["id"] for r in wanted])
                   .values_list("pk", flat=True))
    for reference in wanted:
        if reference["id"] in existing:
            plan.collections_added.append(reference)
        else:
            plan.notes.append(f"The collection “{reference['name']}” no longer exists.")
    plan.collections_removed = [reference for pk, (was_member, reference) in members.items()
                                if not was_member and pk in current]
