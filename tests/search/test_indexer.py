"""The outbox, rebuilds and the drift check, on the real database and index."""

import datetime as dt
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from declassified import search
from declassified.archive.models import Document, SearchOutbox
from declassified.search import _backend, _indexer, _precomputed
from declassified.search._counting import clear_facet_cache
from tests.factories import make_document
from tests.search.conftest import find, indexed

pytestmark = pytest.mark.django_db


def test_writes_queue_in_the_outbox_until_applied():
    indexed()
    make_document(title="Kosygin cable")
    assert SearchOutbox.objects.count() == 1
    assert find("kosygin").total == 0
    assert search.apply_pending() == 1
    assert SearchOutbox.objects.count() == 0 and find("kosygin").total == 1


def test_a_crash_after_the_index_commit_replays_without_duplicates(monkeypatch):
    indexed()
    make_document(title="Kosygin cable")

    def crash(row_ids):
        raise RuntimeError("power cut")

    monkeypatch.setattr(_indexer, "_delete_applied", crash)
    with pytest.raises(RuntimeError):
        search.apply_pending()
    assert SearchOutbox.objects.count() == 1  # the task survives the crash
    monkeypatch.undo()
    assert search.apply_pending() == 1
    assert find("kosygin").total == 1 and SearchOutbox.objects.count() == 0


