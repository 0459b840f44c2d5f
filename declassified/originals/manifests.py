"""IIIF Presentation API 3.0: a Manifest per document with pages, a Collection per collection.

    document_manifest(document, pages, urls)   # a Canvas per page, in the document's order
    collection_manifest(collection, items, urls)

Both are plain functions of rows already loaded (no query of their own), returning the JSON
as a dict (fast and plain); the tests check every manifest with iiif_prezi3's models
(`validated`), which follow the IIIF's own JSON Schema. Every id is an absolute URL
made by `PresentationUrls` from the request's scheme and host, so a manifest names the
site it was read from. The rules followed are docs/originals.md's "IIIF Presentation API".
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import iiif_prezi3
from django.conf import settings
from django.urls import reverse

from declassified.archive.models import Collection, Document, Page
from declassified.originals.iiif_image import MAX_AREA
from declassified.originals.ocr_files import ALTO_PROFILE

CONTEXT = "http://iiif.io/api/presentation/3/context.json"
THUMBNAIL_HEIGHT = 200
# Creative Commons' Public Domain Mark (the spec takes Creative Commons and RightsStatements.org
# URIs for `rights`), for works free of known copyright; given only when the document's own
# rights statement says "public domain" (FRUS documents are works of the US Government).
# No other rights URI is guessed.
PUBLIC_DOMAIN_MARK = "http://creativecommons.org/publicdomain/mark/1.0/"
RIGHTS_URI_PREFIXES = ("http://creativecommons.org/", "http://rightsstatements.org/")
SEARCH1_CONTEXT = "http://iiif.io/api/search/1/context.json"
SEARCH1_PROFILE = "http://iiif.io/api/search/1/search"
AUTOCOMPLETE1_PROFILE = "http://iiif.io/api/search/1/autocomplete"


# A number no real ID reaches (IDs are 32-bit), reversed in its place to make URL templates.
_SENTINEL = 98765432109


_PAGE_SENTINEL = 98765


@functools.lru_cache(maxsize=32)
def _path_template(name: str) -> str:
    """The path of URL name `name` with "{}" where its one integer goes (a page number
    after it stays _PAGE_SENTINEL): reversing once, not once a URL, keeps a collection of
    thousands of documents fast."""
    extra = [_PAGE_SENTINEL] if name == "downloads:page-alto" else []
    return reverse(name, args=[_SENTINEL, *extra]).replace(str(_SENTINEL), "{}")


@dataclass(frozen=True)
class PresentationUrls:
    """Absolute URLs of everything a manifest points at: `root` is the scheme and host of the
    request, e.g. "https://archive.example.org"."""

    root: str

    def absolute(self, path: str) -> str:
        return self.root + path

    def _url(self, name: str, pk: int) -> str:
        return self.root + _path_template(name).format(pk)

    def manifest(self, document_id: int) -> str:
        return self._url("originals:manifest", document_id)

    def canvas(self, document_id: int, page_id: int) -> str:
        return f"{self.manifest(document_id).removesuffix('/manifest.json')}/canvas/{page_id}"

    def search2(self, document_id: int) -> str:
        return self._url("originals:search2", document_id)

    def autocomplete2(self, document_id: int) -> str:
        return self._url("originals:autocomplete2", document_id)

    def search1(self, document_id: int) -> str:
        return self._url("originals:search1", document_id)

    def autocomplete1(self, document_id: int) -> str:
        return self._url("originals:autocomplete1", document_id)

    def collection(self, collection_id: int) -> str:
        return self._url("originals:collection", collection_id)

    def image_service(self, page_id: int) -> str:
        return self._url("originals:image-base", page_id)

    def document_pdf(self, document_id: int) -> str:
        return self._url("downloads:document-pdf", document_id)

    def document_text(self, document_id: int) -> str:
        return self._url("downloads:document-text", document_id)

    def page_alto(self, document_id: int, number: int) -> str:
        """The ALTO of the document's `number`th page (1-based)."""
        return self._url("downloads:page-alto", document_id).replace(
            f"/page/{_PAGE_SENTINEL}.", f"/page/{number}.")

    def api_document(self, document_id: int) -> str:
        return self._url("api:document", document_id)

    def api_collection(self, collection_id: int) -> str:
        return self._url("api:collection", collection_id)

    def site(self) -> str:
        return self.absolute(reverse("web:home"))


def language_map(text: str, language: str = "none") -> dict[str, list[str]]:
    return {language: [text]}


def english(text: str) -> dict[str, list[str]]:
    """Our own words (metadata labels) are English."""
    return {"en": [text]}


def image_service(page_id: int, urls: PresentationUrls) -> list[dict[str, str]]:
    return [{"id": urls.image_service(page_id), "type": "ImageService3", "profile": "level2"}]


