"""Bulk actions: the archive's writes for importers that hand over hundreds of documents.

Part of the write path `declassified.archive.actions` owns (see its docstring), under its
rules: everything inside one transaction — the caller's: each bulk action is atomic without
a savepoint, so an importer that wraps a volume in `transaction.atomic` writes all of it or
nothing, at no extra cost; a Revision row for every object created or changed (documents,
texts, collections, people, places, archives, languages, links, glossaries), built with
`archive.revisions` like the single actions' and written in batches; who acts is an
`archive.revisions.Actor` (a user, or a program named by `via`); and
`actions.enqueue_reindex` for every document touched, which the caller calls once at the
end with what the actions return. What differs from the single
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

from django.db import transaction
from django.utils import timezone

from declassified.archive.bulk_insert import insert_revisions
from declassified.archive.languages import language_name
from declassified.archive.models import (
    Collection,
    GlossaryTerm,
    Language,
    Person,
    Place,
    Repository,
    Revision,
    make_slug,
)
from declassified.archive.name_variants import add_generated_variants
from declassified.archive.revisions import (
    Actor,
    created,
    json_value,
    revision_for,
    values,
)
from declassified.archive.richtext import sanitize_html

BATCH = 500  # rows a query: SQLite limits the parameters of one statement
Change = tuple[Any, Any]  # (old value, new value) of one field
_Named = TypeVar("_Named", Place, Repository)  # entities found by their exact name


def created_rows(rows: Iterable[Any], actor: Actor, action: str = "create") -> list[Revision]:
    """The revision rows of objects just created in bulk (their IDs known), unsaved."""
    return [revision_for(row, action, created(values(row)), actor) for row in rows]


def changed_row(instance: Any, changes: Mapping[str, Change], actor: Actor,
                action: str = "edit") -> Revision:
    """The revision row of one object's fields changed in bulk, from {field: (old, new)}."""
    return revision_for(instance, action, {
        name: {"old": json_value(old), "new": json_value(new)}
        for name, (old, new) in changes.items()
    }, actor)


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
def get_or_create_language(code: str, *, actor: Actor) -> Language:
    """The language with this ISO 639 code, created with its common name if new."""
    language, is_new = Language.objects.get_or_create(
        code=code, defaults={"name": language_name(code)})
    if is_new:
        insert_revisions(created_rows([language], actor))
    return language


@transaction.atomic(savepoint=False)
def bulk_get_or_create_by_name(model: type[_Named], names: Iterable[str], *,
                               actor: Actor) -> dict[str, _Named]:
    """{name: row} of places or repositories by exact name; the missing ones created in one
    batch (three queries with their revisions)."""
    wanted = set(names)
    found: dict[str, _Named] = {}
    for row in model.objects.filter(name__in=wanted).order_by("id"):
        found.setdefault(row.name, row)
    missing = [model(name=n[:300], slug=make_slug(n)) for n in sorted(wanted - found.keys())]
    for row in missing:
        add_generated_variants(row)  # places: Peking gets Beijing, 北京, …
    new = model.objects.bulk_create(missing)
    insert_revisions(created_rows(new, actor))
    found.update((row.name, row) for row in new)
    return found


@transaction.atomic(savepoint=False)
def bulk_get_or_create_repositories(
    details: Mapping[str, tuple[str, str]], *, actor: Actor,
) -> dict[str, Repository]:
    """{name: Repository} for {name: (abbreviation, location)}, as bulk_get_or_create_by_name;
    a repository without abbreviation and location gets them (once: then they are editors')."""
    found = bulk_get_or_create_by_name(Repository, details, actor=actor)
    for name, repository in found.items():
        if not repository.abbreviation and not repository.location:
            abbreviation, location = details[name]
            changes = assign(repository, {"abbreviation": abbreviation, "location": location})
            if changes:
                repository.save(update_fields=["abbreviation", "location"])
                changed_row(repository, changes, actor).save()
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
def bulk_merge_people(people: Sequence[PersonInput], *, actor: Actor) -> dict[str, Person]:
    """{source_key: Person}: people found by source_key, the new ones created in one batch.

    Editors own a person's name and description once created: a found person only gets an
    empty description filled in and another spelling of the name added to its variants
    (one more query when any did). Of several inputs with a new key, the first creates the
    person. A handful of queries in all, revisions included.
    """
    found = _people_by_source_key(people)
    new: dict[str, Person] = {}
    olds: dict[int, dict[str, Any]] = {}  # person ID → {field: value before this call}
    for entry in people:
        person = found.get(entry.source_key)
        if person is None:
            new.setdefault(entry.source_key, _new_person(entry))
            continue
        merged: dict[str, Any] = {}
        if not person.description and entry.description:
            merged["description"] = entry.description
        if entry.name != person.name and entry.name not in person.variants:
            merged["variants"] = [*person.variants, entry.name]
        for name, (old, _) in assign(person, merged).items():
            olds.setdefault(person.pk, {}).setdefault(name, old)
    created_people = Person.objects.bulk_create(list(new.values()))
    changed = [person for person in found.values() if person.pk in olds]
    if changed:
        now = timezone.now()  # bulk_update skips auto_now; the names lexicon watches it
        for person in changed:
            person.updated_at = now
        Person.objects.bulk_update(changed, ["description", "variants", "updated_at"])
    insert_revisions(created_rows(created_people, actor) + [
        changed_row(person, {name: (old, getattr(person, name))
                             for name, old in olds[person.pk].items()}, actor)
        for person in changed])
    return found | new


