"""Generated spellings for the people and places an archive already holds.

New and renamed people and places get the other spellings of their names when they are
saved (archive.name_variants). Those created before that rule existed, or imported by an
older version, have none: `declassified add-name-variants` gives them theirs, through
`do_add_generated_variants`. It only adds — an editor's own variants stay — and it leaves
alone every entity whose variants a person has edited (in the back office or through the
API): removing a wrong spelling must not be undone by running a command.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from declassified.archive.actions import enqueue_reindex
from declassified.archive.bulk_actions import BATCH, changed_row
from declassified.archive.bulk_insert import insert_revisions
from declassified.archive.models import Document, Person, Place, Revision
from declassified.archive.name_variants import ORGANIZATION, PERSON, PLACE, generated_variants
from declassified.archive.revisions import Actor

VIA = "add-name-variants"
_READ_CHUNK = 2000
# The document relations that name a person or a place (archive.actions.documents_tagged_with).
_RELATIONS = {Person: ("authors", "people", "contributors"), Place: ("places",)}


@dataclass
class VariantsAdded:
    people: int = 0
    places: int = 0
    kept_as_edited: int = 0  # entities whose variants a person edited: left alone
    spellings: int = 0
    documents: int = 0


@transaction.atomic
def do_add_generated_variants(*, acting_user=None, via: str = VIA) -> VariantsAdded:
    """Add to every person's and place's variants the generated spellings of its name it
    lacks; one revision for each entity changed, its documents reindexed. All or nothing."""
    actor, report, now = Actor(acting_user, via), VariantsAdded(), timezone.now()
    document_ids: set[int] = set()
    for model, revision_kind in ((Person, Revision.PERSON), (Place, Revision.PLACE)):
        edited = _edited_by_people(revision_kind)
        changed: list = []
        for entity in model.objects.order_by("pk").iterator(_READ_CHUNK):
            added = generated_variants(entity.name, _kind(entity), entity.variants or [])
            if not added:
                continue
            if str(entity.pk) in edited:
                report.kept_as_edited += 1
                continue
            before = list(entity.variants or [])
            entity.variants, entity.updated_at = [*before, *added], now
            changed.append((entity, before))
            report.spellings += len(added)
        for start in range(0, len(changed), BATCH):
            batch = changed[start:start + BATCH]
            model.objects.bulk_update([entity for entity, _ in batch], ["variants", "updated_at"])
            insert_revisions([changed_row(entity, {"variants": (before, entity.variants)}, actor)
                              for entity, before in batch])
            document_ids |= _documents_naming(model, [entity.pk for entity, _ in batch])
        if model is Person:
            report.people = len(changed)
        else:
            report.places = len(changed)
    enqueue_reindex(document_ids)
    report.documents = len(document_ids)
    return report


def _kind(entity: Person | Place) -> str:
    if isinstance(entity, Place):
        return PLACE
    return ORGANIZATION if entity.kind == Person.ORGANIZATION else PERSON


def _edited_by_people(kind: str) -> set[str]:
    """IDs of the entities of this kind whose variants a person (not a program) changed."""
    return set(Revision.objects.filter(kind=kind, acting_user__isnull=False,
                                       changes__has_key="variants")
               .values_list("object_id", flat=True))


def _documents_naming(model: type[Person] | type[Place], ids: list[int]) -> set[int]:
    found: set[int] = set()
    for relation in _RELATIONS[model]:
        through = getattr(Document, relation).through
        column = f"{model.__name__.lower()}_id"
        found.update(through.objects.filter(**{f"{column}__in": ids})
                     .values_list("document_id", flat=True))
    return found