def thumbnail(page_id: int, width: int, height: int, urls: PresentationUrls) -> list[dict]:
    """A small picture of the page (200 px high, never upscaled), with its image service."""
    high = min(THUMBNAIL_HEIGHT, height)
    wide = max(1, round(width * high / height))
    return [{
        "id": f"{urls.image_service(page_id)}/full/,{high}/0/default.jpg",
        "type": "Image", "format": "image/jpeg", "width": wide, "height": high,
        "service": image_service(page_id, urls),
    }]


def full_image(page: Page, urls: PresentationUrls) -> dict:
    """The page's `full/max` picture, of the size the image service sends: the page's own,
    unless it is larger than the service's maxArea (then scaled down to it, as `max` is)."""
    width, height = page.width, page.height
    if width * height > MAX_AREA:
        scale = math.sqrt(MAX_AREA / (width * height))
        width, height = max(1, math.floor(width * scale)), max(1, math.floor(height * scale))
    return {"id": f"{urls.image_service(page.pk)}/full/max/0/default.jpg", "type": "Image",
            "format": "image/jpeg", "width": width, "height": height,
            "service": image_service(page.pk, urls)}


def canvas(manifest_id: str, page: Page, number: int, urls: PresentationUrls) -> dict:
    """The page as a Canvas of its own size, painted with the full image of the page (its id
    is PresentationUrls.canvas's, which content search answers target)."""
    canvas_id = f"{manifest_id.removesuffix('/manifest.json')}/canvas/{page.pk}"
    label = page.label or f"p. {number}"
    return {
        "id": canvas_id, "type": "Canvas", "label": language_map(label),
        "width": page.width, "height": page.height,
        "thumbnail": thumbnail(page.pk, page.width, page.height, urls),
        "items": [{
            "id": f"{canvas_id}/page", "type": "AnnotationPage",
            "items": [{
                "id": f"{canvas_id}/page/image", "type": "Annotation",
                "motivation": "painting", "target": canvas_id,
                "body": full_image(page, urls),
            }],
        }],
    }


def rights_uri(rights: str) -> str | None:
    """The rights URI the document's own statement gives, if any (see PUBLIC_DOMAIN_MARK)."""
    statement = rights.strip()
    for word in statement.split():
        if word.startswith(RIGHTS_URI_PREFIXES):
            return word.rstrip(".,;)")
    if statement.lower().startswith("public domain"):
        return PUBLIC_DOMAIN_MARK
    return None


def text_language(document: Document) -> str:
    """The language a document's title and summary are tagged with: its one language when it
    has exactly one, else "none" (IIIF's tag for text of no stated language)."""
    codes = [language.code for language in document.languages.all()]
    return codes[0] if len(codes) == 1 else "none"


def metadata(document: Document) -> list[dict]:
    """The document's description as label/value pairs, empty ones left out (reads the
    prefetched languages, authors and collections)."""
    date = " ".join(part for part in (document.display_date, document.date_detail) if part)
    repository = document.repository
    pairs = [
        ("Date", date),
        ("Author", "; ".join(person.name for person in document.authors.all())),
        ("Archive", ", ".join(p for p in (repository.name, repository.location) if p)
         if repository else ""),
        ("Source", document.source_citation.strip()),
        ("Language", ", ".join(language.name for language in document.languages.all())),
        ("Classification", document.classification),
        ("Document type", document.document_type),
        ("Collection", "; ".join(c.title for c in document.collections.all())),
        ("Record ID", str(document.pk)),
    ]
    return [{"label": english(label), "value": language_map(value)}
            for label, value in pairs if value]


def required_statement(document: Document) -> dict:
    """Rights and credit, which a viewer must show: the document's rights and funding, and
    the site that publishes it."""
    lines = [text.strip() for text in (document.rights, document.funding) if text.strip()]
    lines.append(f"Published by {settings.SITE_NAME}.")
    return {"label": english("Rights and credit"), "value": {"none": lines}}


def provider(urls: PresentationUrls) -> list[dict]:
    site = urls.site()
    return [{
        "id": site, "type": "Agent", "label": language_map(settings.SITE_NAME),
        "homepage": [{"id": site, "type": "Text", "label": language_map(settings.SITE_NAME),
                      "format": "text/html"}],
    }]


def search_services(document_id: int, urls: PresentationUrls) -> list[dict]:
    """Content search inside the document: Search 2.0 with its autocomplete, and Search 1.0
    beside it (with its own context and profile, as Presentation 3 declares older services)."""
    return [
        {"id": urls.search2(document_id), "type": "SearchService2",
         "label": english("Search in this document"),
         "service": [{"id": urls.autocomplete2(document_id), "type": "AutoCompleteService2"}]},
        {"@context": SEARCH1_CONTEXT, "@id": urls.search1(document_id),
         "@type": "SearchService1", "profile": SEARCH1_PROFILE,
         "service": [{"@id": urls.autocomplete1(document_id), "@type": "AutoCompleteService1",
                      "profile": AUTOCOMPLETE1_PROFILE}]},
    ]


