"""Bulk data: `declassified dumps`, the Data page and the downloads."""

from __future__ import annotations

import gzip
import json
import signal
import subprocess
import sys

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from declassified.archive import actions
from declassified.archive.models import Attachment, Document, Language, Repository
from declassified.harvest import dumps
from tests.factories import make_document, make_person, make_place


def lines_of(response) -> list[dict]:
    content = b"".join(response.streaming_content)
    return [json.loads(line) for line in gzip.decompress(content).decode().splitlines()]


def test_the_command_writes_whole_archive_and_collection_dumps(client, archive, settings):
    call_command("dumps", "--base-url", "https://archive.example.org/")
    files = sorted(p.name for p in settings.DUMPS_DIR.iterdir() if p.suffix == ".gz")
    assert files == ["archive.jsonl.gz", f"collection-{archive.collection.pk}.jsonl.gz"]
    response = client.get("/data/archive.jsonl.gz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/gzip"
    [record] = lines_of(response)
    assert record["id"] == archive.published.pk
    assert record["url"] == f"https://archive.example.org{archive.published.get_absolute_url()}"
    assert record["date"] == "1962-10" and record["display_date"] == "October 1962"
    assert record["collections"][0]["title"] == "Sino-Soviet Split, 1960-1984"
    assert [p["name"] for p in record["people"]] == ["Mao Zedong"]
    assert record["texts"][0]["body"] == "<p>Translated text.</p>"


def test_a_dump_line_is_the_api_document_json(client, archive, django_assert_max_num_queries):
    related = make_document(title="Related and published")
    hidden = make_document(title="Related draft", status=Document.DRAFT)
    archive.published.related.set([related, hidden])
    document = archive.published
    document.repository = actions.do_save_entity(Repository(name="AVPRF", location="Moscow"),
                                                 acting_user=None, via="test")
    document.place_of_origin = make_place("Beijing")
    actions.do_save_document(document, acting_user=None, via="test")
    document.languages.set([Language.objects.create(code="ru", name="Russian")])
    document.contributors.set([make_person("Donor Foundation")])
    actions.do_save_attachment(
        Attachment(document=document, title="Scan", file=ContentFile(b"%PDF-1.4", name="s.pdf")),
        acting_user=None, via="test")
    call_command("dumps", "--base-url", "http://testserver")
    records = {r["id"]: r for r in lines_of(client.get("/data/archive.jsonl.gz"))}
    api = client.get(f"/api/v1/documents/{archive.published.pk}").json()
    assert api.pop("machine_transcript") is None  # the detail's alone: dump lines stay small
    assert records[archive.published.pk] == api
    assert [r["title"] for r in api["related"]] == ["Related and published"]


def test_a_batch_of_documents_costs_a_fixed_number_of_queries(archive,
                                                             django_assert_max_num_queries):
    for n in range(30):
        make_document(title=f"Batch {n}", collections=[archive.collection], text="<p>t</p>")
    with django_assert_max_num_queries(45):
        call_command("dumps")

    whole = next(e for e in dumps.read_manifest()["dumps"] if e["collection"] is None)
    assert whole["documents"] == 31  # the fixture's published document and the thirty


def test_dumps_never_hold_drafts_or_withdrawn_documents(client, archive):
    call_command("dumps")
    for name in ("archive", f"collection-{archive.collection.pk}"):
        records = lines_of(client.get(f"/data/{name}.jsonl.gz"))
        assert [r["id"] for r in records] == [archive.published.pk]
    assert client.get(f"/data/collection-{archive.other_collection.pk}.jsonl.gz").status_code == 404


def test_files_are_replaced_atomically_and_leave_no_temporary_files(archive, settings):
    call_command("dumps")
    call_command("dumps")
    names = sorted(p.name for p in settings.DUMPS_DIR.iterdir())
    assert names == sorted([dumps.LOCK_FILE, "archive.jsonl.gz", "manifest.json",
                            f"collection-{archive.collection.pk}.jsonl.gz"])


def test_if_stale_regenerates_only_after_a_change(archive, capsys):
    call_command("dumps")
    call_command("dumps", "--if-stale")
    assert "up to date" in capsys.readouterr().out
    make_document(title="New arrival")
    call_command("dumps", "--if-stale")
    assert "Wrote" in capsys.readouterr().out


def test_a_stale_dump_is_served_until_refreshed(client, archive):
    call_command("dumps")
    make_document(title="New arrival")
    assert dumps.is_stale(dumps.read_manifest())
    response = client.get("/data/archive.jsonl.gz")
    assert response.status_code == 200
    assert [r["id"] for r in lines_of(response)] == [archive.published.pk]
    assert "new files are being prepared" in client.get("/data/").content.decode()


def test_a_withdrawal_withholds_the_old_files(client, archive):
    call_command("dumps")
    actions.do_withdraw_document(archive.published, acting_user=None, via="test")
    response = client.get("/data/archive.jsonl.gz")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "archive.jsonl.gz" not in client.get("/data/").content.decode()
    call_command("dumps")
    assert lines_of(client.get("/data/archive.jsonl.gz")) == []


def test_missing_dumps_answer_503_not_500(client, db):
    assert client.get("/data/archive.jsonl.gz").status_code == 503


@pytest.mark.parametrize("name", ["nothing", "collection-99999999999999999999", "collection--1",
                                  "..%2Fmanifest", "manifest", "collection-abc"])
def test_unknown_dump_names_are_not_found(client, archive, name):
    call_command("dumps")
    assert client.get(f"/data/{name}.jsonl.gz").status_code == 404


def test_the_data_page_lists_the_dumps_with_licence_and_links(
    client, archive, settings, django_assert_max_num_queries
):
    settings.DATA_LICENCE = "Everything here is CC0."
    call_command("dumps")
    with django_assert_max_num_queries(6):
        response = client.get("/data/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/data/archive.jsonl.gz" in page
    assert f"/data/collection-{archive.collection.pk}.jsonl.gz" in page
    assert "Sino-Soviet Split, 1960-1984" in page
    assert "Everything here is CC0." in page
    for link in ("/oai?verb=Identify", "/feeds/documents.atom", "/api/v1/"):
        assert link in page


def test_the_data_page_states_public_domain_and_cc0_by_default(client, db):
    page = client.get("/data/").content.decode()
    assert "public domain" in page and "CC0" in page
    assert "being regenerated" in page


def test_a_request_for_stale_dumps_refreshes_them_in_the_background(
    client, transactional_db, settings
):
    settings.DUMPS_REFRESH_ON_REQUEST = True
    make_document(title="Fresh")
    assert client.get("/data/archive.jsonl.gz").status_code == 503
    dumps.wait_for_background_refresh(timeout=30)
    response = client.get("/data/archive.jsonl.gz")
    assert response.status_code == 200
    assert [r["title"] for r in lines_of(response)] == ["Fresh"]


def test_the_command_refuses_a_bad_base_url(db):
    with pytest.raises(CommandError, match="--base-url"):
        call_command("dumps", "--base-url", "archive.example.org")


HOLD_LOCK = """
import fcntl, os, sys, time
handle = open(sys.argv[1], "a+")
fcntl.flock(handle, fcntl.LOCK_EX)
handle.truncate(0); handle.write(str(os.getpid())); handle.flush()
print("held", flush=True)
time.sleep(120)
"""


@pytest.fixture
def lock_holder(settings):
    """Another process holding the generation lock, as a generation in progress does."""
    settings.DUMPS_DIR.mkdir(parents=True)
    lock = str(settings.DUMPS_DIR / dumps.LOCK_FILE)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, lock], stdout=subprocess.PIPE,
                              text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    yield holder
    holder.kill()
    holder.wait()


def test_a_live_generation_elsewhere_is_left_to_finish(archive, lock_holder, capsys):
    busy = f"being generated by another process .process {lock_holder.pid}"
    with pytest.raises(CommandError, match=busy):
        call_command("dumps")
    call_command("dumps", "--if-stale")  # `make run` goes on: exit 0
    assert "being generated by another process" in capsys.readouterr().out
    assert dumps.is_generating()
    assert not (dumps.dumps_dir() / "archive.jsonl.gz").exists()


def test_a_generation_killed_midway_blocks_nothing_and_leaves_no_half_files(archive, lock_holder):
    (dumps.dumps_dir() / ".archive-killed.tmp").write_bytes(b"half a dump")
    lock_holder.send_signal(signal.SIGKILL)  # the kernel releases its lock
    lock_holder.wait()

    assert not dumps.is_generating()
    call_command("dumps", "--if-stale")
    names = sorted(p.name for p in dumps.dumps_dir().iterdir())
    assert names == sorted([dumps.LOCK_FILE, "archive.jsonl.gz", "manifest.json",
                            f"collection-{archive.collection.pk}.jsonl.gz"])
