"""Search benchmark (issue 3, section 7): load a synthetic archive, index it, time searches.

    .venv/bin/python bench/search_bench.py --docs 100000
    .venv/bin/python bench/search_bench.py --docs 10000,100000 --db sqlite,postgresql
    .venv/bin/python bench/search_bench.py --docs 1000000 --keep /tmp/bench-1m   # reusable

For each size and database, in a fresh process with a fresh database and data directory:

1. A seeded generator makes realistic documents (titles 8–20 words, bodies 200–3,000 words
   from a Zipf vocabulary of 50,000 words, in paragraphs of HTML; recurring names: 300
   collections, 2,000 subjects, 5,000 people, 1,000 places, 60 archives; 8 original
   languages; dates 1945–1991, 20 % of them month or year only; 3 % drafts).
2. They are written to the database with bulk inserts of the very rows the import action
   (archive.upsert.do_upsert_documents) writes, its revision rows aside — documents with
   their dates derived by the EDTF parser, texts, tags, collection memberships — and one
   search outbox row each, as `enqueue_reindex` does. (Going through the action one
   document at a time would measure the ORM, not search.)
3. The real indexer applies that outbox (`declassified.search.apply_pending()`, the same
   call the importers and the indexer thread make): it reads the documents back from the
   database in bounded batches, indexes them and commits.
4. After the index files are read once (warm page cache), `declassified.search.search()` is
   timed as an anonymous reader for each query class — rare word, common word (in 20–50 %
   of documents), two-word phrase, person filter, word + 2 filters + date range, browse-all,
   boolean (`(A OR B) AND NOT C`), exclusion (`word -other`, `word NOT other`), suggestion
   (a misspelled word with no hits: the whole search with its "did you mean", the lexicon
   built during the warm-up as a serving process has it) and variant (a person's name that
   the names lexicon expands to its other spellings: the first 1,000 people have two, each
   a two-word phrase of the text stream, searched as phrases ORed with the name) — each
   timed query a different query of its class, with the in-process facet-count cache
   emptied before each one. Browse-all is timed as served (the counts the indexer saved at
   its last commit), counted from scratch (`browse-all-counted`) and from the in-process
   cache (`browse-all-cached`); two filter-exclusion classes (`subject-excluded`,
   `word-person-excluded`) and the "Show all values" search of every person under the
   word + filters + dates queries (`facet-values`); then the HTTP search page against the
   facade for the same common-word queries.

It prints the load and indexing rates, the index size and p50/p95 per class, and ends with
one line per query class and database:

    search p95_ms=<x> p50_ms=<y> class=<name> size=<n> db=<sqlite|postgresql>
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
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
VARIANT_PEOPLE = 1_000  # people with other spellings of their names (the `variant` class)
TYPES = ["Cable", "Telegram", "Memorandum of Conversation", "Minutes", "Letter", "Report",
         "Note", "Speech", "Diary Entry", "Intelligence Report"]
CLASSIFICATIONS = ["", "", "Secret", "Top Secret", "Confidential", "Restricted"]
SYLLABLES = ["ka", "lo", "mi", "ren", "sto", "va", "dul", "pre", "on", "tik", "ser", "gan",
             "bo", "li", "tra", "mon", "ves", "ar", "chi", "nu", "del", "for", "ip", "zo"]
LOAD_BATCH = 2_000
STAMP = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432"


class Corpus:
    """Seeded generator of documents (as database rows) and of the queries that find them."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        words: set[str] = set()
        while len(words) < VOCABULARY:
            words.add("".join(self.rng.choices(SYLLABLES, k=self.rng.randint(2, 4))))
        self.words = sorted(words)
        self.rng.shuffle(self.words)  # rank order: words[0] is the most frequent
        cum = list(itertools.accumulate(1 / (rank + 1) ** 1.07 for rank in range(VOCABULARY)))
        # Drawing each word anew costs more than indexing it: documents are windows of one
        # long pre-drawn stream.
        self.stream = self.rng.choices(self.words, cum_weights=cum, k=2_000_000)
        self.names = {kind: [self._name(kind) for _ in range(count)]
                      for kind, count in COUNTS.items()}
        # Their own generator: the documents stay those of earlier runs.
        spellings = random.Random(seed + 1)
        self.variants = [[self.phrase(spellings).title(), self.phrase(spellings).title()]
                         for _ in range(VARIANT_PEOPLE)]

    def _name(self, kind: str) -> str:
        parts = self.rng.choices(self.words[2000:20000], k=4 if kind == "collections" else 2)
        return " ".join(p.capitalize() for p in parts)

    def text(self, count: int, rng: random.Random | None = None) -> str:
        rng = rng or self.rng
        start = rng.randrange(len(self.stream) - count)
        return " ".join(self.stream[start : start + count])

    def phrase(self, rng: random.Random) -> str:
        """Two neighbouring words of the stream (so documents contain the phrase)."""
        return self.text(2, rng)

    def body_html(self, words: int) -> str:
        """`words` words in paragraphs of about 120 words, as sanitised text HTML."""
        start = self.rng.randrange(len(self.stream) - words)
        chunk = self.stream[start : start + words]
        return "".join(f"<p>{' '.join(chunk[i : i + 120])}</p>" for i in range(0, words, 120))

    def tags(self, kind: str, low: int, high: int) -> list[int]:
        """IDs (1-based) of some names; some recur far more (squared uniform: low ids)."""
        count = self.rng.randint(low, high)
        return sorted({int(COUNTS[kind] * self.rng.random() ** 2) + 1 for _ in range(count)})

    def date(self) -> str:
        day = dt.date(1945, 1, 1) + dt.timedelta(days=self.rng.randrange(47 * 365))
        precision = self.rng.random()
        if precision < 0.8:
            return day.isoformat()
        return f"{day:%Y-%m}" if precision < 0.93 else str(day.year)


