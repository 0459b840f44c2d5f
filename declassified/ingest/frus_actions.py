"""The write action for FRUS: `do_import_frus_volume`, one transaction per volume.

It takes the plain data `frus.parse_volume` produced and creates or updates, by source ID,
the volume's collection and chapter sub-collections, its documents with their transcripts,
persons, places, archives and glossary; writes history (Revision rows: the values a document
was created with, or the old and new value of each field and transcript it changed) and
search-outbox rows for every document it created or changed. Writes are batched (a few
dozen queries per volume, not per document).

Fields the importer owns are overwritten on re-import; everything else is the editors'
(docs/frus-import.md lists both).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from declassified.archive.actions import enqueue_reindex
from declassified.archive.dates import parse_document_date
from declassified.archive.models import (
    Collection,
    CollectionMembership,
    Document,
    Language,
    Place,
    Repository,
    Revision,
    Text,
    make_slug,
)
from declassified.archive.revisions import Actor, created, revision_for, values
from declassified.archive.richtext import sanitize_html
from declassified.ingest.frus_bibliography import BibliographyRecord
from declassified.ingest.frus_body import PERSON_LINK
from declassified.ingest.frus_data import DocumentEntry, VolumeData
from declassified.ingest.frus_people import resolve_parties, resolve_persons
from declassified.ingest.models import GlossaryTerm

RIGHTS = "Public domain: a work of the United States Government (Foreign Relations of the " \
         "United States, Office of the Historian)."
# Document fields the importer owns: rewritten from the XML on every import.
OWNED_FIELDS = (
    "title", "date", "date_detail", "document_type", "classification", "source_citation",
    "source_url", "repository_id", "place_of_origin_id",
)
_DERIVED = ("date_earliest", "date_latest", "display_date", "slug", "summary",
            "summary_generated", "updated_at")
# What the revision of a new document records: its small values (not the transcript).
_CREATED_VALUES = ("source_id", *OWNED_FIELDS, "summary", "status")
BATCH = 500


@dataclass
class VolumeResult:
    """What importing one volume did; `as_report()` is what jobs store and show."""

    volume_id: str
    collection_id: int
    path: str = ""
    documents: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    undated: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_report(self) -> dict:
        return {
            "volume": self.volume_id, "file": self.path, "status": "imported",
            "collection_id": self.collection_id, "documents": self.documents,
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "undated": self.undated, "warnings": self.warnings,
        }


@transaction.atomic
def do_import_frus_volume(
    volume: VolumeData, *, bibliography: BibliographyRecord | None = None,
    acting_user: User | None, via: str = "frus-import",
) -> VolumeResult:
    """Create or update everything one parsed volume holds; all of it or nothing.
    `acting_user` and `via` are recorded in the revisions (see archive.actions)."""
    actor = Actor(acting_user, via)
    collections = _upsert_collections(volume, bibliography)
    root = collections[volume.volume_id]
    persons = resolve_persons(volume)
    parties = resolve_parties(volume, persons)
    places = _by_name(Place, {d.place for d in volume.documents if d.place})
    repositories = _repositories(volume)
    english, _ = Language.objects.get_or_create(code="en", defaults={"name": "English"})
    writer = _DocumentWriter(volume, persons, places, repositories, english, actor)
    result = writer.write()
    result.collection_id = root.pk
    _link_documents(writer, volume, collections, persons, parties, places, english)
    _replace_glossary(volume, root)
    enqueue_reindex(writer.touched)
    return result


# --- Collections -----------------------------------------------------------------------------


def _upsert_collections(volume: VolumeData, bibliography) -> dict[str, Collection]:
    """The volume's collection and its chapters as sub-collections, in order (by source_id)."""
    wanted = [volume.volume_id] + [c.source_id for c in volume.chapters]
    existing: dict[str, Collection] = {}
    for collection in Collection.objects.filter(source_id__in=wanted).order_by("id"):
        existing.setdefault(collection.source_id, collection)
    spans = _chapter_spans(volume)
    root = existing.get(volume.volume_id) or Collection(source_id=volume.volume_id)
    _set(root, title=volume.title[:300], editors=volume.editors,
         date_span=(bibliography.date_span if bibliography else "") or volume.date_span)
    if bibliography is not None:  # the description is the importer's only with --bibliography
        _set(root, description=sanitize_html(bibliography.description_html),
             short_description=bibliography.short_description)
    _save_collection(root)
    result = {volume.volume_id: root}
    for chapter in volume.chapters:
        collection = existing.get(chapter.source_id) or Collection(source_id=chapter.source_id)
        parent = result[chapter.parent] if chapter.parent else root
        _set(collection, title=chapter.title[:300], parent_id=parent.pk,
             position=chapter.position, date_span=spans.get(chapter.source_id, ""))
        _save_collection(collection)
        result[chapter.source_id] = collection
    return result


