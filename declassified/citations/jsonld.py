"""schema.org JSON-LD for documents (ArchiveComponent), collections (Collection) and the site
(ArchiveOrganization and WebSite with a SearchAction), and its safe embedding in HTML.

Every function reads only what the page already loaded (prefetched relations through
`.all()`), so embedding the JSON-LD costs no query of its own on the pages that prefetch.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from declassified.archive.models import Collection, Document, Person, Place, Repository
from declassified.citations.metadata import dc_date

CONTEXT = "https://schema.org"
WIKIDATA = "https://www.wikidata.org/wiki/"

# Characters that could end the <script> element or open an HTML comment inside it, written
# as JSON escapes: the data stays identical for a JSON parser and inert for the HTML parser.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                   0x2028: "\\u2028", 0x2029: "\\u2029"}


def script_tag(data: dict) -> SafeString:
    """`<script type="application/ld+json">` holding `data`, safe whatever the strings contain."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def site_root(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("web:home"))


def site_organization(request: HttpRequest) -> dict:
    """The archive itself, referred to by @id from every other record."""
    root = site_root(request)
    return {"@type": "ArchiveOrganization", "@id": f"{root}#archive",
            "name": settings.SITE_NAME, "url": root}


def _absolute(request: HttpRequest, obj) -> str:
    return request.build_absolute_uri(obj.get_absolute_url())


def _person(request: HttpRequest, person: Person) -> dict:
    kind = "Organization" if person.kind == Person.ORGANIZATION else "Person"
    node = {"@type": kind, "name": person.name, "url": _absolute(request, person)}
    if person.wikidata_id:
        node["sameAs"] = WIKIDATA + person.wikidata_id
    return node


def _place(request: HttpRequest, place: Place) -> dict:
    node: dict = {"@type": "Place", "name": place.name, "url": _absolute(request, place)}
    if place.latitude is not None and place.longitude is not None:
        node["geo"] = {"@type": "GeoCoordinates", "latitude": float(place.latitude),
                       "longitude": float(place.longitude)}
    return node


def _repository(request: HttpRequest, repository: Repository) -> dict:
    page = _absolute(request, repository)
    node = {"@type": "ArchiveOrganization", "@id": page, "name": repository.name,
            "url": repository.url or page}
    if repository.abbreviation:
        node["alternateName"] = repository.abbreviation
    if repository.location:
        node["location"] = repository.location
    return node


def _collection_ref(request: HttpRequest, collection: Collection) -> dict:
    url = _absolute(request, collection)
    return {"@type": "Collection", "@id": url, "name": collection.title, "url": url}


def document_jsonld(request: HttpRequest, document: Document, item: dict) -> dict:
    """An ArchiveComponent: the document as held by its archive and published here."""
    # This page, and the document's own date: an edition document's CSL URL and `issued` are
    # its edition's page and its volume's year.
    url = _absolute(request, document)
    data: dict = {
        "@context": CONTEXT, "@type": "ArchiveComponent", "@id": url,
        "url": url, "name": document.title,
        "identifier": {"@type": "PropertyValue", "propertyID": "record ID",
                       "value": str(document.pk)},
        "publisher": site_organization(request),
    }
    optional = {
        "description": document.summary,
        "genre": document.document_type,
        "dateCreated": dc_date(item, "original-date" if item["type"] == "chapter" else "issued"),
        "datePublished": document.published_at.date().isoformat()
        if document.published_at else "",
        "dateModified": document.updated_at.isoformat() if document.updated_at else "",
        "author": [_person(request, p) for p in document.authors.all()],
        "holdingArchive": _repository(request, document.repository)
        if document.repository else None,
        "itemLocation": item.get("archive_location", ""),
        "isPartOf": [_collection_ref(request, c) for c in document.collections.all()],
        "about": [{"@type": "Thing", "name": s.name, "url": _absolute(request, s)}
                  for s in document.subjects.all()],
        "mentions": [_person(request, p) for p in document.people.all()]
        + [_place(request, p) for p in document.places.all()],
        "inLanguage": [language.code for language in document.languages.all()],
        "copyrightNotice": document.rights,
    }
    data.update({key: value for key, value in optional.items() if value})
    return data | _originals(request, document)


# How schema.org points at a IIIF manifest: a CreativeWork the document is the subject of,
# in the manifest's own media type (the IIIF community's discovery practice).
IIIF_MANIFEST_TYPE = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'


def _originals(request: HttpRequest, document: Document) -> dict:
    """The document's IIIF manifest and its first page's picture, when it has pages (reads
    the page's prefetched `pages`)."""
    pages = list(document.pages.all())
    if not pages:
        return {}
    manifest = request.build_absolute_uri(reverse("originals:manifest", args=[document.pk]))
    service = request.build_absolute_uri(reverse("originals:image-base", args=[pages[0].pk]))
    return {
        "subjectOf": {"@type": "CreativeWork", "@id": manifest, "url": manifest,
                      "name": "IIIF manifest", "encodingFormat": IIIF_MANIFEST_TYPE},
        "image": f"{service}/full/,200/0/default.jpg",
    }


def collection_jsonld(request: HttpRequest, collection: Collection, *,
                      document_count: int | None = None, image_url: str = "") -> dict:
    """A Collection with its parent and sub-collections (read from the page's prefetch)."""
    url = _absolute(request, collection)
    data: dict = {"@context": CONTEXT, "@type": "Collection", "@id": url, "url": url,
                  "name": collection.title, "publisher": site_organization(request)}
    optional = {
        "description": collection.short_description,
        "temporalCoverage": collection.date_span,
        "collectionSize": document_count,
        "image": image_url,
        "isPartOf": _collection_ref(request, collection.parent) if collection.parent else None,
        "hasPart": [_collection_ref(request, child) for child in collection.children.all()],
    }
    data.update({key: value for key, value in optional.items() if value or value == 0})
    return data


def site_jsonld(request: HttpRequest) -> dict:
    """The archive as an organisation, and the website with its search."""
    root = site_root(request)
    search = request.build_absolute_uri(reverse("web:search"))
    website = {
        "@type": "WebSite", "@id": f"{root}#website", "name": settings.SITE_NAME, "url": root,
        "publisher": {"@id": f"{root}#archive"},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }
    return {"@context": CONTEXT, "@graph": [site_organization(request), website]}
