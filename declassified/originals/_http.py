"""How the IIIF Presentation routes answer: JSON or JSON-LD by the Accept header, CORS for
every viewer on the web, and validators that let a viewer ask again cheaply.

The originals package may not import the API's helpers (import-linter layers), so the few
rules it shares with them (`{"error": ...}` bodies, a 405 naming the methods) are kept here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers

PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
# Metadata is edited (titles, rights, pages reordered), so a manifest is cached briefly,
# unlike the image tiles whose pixels never change.
PUBLIC_CACHE = "public, max-age=300"
PRIVATE_CACHE = "private, no-store"  # an editor's view of an unpublished document


def _with_cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    return response


def iiif_json(request: HttpRequest, data: dict[str, Any], *, public: bool,
              context: str = PRESENTATION_CONTEXT) -> HttpResponse:
    """`data` as IIIF JSON: JSON-LD with the profile of `context` (Presentation 3 unless
    said) when the client asks for it, else application/json (what the specs ask servers to
    send by default); an ETag of the body, and a 304 when the client already has it."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    conditional = get_conditional_response(request, etag=etag)
    if conditional is not None:
        response: HttpResponse = conditional
    else:
        wants_ld = "application/ld+json" in request.headers.get("Accept", "")
        json_ld = f'application/ld+json;profile="{context}"'
        response = HttpResponse(body, content_type=json_ld if wants_ld else "application/json")
    response["ETag"] = etag
    response["Cache-Control"] = PUBLIC_CACHE if public else PRIVATE_CACHE
    patch_vary_headers(response, ["Accept"])
    return _with_cors(response)


def iiif_error(message: str, status: int, **headers: str) -> HttpResponse:
    body = json.dumps({"error": message}, ensure_ascii=False).encode()
    response = HttpResponse(body, status=status, content_type="application/json")
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return _with_cors(response)


def iiif_read(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET and HEAD only; any other method is a JSON 405 with an Allow header (and an
    OPTIONS preflight is answered, since browsers send one before a cross-site request
    with custom headers)."""

    @wraps(view)
    def read_only(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            response = _with_cors(HttpResponse(status=204))
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = "Accept, If-None-Match"
            response["Allow"] = "GET, HEAD, OPTIONS"
            return response
        if request.method not in ("GET", "HEAD"):
            return iiif_error(f"{request.method} is not allowed here; use GET.", 405,
                              Allow="GET, HEAD, OPTIONS")
        return view(request, *args, **kwargs)

    read_only.csrf_exempt = True  # type: ignore[attr-defined]  # reads only; see MethodView
    return read_only
