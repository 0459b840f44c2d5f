"""Writing one parsed FRUS volume into the archive: `import_volume`, one transaction.

It turns the plain data of `parse.parse_volume` into the inputs of the archive's bulk
actions (declassified.archive.bulk_actions) and calls them in order: the volume's collection
and its chapters as sub-collections, people and organisations, places, archives, the
documents with their transcripts (and a revision row for each one created or changed), the
links between them, the glossary; then the search outbox for every document touched. A few
dozen queries per volume, not per document. Nothing here writes a model itself.

Fields the importer owns are overwritten on re-import; everything else is the editors'
(docs/frus-import.md lists both).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse

from declassified.archive.actions import enqueue_reindex
from declassified.archive.bulk_actions import (
    CollectionInput,
    GlossaryEntry,
    bulk_get_or_create_by_name,
    bulk_get_or_create_repositories,
    bulk_replace_glossary,
    bulk_upsert_collections,
    get_or_create_language,
)
from declassified.archive.bulk_documents import (
    DocumentLinks,
    SourceDocumentInput,
    bulk_add_document_links,
    bulk_upsert_documents,
)
from declassified.archive.models import (
    Collection,
    CollectionMembership,
    Document,
    Language,
    Person,
    Place,
    Repository,
)
from declassified.archive.revisions import Actor
from declassified.ingest.frus.bibliography import BibliographyRecord
from declassified.ingest.frus.body import PERSON_LINK
from declassified.ingest.frus.edition import edition_values
from declassified.ingest.frus.people import resolve_parties, resolve_persons
from declassified.ingest.frus.types import DocumentEntry, Party, VolumeData

__all__ = ["RIGHTS", "VolumeResult", "import_volume"]

RIGHTS = "Public domain: a work of the United States Government (Foreign Relations of the " \
         "United States, Office of the Historian)."
# A new document is published at once, with the rights above; both are the editors' after.
NEW_DOCUMENT = {"status": Document.PUBLISHED, "rights": RIGHTS}


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
def import_volume(
    volume: VolumeData, *, bibliography: BibliographyRecord | None = None,
    acting_user: User | None, via: str = "frus-import",
) -> VolumeResult:
    """Create or update everything one parsed volume holds; all of it or nothing.
    `acting_user` and `via` are recorded in its revisions (see archive.actions)."""
    actor = Actor(acting_user, via)
    written_collections = bulk_upsert_collections(_collection_inputs(volume, bibliography),
                                                  actor=actor)
    collections = written_collections.by_source_id
    persons = resolve_persons(volume, actor)
    parties = resolve_parties(volume, persons, actor)
    places = bulk_get_or_create_by_name(Place, {d.place for d in volume.documents if d.place},
                                        actor=actor)
    repositories = bulk_get_or_create_repositories({
        d.repository.name: (d.repository.abbreviation, d.repository.location)
        for d in volume.documents if d.repository
    }, actor=actor)
    english = get_or_create_language("en", actor=actor)
    inputs = _DocumentInputs(persons, places, repositories)
    written = bulk_upsert_documents([inputs.of(entry) for entry in volume.documents],
                                    defaults=NEW_DOCUMENT, language=english, actor=actor)
    links = _Links(written.by_source_id, collections, persons, parties, places, english)
    linked = bulk_add_document_links(links.of(volume), actor=actor, created=written.created)
    root = collections[volume.volume_id]
    bulk_replace_glossary(root, [GlossaryEntry(t.xml_id[:100], t.term[:200], t.expansion)
                                 for t in volume.terms], actor=actor)
    # Collection titles are searched with their documents, and an edition's series and
    # number label their hits ("FRUS 1964–68, vol. XXX, no. 100"): a change reindexes them.
    renamed = [collections[key].pk for key, changes in written_collections.changed.items()
               if _INDEXED_COLLECTION_FIELDS & set(changes)]
    enqueue_reindex([*written.touched, *linked, *CollectionMembership.objects.filter(
        collection_id__in=renamed).values_list("document_id", flat=True)])
    return VolumeResult(
        volume.volume_id, root.pk, volume.path, len(volume.documents),
        created=len(written.created), updated=len(written.updated), unchanged=written.unchanged,
        undated=volume.undated, warnings=list(volume.warnings),
    )


_INDEXED_COLLECTION_FIELDS = {"title", "is_edition", "series_title", "volume_number"}


# --- Collections -----------------------------------------------------------------------------


def _collection_inputs(
    volume: VolumeData, bibliography: BibliographyRecord | None,
) -> list[CollectionInput]:
    """The volume's collection, then its chapters as sub-collections in document order."""
    values = {"title": volume.title[:300], "editors": volume.editors,
              "date_span": (bibliography.date_span if bibliography else "") or volume.date_span}
    if bibliography is not None:  # the description is the importer's only with --bibliography
        values.update(description=bibliography.description_html,
                      short_description=bibliography.short_description)
    # The edition's facts; without --bibliography the header lacks some (the year, the
    # medium), and a re-import without it must not blank what an import with it wrote.
    edition = edition_values(volume, bibliography)
    values.update(edition if bibliography is not None else {k: v for k, v in edition.items() if v})
    inputs = [CollectionInput(volume.volume_id, values)]
    spans = _chapter_spans(volume)
    for chapter in volume.chapters:
        inputs.append(CollectionInput(
            chapter.source_id, parent=chapter.parent or volume.volume_id,
            values={"title": chapter.title[:300], "position": chapter.position,
                    "date_span": spans.get(chapter.source_id, "")},
        ))
    return inputs


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


