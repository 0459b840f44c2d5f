"""What the importers hand to `archive.upsert.do_upsert_documents` — documents as plain,
validated data (DocumentInput, TextInput) — and how their names become entities
(EntityResolver), shared by upsert.py (one document at a time) and upsert_new.py (new
documents in bulk) so that neither imports the other.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import models
from django.db.models.functions import Upper

from declassified.archive.bulk_actions import BATCH
from declassified.archive.languages import language_name
from declassified.archive.models import (
    Collection,
    Language,
    Person,
    Place,
    Revision,
    Subject,
    make_slug,
)
from declassified.archive.name_variants import add_generated_variants
from declassified.archive.revisions import Actor
from declassified.archive.richtext import sanitize_html


@dataclass
class TextInput:
    kind: str
    language: str
    body: str
    translator: str = ""
    footnotes: str = ""
    sanitized: bool = False  # body and footnotes already through richtext.sanitize_html

    def clean(self) -> TextInput:
        """This text with its HTML sanitised: itself if it already was. An importer may
        sanitise where it reads (a helper process); the writer then does not again."""
        if self.sanitized:
            return self
        return dataclasses.replace(self, body=sanitize_html(self.body),
                                   footnotes=sanitize_html(self.footnotes), sanitized=True)


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
    ("subjects", Subject),
]


class EntityResolver:
    """Finds entities by exact name or creates them; caches within one import and remembers
    what it created (for the import's revisions)."""

    def __init__(self) -> None:
        self.cache: dict[tuple[type, str], Any] = {}
        self.created: list[models.Model] = []

    def get(self, model, name: str):
        name = name.strip()
        key = (model, name.casefold())
        if key not in self.cache:
            name_field = "title" if model is Collection else "name"
            found = model.objects.filter(**{f"{name_field}__iexact": name}).order_by("pk").first()
            if found is None:
                found = model(**{name_field: name})
                add_generated_variants(found)  # people and places: their other spellings
                found.save()
                self.created.append(found)
            self.cache[key] = found
        return self.cache[key]

    def prefetch(self, model, names: Iterable[str]) -> None:
        """Look up many names at once (one query per BATCH), creating those not found: the
        one-at-a-time lookup reads the whole table each time (no index serves a
        case-insensitive match), which made a big import slower with every name it added.
        Only ASCII names: their upper case is the same in Python, SQLite and PostgreSQL,
        so the match is `get`'s; others are left to `get`."""
        name_field = "title" if model is Collection else "name"
        wanted: dict[str, str] = {}
        for name in (n.strip() for n in names):
            if name.isascii() and (model, name.casefold()) not in self.cache:
                wanted.setdefault(name.upper(), name)
        keys = list(wanted)
        for start in range(0, len(keys), BATCH):
            rows = (model.objects.annotate(upper_name=Upper(name_field))
                    .filter(upper_name__in=keys[start:start + BATCH]).order_by("-pk"))
            for row in rows:  # the lowest ID last: the one `get` would find
                self.cache[(model, getattr(row, name_field).casefold())] = row
        missing = {name.casefold(): name for name in wanted.values()
                   if (model, name.casefold()) not in self.cache}
        # bulk_create skips save(), which fills the slug in; the other spellings are added as
        # `get` adds them (people and places).
        fresh = [model(**{name_field: name, "slug": make_slug(name)}) for name in missing.values()]
        for entity in fresh:
            add_generated_variants(entity)
        new = model.objects.bulk_create(fresh, batch_size=BATCH)
        self.created += new
        self.cache.update(((model, key), row) for key, row in zip(missing, new, strict=True))

    def language(self, code: str) -> Language:
        code = code.strip().lower()
        key = (Language, code)
        if key not in self.cache:
            language, was_created = Language.objects.get_or_create(
                code=code, defaults={"name": language_name(code)}
            )
            if was_created:
                self.created.append(language)
            self.cache[key] = language
        return self.cache[key]


def wanted_tags(resolver: EntityResolver, data: DocumentInput) -> dict[str, list]:
    """{relation: its rows} for the tag lists the input has."""
    wanted: dict[str, list] = {}
    if data.languages is not None:
        wanted["languages"] = [resolver.language(code) for code in data.languages]
    for relation, model in TAG_RELATIONS:
        names = getattr(data, relation)
        if names is not None:
            wanted[relation] = [resolver.get(model, n) for n in names]
    return wanted


class UpsertState(Protocol):
    """What a do_upsert_documents call keeps while it writes (upsert.DocumentUpsert)."""

    actor: Actor
    resolver: EntityResolver
    created: int
    touched: list[int]
    revisions: list[Revision]
