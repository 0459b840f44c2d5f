"""Public pages and API reads answered again from a cache until anything they show may
have changed (settings.RESPONSE_CACHE; docs/performance.md "Serving").

A page costs 10–40 ms of Python to render (a document's first view of the day over 100 ms:
its citations), and the public asks for the same pages again and again: the home page,
a collection, a much-read document. An anonymous GET of a public page or API read is kept
in the "responses" cache under its URL, host, scheme and Accept headers *and the archive's
generation*:

- the highest Revision ID: every write to a document, text, file, collection, entity or
  membership records a revision in its own transaction (archive/models.py), so any change
  that could alter a page — a withdrawal above all — moves it, and the next request renders
  afresh (one indexed query a request);
- the search index's generation (the indexer committed, or a rebuild was swapped in), since
  search pages and facet counts come from the index;
- today's date, since citations carry the access date.

A cached answer is never stale: it is keyed by the state it was rendered from. Only requests
without cookies or an Authorization header are looked up or stored (an editor, a logged-in
reader or an API client with a token always gets a fresh answer), and only 200 answers that
set no cookie and say nothing private are stored. The entries of older generations are
simply never asked for again and age out (the cache's size bound and timeout).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from declassified.archive.models import Revision
from declassified.search import index_generation

# Public reads only: pages whose content comes from the database and the index. OAI-PMH
# (its responseDate), the data page (dump files), feeds, the back office, files and the
# interactive API docs are left out.
CACHED_PREFIXES = (
    "/collections/", "/collection/", "/document/", "/person/", "/place/", "/subject/",
    "/repository/", "/search/", "/api/v1/search", "/api/v1/documents", "/api/v1/collections",
    "/api/v1/people", "/api/v1/places", "/api/v1/subjects", "/api/v1/repositories",
    # IIIF manifests and collections: pages are written by actions that record revisions too.
    "/iiif/3/document/", "/iiif/3/collection/",
)
MAX_CACHED_BYTES = 512 * 1024  # a bigger answer is rendered each time, not held


def archive_generation() -> str:
    """Changes whenever a public page may have changed. One query, one readlink, one stat."""
    last_revision = Revision.objects.aggregate(last=Max("id"))["last"]
    return f"{last_revision}:{index_generation()}:{timezone.localdate().isoformat()}"


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method != "GET" or request.headers.get("Cookie") or request.headers.get(
            "Authorization"):
        return False
    path = request.path
    return path == "/" or path.startswith(CACHED_PREFIXES)


def _cacheable_response(response: HttpResponse) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (response.status_code == 200 and not response.streaming and not response.cookies
            and "private" not in cache_control and "no-store" not in cache_control
            and len(response.content) <= MAX_CACHED_BYTES)


def _key(request: HttpRequest, generation: str) -> str:
    parts = [request.scheme or "", request.get_host(), request.get_full_path(),
             request.headers.get("Accept", ""), request.headers.get("Accept-Language", ""),
             generation]
    return "response:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


class ResponseCacheMiddleware:
    """Answers a repeated anonymous public GET from the "responses" cache (see above)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.RESPONSE_CACHE or not _cacheable_request(request):
            return self.get_response(request)
        # The generation is read before rendering: a write that lands while the page renders
        # moves the generation, so at worst this answer is stored under the older one.
        key = _key(request, archive_generation())
        store = caches["responses"]
        cached = store.get(key)
        if cached is not None:
            return cached
        response = self.get_response(request)
        if _cacheable_response(response):
            store.set(key, response)
        return response