def _set(instance, **values) -> None:
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            instance._frus_changed = True
            if name == "title":
                instance.slug = ""  # Collection.save makes the slug from the new title


def _save_collection(collection: Collection) -> None:
    if collection.pk is None or getattr(collection, "_frus_changed", False):
        collection.save()


def _chapter_spans(volume: VolumeData) -> dict[str, str]:
    """EDTF years of each chapter's dated documents ('1961/1963'), shown with the chapter."""
    years: dict[str, list[str]] = {}
    for document in volume.documents:
        if document.date:
            for chapter in document.chapters:
                years.setdefault(chapter, []).append(document.date[:4])
    spans = {}
    for chapter, found in years.items():
        low, high = min(found), max(found)
        spans[chapter] = low if low == high else f"{low}/{high}"
    return spans


# --- Named entities ---------------------------------------------------------------------------


_Named = TypeVar("_Named", bound=Model)  # a model found by its `name`: Place, Repository


def _by_name(model: type[_Named], names: set[str]) -> dict[str, _Named]:
    """Existing rows by exact name; the missing ones created in one batch."""
    found: dict[str, _Named] = {}
    for row in model.objects.filter(name__in=names).order_by("id"):
        found.setdefault(row.name, row)
    missing = [model(name=n[:300], slug=make_slug(n)) for n in sorted(names - found.keys())]
    for row in model.objects.bulk_create(missing):
        found[row.name] = row
    return found


def _repositories(volume: VolumeData) -> dict[str, Repository]:
    infos = {d.repository.name: d.repository for d in volume.documents if d.repository}
    found = _by_name(Repository, set(infos))
    for name, repository in found.items():
        info = infos[name]
        if not repository.abbreviation and not repository.location:
            repository.abbreviation, repository.location = info.abbreviation, info.location
            repository.save(update_fields=["abbreviation", "location"])
    return found


# --- Documents ---------------------------------------------------------------------------------


