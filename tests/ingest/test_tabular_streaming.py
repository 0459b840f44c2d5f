"""`declassified import` of big files: checked whole first, then written in batches in one
transaction (ingest/tabular_stream.py) — all or nothing at any size, the same rows as one at
a time, and the imported documents found by search once indexed."""

from __future__ import annotations

import json
import os
import signal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError

from declassified import search
from declassified.archive.models import Collection, Document, Person, Revision, Subject
from declassified.archive.models import SearchOutbox as Outbox
from declassified.ingest import row_batches, tabular_stream
from tests.factories import make_person
from tests.ingest.test_tabular_import import run_import, write_csv, write_jsonl

pytestmark = pytest.mark.django_db(transaction=False)


def rows(count: int, **extra) -> list[dict]:
    """`count` rows with texts, tags and collections; names recur across batches."""
    return [{
        "source_id": f"big/{n}", "title": f"Telegram number {n} on grain shipments",
        "date": f"1962-{n % 12 + 1:02d}-01", "status": "published",
        "people": ["Zhou Enlai" if n % 2 else "zhou enlai", f"Envoy {n % 7}"],
        "subjects": ["Grain"], "collections": [f"Series {n % 3}"], "language": ["ru"],
        "text": f"Telegram {n}. The harvest of wheat in the northern provinces.",
        **extra,
    } for n in range(1, count + 1)]


def nothing_written() -> bool:
    return not (Document.objects.exists() or Revision.objects.exists()
                or Outbox.objects.exists() or Subject.objects.exists()
                or Collection.objects.exists())


def test_a_bad_row_at_the_end_of_a_big_file_imports_nothing(tmp_path):
    entries = rows(2500)
    entries[-1]["date"] = "the day after"
    path = write_jsonl(tmp_path / "big.jsonl", entries)

    with pytest.raises(CommandError) as raised:
        run_import(path)

    assert "big.jsonl: 1 problem; nothing was imported." in str(raised.value)
    assert "row 2500, field date" in str(raised.value)
    assert nothing_written()


def test_a_failure_in_the_write_pass_rolls_back_every_batch(tmp_path, monkeypatch):
    monkeypatch.setattr(row_batches, "BATCH_ROWS", 10)
    calls = []
    upsert = tabular_stream.do_upsert_documents

    def third_batch_fails(inputs, **kwargs):
        calls.append(len(inputs))
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return upsert(inputs, **kwargs)

    monkeypatch.setattr(tabular_stream, "do_upsert_documents", third_batch_fails)
    path = write_jsonl(tmp_path / "big.jsonl", rows(35))

    with pytest.raises(RuntimeError, match="disk full"):
        run_import(path)

    assert calls == [10, 10, 10]  # two batches were written before the failure…
    assert nothing_written()  # …and rolled back with it


def test_batches_write_what_one_document_at_a_time_wrote(tmp_path, monkeypatch):
    monkeypatch.setattr(row_batches, "BATCH_ROWS", 10)
    existing = make_person("Zhou Enlai")
    before = list(Revision.objects.values_list("pk", flat=True))  # the person's

    output = run_import(write_jsonl(tmp_path / "big.jsonl", rows(25)))

    assert output == "25 created, 0 updated, 0 unchanged"
    document = Document.objects.get(source_id="big/7")
    assert document.slug == "telegram-number-7-on-grain-shipments"
    assert (document.date_earliest.isoformat(), document.status) == ("1962-08-01", "published")
    assert sorted(p.name for p in document.people.all()) == ["Envoy 0", "Zhou Enlai"]
    assert document.people.get(name="Zhou Enlai") == existing  # matched ignoring case
    assert [c.title for c in document.collections.all()] == ["Series 1"]
    assert document.texts.get().body == "<p>Telegram 7. The harvest of wheat in the northern " \
        "provinces.</p>"
    assert Person.objects.count() == 1 + 7 and Subject.objects.count() == 1
    assert Collection.objects.count() == 3
    history = Revision.objects.filter(document_id=document.pk).order_by("id")
    assert [(r.kind, r.action) for r in history] == [
        ("text", "create"), ("membership", "create"), ("document", "import")]
    imported = history.last().changes
    assert imported["title"] == {"new": document.title}
    assert sorted(p["name"] for p in imported["people"]["new"]) == ["Envoy 0", "Zhou Enlai"]
    created = Revision.objects.exclude(pk__in=before)
    assert {kind: created.filter(kind=kind).count()
            for kind in ("document", "text", "membership", "person", "subject", "collection")
            } == {"document": 25, "text": 25, "membership": 25, "person": 7, "subject": 1,
                  "collection": 3}
    assert Outbox.objects.count() == 25


def test_importing_the_same_big_file_again_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(row_batches, "BATCH_ROWS", 10)
    path = write_csv(tmp_path / "big.csv", [
        {**row, "people": "|".join(row["people"]), "subjects": "Grain",
         "collections": row["collections"][0], "language": "ru"} for row in rows(25)])
    run_import(path)
    revisions = Revision.objects.count()

    assert run_import(path) == "0 created, 0 updated, 25 unchanged"
    assert run_import(path, "--dry-run") == (
        "dry run, nothing written: 0 created, 0 updated, 25 unchanged")
    assert Revision.objects.count() == revisions


