"""IIIF Image API 3.0 at /iiif/3/<page-id>/…: info.json, the images, and the base URI.

One query a request (the page and its document's status); the picture comes from this
node's tile cache, the nodes' shared one in the object store (if files are there), or from
the master through libvips. A page of a document the reader may not see is
the same 404 as a page that does not exist, before any cache is looked at.

Published pages are cached by browsers and proxies for a year (a page ID always means the
same pixels); pages only staff may see are never stored (`private, no-store`).
"""

from __future__ import annotations

import hashlib
import logging

import pyvips
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from declassified.archive.access import can_view_document
from declassified.archive.models import Document, Page
from declassified.originals.iiif_image import (
    CONTEXT,
    FORMATS,
    PROFILE_URI,
    BadImageRequest,
    UnsupportedImageRequest,
    image_information,
    parse_image_request,
)
from declassified.originals.iiif_image_cache import cache_key, cached_image, store_image
from declassified.originals.iiif_image_process import render_image
from declassified.originals.masters import local_file
from declassified.originals.shared_images import share_image, shared_image

logger = logging.getLogger(__name__)

PUBLIC_CACHE = "public, max-age=31536000, immutable"
PRIVATE_CACHE = "private, no-store"


def _visible_page(request: HttpRequest, page_id: int) -> Page | None:
    """The page if it exists and the reader may see its document; one query."""
    page = (Page.objects.select_related("document")
            .only("width", "height", "master", "master_sha256", "document__status")
            .filter(pk=page_id).first())
    if page is None or not can_view_document(request.user, page.document):
        return None
    return page


def _with_headers(response: HttpResponse, page: Page | None, etag: str = "") -> HttpResponse:
    # Viewers on other sites read these pictures and info.json: CORS, and a resource policy
    # that lets other origins embed them.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    if page is not None:
        published = page.document.status == Document.PUBLISHED
        response["Cache-Control"] = PUBLIC_CACHE if published else PRIVATE_CACHE
    if etag:
        response["ETag"] = etag
    return response


def _message(status: int, text: str) -> HttpResponse:
    response = HttpResponse(text + "\n", status=status, content_type="text/plain; charset=utf-8")
    # Not kept by caches: a draft's 404 must not outlive its publication.
    response["Cache-Control"] = "no-cache"
    return _with_headers(response, None)


def _not_found(page_id: int) -> HttpResponse:
    return _message(404, f"No image has the identifier {page_id}.")


def _etag(page: Page, request: HttpRequest, variant: str = "") -> str:
    """The same for the same pixels (or JSON) only: the master's content, the request, and
    what else shapes the answer (info.json's absolute id and media type)."""
    digest = hashlib.sha256(f"{page.master_sha256}\n{request.path}\n{variant}".encode())
    return f'"{digest.hexdigest()[:32]}"'


def _not_modified(request: HttpRequest, etag: str) -> bool:
    asked = request.headers.get("If-None-Match", "")
    return asked.strip() == "*" or etag in [tag.strip() for tag in asked.split(",")]


@require_safe
def image_base(request: HttpRequest, page_id: int) -> HttpResponse:
    response = HttpResponseRedirect(reverse("originals:info", args=[page_id]))
    response.status_code = 303
    return _with_headers(response, None)


@require_safe
def info(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _visible_page(request, page_id)
    if page is None:
        return _not_found(page_id)
    base_id = request.build_absolute_uri(reverse("originals:image-base", args=[page_id]))
    content_type = "application/json"
    if "application/ld+json" in request.headers.get("Accept", ""):
        # The media type the specification gives for JSON-LD (section 5).
        content_type = f'application/ld+json;profile="{CONTEXT}"'
    etag = _etag(page, request, f"{base_id} {content_type}")
    if _not_modified(request, etag):
        return _with_headers(HttpResponse(status=304), page, etag)
    response = JsonResponse(image_information(base_id, page.width, page.height),
                            content_type=content_type)
    response["Link"] = f'<{PROFILE_URI}>;rel="profile"'
    response["Vary"] = "Accept"
    return _with_headers(response, page, etag)


@require_safe
def image(request: HttpRequest, page_id: int, region: str, size: str, rotation: str,
          quality: str, format: str) -> HttpResponse:
    page = _visible_page(request, page_id)
    if page is None:
        return _not_found(page_id)
    try:
        wanted = parse_image_request(region, size, rotation, quality, format, page.width,
                                     page.height)
    except BadImageRequest as error:
        return _message(400, str(error))
    except UnsupportedImageRequest as error:
        return _message(501, str(error))
    etag = _etag(page, request)
    if _not_modified(request, etag):
        return _with_headers(HttpResponse(status=304), page, etag)
    key = cache_key(page.master_sha256, wanted.canonical())
    data = cached_image(key)
    if data is None:
        data = shared_image(key)  # made by another node (object storage only)
        if data is None:
            try:
                with local_file(page.master) as master:
                    data = render_image(master, wanted)
            except (OSError, pyvips.Error):
                # A master missing or unreadable is the server's fault, told plainly, logged.
                logger.exception("IIIF: the master of page %s cannot be read", page_id)
                return _message(503, f"The image {page_id} cannot be read just now.")
            share_image(key, data)
        store_image(key, data)
    response = HttpResponse(data, content_type=FORMATS[wanted.format])
    canonical = request.build_absolute_uri(
        reverse("originals:image-base", args=[page_id]) + "/"
        + wanted.canonical_path(page.width, page.height))
    response["Link"] = f'<{canonical}>;rel="canonical", <{PROFILE_URI}>;rel="profile"'
    return _with_headers(response, page, etag)
