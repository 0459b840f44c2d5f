"""Search inside scans: are the hit boxes on the words, and how fast is a content search?

    .venv/bin/python bench/ocr_search_bench.py [--words 500] [--requests 200] [--seed 15]

In a fresh data directory and SQLite database: the scan corpus's documents are made (the
invented ones by import-scan-truth, the FRUS ones from their truth files), their scans
attached and rendered (attach-scans' functions), every page read by OCR (the OCR jobs' step,
ocr_pages.read_and_record, two pages at a time). Then

(a) hit geometry: 500 truth words (seeded; words of at least three letters, and for Chinese,
    whose truth words are single characters, three consecutive characters of a line), each
    searched in its document through the Search 2.0 endpoint; every box returned on the
    word's page must overlap a true box of that word with IoU >= 0.5 (truth boxes are in the
    stored image's pixels, scaled by master width / truth page width):

    ocr hit_iou_ok=<fraction> boxes=<n> words=<500> found=<fraction of words with a hit>

(b) latency: a 500-page document (the read pages' rows copied onto it, masters reused), 200
    searches of distinct words through the same endpoint (in-process, Django's test client,
    the whole middleware stack; the first search, which loads the document's words, is
    printed apart as cold_ms):

    ocr content_search_p95_ms=<x> pages=500 p50_ms=… cold_ms=… load_average=…
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from io import StringIO
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from pages_bench import setup_django  # noqa: E402

SCANS = HERE.parents[1] / "shared" / "corpus" / "scans"
BIG_DOCUMENT_PAGES = 500


def make_documents() -> None:
    """The invented documents by import-scan-truth; the FRUS ones (which a FRUS volume import
    would make) from their truth files' source_id and title, published, in English."""
    from django.core.management import call_command

    from declassified.archive import actions
    from declassified.archive.models import Document, Language

    call_command("import_scan_truth", str(SCANS), stdout=StringIO())
    english, _ = Language.objects.get_or_create(code="en", defaults={"name": "English"})
    for path in sorted(SCANS.glob("*.truth.json")):
        truth = json.loads(path.read_text())
        if Document.objects.filter(source_id=truth["source_id"]).exists():
            continue
        document = actions.do_save_document(
            Document(title=truth["title"][:500], source_id=truth["source_id"],
                     date=truth.get("date") or "1965", status=Document.PUBLISHED),
            acting_user=None, via="bench")
        document.languages.set([english])


def attach_and_render() -> None:
    from declassified.ingest.attach import attach_files, check_manifest
    from declassified.originals.render import render_attachment_pages

    started = time.perf_counter()
    result = attach_files(check_manifest(SCANS / "manifest.csv"), acting_user=None, via="bench")
    for attachment in result.to_render:
        render_attachment_pages(attachment)
    print(f"attached and rendered {len(result.to_render)} files in "
          f"{time.perf_counter() - started:.0f} s", flush=True)


def read_all_pages() -> None:
    """Every page through the OCR jobs' step, two at a time (as two workers would)."""
    from django.db import connection

    from declassified.archive.models import Page
    from declassified.ingest.ocr_pages import ocr_languages, read_and_record

    pages = list(Page.objects.select_related("document").prefetch_related("document__languages"))
    languages = {page.document_id: ocr_languages(page.document) for page in pages}

    def read(page) -> None:
        try:
            read_and_record(page, languages=languages[page.document_id], via="bench")
        finally:
            connection.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(read, pages))
    print(f"read {len(pages)} pages by OCR in {time.perf_counter() - started:.0f} s", flush=True)


def fold(text: str) -> str:
    from declassified.originals.content_search import query_tokens

    return " ".join(query_tokens(text))


def union(boxes: list[list[int]]) -> list[int]:
    left = min(b[0] for b in boxes)
    top = min(b[1] for b in boxes)
    right = max(b[0] + b[2] for b in boxes)
    bottom = max(b[1] + b[3] for b in boxes)
    return [left, top, right - left, bottom - top]


def truth_words(truth: dict) -> list[tuple[int, str, list[int]]]:
    """(page number, word, box) of a truth file's searchable words: three letters or more;
    for Chinese, three consecutive characters of one line."""
    found = []
    for page in truth["pages"]:
        words = page["words"]
        if truth["language"] == "zh":
            for first in range(len(words) - 2):
                run = words[first:first + 3]
                if all(len(w["text"]) == 1 and w["text"].isalpha() for w in run) and \
                        _one_line([w["box"] for w in run]):
                    found.append((page["number"], "".join(w["text"] for w in run),
                                  union([w["box"] for w in run])))
        else:
            found += [(page["number"], w["text"], w["box"]) for w in words
                      if sum(c.isalpha() for c in w["text"]) >= 3]
    return found


def _one_line(boxes: list[list[int]]) -> bool:
    middles = [b[1] + b[3] / 2 for b in boxes]
    return max(middles) - min(middles) < min(b[3] for b in boxes) / 2


def iou(a: list[float], b: list[float]) -> float:
    width = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    height = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    inter = width * height
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)


