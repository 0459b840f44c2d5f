"""What a revision records: who acted, and JSON-safe old and new values of what changed.

The actions (declassified.archive.actions) and the bulk importers build their Revision rows
with these functions, so every writer records values the same way:

- `Actor`: the user (None for a program) and the program or channel (`via`);
- `values(instance)`: an object's recorded fields as JSON-safe values;
- `diff(old, new)`, `created(new)`, `deleted(old)`: the `changes` of an edit, a create
  (new values only, no text bodies) and a deletion (old values only, all of them);
- `revision_for(instance, ...)`: the unsaved row; the caller saves it (or bulk-creates
  many) in the transaction of the change.

Values: a related row is {"id", "name"} (the name as it was, for reading; the id to restore),
a tag list is a list of those, a file is its name (its bytes are never copied), dates and
decimals are ISO strings.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import models
from django.db.models.fields.files import FieldFile

from declassified.archive.models import (
    Attachment,
    Collection,
    CollectionMembership,
    Document,
    GlossaryTerm,
    Language,
    PageText,
    Person,
    Place,
    Repository,
    Revision,
    Subject,
    Text,
)

# A document's many-to-many tags, edited on its form and recorded as lists of {"id", "name"}.
# Collections are not among them: memberships have revisions of their own.
TAG_FIELDS = ("languages", "authors", "people", "contributors", "places", "subjects", "related")
# Derived when written (archive.dates) or bookkeeping: never recorded, never restored.
NOT_RECORDED = frozenset({
    "id", "created_at", "updated_at", "date_earliest", "date_latest", "display_date", "document",
})
# Long values a create leaves out: undoing a create deletes the object, it needs no values.
LONG_VALUES = frozenset({"body", "footnotes"})

KINDS: dict[type[models.Model], str] = {
    Document: Revision.DOCUMENT, Collection: Revision.COLLECTION, Person: Revision.PERSON,
    Place: Revision.PLACE, Subject: Revision.SUBJECT, Repository: Revision.REPOSITORY,
    Language: Revision.LANGUAGE, Text: Revision.TEXT, Attachment: Revision.ATTACHMENT,
    CollectionMembership: Revision.MEMBERSHIP, GlossaryTerm: Revision.GLOSSARY_TERM,
    PageText: Revision.PAGE_TEXT,
}

Changes = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Actor:
    """Who acts: a user, a program (`via`, e.g. "import"), or a user through one ("api")."""

    user: User | None
    via: str = ""

    def __post_init__(self) -> None:
        if self.user is None and not self.via:
            raise ValueError("A program acting on its own names itself: via='import', 'cli'…")

    def row_fields(self) -> dict[str, Any]:
        return {
            "acting_user": self.user,
            "acting_user_name": self.user.get_username() if self.user is not None else "",
            "via": self.via[:100],
        }


def recorded_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in NOT_RECORDED]


def in_field_order(kind: str, names: Iterable[str]) -> list[str]:
    """Changed field names in the order of the model's fields (PostgreSQL's jsonb keeps no
    key order), tag lists after them, anything else last."""
    model = next(m for m, k in KINDS.items() if k == kind)
    order = [f.name for f in model._meta.get_fields()]
    return sorted(names, key=lambda name: (order.index(name) if name in order else len(order),
                                           name))


def named(row: models.Model) -> dict[str, Any]:
    """A related row as a revision records it: its ID (to restore) and name (to read)."""
    return {"id": row.pk, "name": str(row)}


def reference(row: models.Model | None) -> dict[str, Any] | None:
    return None if row is None else named(row)


def references(rows: Iterable[models.Model]) -> list[dict[str, Any]]:
    """A tag list in a stable order (by id), as a revision records it."""
    return sorted((named(row) for row in rows), key=lambda r: str(r["id"]))


def json_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return reference(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, Decimal):  # 39.9 as entered and 39.900000 as stored are one value
        return format(value.normalize(), "f")
    if isinstance(value, datetime.date):  # datetimes too
        return value.isoformat()
    return value


def values(instance: models.Model) -> dict[str, Any]:
    """The recorded fields of an object (a related row costs a query unless it is loaded)."""
    return {f.name: json_value(getattr(instance, f.name)) for f in recorded_fields(type(instance))}


def stored_values(instance: models.Model) -> dict[str, Any] | None:
    """The recorded fields as the database holds them now (None for a new object): the "old"
    side of an edit. One query, related rows joined."""
    if instance.pk is None:
        return None
    model = type(instance)
    related = [f.name for f in recorded_fields(model) if f.is_relation]
    stored = model._default_manager.select_related(*related).filter(pk=instance.pk).first()
    return None if stored is None else values(stored)


def tag_values(document: Document, names: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """The document's tags under these names as stored now: one query per name."""
    return {name: references(getattr(document, name).all()) for name in names}


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> Changes:
    return {name: {"old": old.get(name), "new": new.get(name)}
            for name in new if old.get(name) != new.get(name)}


def created(new: Mapping[str, Any]) -> Changes:
    """A create's changes: its non-empty values, long texts left out."""
    return {name: {"new": value} for name, value in new.items()
            if name not in LONG_VALUES and value not in (None, "", [], {}, False)}


def deleted(old: Mapping[str, Any]) -> Changes:
    """A deletion's changes: every value, enough to put the object back."""
    return {name: {"old": value} for name, value in old.items()}


def describe(instance: models.Model) -> tuple[str, str, str, int | None]:
    """(kind, object ID, label, document ID) of an object a revision is about."""
    kind = KINDS[type(instance)]
    if isinstance(instance, Document):
        return kind, str(instance.pk), instance.title, instance.pk
    if isinstance(instance, Text | Attachment):
        return kind, str(instance.pk), str(instance), instance.document_id
    if isinstance(instance, PageText):  # one query for the page, unless it was selected
        page = instance.page
        return kind, str(instance.pk), f"OCR text of {page}", page.document_id
    return kind, str(instance.pk), str(instance), None


def revision_for(instance: models.Model, action: str, changes: Changes, actor: Actor,
                 note: str = "") -> Revision:
    """The unsaved revision row of one change to `instance`."""
    kind, object_id, label, document_id = describe(instance)
    return Revision(
        kind=kind, object_id=object_id, object_label=label[:1000], document_id=document_id,
        action=action, changes=changes, note=note[:300], **actor.row_fields(),
    )


def membership_revision(document_id: int, collection: dict[str, Any], action: str, actor: Actor,
                        note: str = "") -> Revision:
    """The unsaved row of a document joining ("create") or leaving ("delete") a collection.

    A membership is known by its collection (the same pair may come and go again), so
    object_id is the collection's ID and `collection` its reference.
    """
    side = "new" if action == "create" else "old"
    return Revision(
        kind=Revision.MEMBERSHIP, object_id=str(collection["id"]),
        object_label=collection["name"][:1000], document_id=document_id, action=action,
        changes={"collection": {side: collection}}, note=note[:300], **actor.row_fields(),
    )
