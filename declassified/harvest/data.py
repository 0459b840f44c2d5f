"""The "Data" page (/data/) and the dump downloads (/data/<name>.jsonl.gz)."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

from declassified.harvest import dumps

_DUMP_NAME = re.compile(r"archive|collection-[0-9]{1,10}")


def api_url() -> str:
    """The API's human documentation when it is installed, else its document list."""
    try:
        return reverse("api:docs")
    except NoReverseMatch:
        return reverse("api:documents")


def dump_status(manifest: dict | None) -> str:
    """'current', 'refreshing' (stale files served meanwhile), 'withheld' or 'missing'."""
    if manifest is None:
        return "missing"
    if dumps.is_unsafe(manifest):
        return "withheld"
    if dumps.is_stale(manifest):
        return "refreshing"
    return "current"


def refresh_if_needed(request: HttpRequest, status: str) -> None:
    if status != "current":
        dumps.refresh_in_background(request.build_absolute_uri("/")[:-1])


@require_safe
def data_page(request: HttpRequest) -> HttpResponse:
    """Lists the dumps with size, date and count, the licence, and the other ways in.

    Reads the manifest file, plus at most four queries for freshness.
    """
    manifest = dumps.read_manifest()
    status = dump_status(manifest)
    refresh_if_needed(request, status)
    entries = manifest["dumps"] if manifest and status != "withheld" else []
    generated_at = None
    if manifest:
        try:
            generated_at = dt.datetime.fromisoformat(manifest["generated_at"])
        except (KeyError, TypeError, ValueError):
            generated_at = None
    return render(request, "harvest/data.html", {
        "archive_dump": next((e for e in entries if e.get("collection") is None), None),
        "collection_dumps": [e for e in entries if e.get("collection") is not None],
        "generated_at": generated_at,
        "status": status,
        "licence": settings.DATA_LICENCE,
        "api_url": api_url(),
    })


@require_safe
def dump_download(request: HttpRequest, name: str) -> HttpResponseBase:
    """The last good dump file; 503 while none may be served, 404 for unknown names."""
    if not _DUMP_NAME.fullmatch(name):
        raise Http404("No such data file.")
    manifest = dumps.read_manifest()
    status = dump_status(manifest)
    refresh_if_needed(request, status)
    entry = next((e for e in (manifest or {}).get("dumps", []) if e.get("name") == name), None)
    if status in {"missing", "withheld"}:
        response = HttpResponse(
            "The data files are being regenerated; please try again in a few minutes.\n",
            status=503, content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "120"
        return response
    path = dumps.dumps_dir() / dumps.file_name(name)
    if entry is None or not path.is_file():
        raise Http404("No such data file.")
    # application/gzip and no Content-Encoding: clients keep the file compressed, as named.
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=path.name, content_type="application/gzip"
    )
