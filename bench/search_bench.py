"""Search benchmark: build a synthetic index, then time the search facade per query class.

    .venv/bin/python bench/search_bench.py --docs 100000
    .venv/bin/python bench/search_bench.py --docs 1000000 --rounds 3

A seeded generator writes realistic documents (titles 8–20 words, bodies 200–3,000 words from
a Zipf vocabulary, recurring names; 300 collections, 2,000 subjects, 5,000 people, 1,000
places, 8 languages, dates 1945–1991) straight into a fresh index through the same
`IndexRecord → build_entry` code the indexer uses (the database is not involved: search
reads only the index). It prints the build rate and index size, then p50/p95 of
`declassified.search.search()` for each query class, and of the HTTP search page.

Each timed query is a different query of its class and the facet cache is cleared before
it, so the figures are cold-cache figures; `browse-all-cached` shows what repeated visits
to the unfiltered search cost. The last lines have the form

    search p95_ms=<x> p50_ms=<y> class=<name> size=<n> db=<sqlite|postgresql>
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

VOCABULARY = 50_000
COUNTS = {"collections": 300, "subjects": 2_000, "people": 5_000, "places": 1_000,
          "repositories": 60}
LANGUAGES = ["en", "ru", "zh", "de", "fr", "pl", "cs", "hu"]
TYPES = ["Cable", "Telegram", "Memorandum of Conversation", "Minutes", "Letter", "Report",
         "Note", "Speech", "Diary Entry", "Intelligence Report"]
CLASSIFICATIONS = ["", "", "Secret", "Top Secret", "Confidential", "Restricted"]
SYLLABLES = ["ka", "lo", "mi", "ren", "sto", "va", "dul", "pre", "on", "tik", "ser", "gan",
             "bo", "li", "tra", "mon", "ves", "ar", "chi", "nu", "del", "for", "ip", "zo"]


def setup_django(data_dir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "declassified.settings")
    os.environ.setdefault("DECLASSIFIED_DATA_DIR", str(data_dir))
    os.environ["DECLASSIFIED_INDEXER_THREAD"] = "false"
    import django

    django.setup()
    from django.conf import settings

    settings.SEARCH_INDEX_DIR = data_dir / "search-index"
    settings.ALLOWED_HOSTS = ["*"]


class Corpus:
    """Seeded generator of index records and of the queries that search them."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        words = set()
        while len(words) < VOCABULARY:
            words.add("".join(self.rng.choices(SYLLABLES, k=self.rng.randint(2, 4))))
        self.words = sorted(words)
        self.rng.shuffle(self.words)  # rank order: words[0] is the most frequent
        self.cum = list(itertools.accumulate(1 / (rank + 1) ** 1.07 for rank in range(VOCABULARY)))
        self.names = {
            kind: [self._name(kind, n) for n in range(count)] for kind, count in COUNTS.items()
        }

    def _name(self, kind: str, n: int) -> str:
        parts = self.rng.choices(self.words[2000:20000], k=2 if kind != "collections" else 4)
        return " ".join(p.capitalize() for p in parts)

    def phrase(self, rng: random.Random) -> str:
        """Two neighbouring words of the stream bodies are cut from (so documents have it)."""
        self.text(2)
        start = rng.randrange(len(self.stream) - 2)
        return " ".join(self.stream[start : start + 2])

    def text(self, count: int) -> str:
        """`count` Zipf-distributed words: a window of a long pre-drawn stream (drawing each
        word anew costs more than indexing it)."""
        if not hasattr(self, "stream"):
            self.stream = self.rng.choices(self.words, cum_weights=self.cum, k=2_000_000)
        start = self.rng.randrange(len(self.stream) - count)
        return " ".join(self.stream[start : start + count])

    def _tags(self, kind: str, low: int, high: int) -> list[tuple]:
        """Some names recur far more than others (squared uniform: skewed to low ids)."""
        pool = self.names[kind]
        count = self.rng.randint(low, high)
        picks = {int(len(pool) * self.rng.random() ** 2) for _ in range(count)}
        return [(pk + 1, pool[pk]) for pk in sorted(picks)]

    def record(self, pk: int):
        from declassified.search._schema import IndexRecord

        rng = self.rng
        day = dt.date(1945, 1, 1) + dt.timedelta(days=rng.randrange(47 * 365))
        precision = rng.random()
        if precision < 0.8:
            date, earliest, latest = day.isoformat(), day, day
        elif precision < 0.93:
            date = f"{day:%Y-%m}"
            earliest = day.replace(day=1)
            latest = (earliest + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        else:
            date = str(day.year)
            earliest, latest = dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
        body = self.text(rng.randint(200, 3000))
        people = [(p, n, []) for p, n in self._tags("people", 1, 6)]
        original = rng.choice(LANGUAGES)
        return IndexRecord(
            id=pk, status="published" if rng.random() < 0.97 else "draft",
            title=self.text(rng.randint(8, 20)).capitalize(), slug=f"doc-{pk}",
            summary=self.text(rng.randint(20, 60)), date=date, display_date=date,
            earliest=earliest, latest=latest, document_type=rng.choice(TYPES),
            classification=rng.choice(CLASSIFICATIONS),
            source_citation=f"Archive {rng.randint(1, 99)}, fond {rng.randint(1, 999)}",
            languages=[original], translation_languages=["en"] if original != "en" else [],
            texts=[body],
            repository=(lambda r: (r[0], r[1], ""))(self._tags("repositories", 1, 1)[0]),
            collections=self._tags("collections", 1, 2), subjects=self._tags("subjects", 1, 4),
            people=people, places=[(p, n, []) for p, n in self._tags("places", 0, 3)],
            language_names={}, updated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        )


def build(corpus: Corpus, size: int) -> tuple[float, int]:
    """Write `size` records into a new generation and make it live; (docs/s, bytes)."""
    from declassified.search._backend import new_generation_dir, open_index, swap_live
    from declassified.search._schema import build_entry

    path = new_generation_dir()
    writer = open_index(path).writer(heap_size=512_000_000, num_threads=2)
    started = time.perf_counter()
    for pk in range(1, size + 1):
        writer.add_document(build_entry(corpus.record(pk)))
        if pk % 50_000 == 0:
            rate = pk / (time.perf_counter() - started)
            print(f"  built {pk:,} documents ({rate:,.0f}/s)", flush=True)
    writer.commit()
    writer.wait_merging_threads()
    elapsed = time.perf_counter() - started
    swap_live(path)
    size_bytes = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return size / elapsed, size_bytes


def document_frequency(word: str) -> int:
    import tantivy

    from declassified.search._analysis import analyze
    from declassified.search._backend import SCHEMA, live_index

    searcher = live_index().index.searcher()
    query = tantivy.Query.term_query(SCHEMA, "body", analyze(word)[0])
    return searcher.search(query, 1, count=True).count


def query_classes(corpus: Corpus, size: int, count: int) -> dict[str, list[dict]]:
    rng = random.Random(99)
    common = [w for w in corpus.words[10:200] if 0.2 < document_frequency(w) / size < 0.5]
    rare = corpus.words[8000:40000]
    people = list(range(1, 400))
    return {
        "rare-word": [{"q": rng.choice(rare)} for _ in range(count)],
        "common-word": [{"q": w} for w in rng.choices(common or corpus.words[20:40], k=count)],
        "phrase": [{"q": f'"{corpus.phrase(rng)}"'} for _ in range(count)],
        "person-filter": [{"person": str(rng.choice(people))} for _ in range(count)],
        "word-2-filters-dates": [
            {"q": rng.choice(corpus.words[50:500]), "type": rng.choice(TYPES),
             "language": rng.choice(LANGUAGES), "date_from": str(y), "date_to": str(y + 9)}
            for y in rng.choices(range(1945, 1982), k=count)
        ],
        "browse-all": [{} for _ in range(count)],
    }


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def measure(classes: dict[str, list[dict]], rounds: int) -> dict[str, list[float]]:
    from django.contrib.auth.models import AnonymousUser

    from declassified import search
    from declassified.search._search import _facet_cache

    anonymous = AnonymousUser()
    results: dict[str, list[float]] = {}
    for name, queries in classes.items():
        for params in queries[:5]:  # warm the page cache
            search.search(params, anonymous)
        samples = []
        for _ in range(rounds):
            for params in queries:
                _facet_cache.data.clear()
                started = time.perf_counter()
                search.search(params, anonymous)
                samples.append((time.perf_counter() - started) * 1000)
        results[name] = samples
    search.search({}, anonymous)
    results["browse-all-cached"] = timed(lambda: search.search({}, anonymous), 50 * rounds)
    return results


def measure_http(classes: dict[str, list[dict]]) -> dict[str, list[float]]:
    """The HTTP page and the facade for the same common-word queries, cache cleared each time."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import Client

    from declassified import search
    from declassified.search._search import _facet_cache

    client, anonymous = Client(), AnonymousUser()
    page, facade = [], []
    for params in classes["common-word"]:
        for target, run in ((page, lambda p=params: client.get("/search/", p)),
                            (facade, lambda p=params: search.search(p, anonymous))):
            _facet_cache.data.clear()
            started = time.perf_counter()
            response = run()
            target.append((time.perf_counter() - started) * 1000)
            if target is page and response.status_code != 200:
                raise SystemExit(f"search page answered {response.status_code}")
    return {"http-page-common-word": page, "facade-common-word": facade}


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def database_label() -> str:
    from django.conf import settings

    return "postgresql" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "sqlite"


def run(size: int, *, seed: int = 1, rounds: int = 2, queries: int = 40,
        keep: Path | None = None) -> list[dict]:
    """Build, measure, print; returns one dict per query class (for bench/run.py)."""
    data_dir = keep or Path(tempfile.mkdtemp(prefix="search-bench-"))
    setup_django(data_dir)
    corpus = Corpus(seed)
    if keep and (data_dir / "search-index" / "current").exists():
        print(f"Measuring the index already built in {data_dir}", flush=True)
    else:
        print(f"Building a {size:,}-document index in {data_dir} …", flush=True)
        rate, size_bytes = build(corpus, size)
        print(f"build rate {rate:,.0f} docs/s; index size {size_bytes / 2**20:,.0f} MiB",
              flush=True)
    classes = query_classes(corpus, size, queries)
    figures = measure(classes, rounds)
    figures.update(measure_http(classes))
    db = database_label()
    rows = [{"class": name, "p50_ms": round(statistics.median(samples), 1),
             "p95_ms": round(percentile(samples, 0.95), 1), "size": size, "db": db,
             "samples": len(samples)} for name, samples in figures.items()]
    print(f"\n{'class':<24} {'p50 ms':>8} {'p95 ms':>8} {'n':>5}")
    for row in rows:
        print(f"{row['class']:<24} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['samples']:>5}")
    print()
    for row in rows:
        print(f"search p95_ms={row['p95_ms']} p50_ms={row['p50_ms']} class={row['class']} "
              f"size={size} db={db}")
    if keep is None:
        shutil.rmtree(data_dir, ignore_errors=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000, help="documents to index")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=2, help="passes over the queries")
    parser.add_argument("--queries", type=int, default=40, help="distinct queries per class")
    parser.add_argument("--keep", type=Path,
                        help="build in this directory and keep it; if it holds an index "
                             "built before (same --docs and --seed), only measure")
    args = parser.parse_args()
    if args.docs < 1000:
        parser.error("--docs must be at least 1000")
    run(args.docs, seed=args.seed, rounds=args.rounds, queries=args.queries, keep=args.keep)


if __name__ == "__main__":
    main()
