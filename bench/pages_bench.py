"""Server time of the document page and a 50-document collection page (p50/p95, ms).

Runs against a fresh SQLite (default) or PostgreSQL database (--database-url) in a
temporary data directory, filled with a collection of 60 tagged documents with texts.
Server time is measured around Django's full request handling in-process (the WSGI
handler, middleware, view, template), i.e. what the server spends on a request, minus sockets.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def setup_django(database_url: str | None) -> None:
    data_dir = tempfile.mkdtemp(prefix="declassified-bench-")
    os.environ["DECLASSIFIED_DATA_DIR"] = data_dir
    os.environ["DECLASSIFIED_INDEXER_THREAD"] = "0"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "declassified.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def fill(count: int = 60):
    from declassified.archive import actions
    from declassified.archive.models import (
        Collection,
        Document,
        Language,
        Person,
        Place,
        Repository,
        Subject,
        Text,
    )

    english, _ = Language.objects.get_or_create(code="en", defaults={"name": "English"})
    bench = {"acting_user": None, "via": "bench"}
    collection = actions.do_save_collection(
        Collection(title="Bench collection", description="<p>Bench.</p>", date_span="1960/1984"),
        **bench,
    )
    people = [actions.do_save_entity(Person(name=f"Person {i}"), **bench) for i in range(20)]
    places = [actions.do_save_entity(Place(name=f"Place {i}"), **bench) for i in range(10)]
    subjects = [actions.do_save_entity(Subject(name=f"Subject {i}"), **bench) for i in range(10)]
    archive = actions.do_save_entity(Repository(name="Archive of Foreign Policy"), **bench)
    body = "".join(f"<p>Paragraph {i} of the translation, with some words.</p>" for i in range(80))
    documents = []
    for i in range(count):
        document = Document(
            title=f"Cable {i} from the Embassy", date=f"1965-03-{(i % 28) + 1:02d}",
            summary="The embassy reports on the talks. " * 3, status=Document.PUBLISHED,
            document_type="Cable", classification="Secret", repository=archive,
            source_citation="AVPRF, f. 0100, op. 58, d. 3", rights="Public domain",
        )
        actions.do_save_document(document, **bench)
        document.collections.add(collection)
        document.people.set(people[i % 20: i % 20 + 4])
        document.authors.set(people[:1])
        document.places.set(places[:3])
        document.subjects.set(subjects[:3])
        document.languages.set([english])
        Text.objects.create(document=document, kind="translation", language=english, body=body)
        documents.append(document)
    documents[0].related.set(documents[1:4])
    return collection, documents


def measure(path: str, rounds: int, *, cold: bool = False) -> tuple[float, float]:
    """p50/p95 of `rounds` requests; `cold` empties the cache (rendered citations) each time."""
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    for _ in range(5):  # warm caches, template loading
        assert client.get(path).status_code == 200, path
    timings = []
    for _ in range(rounds):
        if cold:
            cache.clear()
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite in a temp dir)")
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    setup_django(args.database_url)
    from django.db import connection

    collection, documents = fill()
    pages = {
        "document page": f"/document/{documents[10].pk}/{documents[10].slug}/",
        "collection page (50 documents)": f"/collection/{collection.pk}/{collection.slug}/",
    }
    print(f"database: {connection.vendor}")
    print(f"{'page':34} {'p50 ms':>8} {'p95 ms':>8}")
    for name, path in pages.items():
        p50, p95 = measure(path, args.rounds)
        print(f"{name:34} {p50:8.1f} {p95:8.1f}")
    p50, p95 = measure(pages["document page"], max(20, args.rounds // 10), cold=True)
    print(f"{'document page, first view':34} {p50:8.1f} {p95:8.1f}")
    print("(first view: citations rendered by citeproc-py, then cached for the day:"
          " the MLA 'accessed' date is part of it)")
    if connection.vendor == "postgresql":
        from django.db import connection as c

        c.close()


if __name__ == "__main__":
    main()