@transaction.atomic(savepoint=False)
def bulk_get_or_create_people(people: Sequence[PersonInput], *,
                              actor: Actor) -> dict[str, Person]:
    """{source_key: Person}: people found by source_key are left as they are; the missing
    ones are created (from the first input with their key) in one batch."""
    if not people:
        return {}
    found = _people_by_source_key(people)
    new: dict[str, Person] = {}
    for entry in people:
        if entry.source_key not in found:
            new.setdefault(entry.source_key, _new_person(entry))
    insert_revisions(created_rows(Person.objects.bulk_create(list(new.values())),
                                              actor))
    return found | new


def _people_by_source_key(people: Sequence[PersonInput]) -> dict[str, Person]:
    found: dict[str, Person] = {}
    keys = {entry.source_key for entry in people}
    for person in Person.objects.filter(source_key__in=keys).order_by("id"):
        found.setdefault(person.source_key, person)
    return found


def _new_person(entry: PersonInput) -> Person:
    person = Person(name=entry.name[:300], slug=make_slug(entry.name), kind=entry.kind,
                    description=entry.description, source_key=entry.source_key,
                    variants=list(entry.variants))
    add_generated_variants(person)  # "Chou En-lai" gets "Zhou Enlai", 周恩来, …
    return person


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
def bulk_upsert_collections(collections: Sequence[CollectionInput], *,
                            actor: Actor) -> CollectionsWritten:
    """Create or update collections by source_id, in order (a parent before its children).

    One query finds them all; each one created or changed is saved on its own (a child needs
    its parent's ID), an unchanged one costs nothing; one more query writes their revisions.
    A new title makes a new slug.
    """
    existing: dict[str, Collection] = {}
    wanted = [entry.source_id for entry in collections]
    for stored in Collection.objects.filter(source_id__in=wanted).order_by("id"):
        existing.setdefault(stored.source_id, stored)
    result = CollectionsWritten()
    revisions: list[Revision] = []
    for entry in collections:
        values_ = dict(entry.values)
        if "description" in values_:
            values_["description"] = sanitize_html(values_["description"])
        parent = result.by_source_id[entry.parent] if entry.parent is not None else None
        collection = existing.get(entry.source_id)
        if collection is None:
            collection = Collection(source_id=entry.source_id, parent=parent, **values_)
            collection.save()  # Collection.save makes the slug
            result.created.append(entry.source_id)
            revisions += created_rows([collection], actor)
        else:
            if parent is not None:  # compared by ID: reading the stored parent costs a query
                values_["parent_id"] = parent.pk
            changes = assign(collection, values_)
            if "title" in changes:
                collection.slug = ""  # Collection.save makes it from the new title
            if changes:
                collection.save()
                result.changed[entry.source_id] = changes
                revisions.append(changed_row(collection, changes, actor))
        result.by_source_id[entry.source_id] = collection
    insert_revisions(revisions)
    return result


@dataclass(frozen=True)
class GlossaryEntry:
    term_id: str  # the ID in the source, e.g. "t_NSC1"
    term: str
    expansion: str


@transaction.atomic(savepoint=False)
def bulk_replace_glossary(collection: Collection, entries: Sequence[GlossaryEntry], *,
                          actor: Actor) -> bool:
    """Make `entries` the collection's glossary, in this order; returns whether it changed.

    One query when the glossary is already so; otherwise three more, and one revision row
    on the collection with the old and new glossary (term ID, term, expansion each).
    """
    old = [GlossaryEntry(*row) for row in GlossaryTerm.objects.filter(collection=collection)
           .order_by("position", "id").values_list("term_id", "term", "expansion")]
    if old == list(entries):
        return False
    GlossaryTerm.objects.filter(collection=collection).delete()
    GlossaryTerm.objects.bulk_create(
        [GlossaryTerm(collection=collection, term_id=entry.term_id, term=entry.term,
                      expansion=entry.expansion, position=position)
         for position, entry in enumerate(entries)],
        batch_size=BATCH,
    )
    as_lists = [[e.term_id, e.term, e.expansion] for e in old], \
        [[e.term_id, e.term, e.expansion] for e in entries]
    changed_row(collection, {"glossary": as_lists}, actor).save()
    return True
