"""OCR error rates of the reading recipe on the scan corpus, per language and degradation level.

    python bench/ocr_quality_bench.py [--scans ../shared/corpus/scans] [--limit N] [--workers 2]

Every page of every truth file under the scans folder (or $SCANS_DIR) is rendered as production
renders its master (`originals.sources.page_images`, PDFs at 300 dpi) and read by
`declassified.ocr.read_page` in the document's language (as the OCR jobs choose it), two files
at a time (the pages of one file in order, so a PDF is rendered once). Per page the
reference is the truth page's lines joined by newlines (everything typed or stamped, page
numbers too), the hypothesis the reading's text; both normalised (English, Russian: runs of
whitespace to one space; Chinese: no whitespace). CER = the sum over pages of the Levenshtein
distance / the sum of reference lengths; WER likewise over whitespace tokens (Chinese:
characters). Prints per (language, level), then in total:

    ocr cer=0.0071 wer=0.0213 lang=en level=clean pages=57   (load 1.52 1.40 1.30)
    ocr quality_pages_per_s=1.12 cpu_s_per_page=1.45 pages=198   (load …)

Targets (issue 15): en CER ≤ 0.8 % clean and moderate, ≤ 5 % heavy; ru ≤ 2 % / ≤ 8 %;
zh ≤ 3 % clean and moderate; ≥ 1 page/s with two pages read at once on 2 cores.
No database: read_page needs none.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import Levenshtein

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from declassified.ocr import read_page, tesseract_languages  # noqa: E402
from declassified.originals.sources import page_images  # noqa: E402

SCANS = Path(os.environ.get("SCANS_DIR") or
             Path(__file__).resolve().parents[2] / "shared" / "corpus" / "scans")
LEVELS = ("clean", "moderate", "heavy")


@dataclass(frozen=True)
class PageTask:
    file: Path
    number: int  # within the file
    language: str
    level: str
    reference: str


@dataclass(frozen=True)
class PageScore:
    language: str
    level: str
    distance: int
    length: int
    word_distance: int
    words: int


def page_tasks(scans: Path) -> list[PageTask]:
    """One task per truth page, in file order (a JPEG document's pages are its files)."""
    tasks = []
    for truth_path in sorted(scans.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        pages = sorted(truth["pages"], key=lambda page: page["number"])
        files = truth["files"]
        for index, page in enumerate(pages):
            # A multi-page file holds every page; single-page JPEGs are one file a page.
            file, number = (files[index], 1) if len(files) == len(pages) and len(files) > 1 \
                else (files[0], page["number"])
            reference = "\n".join(line["text"] for line in page["lines"])
            tasks.append(PageTask(scans / file, number, truth["language"], truth["level"],
                                  reference))
    return tasks


def normalised(text: str, language: str) -> str:
    if language == "zh":
        return re.sub(r"\s+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def tokens(text: str, language: str) -> list[str]:
    return list(text) if language == "zh" else text.split()


def file_scores(tasks: list[PageTask]) -> list[PageScore]:
    """The pages of one file, rendered once each, in order."""
    wanted = {task.number: task for task in tasks}
    scores = []
    for number, image in page_images(tasks[0].file, dpi=300):
        if number in wanted:
            scores.append(score(wanted[number], image))
    return scores


def score(task: PageTask, image) -> PageScore:
    languages = tesseract_languages([task.language], default="eng").split("+")
    reading = read_page(image, languages)
    reference = normalised(task.reference, task.language)
    hypothesis = normalised(reading.text, task.language)
    ref_tokens, hyp_tokens = tokens(reference, task.language), tokens(hypothesis, task.language)
    return PageScore(task.language, task.level, Levenshtein.distance(reference, hypothesis),
                     len(reference), Levenshtein.distance(ref_tokens, hyp_tokens),
                     len(ref_tokens))


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def cpu_seconds() -> float:
    """This process's and its finished children's (Tesseract's) CPU time."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def rates(scores: list[PageScore]) -> tuple[float, float]:
    cer = sum(s.distance for s in scores) / max(1, sum(s.length for s in scores))
    wer = sum(s.word_distance for s in scores) / max(1, sum(s.words for s in scores))
    return cer, wer


def grouped(scores: list[PageScore]) -> Iterator[tuple[str, str, list[PageScore]]]:
    groups: dict[tuple[str, str], list[PageScore]] = defaultdict(list)
    for page in scores:
        groups[(page.language, page.level)].append(page)
    for language, level in sorted(groups, key=lambda key: (key[0], LEVELS.index(key[1]))):
        yield language, level, groups[(language, level)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scans", type=Path, default=SCANS)
    parser.add_argument("--limit", type=int, default=0, help="at most this many pages")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not (args.scans / "manifest.csv").exists():
        sys.exit(f"no scan corpus at {args.scans} (set SCANS_DIR)")
    tasks = page_tasks(args.scans)[: args.limit or None]
    started, cpu_started = time.perf_counter(), cpu_seconds()
    by_file: dict[Path, list[PageTask]] = defaultdict(list)
    for task in tasks:
        by_file[task.file].append(task)
    with ThreadPoolExecutor(args.workers) as pool:
        scores = [page for pages in pool.map(file_scores, by_file.values()) for page in pages]
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    for language, level, group in grouped(scores):
        cer, wer = rates(group)
        print(f"ocr cer={cer:.4f} wer={wer:.4f} lang={language} level={level} "
              f"pages={len(group)}   (load {load()})")
    cer, wer = rates(scores)
    print(f"ocr cer={cer:.4f} wer={wer:.4f} lang=all level=all pages={len(scores)}   "
          f"(load {load()})")
    print(f"ocr quality_pages_per_s={len(scores) / seconds:.2f} "
          f"cpu_s_per_page={cpu / len(scores):.2f} pages={len(scores)} "
          f"workers={args.workers}   (load {load()})")


if __name__ == "__main__":
    main()
