"""The sample collection in samples/: collections.json, then each collection's JSON Lines file.

Loading creates only what was never loaded before on this database, and never changes
anything that exists: `make run` loads the samples at every start, and an editor who
withdrew a sample, edited its summary, cleared its source_id or deleted it must find it so
after a restart. The ledger is the revision history, which records every sample written
`via` "samples" (archive.revisions): a sample collection counts as loaded once a collection
was created under its title by the samples, a sample document once a document was written
by the samples with its source_id, or while any document carries that source_id. (The
ledger is looked up by the samples' fixed record IDs; a sample that had to take a fresh ID,
because another document held its fixed one, is recognised only by its source_id.)

A few sample documents also get a generated facsimile (sample_facsimiles.py, listed in
samples/facsimiles.json), under the same rule: given once, never again after an editor
deleted it; its pages are rendered right after the samples' transaction.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from declassified.archive.actions import do_save_collection, do_set_related_collections
from declassified.archive.dates import InvalidDate, parse_document_date
from declassified.archive.models import Collection, Document, Revision
from declassified.archive.richtext import sanitize_html
from declassified.ingest.ocr_jobs import enqueue_ocr
from declassified.ingest.sample_facsimiles import (
    attach_sample_facsimiles,
    render_sample_facsimiles,
)
from declassified.ingest.tabular import (
    ImportFileError,
    ImportRow,
    import_rows,
    parse_file,
)

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "samples"
# Plain text fields of a sample collection, copied as they are (documentary editions:
# see archive.editions); edition_editors is a list of names in the file, one a line here.
TEXT_FIELDS = (
    "title", "date_span", "short_description", "image_caption", "image_credit", "source_id",
    "series_title", "volume_number", "volume_title", "publisher", "publisher_place",
    "published_year", "medium", "source_url",
)
COLLECTION_FIELDS = (
    *TEXT_FIELDS, "description", "featured", "is_edition", "edition_editors", "related",
)
SAMPLES = "samples"  # who writes, in the revisions (a program: no user)
# Descriptions link other collections as href="collection:Title"; their IDs differ per archive.
COLLECTION_LINK = re.compile(r'href="collection:([^"]+)"')


class SampleError(Exception):
    """The sample files are broken (a message for the person running the command)."""


@dataclass(frozen=True)
class SamplesResult:
    collections_created: int
    collections_kept: int
    documents_created: int
    documents_kept: int
    facsimiles_attached: int = 0
    facsimiles_kept: int = 0
    facsimile_pages: int = 0

    def __str__(self) -> str:
        return (
            f"collections: {self.collections_created} created, {self.collections_kept} already "
            f"loaded; documents: {self.documents_created} created, {self.documents_kept} "
            f"already loaded; facsimiles: {self.facsimiles_attached} attached "
            f"({self.facsimile_pages} pages), {self.facsimiles_kept} already loaded"
        )


def load_samples(directory: Path = SAMPLES_DIR) -> SamplesResult:
    """Create the collections of collections.json and the documents of every *.jsonl in
    `directory` that were never loaded here, and attach the facsimiles never attached, in one
    transaction; then render the facsimiles' pages and queue their OCR job. A few queries,
    whatever the size of the archive (the ledger queries use the revision index)."""
    entries = read_collections(directory / "collections.json")
    rows: list[ImportRow] = []
    for path in sorted(directory.glob("*.jsonl")):
        try:
            rows.extend(parse_file(path))
        except ImportFileError as error:
            raise SampleError(str(error)) from None
    if unnamed := [row.number for row in rows if not row.data.source_id]:
        raise SampleError(f"every sample needs a source_id; rows {unnamed} have none")
    with transaction.atomic():
        created = create_missing_collections(entries)
        loaded = loaded_sample_documents(rows)
        new_rows = [row for row in rows if row.data.source_id not in loaded]
        keep_fixed_ids_off_other_documents(new_rows)
        if new_rows:
            import_rows(new_rows, acting_user=None, via=SAMPLES)
        try:
            facsimiles, facsimiles_kept = attach_sample_facsimiles(
                [row.data for row in rows], directory, via=SAMPLES)
        except ValueError as error:
            raise SampleError(str(error)) from None
    pages = render_sample_facsimiles(facsimiles, via=SAMPLES)
    if pages:  # read in the background: `declassified serve`'s worker runs it (docs/ocr.md)
        enqueue_ocr(documents=sorted({attachment.document_id for attachment in facsimiles}))
    return SamplesResult(created, len(entries) - created, len(new_rows), len(rows) - len(new_rows),
                         len(facsimiles), facsimiles_kept, pages)


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
        check_value_types(entry, where)
        try:
            parse_document_date(entry.get("date_span", ""))
        except InvalidDate as error:
            raise SampleError(f"{where}, date_span: {error}") from None
        named = entry.get("related", []) + COLLECTION_LINK.findall(entry.get("description", ""))
        missing = [title for title in named if title.casefold() not in titles]
        if missing:
            raise SampleError(f"{where}: names collections not in the file: {missing}")
    return entries


def check_value_types(entry: dict, where: str) -> None:
    wrong = [name for name in ("featured", "is_edition")
             if name in entry and not isinstance(entry[name], bool)]
    wrong += [name for name in ("related", "edition_editors") if name in entry and not (
        isinstance(entry[name], list) and all(isinstance(item, str) for item in entry[name]))]
    wrong += [name for name in (*TEXT_FIELDS, "description")
              if name in entry and not isinstance(entry[name], str)]
    if wrong:
        raise SampleError(f"{where}: wrong type of value in {', '.join(sorted(wrong))} (text, "
                          "true/false for featured and is_edition, lists of text for related "
                          "and edition_editors)")


def new_collection(entry: dict) -> Collection:
    """The collection an entry describes, without its description and links (they name
    other collections, which may not exist yet)."""
    collection = Collection(**{name: entry.get(name, "") for name in TEXT_FIELDS})
    collection.featured = entry.get("featured", False)
    collection.is_edition = entry.get("is_edition", False)
    collection.edition_editors = "\n".join(entry.get("edition_editors", []))
    return collection


def loaded_sample_collections(entries: list[dict]) -> set[str]:
    """Casefolded titles of the sample collections loaded before (the samples created one
    under that title, even if it was renamed or deleted since) or held by a collection now.
    Two queries; the first reads the revision index by kind."""
    created = Revision.objects.filter(kind=Revision.COLLECTION, via=SAMPLES, action="create")
    loaded = {label.casefold() for label in created.values_list("object_label", flat=True)}
    same_title = Q()
    for entry in entries:
        same_title |= Q(title__iexact=entry["title"])
    existing = Collection.objects.filter(same_title).values_list("title", flat=True)
    return loaded | {title.casefold() for title in existing}


def create_missing_collections(entries: list[dict]) -> int:
    """Create the sample collections never loaded before; then their descriptions and related
    links, which need every collection's ID. Existing collections are never changed, except
    that a new collection may be linked to them (see existing_collections_named).
    Returns how many were created."""
    loaded = loaded_sample_collections(entries)
    new_entries = [entry for entry in entries if entry["title"].casefold() not in loaded]
    existing = existing_collections_named(entries) if new_entries else {}
    created: dict[str, Collection] = {}
    for entry in new_entries:
        collection = new_collection(entry)
        do_save_collection(collection, acting_user=None, via=SAMPLES)
        created[collection.title.casefold()] = collection
    for entry in new_entries:
        collection = created[entry["title"].casefold()]
        collection.description = sanitize_html(COLLECTION_LINK.sub(
            lambda match: f'href="{collection_url(match.group(1))}"', entry.get("description", ""),
        ))
        if collection.description:
            do_save_collection(collection, acting_user=None, via=SAMPLES)
        related = [created.get(t.casefold()) or existing.get(t.casefold())
                   for t in entry.get("related", [])]
        if related := [other for other in related if other is not None]:
            do_set_related_collections(collection, related, acting_user=None, via=SAMPLES)
    return len(new_entries)


def existing_collections_named(entries: list[dict]) -> dict[str, Collection]:
    """{casefolded title: the oldest collection of that title} for the sample collections
    loaded before. A new collection is linked to them: the link only adds (an editor's
    links stay), and it is recorded on both sides. One query."""
    same_title = Q()
    for entry in entries:
        same_title |= Q(title__iexact=entry["title"])
    found: dict[str, Collection] = {}
    for collection in Collection.objects.filter(same_title).order_by("-pk"):
        found[collection.title.casefold()] = collection
    return found


def collection_url(title: str) -> str:
    """The stable form of a collection's address, which outlives any retitling; the
    collection named `title` (the oldest of that title), or the list when there is none."""
    collection = Collection.objects.filter(title__iexact=title).order_by("pk").first()
    if collection is None:
        return reverse("web:collections")
    return reverse("web:collection", args=[collection.pk])


def loaded_sample_documents(rows: list[ImportRow]) -> set[str]:
    """The source_ids of the sample documents loaded before: written by the samples (the
    ledger, looked up by the samples' fixed record IDs through the revision index) or
    carried by a document now. Two queries."""
    source_ids = [row.data.source_id for row in rows]
    fixed_ids = [str(row.data.id) for row in rows if row.data.id]
    written = Revision.objects.filter(
        kind=Revision.DOCUMENT, object_id__in=fixed_ids, via=SAMPLES
    ).values_list("changes", flat=True)
    loaded = {
        changes["source_id"].get("new") for changes in written
        if isinstance(changes, dict) and isinstance(changes.get("source_id"), dict)
    }
    carried = Document.objects.filter(source_id__in=source_ids).values_list("source_id", flat=True)
    return loaded | {source_id for source_id in carried if source_id}


def keep_fixed_ids_off_other_documents(rows: list[ImportRow]) -> None:
    """A sample keeps its fixed record ID unless another document already holds that ID (an
    archive that imported documents before loading the samples): then it gets a fresh ID.
    Samples never overwrite someone else's document."""
    taken = set(
        Document.objects.filter(pk__in=[row.data.id for row in rows if row.data.id])
        .values_list("pk", flat=True)
    )
    for row in rows:
        if row.data.id in taken:
            row.data.id = None
    # Those with fixed IDs first: a fresh ID is the next free one, which may be another
    # sample's fixed ID.
    rows.sort(key=lambda row: row.data.id is None)
