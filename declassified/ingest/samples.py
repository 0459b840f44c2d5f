"""The sample collection in samples/: collections.json, then each collection's JSON Lines file.

Loading is idempotent: collections are matched by title and updated in place, documents go
through the tabular importer (matched by record ID or source_id), and anything already as
the samples describe it is left untouched.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.urls import reverse

from declassified.archive.actions import do_save_collection, do_set_related_collections
from declassified.archive.dates import InvalidDate, parse_document_date
from declassified.archive.models import Collection, Document
from declassified.archive.richtext import sanitize_html
from declassified.ingest.tabular import (
    ImportFileError,
    ImportResult,
    ImportRow,
    import_rows,
    parse_file,
)

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "samples"
COLLECTION_FIELDS = (
    "title", "date_span", "short_description", "description", "image_caption", "image_credit",
    "featured", "related",
)
SAMPLES = "samples"  # who writes, in the revisions (a program: no user)
# Descriptions link other collections as href="collection:Title"; their IDs differ per archive.
COLLECTION_LINK = re.compile(r'href="collection:([^"]+)"')


class SampleError(Exception):
    """The sample files are broken (a message for the person running the command)."""


@dataclass(frozen=True)
class SamplesResult:
    collections_created: int
    collections_updated: int
    documents: ImportResult

    def __str__(self) -> str:
        return (
            f"collections: {self.collections_created} created, {self.collections_updated} "
            f"updated; documents: {self.documents}"
        )


def load_samples(directory: Path = SAMPLES_DIR) -> SamplesResult:
    """Load collections.json and every *.jsonl in `directory`, in one transaction."""
    entries = read_collections(directory / "collections.json")
    with transaction.atomic():
        created, updated = load_collections(entries)
        rows: list[ImportRow] = []
        for path in sorted(directory.glob("*.jsonl")):
            try:
                rows.extend(parse_file(path))
            except ImportFileError as error:
                raise SampleError(str(error)) from None
        keep_fixed_ids_off_other_documents(rows)
        documents = import_rows(rows, acting_user=None, via=SAMPLES)
    return SamplesResult(created, updated, documents)


def read_collections(path: Path) -> list[dict]:
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SampleError(f"{path}: {error}") from None
    if not isinstance(entries, list):
        raise SampleError(f"{path}: expected a list of collections")
    titles = {entry.get("title", "").casefold() for entry in entries if isinstance(entry, dict)}
    for number, entry in enumerate(entries, start=1):
        where = f"{path.name}, collection {number}"
        if not isinstance(entry, dict) or not entry.get("title"):
            raise SampleError(f"{where}: expected an object with a title")
        unknown = set(entry) - set(COLLECTION_FIELDS)
        if unknown:
            raise SampleError(f"{where}: unknown fields {', '.join(sorted(unknown))}")
        try:
            parse_document_date(entry.get("date_span", ""))
        except InvalidDate as error:
            raise SampleError(f"{where}, date_span: {error}") from None
        named = entry.get("related", []) + COLLECTION_LINK.findall(entry.get("description", ""))
        missing = [title for title in named if title.casefold() not in titles]
        if missing:
            raise SampleError(f"{where}: names collections not in the file: {missing}")
    return entries


def load_collections(entries: list[dict]) -> tuple[int, int]:
    """Create or update collections by title; then descriptions and related links, which
    need every collection's ID. Returns (created, updated)."""
    by_title: dict[str, Collection] = {}
    created = updated = 0
    for entry in entries:
        collection = Collection.objects.filter(title__iexact=entry["title"]).order_by("pk").first()
        is_new = collection is None
        collection = collection or Collection()
        changed = assign(collection, {
            name: entry.get(name, default) for name, default in (
                ("title", ""), ("date_span", ""), ("short_description", ""),
                ("image_caption", ""), ("image_credit", ""), ("featured", False),
            )
        })
        if changed or is_new:
            do_save_collection(collection, acting_user=None, via=SAMPLES)
        by_title[collection.title.casefold()] = collection
        created += is_new
        updated += changed and not is_new
    for entry in entries:
        collection = by_title[entry["title"].casefold()]
        description = sanitize_html(COLLECTION_LINK.sub(
            lambda match: f'href="{collection_url(by_title[match.group(1).casefold()])}"',
            entry.get("description", ""),
        ))
        if assign(collection, {"description": description}):
            do_save_collection(collection, acting_user=None, via=SAMPLES)
        related = {by_title[title.casefold()].pk for title in entry.get("related", [])}
        if related - set(collection.related.values_list("pk", flat=True)):
            current = set(collection.related.values_list("pk", flat=True))
            do_set_related_collections(
                collection, Collection.objects.filter(pk__in=related | current),
                acting_user=None, via=SAMPLES,
            )
    return created, updated


def assign(instance, values: dict) -> bool:
    """Set attributes; True when any of them changed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def collection_url(collection: Collection) -> str:
    """The stable form of a collection's address, which outlives any retitling."""
    return reverse("web:collection", args=[collection.pk])


def keep_fixed_ids_off_other_documents(rows: list[ImportRow]) -> None:
    """A sample keeps its fixed record ID unless another document already holds that ID (an
    archive that imported documents before loading the samples): then it is matched by its
    source_id, or gets a fresh ID. Samples never overwrite someone else's document."""
    source_ids = [row.data.source_id for row in rows if row.data.source_id]
    loaded = dict(Document.objects.filter(source_id__in=source_ids).values_list("source_id", "pk"))
    taken = set(
        Document.objects.filter(pk__in=[row.data.id for row in rows if row.data.id])
        .values_list("pk", flat=True)
    )
    for row in rows:
        if row.data.source_id in loaded:
            row.data.id = loaded[row.data.source_id]
        elif row.data.id in taken:
            row.data.id = None