# --- Documents ---------------------------------------------------------------------------------


class _DocumentInputs:
    """DocumentEntry → the archive's SourceDocumentInput, with the records it points to."""

    def __init__(self, persons: dict[str, Person], places: dict[str, Place],
                 repositories: dict[str, Repository]) -> None:
        self.person_urls = {xml_id: reverse("web:person", args=[p.pk])
                            for xml_id, p in persons.items()}
        self.places = places
        self.repositories = repositories

    def of(self, entry: DocumentEntry) -> SourceDocumentInput:
        repository = self.repositories.get(entry.repository.name) if entry.repository else None
        place = self.places.get(entry.place) if entry.place else None
        body, footnotes = self._html(entry)
        return SourceDocumentInput(
            source_id=entry.source_id,
            fields={  # the fields the importer owns, in the order a revision names them
                "title": entry.title, "number": entry.number[:20],
                "date": entry.date, "date_detail": entry.date_detail[:100],
                "document_type": entry.document_type[:100],
                "classification": entry.classification[:200],
                "source_citation": entry.source_note, "source_url": entry.source_url,
                "call_number": entry.call_number[:300],
                "participants": "\n".join(entry.participants),
                "repository_id": repository.pk if repository else None,
                "place_of_origin_id": place.pk if place else None,
            },
            summary=entry.summary, summary_generated=entry.summary_generated,
            transcript=body, transcript_footnotes=footnotes,
        )

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


# --- Relations -----------------------------------------------------------------------------


class _Links:
    """The links a volume adds (never removes): languages, people, authors, places and
    collection memberships, as (document ID, other ID) pairs."""

    def __init__(self, documents: dict[str, Document], collections: dict[str, Collection],
                 persons: dict[str, Person], parties: dict[str, Person],
                 places: dict[str, Place], language: Language) -> None:
        self.documents, self.collections = documents, collections
        self.persons, self.parties, self.places = persons, parties, places
        self.language = language

    def of(self, volume: VolumeData) -> DocumentLinks:
        links = DocumentLinks()
        for entry in volume.documents:
            pk = self.documents[entry.source_id].pk
            links.languages.add((pk, self.language.pk))
            links.people.update((pk, self.persons[p].pk) for p in entry.person_ids
                                if p in self.persons)
            links.people.update(self._parties(pk, entry.recipients))
            links.authors.update(self._parties(pk, entry.senders))
            if entry.place in self.places:
                links.places.add((pk, self.places[entry.place].pk))
            for source_id in [volume.volume_id, *entry.chapters]:
                links.collections.add((pk, self.collections[source_id].pk))
        return links

    def _parties(self, pk: int, parties: list[Party]) -> list[tuple[int, int]]:
        keys = [party.person_id or party.name for party in parties]
        return [(pk, self.parties[key].pk) for key in keys if key in self.parties]