class _DocumentWriter:
    """Builds, compares and writes the volume's documents and transcripts in batches."""

    def __init__(self, volume, persons, places, repositories, english, actor) -> None:
        self.volume = volume
        self.person_urls = {xml_id: reverse("web:person", args=[p.pk])
                            for xml_id, p in persons.items()}
        self.places = places
        self.repositories = repositories
        self.english = english
        self.actor = actor
        self.reference_names = {  # for the revisions: names of the archives and places by ID
            "repository_id": {row.pk: row.name for row in repositories.values()},
            "place_of_origin_id": {row.pk: row.name for row in places.values()},
        }
        self.documents: dict[str, Document] = {}  # source_id → saved document
        self.touched: list[int] = []

    def write(self) -> VolumeResult:
        entries = self.volume.documents
        existing = {d.source_id: d for d in Document.objects.filter(
            source_id__in=[e.source_id for e in entries])}
        texts = self._existing_transcripts(existing.values())
        result = VolumeResult(self.volume.volume_id, 0, self.volume.path, len(entries),
                              undated=self.volume.undated, warnings=list(self.volume.warnings))
        new, changed, revisions, text_rows, text_updates = [], [], [], [], []
        now = timezone.now()
        for entry in entries:
            body, footnotes = self._html(entry)
            document = existing.get(entry.source_id)
            if document is None:
                document = self._new_document(entry, now)
                new.append((document, body, footnotes))
                continue
            old = self._update(document, entry)
            text = texts.get(document.pk)
            transcript_changed = text is None or (text.body, text.footnotes) != (body, footnotes)
            if text is None:
                text_rows.append(self._transcript(document, body, footnotes))
            elif transcript_changed:
                revisions.append(self._transcript_revision(text, body, footnotes))
                text.body, text.footnotes = body, footnotes
                text_updates.append(text)
            if old or transcript_changed:
                changed.append(document)
                revisions.append(self._revision(document, old))
            self.documents[entry.source_id] = document
        self._save(new, changed, revisions, text_rows, text_updates)
        result.created, result.updated = len(new), len(changed)
        result.unchanged = len(entries) - len(new) - len(changed)
        return result

    def _save(self, new, changed, revisions, text_rows, text_updates) -> None:
        replaced = len(text_rows)  # transcripts of existing documents come first
        new_documents = Document.objects.bulk_create([d for d, _, _ in new], batch_size=BATCH)
        for document, (_, body, footnotes) in zip(new_documents, new, strict=True):
            self.documents[document.source_id] = document
            text_rows.append(self._transcript(document, body, footnotes))
            revisions.append(self._revision(document))
        if changed:
            Document.objects.bulk_update(changed, OWNED_FIELDS + _DERIVED, batch_size=BATCH)
        Text.objects.bulk_create(text_rows, batch_size=BATCH)
        # Before their documents' rows, so restoring a document's "import" keeps its transcript.
        revisions[:0] = [revision_for(text, "create", created(values(text)), self.actor)
                         for text in text_rows[:replaced]]
        if text_updates:
            Text.objects.bulk_update(text_updates, ["body", "footnotes"], batch_size=BATCH)
        Revision.objects.bulk_create(revisions, batch_size=BATCH)
        self.touched = [d.pk for d in new_documents] + [d.pk for d in changed]

    def _html(self, entry: DocumentEntry) -> tuple[str, str]:
        """The parser's sanitised HTML with person placeholders turned into links to the
        person's page (a record ID: nothing unsafe is added), or into the bare name."""
        def person_link(match) -> str:
            url = self.person_urls.get(match.group(1))
            if not url:
                return match.group(3)
            return f'<a class="person" href="{url}"{match.group(2)}>{match.group(3)}</a>'

        if "frus-person/" not in entry.body_html + entry.footnotes_html:
            return entry.body_html, entry.footnotes_html
        return (PERSON_LINK.sub(person_link, entry.body_html),
                PERSON_LINK.sub(person_link, entry.footnotes_html))

    def _owned_values(self, entry: DocumentEntry) -> dict:
        repository = self.repositories.get(entry.repository.name) if entry.repository else None
        place = self.places.get(entry.place) if entry.place else None
        return {
            "title": entry.title, "date": entry.date, "date_detail": entry.date_detail[:100],
            "document_type": entry.document_type[:100],
            "classification": entry.classification[:200],
            "source_citation": entry.source_note, "source_url": entry.source_url,
            "repository_id": repository.pk if repository else None,
            "place_of_origin_id": place.pk if place else None,
        }

    def _new_document(self, entry: DocumentEntry, now) -> Document:
        document = Document(
            source_id=entry.source_id, slug=make_slug(entry.title), summary=entry.summary,
            summary_generated=entry.summary_generated, status=Document.PUBLISHED,
            published_at=now, rights=RIGHTS, **self._owned_values(entry),
        )
        _apply_date(document)
        return document

    def _update(self, document: Document, entry: DocumentEntry) -> dict[str, Any]:
        """Overwrite the owned fields; the summary only while it is not an editor's.
        Returns the old value of each field it changed."""
        changed = {}
        for name, value in self._owned_values(entry).items():
            if getattr(document, name) != value:
                changed[name] = getattr(document, name)
                setattr(document, name, value)
        if "title" in changed:
            changed["slug"] = document.slug
            document.slug = make_slug(document.title)
        if "date" in changed:
            _apply_date(document)
        editors_summary = document.summary and not document.summary_generated
        if not editors_summary and entry.summary and (
            document.summary, document.summary_generated
        ) != (entry.summary, entry.summary_generated):
            changed["summary"] = document.summary
            changed["summary_generated"] = document.summary_generated
            document.summary, document.summary_generated = entry.summary, entry.summary_generated
        if changed:
            document.updated_at = timezone.now()
        return changed

    def _existing_transcripts(self, documents) -> dict[int, Text]:
        """The importer's transcript per document: its first English transcript."""
        found: dict[int, Text] = {}
        rows = Text.objects.filter(
            document__in=[d.pk for d in documents], kind=Text.TRANSCRIPT, language=self.english
        ).order_by("position", "id")
        for text in rows:
            found.setdefault(text.document_id, text)
        return found

    def _transcript(self, document, body: str, footnotes: str) -> Text:
        return Text(document=document, kind=Text.TRANSCRIPT, language=self.english,
                    body=body, footnotes=footnotes, position=0)

    def _revision(self, document: Document, old: dict[str, Any] | None = None) -> Revision:
        """The "import" revision of a document: the small values it was created with (`old`
        None), or the old and new value of each field `_update` changed."""
        def recorded(name: str, value: Any) -> Any:  # a reference by ID, named if the volume knows it
            names = self.reference_names.get(name)
            return value if names is None or value is None else {"id": value, "name": names.get(value, "")}

        if old is None:
            changes = created({name.removesuffix("_id"): recorded(name, getattr(document, name))
                               for name in _CREATED_VALUES})
        else:
            changes = {name.removesuffix("_id"): {"old": recorded(name, value),
                                                  "new": recorded(name, getattr(document, name))}
                       for name, value in old.items()}
        return revision_for(document, "import", changes, self.actor)

    def _transcript_revision(self, text: Text, body: str, footnotes: str) -> Revision:
        """The edit of the importer's transcript: old and new body and footnotes."""
        changes = {name: {"old": getattr(text, name), "new": value}
                   for name, value in (("body", body), ("footnotes", footnotes))
                   if getattr(text, name) != value}
        return revision_for(text, "edit", changes, self.actor)