# --- Loading the database -------------------------------------------------------------


def setup_django(data_dir: Path, database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "declassified.settings"
    os.environ["DECLASSIFIED_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = database_url
    os.environ["DECLASSIFIED_INDEXER_THREAD"] = "false"
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]


def load_entities(corpus: Corpus) -> None:
    from declassified.archive.languages import language_name
    from declassified.archive.models import (
        Collection,
        Language,
        Person,
        Place,
        Repository,
        Subject,
        make_slug,
    )

    Language.objects.bulk_create(
        [Language(code=code, name=language_name(code)) for code in LANGUAGES],
        ignore_conflicts=True,
    )
    for kind, model in (("collections", Collection), ("subjects", Subject),
                        ("people", Person), ("places", Place), ("repositories", Repository)):
        name_field = "title" if model is Collection else "name"
        model.objects.bulk_create([
            model(pk=n, slug=make_slug(name), **{name_field: name})
            for n, name in enumerate(corpus.names[kind], start=1)
        ], batch_size=1000)
    people = list(Person.objects.filter(pk__lte=VARIANT_PEOPLE).order_by("pk"))
    for person, variants in zip(people, corpus.variants, strict=False):
        person.variants = variants
    Person.objects.bulk_update(people, ["variants"], batch_size=1000)


def load_documents(corpus: Corpus, size: int) -> float:
    """Write `size` documents with texts, tags and outbox rows; returns documents/s."""
    from django.db import transaction

    from declassified.archive.upsert import reset_id_sequences

    started = time.perf_counter()
    for first in range(1, size + 1, LOAD_BATCH):
        with transaction.atomic():
            _load_batch(corpus, range(first, min(size, first + LOAD_BATCH - 1) + 1))
        done = min(size, first + LOAD_BATCH - 1)
        if done % 50_000 == 0 or done == size:
            rate = done / (time.perf_counter() - started)
            print(f"  loaded {done:,} documents ({rate:,.0f}/s)", flush=True)
    reset_id_sequences()
    return size / (time.perf_counter() - started)


_dates: dict = {}


def _load_batch(corpus: Corpus, ids: range) -> None:
    from declassified.archive.dates import parse_document_date
    from declassified.archive.models import Document, SearchOutbox, Text, make_slug

    rng = corpus.rng
    documents, texts = [], []
    relations: dict[str, list[tuple[int, int]]] = {
        "languages": [], "authors": [], "people": [], "places": [], "subjects": [],
        "collections": [],
    }
    for pk in ids:
        edtf = corpus.date()
        if edtf not in _dates:
            _dates[edtf] = parse_document_date(edtf)
        date = _dates[edtf]
        title = corpus.text(rng.randint(8, 20)).capitalize()
        status = Document.PUBLISHED if rng.random() < 0.97 else Document.DRAFT
        documents.append(Document(
            pk=pk, slug=make_slug(title), title=title, date=date.edtf,
            date_earliest=date.earliest, date_latest=date.latest, display_date=date.display,
            summary=corpus.text(rng.randint(20, 60)).capitalize() + ".",
            document_type=rng.choice(TYPES), classification=rng.choice(CLASSIFICATIONS),
            source_citation=f"Archive {rng.randint(1, 99)}, fond {rng.randint(1, 999)}",
            repository_id=corpus.tags("repositories", 1, 1)[0], status=status,
            published_at=STAMP if status == Document.PUBLISHED else None,
            created_at=STAMP, updated_at=STAMP,
        ))
        original = rng.choice(LANGUAGES)
        texts.append(Text(
            document_id=pk, language_id="en", position=0,
            kind=Text.TRANSCRIPT if original == "en" else Text.TRANSLATION,
            body=corpus.body_html(rng.randint(200, 3000)),
        ))
        relations["languages"].append((pk, original))
        people = corpus.tags("people", 1, 6)
        relations["authors"].append((pk, people[0]))
        relations["people"] += [(pk, p) for p in people[1:]]
        relations["places"] += [(pk, p) for p in corpus.tags("places", 0, 3)]
        relations["subjects"] += [(pk, s) for s in corpus.tags("subjects", 1, 4)]
        relations["collections"] += [(pk, c) for c in corpus.tags("collections", 1, 2)]
    Document.objects.bulk_create(documents)
    Text.objects.bulk_create(texts)
    for name, rows in relations.items():
        through = getattr(Document, name).through
        document_column = "document_id"
        other = next(f.column for f in through._meta.concrete_fields
                     if f.is_relation and f.column != document_column)
        _insert(through._meta.db_table, (document_column, other), rows)
    _insert(SearchOutbox._meta.db_table, ("document_id", "created_at"),
            [(pk, STAMP) for pk in ids])


def _insert(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def enqueue_everything() -> None:
    """One outbox row per document, as after an import (for --reindex)."""
    from django.db import transaction

    from declassified.archive.models import Document, SearchOutbox

    SearchOutbox.objects.all().delete()
    ids = list(Document.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        for start in range(0, len(ids), 10_000):
            _insert(SearchOutbox._meta.db_table, ("document_id", "created_at"),
                    [(pk, STAMP) for pk in ids[start : start + 10_000]])


def index_outbox() -> tuple[float, int]:
    """Apply the whole outbox with the real indexer; (documents/s, index bytes)."""
    from declassified import search
    from declassified.search.engine.storage import ensure_live_index, live_generation

    ensure_live_index()  # an existing (empty) archive: the importers' path, not a rebuild
    started = time.perf_counter()
    applied = search.apply_pending()
    elapsed = time.perf_counter() - started
    path = live_generation()
    size_bytes = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return applied / elapsed, size_bytes


# --- Measuring -------------------------------------------------------------------------


def document_frequency(word: str) -> int:
    import tantivy

    from declassified.search.engine.schema import SCHEMA
    from declassified.search.engine.storage import live_index
    from declassified.search.language.analysis import query_terms

    searcher = live_index().index.searcher()
    query = tantivy.Query.term_query(SCHEMA, "body", query_terms(word)[0][1])
    return searcher.search(query, 1, count=True).count


def query_classes(corpus: Corpus, size: int, count: int) -> dict[str, list[dict]]:
    rng = random.Random(99)
    common = [w for w in corpus.words[10:200] if 0.2 < document_frequency(w) / size < 0.5]
    rare = corpus.words[8000:40000]
    return {
        "rare-word": [{"q": rng.choice(rare)} for _ in range(count)],
        "common-word": [{"q": w} for w in rng.choices(common or corpus.words[20:40], k=count)],
        "phrase": [{"q": f'"{corpus.phrase(rng)}"'} for _ in range(count)],
        "person-filter": [{"person": str(rng.randint(1, 400))} for _ in range(count)],
        "word-2-filters-dates": [
            {"q": rng.choice(corpus.words[50:500]), "type": rng.choice(TYPES),
             "language": rng.choice(LANGUAGES), "date_from": str(y), "date_to": str(y + 9)}
            for y in rng.choices(range(1945, 1982), k=count)
        ],
        "browse-all": [{} for _ in range(count)],
        # (A OR B) AND NOT C: two words of middling frequency, less a common one.
        "boolean": [{"q": f"({a} OR {b}) AND NOT {c}"} for a, b, c in zip(
            rng.choices(corpus.words[100:2000], k=count), rng.choices(corpus.words[100:2000], k=count),
            rng.choices(corpus.words[20:200], k=count), strict=True)],
        # A common word less another, as `-other` and as `NOT other` in turn.
        "exclusion": [{"q": f"{w} {'-' if n % 2 else 'NOT '}{o}"} for n, (w, o) in enumerate(zip(
            rng.choices(common or corpus.words[20:40], k=count),
            rng.choices(corpus.words[200:2000], k=count), strict=True))],
        "suggestion": [{"q": misspelled(w)} for w in rng.choices(corpus.words[2000:20000], k=count)],
        # Exclusions (not_<filter>): leaving out one subject's documents, alone (counted
        # through the complement) and under a word (counted over the matches).
        "subject-excluded": [{"not_subject": str(rng.randint(1, 200))} for _ in range(count)],
        "word-person-excluded": [
            {"q": rng.choice(corpus.words[50:500]), "not_person": str(rng.randint(1, 400))}
            for _ in range(count)],
        "variant": [{"q": corpus.names["people"][rng.randrange(VARIANT_PEOPLE)]}
                    for _ in range(count)],
    }


def misspelled(word: str) -> str:
    """`word` one edit away, found nowhere: an x (no syllable has one) for its fourth letter,
    its first two kept (as the look-up assumes of a misspelling)."""
    return word[:3] + "x" + word[4:] if len(word) > 3 else word + "x"


def measure(classes: dict[str, list[dict]], rounds: int) -> dict[str, list[float]]:
    """Samples (ms) per class, the counts cache emptied before each query. Browse-all is
    measured as served (the counts the indexer saved at its last commit), counted from
    scratch (the saved counts ignored) and from the in-process cache."""
    from unittest import mock

    from django.contrib.auth.models import AnonymousUser

    from declassified import search
    from declassified.search.searching import counting

    anonymous = AnonymousUser()

    def timed(queries: list[dict], *, clear: bool = True) -> list[float]:
        for params in queries[:5]:  # warm the page cache
            search.search(params, anonymous)
        samples = []
        for _ in range(rounds):
            for params in queries:
                if clear:
                    search.clear_caches()
                started = time.perf_counter()
                search.search(params, anonymous)
                samples.append((time.perf_counter() - started) * 1000)
        return samples

    results = {name: timed(queries) for name, queries in classes.items()}
    with mock.patch.object(counting, "load_browse_all", return_value=None):
        results["browse-all-counted"] = timed(classes["browse-all"])
    results["browse-all-cached"] = timed(classes["browse-all"], clear=False)
    results["facet-values"] = timed_facet_values(classes["word-2-filters-dates"], rounds)
    return results


def timed_facet_values(queries: list[dict], rounds: int) -> list[float]:
    """Samples (ms) of the "Show all values" page's search: every person under a search with
    words, filters and dates, the counts cache emptied before each (the labels stay cached
    per index version, as in a serving process)."""
    from django.contrib.auth.models import AnonymousUser

    from declassified import search

    anonymous = AnonymousUser()
    search.facet_values({}, anonymous, "person")  # read the labels once
    samples = []
    for _ in range(rounds):
        for number, params in enumerate(queries):
            search.clear_caches()
            started = time.perf_counter()
            search.facet_values(params, anonymous, "person", page=1 + number % 2,
                                contains="a" if number % 3 == 0 else "")
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def measure_http(classes: dict[str, list[dict]]) -> dict[str, list[float]]:
    """The HTTP page and the facade for the same common-word queries, cache emptied each time."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import Client

    from declassified import search

    client, anonymous = Client(), AnonymousUser()
    page, facade = [], []
    for params in classes["common-word"]:
        for target, run in ((page, lambda p=params: client.get("/search/", p)),
                            (facade, lambda p=params: search.search(p, anonymous))):
            search.clear_caches()
            started = time.perf_counter()
            response = run()
            target.append((time.perf_counter() - started) * 1000)
            if target is page and response.status_code != 200:
                raise SystemExit(f"search page answered {response.status_code}")
    return {"http-page-common-word": page, "facade-common-word": facade}


def warm_page_cache() -> None:
    """Read the live index files once, so the first timed queries do not wait for the disk
    (a serving index is read all day; a freshly loaded bench database pushed it out)."""
    from declassified.search.engine.storage import live_generation

    for path in live_generation().rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                while handle.read(1 << 24):
                    pass


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# --- One size on one database, in its own process ---------------------------------------


def run_one(size: int, db: str, work: Path, args) -> list[dict]:
    work.mkdir(parents=True, exist_ok=True)
    marker = work / "loaded.json"
    fresh = not marker.exists()
    if fresh:
        shutil.rmtree(work / "search-index", ignore_errors=True)
        (work / "bench.sqlite3").unlink(missing_ok=True)
    setup_django(work, _database_url(db, size, args.pg_url, fresh))
    corpus = Corpus(args.seed)
    stats = load_and_index(work, corpus, size, db, fresh=fresh, reindex=args.reindex)
    print(f"database load {stats['load_rate']:,.0f} docs/s; indexing {stats['index_rate']:,.0f} "
          f"docs/s; index {stats['index_bytes'] / 2**20:,.0f} MiB; load average "
          f"{os.getloadavg()[0]:.1f}", flush=True)
    warm_page_cache()
    classes = query_classes(corpus, size, args.queries)
    figures = measure(classes, args.rounds)
    figures.update(measure_http(classes))
    rows = [{"class": name, "p50_ms": round(statistics.median(samples), 1),
             "p95_ms": round(percentile(samples, 0.95), 1), "size": size, "db": db,
             "samples": len(samples)} for name, samples in figures.items()]
    print(f"\n{'class':<24} {'p50 ms':>8} {'p95 ms':>8} {'n':>5}   ({size:,} documents, {db}, "
          f"load average {os.getloadavg()[0]:.1f})")
    for row in rows:
        print(f"{row['class']:<24} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['samples']:>5}")
    return rows


def load_and_index(work: Path, corpus: Corpus, size: int, db: str, *, fresh: bool,
                   reindex: bool) -> dict:
    """Load (when fresh) and index (when not done yet, or asked to); the rates and size."""
    marker = work / "loaded.json"
    if fresh:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print(f"Loading {size:,} documents into {db} ({work}) …", flush=True)
        load_entities(corpus)
        marker.write_text(json.dumps({"load_rate": load_documents(corpus, size)}))
    stats = json.loads(marker.read_text())
    if reindex or "index_rate" not in stats:
        if not fresh:  # a kept database: its outbox may be half applied; start afresh
            shutil.rmtree(work / "search-index", ignore_errors=True)
            enqueue_everything()
        print("Indexing the outbox …", flush=True)
        stats["index_rate"], stats["index_bytes"] = index_outbox()
        marker.write_text(json.dumps(stats))
    else:  # a kept index: nothing to apply, but counts saved by an older version are redone
        from declassified import search

        search.apply_pending()
    return stats


def _database_url(db: str, size: int, pg_url: str, fresh: bool) -> str:
    if db == "sqlite":
        return f"sqlite:///{os.environ['BENCH_WORK']}/bench.sqlite3"
    import psycopg

    name = f"declassified_bench_search_{size}"
    if fresh:
        with psycopg.connect(f"{pg_url}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    return f"{pg_url}/{name}"


def _drop_database(pg_url: str, size: int) -> None:
    import psycopg

    with psycopg.connect(f"{pg_url}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "declassified_bench_search_{size}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", default="100000",
                        help="documents, or several sizes separated by commas")
    parser.add_argument("--db", default="sqlite",
                        help="sqlite, postgresql, or both separated by a comma")
    parser.add_argument("--pg-url", default=PG_DEFAULT,
                        help="PostgreSQL server; the bench creates its own database on it")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=2, help="passes over the queries")
    parser.add_argument("--queries", type=int, default=40, help="distinct queries per class")
    parser.add_argument("--keep", type=Path,
                        help="load into DIR/<db>-<size> and keep it; a later run with the same "
                             "DIR only measures")
    parser.add_argument("--reindex", action="store_true",
                        help="with --keep: index the kept database again before measuring")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    try:
        sizes = [int(size.replace("_", "")) for size in args.docs.split(",")]
    except ValueError:
        parser.error(f"--docs takes whole numbers separated by commas (got {args.docs!r})")
    databases = args.db.split(",")
    if any(size < 1000 for size in sizes):
        parser.error("--docs must be at least 1000")
    if any(db not in ("sqlite", "postgresql") for db in databases):
        parser.error("--db takes sqlite, postgresql or both")
    if args.child:
        rows = run_one(sizes[0], databases[0], Path(os.environ["BENCH_WORK"]), args)
        Path(os.environ["BENCH_ROWS"]).write_text(json.dumps(rows))
        return
    raise SystemExit(run_all(sizes, databases, args))


def run_all(sizes: list[int], databases: list[str], args) -> int:
    """Each size and database in a fresh process; the summary lines at the end."""
    rows: list[dict] = []
    failed = 0
    for size, db in itertools.product(sizes, databases):
        scratch = Path(tempfile.mkdtemp(prefix="search-bench-"))
        work = (args.keep / f"{db}-{size}") if args.keep else scratch / "data"
        env = {**os.environ, "BENCH_WORK": str(work), "BENCH_ROWS": str(scratch / "rows.json")}
        command = [sys.executable, __file__, "--child", "--docs", str(size), "--db", db,
                   "--pg-url", args.pg_url, "--seed", str(args.seed), "--rounds",
                   str(args.rounds), "--queries", str(args.queries)]
        command += ["--reindex"] if args.reindex else []
        code = subprocess.call(command, env=env)
        if code == 0:
            rows += json.loads((scratch / "rows.json").read_text())
        else:
            print(f"search bench failed for {size:,} documents on {db} (exit {code})")
            failed += 1
        shutil.rmtree(scratch, ignore_errors=True)
        if db == "postgresql" and not args.keep:
            _drop_database(args.pg_url, size)
    print()
    for row in rows:
        print(f"search p95_ms={row['p95_ms']} p50_ms={row['p50_ms']} class={row['class']} "
              f"size={row['size']} db={row['db']}")
    return 1 if failed else 0


if __name__ == "__main__":
    main()
