"""The outbox applied to the index: in order, in bounded batches, and safely across crashes
(the real database and index; the crash points are the outbox module's own functions)."""

import pytest

from declassified import search
from declassified.archive.models import SearchOutbox
from declassified.search.engine import storage
from declassified.search.indexing import outbox
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

    def crash(generation, sequence):
        raise RuntimeError("power cut")

    monkeypatch.setattr(outbox.change_log, "record_applied", crash)
    with pytest.raises(RuntimeError):
        search.apply_pending()
    assert SearchOutbox.objects.count() == 1  # the entry survives the crash
    monkeypatch.undo()
    assert search.apply_pending() == 1  # applied again
    assert find("kosygin").total == 1 and SearchOutbox.objects.count() == 0


def test_a_crash_before_the_index_commit_loses_nothing(monkeypatch):
    indexed()
    make_document(title="Kosygin cable")

    def crash(record, pairs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(outbox, "build_entry", crash)
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
    with storage.writer_lock():
        assert search.apply_pending(wait=False) == 0
    assert search.apply_pending(wait=False) == 1


def test_the_first_apply_builds_the_index_from_the_database():
    document = make_document(title="Kosygin cable")
    SearchOutbox.objects.all().delete()  # e.g. an index directory lost with the outbox empty
    assert find("kosygin").total == 0
    search.rebuild_index()
    assert [h.id for h in find("kosygin").hits] == [document.pk]


def test_a_backlog_is_applied_in_bounded_batches(monkeypatch, django_assert_max_num_queries):
    indexed()
    for n in range(30):
        make_document(title=f"Kosygin cable {n}")
    monkeypatch.setattr(outbox, "READ_ROWS", 7)
    monkeypatch.setattr(outbox, "COMMIT_ROWS", 10)
    # Per batch of 7 entries (and the empty page that ends them): the log page, the documents
    # and 9 relations; per commit (3): whether people or places changed (the names lexicon,
    # two), where this node stands (one) and the pruning behind every node (seven); once:
    # whether entries were pruned, numbering the new entries (seven, the head row made
    # first) and, as the index is empty, a sample of the documents for the common terms.
    with django_assert_max_num_queries(6 * 11 + 3 * (2 + 1 + 7) + 1 + 7 + 2):
        assert search.apply_pending() == 30
    assert SearchOutbox.objects.count() == 0 and find("kosygin").total == 30


QUERIES = ["grain", '"of the grain"', '"the harvest"', "урожай", '"урожай зерна"',
           '"Kosygin\'s plan"', "kosygin", '"plan of the"', "пшеница"]


def results() -> dict[str, list[int]]:
    return {q: sorted(h.id for h in find(q, page_size="50").hits) for q in QUERIES}


def test_a_backlog_analysed_in_the_helper_process_searches_as_one_analysed_here(monkeypatch):
    """A backlog's texts are analysed (and paired) in a helper process, a few documents'
    in this one: the index answers every kind of query the same either way."""
    indexed()
    texts = ["Kosygin's plan of the grain harvest.", "The harvest of the grain was poor.",
             "Урожай зерна и пшеница.", "Of the plan: the grain, the harvest, Kosygin's."]
    documents = [make_document(title=f"Report {n}", text=texts[n % 4] * (1 + n % 3))
                 for n in range(16)]
    monkeypatch.setattr(outbox, "READ_ROWS", 5)  # a backlog: the helper process
    waiting = SearchOutbox.objects.count()  # the documents', their texts'
    assert search.apply_pending() == waiting
    from_helper = results()
    assert from_helper['"of the grain"'] and from_helper['"урожай зерна"']
    assert from_helper['"Kosygin\'s plan"'] == sorted(d.pk for d in documents[::4])

    monkeypatch.setattr(outbox, "READ_ROWS", 1000)  # a few rows: analysed in this process
    from declassified.archive.actions import enqueue_reindex

    enqueue_reindex([d.pk for d in documents])
    assert search.apply_pending() == 16
    assert results() == from_helper