def _apply_date(document: Document) -> None:
    parsed = parse_document_date(document.date)  # the parser checked it: never raises here
    document.date = parsed.edtf
    document.date_earliest, document.date_latest = parsed.earliest, parsed.latest
    document.display_date = parsed.display


# --- Relations -----------------------------------------------------------------------------


def _link_documents(writer, volume, collections, persons, parties, places, english) -> None:
    """Add (never remove) languages, people, authors, places and collection memberships."""
    links: dict[str, set[tuple[int, object]]] = {
        "languages": set(), "people": set(), "authors": set(), "places": set(), "memberships": set(),
    }
    for entry in volume.documents:
        pk = writer.documents[entry.source_id].pk
        links["languages"].add((pk, english.pk))
        links["people"].update((pk, persons[p].pk) for p in entry.person_ids if p in persons)
        links["people"].update((pk, parties[key].pk) for key in _party_keys(entry.recipients)
                               if key in parties)
        links["authors"].update((pk, parties[key].pk) for key in _party_keys(entry.senders)
                                if key in parties)
        if entry.place in places:
            links["places"].add((pk, places[entry.place].pk))
        for source_id in [volume.volume_id, *entry.chapters]:
            links["memberships"].add((pk, collections[source_id].pk))
    for name, rows in links.items():
        _insert_links(name, rows)


def _party_keys(parties) -> list[str]:
    return [party.person_id or party.name for party in parties]


def _insert_links(name: str, rows: set[tuple[int, object]]) -> None:
    """INSERT … ON CONFLICT DO NOTHING into a many-to-many table (SQLite and PostgreSQL):
    building a model instance per link was most of the write time of a volume."""
    if not rows:
        return
    if name == "memberships":
        table, fields = CollectionMembership._meta, ("document", "collection")
    else:
        table = getattr(Document, name).through._meta
        fields = ("document", {"languages": "language", "places": "place"}.get(name, "person"))
    columns = ", ".join(connection.ops.quote_name(table.get_field(f).column) for f in fields)
    sql = (f"INSERT INTO {connection.ops.quote_name(table.db_table)} ({columns}) "
           f"VALUES (%s, %s) ON CONFLICT DO NOTHING")
    with connection.cursor() as cursor:
        cursor.executemany(sql, sorted(rows))


def _replace_glossary(volume: VolumeData, collection: Collection) -> None:
    """The glossary is the importer's: replaced as a whole from the volume's terms."""
    GlossaryTerm.objects.filter(collection=collection).delete()
    GlossaryTerm.objects.bulk_create(
        [GlossaryTerm(collection=collection, term_id=t.xml_id[:100], term=t.term[:200],
                      expansion=t.expansion, position=i) for i, t in enumerate(volume.terms)],
        batch_size=BATCH,
    )
