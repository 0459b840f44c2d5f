"""JSON twins of the public pages: collections and documents, under the same access rules.

Every response is the API's JSON (declassified.api.http); errors are {"error": "..."} with
status 400, 404 or 405. URLs are absolute. A document's status is shown only to editors (who
alone can see unpublished ones).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest, JsonResponse
from django.urls import reverse

from declassified.api.http import json_error, json_get, json_response
from declassified.archive import access, queries
from declassified.archive.editions import edition_editor_names, participant_lines
from declassified.archive.information import document_information
from declassified.archive.machine_transcripts import OCR_KEY, machine_transcript
from declassified.archive.models import Attachment, Collection, Document, Repository, Text

if TYPE_CHECKING:
    from declassified.archive.queries import FullDocument


def link(request: HttpRequest, obj, label_field: str = "name") -> dict:
    return {
        "id": obj.pk,
        label_field: getattr(obj, label_field),
        "url": request.build_absolute_uri(obj.get_absolute_url()),
    }


def document_item(request: HttpRequest, document: Document) -> dict:
    """A document as a list shows it: id, date, display_date, title, summary, number,
    participants, url."""
    return {
        "id": document.pk,
        "date": document.date,
        "display_date": document.display_date,
        "title": document.title,
        "summary": document.summary,
        "number": document.number,
        "participants": participant_lines(document.participants),
        "url": request.build_absolute_uri(document.get_absolute_url()),
    }


@json_get
def collection_list(request: HttpRequest) -> JsonResponse:
    """Every collection with its published-document count (one query)."""
    return json_response({"results": [
        {
            "id": c.pk,
            "title": c.title,
            "date_span": c.date_span,
            "display_date_span": c.display_date_span,
            "document_count": c.document_count,
            "url": request.build_absolute_uri(c.get_absolute_url()),
        }
        for c in queries.collections_with_counts()
    ], "next": None})  # the same shape as the paginated lists; collections come whole


@json_get
def collection_detail(request: HttpRequest, pk: int) -> JsonResponse:
    """A collection, all its fields and all its visible documents in page order (four queries)."""
    collection = queries.collection_for_page(pk)
    if collection is None:
        return json_error("No collection has that ID.", 404)
    documents = queries.collection_documents_in_date_order(collection, request.user,
                                                           editions=False)
    return json_response(collection_fields(request, collection) | {
        "documents": [document_item(request, d) for d in documents],
    })


def collection_fields(request: HttpRequest, collection: Collection) -> dict:
    image = collection.image
    return {
        "id": collection.pk,
        "title": collection.title,
        "slug": collection.slug,
        "date_span": collection.date_span,
        "display_date_span": collection.display_date_span,
        "short_description": collection.short_description,
        "description": collection.description,
        "image": request.build_absolute_uri(image.url) if image else None,
        "image_caption": collection.image_caption,
        "image_credit": collection.image_credit,
        "parent": link(request, collection.parent, "title") if collection.parent else None,
        "children": [link(request, c, "title") for c in collection.children.all()],
        "related": [link(request, c, "title") for c in collection.related.all()],
        "featured": collection.featured,
        "edition": edition_fields(request, collection) if collection.is_edition else None,
        "url": request.build_absolute_uri(collection.get_absolute_url()),
        "iiif_collection": request.build_absolute_uri(
            reverse("originals:collection", args=[collection.pk])),
    }


def document_list(request: HttpRequest) -> JsonResponse:
    """Documents found by ?source_id= (e.g. frus1964-68v30/d1); 404 when none is visible.

    Without source_id, GET /api/v1/documents is the harvest list (declassified.api.documents).
    Methods are handled by the route (declassified.api.urls), as for document_detail.
    """
    source_id = request.GET.get("source_id", "").strip()
    if not source_id:
        return json_error("Give ?source_id=, e.g. ?source_id=frus1964-68v30/d1.", 400)
    document = queries.document_by_source_id(source_id, request.user)
    if document is not None:  # None again only if it was deleted between the two queries
        document = queries.document_for_page(document.pk, request.user)
    if document is None:
        return json_error("No document has that source_id.", 404)
    return json_response({"results": [document_fields(request, document)], "next": None})


def document_detail(request: HttpRequest, pk: int) -> JsonResponse:
    """A document with all its fields, texts, files, pages, tags and machine transcript
    (twelve queries, thirteen with pages)."""
    document = queries.document_for_page(pk, request.user)
    if document is None:
        return json_error("No document has that ID.", 404)
    fields = document_fields(request, document)
    fields["machine_transcript"] = machine_transcript_fields(document)
    return json_response(fields)


def machine_transcript_fields(document: Document) -> dict | None:
    """What OCR read on the document's pages (an editor's correction where there is one),
    page by page, marked as OCR; None until OCR has read a page (one query). Only the
    document detail has it: a harvest page would carry every page's text of fifty documents."""
    transcript = machine_transcript(list(document.pages.all()))
    if transcript is None:
        return None
    return {
        "kind": OCR_KEY,
        "mean_confidence": transcript.mean_confidence,
        "pages": [{
            "number": page.number,
            "text": page.text if page.read else None,
            "mean_confidence": page.mean_confidence,
            "corrected": page.corrected,
        } for page in transcript.pages],
    }


