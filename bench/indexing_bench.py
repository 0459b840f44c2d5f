"""Indexing benchmark (issue 17): documents/s through the outbox, and the index's size
against a plain Tantivy index of the same texts.

    .venv/bin/python bench/indexing_bench.py --docs 20000
    .venv/bin/python bench/indexing_bench.py --docs 20000 --profile /tmp/indexing.prof

In a fresh SQLite database and data directory, search_bench's seeded generator writes N
documents with one outbox row each (the rows the import action writes, by bulk inserts);
then `declassified.search.apply_pending()` — the call the importers, `declassified indexer`
and the indexer thread make — applies the outbox to an empty index: *indexing* is that call.

*Plain* is what Tantivy itself does with the same texts and nothing of ours: one document
per record with its title, summary and text (the text read back from the same HTML) in
text fields with Tantivy's default options (positions, stored) and its `en_stem`
analyser, written by a writer with the indexer's settings. Its size is the yardstick for
ours (the issue's target: at most 1.2 times it), its rate what the engine allows.

It prints one line each, with the load average beside it:

    indexing docs_per_s=<x> index_mib=<y> plain_docs_per_s=<z> plain_mib=<w> ratio=<r> …
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import search_bench  # noqa: E402  (the corpus generator and loader, beside this file)

PLAIN_BATCH = 1000


def directory_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def by_extension(path: Path) -> dict[str, int]:
    """Bytes per kind of Tantivy file (.idx postings, .pos positions, .term dictionary,
    .store stored fields, .fast columns, .fieldnorm), to see what the index holds."""
    sizes: Counter[str] = Counter()
    for file in path.rglob("*"):
        if file.is_file():
            sizes[file.suffix or file.name] += file.stat().st_size
    return dict(sizes.most_common())


def index_outbox(profile: Path | None) -> tuple[float, int, Path]:
    """Apply the whole outbox with the real indexer: (documents/s, bytes, index path)."""
    from declassified import search
    from declassified.search.engine.storage import ensure_live_index, live_generation

    ensure_live_index()  # an existing (empty) archive: the importers' path, not a rebuild
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    cpu, python_cpu, helper_cpu = time.process_time(), time.thread_time(), _children_cpu()
    if profiler:
        profiler.enable()
    applied = search.apply_pending()
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - started
    # This thread is Python's (reading, building entries); the rest is Tantivy's threads.
    python_cpu = time.thread_time() - python_cpu
    tantivy_cpu = time.process_time() - cpu - python_cpu
    helper_cpu = _children_cpu() - helper_cpu  # the pair helper, once it has exited
    print(f"  CPU per document: Python thread {python_cpu * 1000 / applied:.2f} ms, Tantivy's "
          f"threads {tantivy_cpu * 1000 / applied:.2f} ms, pair helper process "
          f"{helper_cpu * 1000 / applied:.2f} ms; wall {elapsed * 1000 / applied:.2f} ms")
    path = live_generation()
    assert path is not None
    if profiler and profile:
        profiler.dump_stats(profile)
        stats = pstats.Stats(profiler).sort_stats("tottime")
        stats.print_stats(25)
    return applied / elapsed, directory_bytes(path), path


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def plain_index(target: Path) -> tuple[float, int]:
    """The same texts in a plain Tantivy index: (documents/s, bytes)."""
    import tantivy

    from declassified.archive.models import Document, Text
    from declassified.search.indexing.outbox import BULK_HEAP, BULK_THREADS
    from declassified.search.indexing.records import html_to_text

    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", stored=True, indexed=True)
    for name in ("title", "summary", "text"):
        builder.add_text_field(name, stored=True, tokenizer_name="en_stem")
    schema = builder.build()
    target.mkdir(parents=True)
    started = time.perf_counter()
    writer = tantivy.Index(schema, str(target)).writer(BULK_HEAP, BULK_THREADS)
    last = 0
    while True:
        rows = list(Document.objects.filter(pk__gt=last).order_by("pk")
                    .values_list("pk", "title", "summary")[:PLAIN_BATCH])
        if not rows:
            break
        texts: dict[int, list[str]] = {}
        for document_id, body in (Text.objects.filter(document_id__in=[r[0] for r in rows])
                                  .values_list("document_id", "body")):
            texts.setdefault(document_id, []).append(html_to_text(body))
        for pk, title, summary in rows:
            document = tantivy.Document(title=title, summary=summary, text=texts.get(pk, []))
            document.add_unsigned("id", pk)
            writer.add_document(document)
        last = rows[-1][0]
    writer.commit()
    writer.wait_merging_threads()
    return Document.objects.count() / (time.perf_counter() - started), directory_bytes(target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", type=Path,
                        help="profile the indexing with cProfile; the stats go to this file")
    parser.add_argument("--keep", type=Path, help="work in DIR and leave it (else a temp dir)")
    args = parser.parse_args()
    if args.docs < 1000:
        parser.error("--docs must be at least 1000")
    work = args.keep or Path(tempfile.mkdtemp(prefix="indexing-bench-"))
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    os.environ["BENCH_WORK"] = str(work)
    try:
        run(args, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def run(args, work: Path) -> None:
    search_bench.setup_django(work, f"sqlite:///{work}/bench.sqlite3")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    corpus = search_bench.Corpus(args.seed)
    print(f"Loading {args.docs:,} documents into SQLite ({work}) …", flush=True)
    search_bench.load_entities(corpus)
    search_bench.load_documents(corpus, args.docs)
    print("Indexing the outbox …", flush=True)
    rate, size, path = index_outbox(args.profile)
    load_indexing = os.getloadavg()[0]
    print(f"  {rate:,.0f} documents/s, {size / 2**20:,.1f} MiB (load average "
          f"{load_indexing:.1f}); by file kind, MiB: "
          + ", ".join(f"{k} {v / 2**20:,.1f}" for k, v in by_extension(path).items()),
          flush=True)
    print("Plain Tantivy build of the same texts …", flush=True)
    plain_rate, plain_size = plain_index(work / "plain-index")
    load_plain = os.getloadavg()[0]
    print(f"  {plain_rate:,.0f} documents/s, {plain_size / 2**20:,.1f} MiB (load average "
          f"{load_plain:.1f})")
    print(f"\nindexing docs_per_s={rate:.0f} index_mib={size / 2**20:.1f} "
          f"plain_docs_per_s={plain_rate:.0f} plain_mib={plain_size / 2**20:.1f} "
          f"ratio={size / plain_size:.2f} size={args.docs} db=sqlite "
          f"load={load_indexing:.1f}/{load_plain:.1f}")


if __name__ == "__main__":
    main()