def test_a_file_of_many_bad_rows_lists_the_first_problems(tmp_path, monkeypatch):
    monkeypatch.setattr(tabular_stream, "MAX_PROBLEMS", 5)
    path = write_jsonl(tmp_path / "bad.jsonl", rows(30, date="someday"))

    with pytest.raises(CommandError) as raised:
        run_import(path)

    message = str(raised.value)
    assert "row 5, field date" in message and "row 6, field date" not in message
    assert "the first 5 problems are listed" in message
    assert nothing_written()


def test_a_file_that_is_not_utf8_halfway_imports_nothing(tmp_path):
    path = write_jsonl(tmp_path / "big.jsonl", rows(40))
    with path.open("ab") as out:
        out.write(json.dumps({"title": "Caf"}).encode()[:-2] + b"\xe9\"}\n")

    with pytest.raises(CommandError, match="line 41: the file is not UTF-8"):
        run_import(path)
    assert nothing_written()


def test_documents_imported_in_batches_are_found_by_search(tmp_path, monkeypatch):
    monkeypatch.setattr(row_batches, "BATCH_ROWS", 10)
    run_import(write_jsonl(tmp_path / "big.jsonl", rows(25)))
    search.apply_pending()

    reader = AnonymousUser()
    assert search.search({"q": '"northern provinces"'}, reader).total == 25
    assert {hit.id for hit in search.search({"q": "telegram 7"}, reader).hits} == {
        Document.objects.get(source_id="big/7").pk}
    zhou = Person.objects.get(name="Zhou Enlai").pk
    assert search.search({"person": str(zhou)}, reader).total == 25


def test_long_texts_fill_a_batch_before_its_row_count(tmp_path, monkeypatch):
    """A batch is full at BATCH_ROWS rows or BATCH_CHARS characters of text: a file of long
    texts is written in more, smaller batches (memory stays bounded), to the same result."""
    monkeypatch.setattr(row_batches, "BATCH_CHARS", 1000)
    calls = []
    upsert = tabular_stream.do_upsert_documents

    def counted(inputs, **kwargs):
        calls.append(len(inputs))
        return upsert(inputs, **kwargs)

    monkeypatch.setattr(tabular_stream, "do_upsert_documents", counted)
    run_import(write_jsonl(tmp_path / "long.jsonl", rows(12, text="word " * 100)))  # 500 chars

    assert calls == [2] * 6
    assert Document.objects.count() == 12


def test_a_helper_process_reads_a_big_file_to_the_same_result(tmp_path, monkeypatch):
    """From HELPER_MIN_ROWS rows on, a spawned helper reads, checks and sanitises the next
    batch while this process writes (row_batches.BatchReader)."""
    monkeypatch.setattr(row_batches, "HELPER_MIN_ROWS", 1)
    entries = rows(25)
    entries[6]["text"] = "<p onclick='x()'>Telegram 7.</p><script>alert(1)</script>"
    path = write_jsonl(tmp_path / "big.jsonl", entries)

    assert run_import(path) == "25 created, 0 updated, 0 unchanged"

    document = Document.objects.get(source_id="big/7")
    assert document.texts.get().body == "<p>Telegram 7.</p>"  # sanitised by the helper
    assert sorted(p.name for p in document.people.all()) == ["Envoy 0", "Zhou Enlai"]
    assert Revision.objects.filter(kind="document", action="import").count() == 25
    assert run_import(path) == "0 created, 0 updated, 25 unchanged"


@pytest.mark.parametrize("appended, message", [
    (json.dumps({"title": "Late", "date": "someday"}).encode() + b"\n",
     "big.jsonl changed while it was imported; nothing was imported."),
    (b'{"title": "Caf\xe9"}\n', "line 26: the file is not UTF-8"),
])
def test_a_file_changed_under_the_helper_imports_nothing(tmp_path, monkeypatch, appended,
                                                          message):
    monkeypatch.setattr(row_batches, "HELPER_MIN_ROWS", 1)
    path = write_jsonl(tmp_path / "big.jsonl", rows(25))
    check_file = tabular_stream.check_file

    def then_changed(*args):
        compared = check_file(*args)
        with path.open("ab") as out:  # after the check pass, before the write pass
            out.write(appended)
        return compared

    monkeypatch.setattr(tabular_stream, "check_file", then_changed)
    with pytest.raises(CommandError, match=message):
        run_import(path)
    assert nothing_written()


def test_a_helper_killed_mid_import_imports_nothing_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(row_batches, "HELPER_MIN_ROWS", 1)
    enter = row_batches.BatchReader.__enter__

    def helper_killed(reader):
        enter(reader)
        helper = reader._executor.submit(os.getpid).result()  # started, then killed
        os.kill(helper, signal.SIGKILL)
        return reader

    monkeypatch.setattr(row_batches.BatchReader, "__enter__", helper_killed)
    with pytest.raises(CommandError, match="big.jsonl: the process reading it stopped "
                                           "unexpectedly; nothing was imported"):
        run_import(write_jsonl(tmp_path / "big.jsonl", rows(25)))
    assert nothing_written()