def document_manifest(document: Document, pages: Sequence[Page], urls: PresentationUrls,
                      *, searchable: bool = False) -> dict:
    """The Manifest of a document with at least one page (the spec requires a Canvas); with
    its content search services when `searchable` (some page has OCR text)."""
    manifest_id = urls.manifest(document.pk)
    language = text_language(document)
    first = pages[0]
    manifest: dict[str, Any] = {
        "@context": CONTEXT, "id": manifest_id, "type": "Manifest",
        "label": language_map(document.title, language),
        "metadata": metadata(document),
        "requiredStatement": required_statement(document),
        "provider": provider(urls),
        "homepage": [{"id": urls.absolute(document.get_absolute_url()), "type": "Text",
                      "label": language_map(document.title, language), "format": "text/html"}],
        "seeAlso": [{"id": urls.api_document(document.pk), "type": "Dataset",
                     "label": english("Record (JSON)"), "format": "application/json"}],
        "rendering": [{"id": urls.document_pdf(document.pk), "type": "Text",
                       "label": english("The whole document (PDF)"),
                       "format": "application/pdf"}],
        "partOf": [{"id": urls.collection(c.pk), "type": "Collection",
                    "label": language_map(c.title)} for c in document.collections.all()],
        "thumbnail": thumbnail(first.pk, first.width, first.height, urls),
        # Loose typed pages, not a bound book: each page is shown on its own.
        "behavior": ["individuals"],
        "viewingDirection": "left-to-right",
        "items": [canvas(manifest_id, page, number, urls)
                  for number, page in enumerate(pages, start=1)],
    }
    optional = {
        "summary": language_map(document.summary, language) if document.summary else None,
        "rights": rights_uri(document.rights),
        "navDate": f"{document.date_earliest.isoformat()}T00:00:00Z"
        if document.date_earliest else None,
    }
    manifest.update({key: value for key, value in optional.items() if value})
    if searchable:
        manifest["service"] = search_services(document.pk, urls)
    if not manifest["partOf"]:
        del manifest["partOf"]
    return manifest


def with_ocr_links(manifest: dict, document_id: int, read: Sequence[bool],
                   urls: PresentationUrls) -> dict:
    """The manifest with its OCR linked: each canvas whose page OCR has read (`read`, in the
    canvases' order) gets a seeAlso to its ALTO, as IIIF's cookbook recipe 0068 links ALTO,
    and the manifest a rendering of the whole text, when any page has been read."""
    for number, (canvas_data, page_read) in enumerate(zip(manifest["items"], read,
                                                          strict=True), start=1):
        if page_read:
            canvas_data["seeAlso"] = [{
                "id": urls.page_alto(document_id, number), "type": "Text",
                "format": "application/xml", "profile": ALTO_PROFILE,
                "label": english("OCR text with word positions (ALTO XML)")}]
    if any(read):
        manifest["rendering"].append({
            "id": urls.document_text(document_id), "type": "Text",
            "label": english("OCR text of every page (plain text)"), "format": "text/plain"})
    return manifest


@dataclass(frozen=True)
class CollectionItem:
    """A published document with pages, as a Collection lists it (its first page's size)."""

    document_id: int
    title: str
    first_page_id: int
    width: int
    height: int


def collection_manifest(collection: Collection, items: Iterable[CollectionItem],
                        urls: PresentationUrls) -> dict:
    """The Collection of a collection's documents that have pages, each a Manifest reference
    with a thumbnail of its first page."""
    data: dict[str, Any] = {
        "@context": CONTEXT, "id": urls.collection(collection.pk), "type": "Collection",
        "label": language_map(collection.title),
        "requiredStatement": {"label": english("Published by"),
                              "value": language_map(settings.SITE_NAME)},
        "provider": provider(urls),
        "homepage": [{"id": urls.absolute(collection.get_absolute_url()), "type": "Text",
                      "label": language_map(collection.title), "format": "text/html"}],
        "seeAlso": [{"id": urls.api_collection(collection.pk), "type": "Dataset",
                     "label": english("Record (JSON)"), "format": "application/json"}],
        "items": [{
            "id": urls.manifest(item.document_id), "type": "Manifest",
            "label": language_map(item.title),
            "thumbnail": thumbnail(item.first_page_id, item.width, item.height, urls),
        } for item in items],
    }
    if collection.short_description:
        data["summary"] = language_map(collection.short_description)
    return data


def validated(data: dict) -> dict:
    """`data` checked by iiif_prezi3's models (pydantic; raises ValidationError): used by the
    tests on every manifest, and cheap enough to call on one."""
    model = iiif_prezi3.Manifest if data["type"] == "Manifest" else iiif_prezi3.Collection
    model(**{key: value for key, value in data.items() if key != "@context"})
    return data
