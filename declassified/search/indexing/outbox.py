"""The change log applied to this node's index, and the index rebuilt from the database.

The log (archive.models.SearchOutbox, change_log.py) is written in the same transaction as
every change. `apply_pending` numbers new entries, reads those after the sequence this index
has applied, re-reads their documents, replaces them in the index (delete by id, add),
commits the index, and only then records the new sequence beside it: a crash anywhere before
that applies the entries again, and applying again is harmless. Entries stay in the log for
the other nodes until every live one has applied them.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

import tantivy
from django.conf import settings

from declassified.search.engine.common_terms import load_common_terms, save_common_terms
from declassified.search.engine.entries import Analysed, build_entry
from declassified.search.engine.name_lexicon import saved_fingerprint
from declassified.search.engine.schema import SCHEMA
from declassified.search.engine.storage import (
    IndexBusy,
    is_current_schema,
    live_generation,
    new_generation_dir,
    open_index,
    swap_live,
    writer_lock,
)
from declassified.search.indexing import change_log
from declassified.search.indexing.browse_all import save_browse_all, save_browse_all_if_missing
from declassified.search.indexing.name_lexicon import refresh_lexicon
from declassified.search.indexing.pair_process import PairProcess
from declassified.search.indexing.records import iter_record_batches, records_for_ids
from declassified.search.indexing.sampling import sample_common_terms
from declassified.search.language.pairs import NO_PAIRS, PairMaker
from declassified.search.types import IndexRecord, RebuildReport

READ_ROWS = 1000  # log entries read (and documents re-read) at a time
COMMIT_ROWS = 100_000  # entries applied between index commits while a backlog lasts
BULK_HEAP = 1_000_000_000  # the writer's memory budget for a backlog (taken as needed)
BULK_THREADS = 1


def apply_pending(limit: int | None = None, *, wait: bool = True) -> int:
    """Apply waiting log entries to this node's index; returns how many were applied.

    With `wait` false, returns 0 at once when another writer holds the lock. Builds the
    index from the database instead if there is none yet, if it has an older schema, or if
    entries it has not applied were pruned (the node was away too long).
    """
    try:
        with writer_lock(wait=wait):
            path = live_generation()
            if (path is None or not path.exists() or not is_current_schema(path)
                    or change_log.fell_behind(change_log.applied_sequence(path))):
                return _rebuild_locked(None).outbox_rows
            return _apply_locked(path, limit)
    except IndexBusy:
        return 0


def apply_pending_after_job() -> int:
    """After a job (an import, OCR): apply_pending, so that what it wrote is found at once
    (and the index built, if this data dir has none yet), unless JOBS_UPDATE_INDEX is off:
    a worker on a machine of its own keeps no index, the web nodes follow the log themselves."""
    if not settings.JOBS_UPDATE_INDEX:
        return 0
    return apply_pending()


def _apply_locked(path, limit: int | None) -> int:
    """Apply the log in sequence order: READ_ROWS entries at a time, one index commit per
    COMMIT_ROWS (and at the end), each followed by recording the sequence it made durable.
    A backlog is pipelined: a batch's pairs are made in the helper process while the
    previous batch is added (pair_process.py)."""
    change_log.number_new_entries()
    applied, last_sequence = 0, change_log.applied_sequence(path)
    writer: tantivy.IndexWriter | None = None
    helper: PairProcess | None = None
    pairs = PairMaker(NO_PAIRS)
    uncommitted = 0  # entries added since the last commit
    pending: _Batch | None = None  # read, not yet added
    try:
        while limit is None or applied + uncommitted < limit:
            size = READ_ROWS if limit is None else min(READ_ROWS, limit - applied - uncommitted)
            rows = list(change_log.entries_after(last_sequence)
                        .values_list("sequence", "document_id")[:size])
            if not rows:
                break
            if writer is None:
                index = open_index(path)
                pairs = _pair_maker(path, index)
                bulk = len(rows) == READ_ROWS  # a backlog
                writer = _writer(index, bulk=bulk)
                helper = PairProcess(pairs.terms) if bulk and pairs else None
            batch = _Batch.read({document_id for _, document_id in rows}, helper)
            if pending is not None:
                pending.replace(writer, pairs)
            pending = batch
            uncommitted += len(rows)
            newest = rows[-1][0]
            assert newest is not None  # entries_after reads numbered entries only
            last_sequence = newest
            if uncommitted >= COMMIT_ROWS:
                pending.replace(writer, pairs)
                pending = None
                refresh_lexicon(path)  # before the commit that readers reload on
                _commit(writer, path, last_sequence)
                save_browse_all(path, index)
                applied, uncommitted = applied + uncommitted, 0
        if pending is not None:
            assert writer is not None  # rows were read, so the loop opened the writer
            pending.replace(writer, pairs)
        if uncommitted:
            assert writer is not None
            refresh_lexicon(path)
            _commit(writer, path, last_sequence)
            save_browse_all(path, index)
            applied += uncommitted
        if writer is None:  # nothing to apply
            save_browse_all_if_missing(path)
            if saved_fingerprint(path) is None:  # a generation from before the lexicon
                refresh_lexicon(path)
    finally:
        if helper is not None:
            helper.close()
        if writer is not None:
            writer.wait_merging_threads()  # also releases Tantivy's own writer lock
    return applied


@dataclass
class _Batch:
    """Documents read from the database, their pairs perhaps being made elsewhere."""

    document_ids: set[int]
    records: list[IndexRecord]  # in id order; missing ids are deleted documents
    pair_texts: Future[list[Analysed]] | None

    @classmethod
    def read(cls, document_ids: set[int], helper: PairProcess | None) -> _Batch:
        found = records_for_ids(document_ids)
        records = [found[pk] for pk in sorted(found)]
        return cls(document_ids, records, helper.submit(records) if helper else None)

    def replace(self, writer: tantivy.IndexWriter, pairs: PairMaker) -> None:
        """Delete these ids from the index and add back those that still exist (any status)."""
        # By query: tantivy-py's delete_documents_by_term does not match u64 fields. A delete
        # applies to documents added before it, so the new versions below survive it.
        writer.delete_documents_by_query(
            tantivy.Query.term_set_query(SCHEMA, "id", sorted(self.document_ids)))
        _add_all(writer, self.records, pairs, self.pair_texts)


def _add_all(writer: tantivy.IndexWriter, records: list[IndexRecord], pairs: PairMaker,
             pair_texts: Future[list[Analysed]] | None) -> None:
    if pair_texts is None:
        for record in records:
            writer.add_document(build_entry(record, pairs))
        return
    for record, texts in zip(records, pair_texts.result(), strict=True):
        writer.add_document(build_entry(record, pairs, texts))


def _pair_maker(path, index: tantivy.Index) -> PairMaker:
    """The pairs of this generation's common terms; chosen afresh (from the documents now in
    the database) while the index holds no document, so that nothing indexed disagrees."""
    index.reload()
    if index.searcher().num_docs == 0:
        save_common_terms(path, sample_common_terms())
    terms = load_common_terms(path)
    if _pair_makers.get(path) is None or _pair_makers[path].terms != terms:
        _pair_makers.clear()
        _pair_makers[path] = PairMaker(terms)  # keeps its cache of analysed words
    return _pair_makers[path]


_pair_makers: dict = {}


def _writer(index: tantivy.Index, *, bulk: bool) -> tantivy.IndexWriter:
    """A writer for a few documents, or one for a backlog: Tantivy's thread analyses and
    indexes while this one reads the next rows and makes word pairs (both cores busy). One
    thread with a large budget (taken as needed) writes few, large segments, and every
    segment costs each counting search again (docs/performance.md); with two threads the
    FRUS import indexed no faster (73 s against 55 s, both measured once)."""
    if bulk:
        return index.writer(heap_size=BULK_HEAP, num_threads=BULK_THREADS)
    return index.writer(heap_size=50_000_000, num_threads=1)


def _commit(writer: tantivy.IndexWriter, path, sequence: int) -> None:
    writer.commit()
    change_log.record_applied(path, sequence)  # only once the commit made them durable
    follow_log(sequence)


def follow_log(sequence: int) -> None:
    """Tell the others where this node stands, and prune what every live node has applied."""
    change_log.report_node(sequence)
    change_log.prune_log()


def rebuild_index(progress: Callable[[int], None] | None = None) -> RebuildReport:
    """Build a fresh index from the database beside the live one, then swap it in.

    Searches keep using the old index until the swap; writers wait for the lock meanwhile
    (changes wait in the log and are applied after).
    """
    with writer_lock(wait=True):
        return _rebuild_locked(progress)


def _rebuild_locked(progress: Callable[[int], None] | None) -> RebuildReport:
    # Entries numbered so far describe changes the full read below will see; later ones
    # are applied after the swap (again, if the read saw them too: harmless).
    previous = live_generation()
    through = change_log.number_new_entries()
    # Say so now: the log is then kept after `through` while this (long) build runs, instead
    # of being pruned past it by the other nodes, which would make it start again at the end.
    change_log.report_node(through)
    covered = through - min(through, change_log.applied_sequence(previous))
    path = new_generation_dir()
    helper: PairProcess | None = None
    try:
        save_common_terms(path, sample_common_terms())
        pairs = PairMaker(load_common_terms(path))
        index = open_index(path)
        writer = _writer(index, bulk=True)
        helper = PairProcess(pairs.terms) if pairs else None
        count = 0
        pending: tuple[list[IndexRecord], Future[list[Analysed]] | None] | None = None
        for records in iter_record_batches():  # pipelined as _apply_locked is
            if pending is not None:
                count = _add_counted(writer, pending, pairs, count, progress)
            pending = (records, helper.submit(records) if helper else None)
        if pending is not None:
            count = _add_counted(writer, pending, pairs, count, progress)
        refresh_lexicon(path)
        writer.commit()
        writer.wait_merging_threads()
        save_browse_all(path, index)
        change_log.record_applied(path, through)
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise
    finally:
        if helper is not None:
            helper.close()
    swap_live(path)
    follow_log(through)
    return RebuildReport(documents=count, outbox_rows=covered, path=str(path))


def _add_counted(writer: tantivy.IndexWriter, pending, pairs: PairMaker, count: int,
                 progress: Callable[[int], None] | None) -> int:
    records, pair_texts = pending
    _add_all(writer, records, pairs, pair_texts)
    if progress and (count + len(records)) // 10_000 > count // 10_000:
        progress((count + len(records)) // 10_000 * 10_000)
    return count + len(records)
