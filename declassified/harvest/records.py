"""Published documents as plain JSON objects: the lines of the bulk data dumps.

Each object is the document JSON of the API (`GET /api/v1/documents/<id>` as an anonymous
reader), field for field; tests/harvest/test_dumps.py compares the two. Dumps serialise every
document, so relations are read here for a whole batch with one plain-values query each (no
model instances, no per-document prefetch machinery) and URLs are computed once per row,
prefixed with a configured base rather than a request host.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from django.db.models import F
from django.urls import reverse

from declassified.archive import access
from declassified.archive.editions import participant_lines
from declassified.archive.models import Attachment, CollectionMembership, Document, Page, Text

RECORD_SELECT = ("repository", "place_of_origin")
TAG_RELATIONS = {  # document field: (URL name, through-table column of the tag)
    "authors": ("web:person", "person"),
    "people": ("web:person", "person"),
    "contributors": ("web:person", "person"),
    "places": ("web:place", "place"),
    "subjects": ("web:subject", "subject"),
}


class UrlCache:
    """Absolute URLs by (URL name, id), reversed once each."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.urls: dict[tuple, str] = {}

    def __call__(self, name: str, *args) -> str:
        key = (name, *args)
        if key not in self.urls:
            self.urls[key] = self.base_url + reverse(name, args=args)
        return self.urls[key]


def _grouped(rows, make: Callable) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(make(*row[1:]))
    return grouped


def _tags(relation: str, ids: Sequence[int], url: UrlCache) -> dict[int, list]:
    """{document id: [{id, name, url}]} of one tag relation, ordered by name (one query)."""
    url_name, column = TAG_RELATIONS[relation]
    through = getattr(Document, relation).through.objects.filter(document_id__in=ids)
    rows = through.order_by(f"{column}__name", f"{column}_id").values_list(
        "document_id", f"{column}_id", f"{column}__name")
    return _grouped(rows, lambda pk, name: {"id": pk, "name": name, "url": url(url_name, pk)})


# The edition's columns an API record carries (api.records.edition_fields), in its key order.
EDITION_FIELDS = ("series_title", "volume_number", "volume_title", "edition_editors", "publisher",
                  "publisher_place", "published_year", "medium", "source_url")
EDITION_KEYS = ("id", "title", "url", "series_title", "volume_number", "volume_title", "editors",
                "publisher", "publisher_place", "published_year", "medium", "source_url")


def batch_relations(documents: Sequence[Document], url: UrlCache) -> dict[str, dict]:
    """Every relation of a batch of documents: {field: {document id: [items]}} (12 queries)."""
    ids = [document.pk for document in documents]
    relations = {name: _tags(name, ids, url) for name in TAG_RELATIONS}
    relations["languages"] = _grouped(
        Document.languages.through.objects.filter(document_id__in=ids)
        .order_by("language__name").values_list("document_id", "language_id", "language__name"),
        lambda code, name: {"code": code, "name": name})
    relations["collections"] = _grouped(
        CollectionMembership.objects.filter(document_id__in=ids)
        .order_by("collection__title", "collection_id")
        .values_list("document_id", "collection_id", "collection__slug", "collection__title"),
        lambda pk, slug, title: {"id": pk, "title": title,
                                 "url": url("web:collection-slug", pk, slug)})
    relations["related"] = _grouped(
        Document.related.through.objects.filter(
            from_document_id__in=ids, to_document__in=access.public_documents())
        .order_by(F("to_document__date_earliest").asc(nulls_last=True), "to_document_id")
        .values_list("from_document_id", "to_document_id", "to_document__slug",
                     "to_document__title"),
        lambda pk, slug, title: {"id": pk, "title": title,
                                 "url": url("web:document-slug", pk, slug)})
    relations["texts"] = _grouped(
        Text.objects.filter(document_id__in=ids).order_by("document_id", "position", "id")
        .values_list("document_id", "id", "kind", "language_id", "language__name",
                     "translator", "body", "footnotes"),
        lambda pk, kind, code, name, translator, body, footnotes: {
            "id": pk, "kind": kind, "language": {"code": code, "name": name},
            "translator": translator, "body": body, "footnotes": footnotes})
    relations["attachments"] = _grouped(
        Attachment.objects.filter(document_id__in=ids).order_by("document_id", "position", "id")
        .values_list("document_id", "id", "title", "document_id", "sha256", "size",
                     "content_type"),
        lambda pk, title, document_id, sha256, size, content_type: {
            "id": pk, "title": title, "url": url("web:attachment", document_id, pk),
            "sha256": sha256, "size": size, "content_type": content_type})
    relations["pages"] = _grouped(
        Page.objects.filter(document_id__in=ids).order_by("document_id", "position", "id")
        .values_list("document_id", "id", "label", "width", "height"),
        lambda pk, label, width, height: {
            "id": pk, "label": label, "width": width, "height": height,
            "image_service": url("originals:image-base", pk)})
    relations["edition"] = _editions(ids, url)
    for pages in relations["pages"].values():  # unlabelled pages are numbered, as in the API
        for number, page in enumerate(pages, start=1):
            page["label"] = page["label"] or f"p. {number}"
    return relations