def document_fields(request: HttpRequest, document: FullDocument) -> dict:
    """Everything a document page shows, as plain data."""
    fields = document_item(request, document) | {
        "slug": document.slug,
        "date_earliest": document.date_earliest.isoformat() if document.date_earliest else None,
        "date_latest": document.date_latest.isoformat() if document.date_latest else None,
        "date_detail": document.date_detail,
        "summary_generated": document.summary_generated,
        "document_type": document.document_type,
        "classification": document.classification,
        "languages": [{"code": lang.code, "name": lang.name} for lang in document.languages.all()],
        "source_citation": document.source_citation,
        "source_id": document.source_id,
        "source_url": document.source_url,
        "repository": repository_fields(request, document.repository),
        "place_of_origin": link(request, document.place_of_origin)
        if document.place_of_origin else None,
        "rights": document.rights,
        "funding": document.funding,
        "created_at": document.created_at.isoformat(),
        "updated_at": document.updated_at.isoformat(),
        "published_at": document.published_at.isoformat() if document.published_at else None,
        "collections": [link(request, c, "title") for c in document.collections.all()],
        "related": [link(request, d, "title") for d in document.visible_related],
        "texts": [text_fields(t) for t in document.texts.all()],
        "attachments": [
            attachment_fields(request, document, a) for a in document.attachments.all()
        ],
    } | page_fields(request, document)
    for relation in ("authors", "people", "contributors", "places", "subjects"):
        fields[relation] = [link(request, tag) for tag in getattr(document, relation).all()]
    fields |= information_fields(request, document)
    if access.can_see_unpublished(request.user):
        fields["status"] = document.status
    return fields


def information_fields(request: HttpRequest, document: Document) -> dict:
    """The rest of the "Document information" block: call number, translators (of its
    texts) and the documentary edition that publishes it (from the prefetched texts and
    collections: no query)."""
    information = document_information(document)
    edition = information.edition
    return {
        "call_number": document.call_number,
        "translators": information.translators,
        "edition": edition_fields(request, edition) if edition else None,
    }


def edition_fields(request: HttpRequest, collection: Collection) -> dict:
    """A documentary edition as a citation needs it (see archive.editions)."""
    return link(request, collection, "title") | {
        "series_title": collection.series_title,
        "volume_number": collection.volume_number,
        "volume_title": collection.volume_title,
        "editors": edition_editor_names(collection),
        "publisher": collection.publisher,
        "publisher_place": collection.publisher_place,
        "published_year": collection.published_year,
        "medium": collection.medium,
        "source_url": collection.source_url,
    }


def page_fields(request: HttpRequest, document: Document) -> dict:
    """The document's pages in order (the prefetched `pages`) with their IIIF image services,
    and its IIIF manifest, which only a document with pages has."""
    pages = [{
        "id": page.pk, "label": page.label or f"p. {number}",
        "width": page.width, "height": page.height,
        "image_service": request.build_absolute_uri(
            reverse("originals:image-base", args=[page.pk])),
    } for number, page in enumerate(document.pages.all(), start=1)]
    manifest = reverse("originals:manifest", args=[document.pk])
    return {"pages": pages,
            "iiif_manifest": request.build_absolute_uri(manifest) if pages else None}


def repository_fields(request: HttpRequest, repository: Repository | None) -> dict | None:
    if repository is None:
        return None
    return link(request, repository) | {
        "abbreviation": repository.abbreviation,
        "location": repository.location,
        "website": repository.url,
    }


def text_fields(text: Text) -> dict:
    return {
        "id": text.pk,
        "kind": text.kind,
        "language": {"code": text.language.code, "name": text.language.name},
        "translator": text.translator,
        "body": text.body,
        "footnotes": text.footnotes,
    }


def attachment_fields(request: HttpRequest, document: Document, attachment: Attachment) -> dict:

    return {
        "id": attachment.pk,
        "title": attachment.title,
        "url": request.build_absolute_uri(
            reverse("web:attachment", args=[document.pk, attachment.pk])
        ),
        "sha256": attachment.sha256,
        "size": attachment.size,
        "content_type": attachment.content_type,
    }
