"""IIIF Image API server time: 512 px tiles from a cold cache, and info.json (p50/p95, ms).

    .venv/bin/python bench/iiif_bench.py [--database-url postgres://…] [--rounds 300]

Renders a few files of the scan corpus (../shared/corpus/scans: a PDF at 300 dpi, a bitonal
multi-page TIFF, a JPEG) into pages of published documents, in a fresh data directory, then
asks for every tile a deep-zoom viewer asks for (info.json's 512 px tiles at each of its
scale factors, as OpenSeadragon spells them): each tile once, so each one is made from the
master (a cold cache), then a sample of them again (from the cache). Server time is measured
around Django's full request handling in-process (WSGI handler, middleware, view), as the
pages benchmark does. Prints

    iiif tile_p95_ms=<x> info_p95_ms=<y> tile_p50_ms=… info_p50_ms=… cached_tile_p50_ms=…
         tiles=<n> pages=<n> load_average=<1-minute>
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

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


def timed(client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (path, response.content[:200])
    return elapsed


def percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite in a temp dir)")
    parser.add_argument("--rounds", type=int, default=300, help="info.json requests")
    args = parser.parse_args()
    if not SCANS.is_dir():
        raise SystemExit(f"the scan corpus is missing: {SCANS}")
    setup_django(args.database_url)
    from django.conf import settings
    from django.test import Client

    pages = render_pages()
    client = Client()
    timed(client, f"/iiif/3/{pages[0].pk}/info.json")  # first request: imports, URLconf
    infos = {page.pk: client.get(f"/iiif/3/{page.pk}/info.json").json() for page in pages}
    info_ms = [timed(client, f"/iiif/3/{pages[n % len(pages)].pk}/info.json")
               for n in range(args.rounds)]
    paths = [path for page in pages for path in tile_paths(page.pk, infos[page.pk])]
    assert not Path(settings.IIIF_CACHE_DIR).exists() or not any(
        Path(settings.IIIF_CACHE_DIR).iterdir()), "the tile cache must start empty"
    tile_ms = [timed(client, path) for path in paths]  # each tile once: made from the master
    cached_ms = [timed(client, path) for path in paths[:: max(1, len(paths) // 100)]]
    tile_p50, tile_p95 = percentiles(tile_ms)
    info_p50, info_p95 = percentiles(info_ms)
    sizes = sorted({(p.width, p.height) for p in pages})
    print(f"pages: {len(pages)} of sizes {sizes}; tiles: {len(paths)} (cold), "
          f"{len(cached_ms)} again (cached)")
    print(f"iiif tile_p95_ms={tile_p95:.1f} info_p95_ms={info_p95:.2f} "
          f"tile_p50_ms={tile_p50:.1f} info_p50_ms={info_p50:.2f} "
          f"cached_tile_p50_ms={statistics.median(cached_ms):.2f} tiles={len(paths)} "
          f"pages={len(pages)} load_average={os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