def all_items(client, document_id: int, query: str) -> list[dict]:
    url, items = f"/iiif/3/document/{document_id}/search/2", []
    answer = client.get(url, {"q": query}).json()
    items += answer["items"]
    while "next" in answer:
        answer = client.get(answer["next"]["id"]).json()
        items += answer["items"]
    return items


def hit_geometry(client, words: int, seed: int) -> None:
    from declassified.archive.models import Document

    samples = []  # (document, page number, word, truth page, all truth boxes of the word there)
    for path in sorted(SCANS.glob("*.truth.json")):
        truth = json.loads(path.read_text())
        document = Document.objects.get(source_id=truth["source_id"])
        boxes_of: dict[tuple[int, str], list[list[int]]] = {}
        everything = [(number, word, fold(word), box) for number, word, box in truth_words(truth)]
        for number, _, folded, box in everything:
            boxes_of.setdefault((number, folded), []).append(box)
        samples += [(document, number, word, truth["pages"][number - 1], boxes_of[number, folded])
                    for number, word, folded, _ in everything]
    chosen = random.Random(seed).sample(samples, words)
    ok = boxes_seen = found = 0
    for document, number, word, truth_page, true_boxes in chosen:
        page = document.pages.order_by("position", "id")[number - 1]
        scale = page.width / truth_page["width"]
        scaled = [[v * scale for v in box] for box in true_boxes]
        canvas = f"/canvas/{page.pk}#xywh="
        on_page = [item for item in all_items(client, document.pk, word)
                   if canvas in item["target"]]
        found += bool(on_page)
        for item in on_page:
            box = [int(v) for v in item["target"].split("#xywh=")[1].split(",")]
            boxes_seen += 1
            ok += max(iou(box, true) for true in scaled) >= 0.5
    print(f"ocr hit_iou_ok={ok / max(1, boxes_seen):.4f} boxes={boxes_seen} words={words} "
          f"found={found / words:.4f}", flush=True)


def big_document():
    """A document of BIG_DOCUMENT_PAGES pages: the read pages' rows, copied round-robin."""
    from django.core.files.base import ContentFile

    from declassified.archive import actions
    from declassified.archive.models import Attachment, Document, PageText
    from declassified.archive.page_texts import PageReadingValues, do_record_page_reading
    from declassified.archive.pages import PageImage, do_set_attachment_pages

    readings = list(PageText.objects.select_related("page").order_by("page_id"))
    document = actions.do_save_document(
        Document(title="Five hundred pages", date="1965-03-05", status=Document.PUBLISHED),
        acting_user=None, via="bench")
    attachment = Attachment(document=document, title="big.pdf")
    attachment.file.save("big.pdf", ContentFile(b"%PDF-1.4 bench"), save=False)
    attachment = actions.do_save_attachment(attachment, acting_user=None, via="bench")
    sources = [readings[n % len(readings)] for n in range(BIG_DOCUMENT_PAGES)]
    images = [PageImage(number_in_file=n, width=r.page.width, height=r.page.height,
                        master=r.page.master, master_sha256=r.page.master_sha256)
              for n, r in enumerate(sources, start=1)]
    do_set_attachment_pages(attachment, images, acting_user=None, via="bench")
    for page, source in zip(attachment.pages.order_by("number_in_file"), sources, strict=True):
        do_record_page_reading(page, PageReadingValues(
            text=source.machine_text, words=source.words,
            mean_confidence=source.mean_confidence, languages=source.languages,
            engine=source.engine), via="bench")
    return document, sources


def latency(client, requests: int, seed: int) -> None:
    document, sources = big_document()
    rng = random.Random(seed)
    vocabulary = sorted({str(row[0]) for source in sources for row in source.words
                         if sum(c.isalpha() for c in str(row[0])) >= 3})
    url = f"/iiif/3/document/{document.pk}/search/2"
    started = time.perf_counter()
    assert client.get(url, {"q": "the"}).status_code == 200
    cold = (time.perf_counter() - started) * 1000
    timings = []
    # Distinct words: a repeated one would come from the response cache, not the search.
    for query in rng.sample(vocabulary, requests):
        started = time.perf_counter()
        response = client.get(url, {"q": query})
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:200]
    ordered = sorted(timings)
    p95 = ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)]
    print(f"ocr content_search_p95_ms={p95:.1f} pages={BIG_DOCUMENT_PAGES} "
          f"p50_ms={statistics.median(ordered):.1f} max_ms={ordered[-1]:.1f} "
          f"cold_ms={cold:.0f} requests={requests} load_average={os.getloadavg()[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=500)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    if not SCANS.is_dir():
        raise SystemExit(f"the scan corpus is missing: {SCANS}")
    setup_django(None)
    from django.test import Client

    make_documents()
    attach_and_render()
    read_all_pages()
    client = Client()
    hit_geometry(client, args.words, args.seed)
    latency(client, args.requests, args.seed)


if __name__ == "__main__":
    main()