def test_a_crash_before_the_index_commit_loses_nothing(monkeypatch):
    indexed()
    make_document(title="Kosygin cable")

    def crash(record, pairs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(_indexer, "build_entry", crash)
    with pytest.raises(RuntimeError):
        search.apply_pending()
    monkeypatch.undo()
    assert find("kosygin").total == 0 and SearchOutbox.objects.count() == 1
    search.apply_pending()
    assert find("kosygin").total == 1


def test_apply_pending_honours_its_limit():
    indexed()
    for n in range(5):
        make_document(title=f"Cable {n}")
    assert search.apply_pending(limit=2) == 2
    assert SearchOutbox.objects.count() == 3


def test_a_busy_writer_makes_a_non_waiting_apply_return_at_once():
    indexed()
    make_document(title="Cable")
    with _backend.writer_lock():
        assert search.apply_pending(wait=False) == 0
    assert search.apply_pending(wait=False) == 1


def test_the_first_apply_builds_the_index_from_the_database():
    document = make_document(title="Kosygin cable")
    SearchOutbox.objects.all().delete()  # e.g. an index directory lost with the outbox empty
    assert find("kosygin").total == 0
    search.rebuild_index()
    assert [h.id for h in find("kosygin").hits] == [document.pk]


def test_rebuild_swaps_atomically_while_searches_go_on():
    for n in range(30):
        make_document(title=f"Kosygin cable {n}")
    indexed()
    first = _backend.live_generation()
    totals, errors, stop = [], [], threading.Event()

    def keep_searching():
        while not stop.is_set():
            try:
                totals.append(find("kosygin").total)
            except Exception as error:  # noqa: BLE001 - any failure is what we look for
                errors.append(error)

    searcher = threading.Thread(target=keep_searching)
    searcher.start()
    try:
        search.rebuild_index()
        search.rebuild_index()
    finally:
        stop.set()
        searcher.join()
    assert not errors and totals and set(totals) == {30}
    live = _backend.live_generation()
    assert live != first and not first.exists()  # the one before the previous is removed
    assert len(list((_backend.base_dir() / "generations").iterdir())) == 2


def test_check_index_finds_planted_drift():
    kept = make_document(title="Kept")
    edited = make_document(title="Edited")
    lost = make_document(title="Lost")
    gone = make_document(title="Gone")
    indexed()
    assert search.check_index().ok
    later = timezone.now() + dt.timedelta(hours=1)
    Document.objects.filter(pk=edited.pk).update(title="Edited quietly", updated_at=later)
    Document.objects.filter(pk=gone.pk).delete()  # without an outbox row
    fresh = make_document(title="Never indexed")
    SearchOutbox.objects.filter(document_id=fresh.pk).delete()
    pending = make_document(title="Waiting")  # has a task: not drift
    drift = search.check_index()
    assert (drift.missing, drift.extra, drift.stale) == ([fresh.pk], [gone.pk], [edited.pk])
    assert drift.pending_tasks == 1 and not drift.ok
    with pytest.raises(CommandError, match="reindex"):
        call_command("check_index")
    call_command("reindex")
    assert search.check_index().ok
    assert {kept.pk, lost.pk, pending.pk} <= {h.id for h in find(sort="date").hits}


def test_the_indexer_command_applies_what_is_waiting(capsys):
    indexed()
    make_document(title="Kosygin cable")
    call_command("indexer", "--once")
    assert "Applied 1 index tasks" in capsys.readouterr().out
    assert find("kosygin").total == 1
    call_command("check_index")
    assert "matches the database" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_the_background_thread_applies_changes_within_a_second(settings):
    indexed()
    settings.SEARCH_INDEXER_THREAD = True
    assert search.start_background_indexer()
    try:
        assert not search.start_background_indexer()  # one per process
        make_document(title="Kosygin cable")
        deadline = time.monotonic() + 3
        while find("kosygin").total == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert find("kosygin").total == 1
    finally:
        search.stop_background_indexer()


def test_searches_answer_empty_while_the_first_index_is_built():
    make_document(title="Kosygin cable")
    with _backend.writer_lock():  # as a first `declassified reindex` would hold it
        assert find("kosygin").total == 0
    indexed()
    assert find("kosygin").total == 1


def test_a_backlog_is_applied_in_bounded_batches(monkeypatch, django_assert_max_num_queries):
    indexed()
    for n in range(30):
        make_document(title=f"Kosygin cable {n}")
    monkeypatch.setattr(_indexer, "READ_ROWS", 7)
    monkeypatch.setattr(_indexer, "COMMIT_ROWS", 10)
    # Per 7 rows: the outbox page, the documents and 7 relations; per commit: the deletes;
    # once, as the index is empty: a sample of the documents to choose the common terms.
    with django_assert_max_num_queries(5 * 10 + 4 * 2 + 5 + 10):
        assert search.apply_pending() == 30
    assert SearchOutbox.objects.count() == 0 and find("kosygin").total == 30


def test_browse_all_counts_saved_at_each_commit_are_used_only_while_current():
    for _ in range(2):
        make_document(title="Cable", document_type="Cable")
    indexed()
    saved = _backend.live_generation() / _precomputed.FILE_NAME
    stale = saved.read_text()
    assert [(v.value, v.count) for v in find().facets["type"]] == [("Cable", 2)]
    make_document(title="Cable", document_type="Cable")
    indexed()
    saved.write_text(stale)  # counts of the previous commit
    clear_facet_cache()
    assert [(v.value, v.count) for v in find().facets["type"]] == [("Cable", 3)]


def test_browse_all_counts_of_an_older_version_are_saved_again_when_the_indexer_idles():
    """After an upgrade the saved counts may lack what readers now need (a total, say): the
    indexer saves them again on its first pass with nothing to apply."""
    import json

    make_document(title="Cable", document_type="Cable")
    indexed()
    saved = _backend.live_generation() / _precomputed.FILE_NAME
    older = json.loads(saved.read_text())
    del older["format"], older["total"]
    saved.write_text(json.dumps(older))

    assert search.apply_pending() == 0
    again = json.loads(saved.read_text())
    assert (again["format"], again["total"]) == (_precomputed.FORMAT, 1)
    clear_facet_cache()
    assert find().total == 1 and [(v.value, v.count) for v in find().facets["type"]] == [
        ("Cable", 1)]


def test_an_index_built_by_an_older_schema_is_rebuilt_not_a_server_error(client):
    """After an upgrade that changes the schema, search answers (empty) instead of failing,
    and the next indexer pass rebuilds from the database."""
    import tantivy

    document = make_document(title="Kosygin in Beijing")
    indexed()
    old = _backend.base_dir() / "generations" / "v0-before-the-upgrade"
    old.mkdir(parents=True)
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("something_else", stored=True)
    tantivy.Index(builder.build(), str(old)).writer().commit()
    _backend.swap_live(old)

    response = client.get("/search/", {"q": "Kosygin"})
    assert response.status_code == 200
    assert find("Kosygin").total == 0

    indexed()
    assert _backend.is_current_schema(_backend.live_generation())
    assert [hit.id for hit in find("Kosygin").hits] == [document.pk]


def test_check_index_advises_a_reindex_when_the_archive_outgrew_its_common_terms(capsys):
    make_document(title="The first cable")
    indexed()  # the common terms come from this one document
    for n in range(30):
        make_document(title=f"Cable {n} of the embassy")
    indexed()
    drift = search.check_index()
    assert drift.ok and drift.common_terms_outdated
    call_command("check_index")
    assert "`declassified reindex` chooses them again" in capsys.readouterr().out
    call_command("reindex")
    assert not search.check_index().common_terms_outdated
    assert "embassi" in _backend.live_index().common
