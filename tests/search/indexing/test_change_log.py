"""The change log that every node's index follows (issue 18.2): entries numbered in the
order they become visible, kept until every live node has applied them, a node resuming
after the sequence it recorded, and a node left behind rebuilding.

Two nodes here are two index directories used in turn by this process, on one database."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from declassified import search
from declassified.archive.models import SearchIndexNode, SearchLogHead, SearchOutbox
from declassified.search.indexing import change_log, outbox
from tests.factories import make_document
from tests.search.conftest import find


@pytest.fixture
def on_node(settings, tmp_path):
    """Switch this process to node "a" or "b" (each its own index directory)."""

    def switch(name: str) -> None:
        settings.SEARCH_INDEX_DIR = tmp_path / f"node-{name}"

    return switch


@pytest.fixture
def two_nodes(on_node):
    """Both nodes built (on an empty archive) and known to the log; node a is current."""
    for name in "ba":
        on_node(name)
        search.apply_pending()
    return on_node


@pytest.mark.django_db
def test_an_entry_stays_until_every_live_node_has_applied_it(two_nodes):
    make_document(title="Kosygin cable")
    assert search.apply_pending() == 1 and find("kosygin").total == 1
    assert SearchOutbox.objects.count() == 1  # node b still has to apply it
    two_nodes("b")
    assert find("kosygin").total == 0
    assert search.apply_pending() == 1 and find("kosygin").total == 1
    assert SearchOutbox.objects.count() == 0


@pytest.mark.django_db
def test_a_node_resumes_after_the_sequence_it_recorded(two_nodes):
    make_document(title="Kosygin cable")
    assert search.apply_pending() == 1
    make_document(title="Kosygin letter")
    # The first entry is still in the log (node b needs it); node a does not apply it again.
    assert search.apply_pending() == 1
    assert SearchOutbox.objects.count() == 2 and find("kosygin").total == 2


@pytest.mark.django_db
def test_a_node_away_too_long_is_left_behind_and_rebuilds_when_it_returns(two_nodes, settings,
                                                                          capsys):
    settings.SEARCH_NODE_TIMEOUT_SECONDS = 60
    node_b = SearchIndexNode.objects.get(name__endswith="node-b")
    SearchIndexNode.objects.filter(pk=node_b.pk).update(
        seen_at=timezone.now() - timedelta(hours=1))  # as if its machine were switched off
    make_document(title="Kosygin cable")
    assert search.apply_pending() == 1
    assert SearchOutbox.objects.count() == 0  # not kept for a node that went away
    two_nodes("b")
    assert find("kosygin").total == 0
    search.apply_pending()  # rebuilds from the database
    assert find("kosygin").total == 1
    call_command("check_index")
    assert "The search index matches the database." in capsys.readouterr().out


@pytest.mark.django_db
def test_the_indexer_of_a_node_left_behind_rebuilds_without_waiting_for_a_new_write(two_nodes,
                                                                                    settings):
    settings.SEARCH_NODE_TIMEOUT_SECONDS = 60
    SearchIndexNode.objects.filter(name__endswith="node-b").update(
        seen_at=timezone.now() - timedelta(hours=1))
    make_document(title="Kosygin cable")
    search.apply_pending()  # node a applies it and prunes the log: nothing waits for node b
    two_nodes("b")
    stop = threading.Event()
    give_up = threading.Timer(20, stop.set)  # without a rebuild the loop would idle for ever
    give_up.start()
    try:
        search.run_indexer(stop, interval=0.05, on_apply=lambda applied: stop.set())
    finally:
        give_up.cancel()
    assert find("kosygin").total == 1


@pytest.mark.django_db
def test_check_index_on_a_node_behind_counts_what_it_has_still_to_apply(two_nodes, capsys):
    make_document(title="Kosygin cable")
    search.apply_pending()
    two_nodes("b")
    call_command("check_index")
    out = capsys.readouterr().out
    assert "waiting index tasks: 1" in out
    assert "this node has applied the change log through entry 0 of 1" in out
    assert "node-a: through 1" in out and "node-b: through 0" in out
    assert "apart from 1 waiting task" in out


@pytest.mark.django_db(transaction=True)
def test_an_entry_committed_after_a_later_one_is_not_skipped(on_node, db_vendor):
    """On PostgreSQL ids are taken when a row is written, not when it commits: an edit that
    commits late has a smaller id than entries applied before it. Numbering at commit keeps
    it from being skipped. (SQLite lets one transaction write at a time, so this cannot
    happen there: the test needs two writers at once.)"""
    if db_vendor != "postgresql":
        pytest.skip("needs two concurrent writing transactions (PostgreSQL)")
    on_node("a")
    search.apply_pending()
    written, finish = threading.Event(), threading.Event()

    def slow_editor():
        try:
            with transaction.atomic():
                make_document(title="Kosygin memorandum")  # its entry's id comes first
                written.set()
                finish.wait(30)
        finally:
            connection.close()

    editor = threading.Thread(target=slow_editor)
    editor.start()
    try:
        assert written.wait(30)
        make_document(title="Kosygin cable")  # a later id, committed first
        assert search.apply_pending() == 1
        assert [hit.title for hit in find("kosygin").hits] == ["Kosygin cable"]
    finally:
        finish.set()
        editor.join(30)
    assert search.apply_pending() == 1
    assert find("kosygin").total == 2


@pytest.mark.django_db
def test_an_index_ahead_of_the_log_is_rebuilt(on_node):
    """E.g. the database restored from a backup taken before the index was copied: the log
    gives its numbers again to other changes, which the index would take as applied."""
    on_node("a")
    search.apply_pending()
    make_document(title="Kosygin cable")
    make_document(title="Kosygin letter")
    assert search.apply_pending() == 2
    SearchLogHead.objects.update(last_sequence=0, pruned_through=0)  # the restored log
    SearchOutbox.objects.all().delete()
    make_document(title="Kosygin memorandum")  # numbered 1 again
    search.apply_pending()
    assert find("kosygin").total == 3


@pytest.mark.django_db
def test_a_new_node_building_its_index_keeps_the_log_from_being_pruned_past_it(on_node,
                                                                               monkeypatch):
    on_node("a")
    make_document(title="Kosygin cable")
    search.apply_pending()
    real_batches = outbox.iter_record_batches
    letter = []

    def batches_while_node_a_goes_on():
        yield from real_batches()
        letter.append(make_document(title="Kosygin letter"))  # saved while node b builds
        on_node("a")
        change_log.number_new_entries()
        change_log.report_node(change_log.log_head().last_sequence)  # node a applied it
        change_log.prune_log()
        on_node("b")

    monkeypatch.setattr(outbox, "iter_record_batches", batches_while_node_a_goes_on)
    on_node("b")
    search.rebuild_index()
    monkeypatch.undo()
    assert find("kosygin").total == 1
    assert SearchOutbox.objects.filter(document_id=letter[0].pk).exists()  # kept for node b
    assert search.apply_pending() == 1  # the letter, from the log: not a second build
    assert find("kosygin").total == 2
