"""IIIF Image API server time: 512 px tiles from a cold cache, and info.json (p50/p95, ms).

    .venv/bin/python bench/iiif_bench.py [--rounds 300]

Renders a few files of the scan corpus (../shared/corpus/scans: a PDF at 300 dpi, a bitonal
multi-page TIFF, a JPEG) into pages of published documents, in a fresh data directory, then
asks for every tile a deep-zoom viewer asks for (info.json's 512 px tiles at each of its
scale factors, as OpenSeadragon spells them): each tile once, so each one is made from the
master (a cold cache), then a sample of them again (from the cache). Twice: first around
Django's request handling in-process (WSGI handler, middleware, view), as the pages
benchmark does; then, with the tile cache emptied, over HTTP through `declassified serve`
(its default processes and threads; one request at a time, each on a new connection, as
`make run` serves them). Prints

    iiif-wsgi tile_p95_ms=… info_p95_ms=… …
    iiif tile_p95_ms=<x> info_p95_ms=<y> tile_p50_ms=… info_p50_ms=… cached_tile_p50_ms=…
         tiles=<n> pages=<n> via=http load_average=<1-minute>
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from load_bench import free_port, get, start_server, stop_server  # noqa: E402
from pages_bench import setup_django  # noqa: E402

SCANS = HERE.parents[1] / "shared" / "corpus" / "scans"
FILES = ["frus1969-76v03-d68.pdf", "frus1964-68v20-d150.tif", "frus1943China-d532-p1.jpg"]


def render_pages() -> list:
    from django.core.files.base import ContentFile

    from declassified.archive import actions
    from declassified.archive.models import Attachment, Document
    from declassified.originals.render import render_attachment_pages

    pages = []
    for name in FILES:
        document = actions.do_save_document(
            Document(title=f"Scan {name}", date="1965-03-05", status=Document.PUBLISHED),
            acting_user=None, via="bench")
        attachment = Attachment(document=document)
        attachment.file.save(name, ContentFile((SCANS / name).read_bytes()), save=False)
        attachment = actions.do_save_attachment(attachment, acting_user=None, via="bench")
        started = time.perf_counter()
        render_attachment_pages(attachment)
        count = attachment.pages.count()
        print(f"rendered {name}: {count} pages in {time.perf_counter() - started:.1f} s",
              flush=True)
        pages += list(attachment.pages.all())
    return pages


def tile_paths(page_id: int, info: dict) -> list[str]:
    """Every tile of the page at every scale factor, spelled as OpenSeadragon asks."""
    width, height = info["width"], info["height"]
    tile = info["tiles"][0]["width"]
    paths = []
    for factor in info["tiles"][0]["scaleFactors"]:
        span = tile * factor
        for top in range(0, height, span):
            for left in range(0, width, span):
                w, h = min(span, width - left), min(span, height - top)
                size = f"{math.ceil(w / factor)},"
                paths.append(f"/iiif/3/{page_id}/{left},{top},{w},{h}/{size}/0/default.jpg")
    return paths


def percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)]


def measure(fetch, pages: list, infos: dict, rounds: int) -> dict:
    """Timings (ms) of info.json, of every tile once (cold) and of a sample again (cached);
    `fetch(path)` answers one request and returns its milliseconds."""
    info_ms = [fetch(f"/iiif/3/{pages[n % len(pages)].pk}/info.json") for n in range(rounds)]
    paths = [path for page in pages for path in tile_paths(page.pk, infos[page.pk])]
    tile_ms = [fetch(path) for path in paths]
    cached_ms = [fetch(path) for path in paths[:: max(1, len(paths) // 100)]]
    return {"info": info_ms, "tile": tile_ms, "cached": cached_ms}


def summary(label: str, timings: dict, pages: int, extra: str = "") -> str:
    tile_p50, tile_p95 = percentiles(timings["tile"])
    info_p50, info_p95 = percentiles(timings["info"])
    return (f"{label} tile_p95_ms={tile_p95:.1f} info_p95_ms={info_p95:.2f} "
            f"tile_p50_ms={tile_p50:.1f} info_p50_ms={info_p50:.2f} "
            f"cached_tile_p50_ms={statistics.median(timings['cached']):.2f} "
            f"tiles={len(timings['tile'])} pages={pages}{extra} "
            f"load_average={os.getloadavg()[0]:.2f}")


def in_process(client):
    def fetch(path: str) -> float:
        started = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (path, response.content[:200])
        return elapsed
    return fetch


def over_http(port: int):
    def fetch(path: str) -> float:
        status, seconds = get(port, path)
        assert status == 200, (path, status)
        return seconds * 1000
    return fetch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=300, help="info.json requests")
    args = parser.parse_args()
    if not SCANS.is_dir():
        raise SystemExit(f"the scan corpus is missing: {SCANS}")
    setup_django(None)  # SQLite in a fresh data directory, which the server then serves
    from django.conf import settings
    from django.test import Client

    pages = render_pages()
    client = Client()
    infos = {page.pk: client.get(f"/iiif/3/{page.pk}/info.json").json() for page in pages}
    cache = Path(settings.IIIF_CACHE_DIR)
    shutil.rmtree(cache, ignore_errors=True)
    sizes = sorted({(p.width, p.height) for p in pages})
    print(f"pages: {len(pages)} of sizes {sizes}", flush=True)
    print(summary("iiif-wsgi", measure(in_process(client), pages, infos, args.rounds),
                  len(pages), " via=wsgi"), flush=True)

    shutil.rmtree(cache, ignore_errors=True)  # cold again for the server
    port = free_port()
    server = start_server(Path(settings.DATA_DIR), port, [])
    try:
        get(port, f"/iiif/3/{pages[0].pk}/info.json")  # each process's first request, untimed
        get(port, f"/iiif/3/{pages[0].pk}/info.json")
        timings = measure(over_http(port), pages, infos, args.rounds)
    finally:
        stop_server(server)
    print(summary("iiif", timings, len(pages), " via=http"))


if __name__ == "__main__":
    main()