def _editions(ids: list[int], url: UrlCache) -> dict[int, list[dict]]:
    """Each document's documentary edition (archive.editions.document_edition's choice: the
    first in title order), as the API's `edition` (one query)."""
    return _grouped(
        CollectionMembership.objects.filter(document_id__in=ids, collection__is_edition=True)
        .order_by("collection__title", "collection_id")
        .values_list("document_id", "collection_id", "collection__slug", "collection__title",
                     *(f"collection__{name}" for name in EDITION_FIELDS)),
        lambda pk, slug, title, *values: {
            "id": pk, "title": title, "url": url("web:collection-slug", pk, slug),
            **dict(zip(EDITION_FIELDS, values, strict=True)),
        })


def _edition_record(editions: list[dict]) -> dict | None:
    if not editions:
        return None
    edition = dict(editions[0])
    edition["editors"] = [line.strip() for line in edition.pop("edition_editors").splitlines()
                          if line.strip()]
    return {key: edition[key] for key in EDITION_KEYS}


def _translators(texts: list[dict]) -> list[str]:
    """Of its texts, each once, in the texts' order (as archive.information)."""
    names: list[str] = []
    for text in texts:
        name = text["translator"].strip()
        if name and name not in names:
            names.append(name)
    return names


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def document_records(documents: Sequence[Document], base_url: str = "") -> list[dict]:
    """The public fields of a batch of documents (fetched with select_related(*RECORD_SELECT));
    URLs are prefixed with base_url (e.g. https://host). Twelve queries per batch."""
    url = UrlCache(base_url)
    relations = batch_relations(documents, url)
    return [document_record(document, relations, url) for document in documents]


def document_record(document: Document, relations: dict[str, dict], url: UrlCache) -> dict:
    repository, origin = document.repository, document.place_of_origin
    record = {
        "id": document.pk, "date": document.date, "display_date": document.display_date,
        "title": document.title, "summary": document.summary, "number": document.number,
        "participants": participant_lines(document.participants),
        "url": url("web:document-slug", document.pk, document.slug), "slug": document.slug,
        "date_earliest": _iso(document.date_earliest), "date_latest": _iso(document.date_latest),
        "date_detail": document.date_detail, "summary_generated": document.summary_generated,
        "document_type": document.document_type, "classification": document.classification,
        "languages": relations["languages"].get(document.pk, []),
        "source_citation": document.source_citation, "source_id": document.source_id,
        "source_url": document.source_url,
        "repository": {
            "id": repository.pk, "name": repository.name,
            "url": url("web:repository", repository.pk), "abbreviation": repository.abbreviation,
            "location": repository.location, "website": repository.url,
        } if repository else None,
        "place_of_origin": {
            "id": origin.pk, "name": origin.name, "url": url("web:place", origin.pk),
        } if origin else None,
        "rights": document.rights, "funding": document.funding,
        "created_at": _iso(document.created_at), "updated_at": _iso(document.updated_at),
        "published_at": _iso(document.published_at),
    }
    for name in ("collections", "related", "texts", "attachments", "pages", *TAG_RELATIONS):
        record[name] = relations[name].get(document.pk, [])
    record["iiif_manifest"] = url("originals:manifest", document.pk) if record["pages"] else None
    record["call_number"] = document.call_number
    record["translators"] = _translators(record["texts"])
    record["edition"] = _edition_record(relations["edition"].get(document.pk, []))
    return record
