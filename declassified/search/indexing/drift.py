"""The drift check behind `declassified check-index`: the index compared with the database,
document by document."""

from __future__ import annotations

import tantivy

from declassified.archive.models import Document
from declassified.search.engine.common_terms import common_terms_outdated
from declassified.search.engine.entries import updated_micros
from declassified.search.engine.schema import SCHEMA
from declassified.search.engine.storage import is_current_schema, live_generation, live_index
from declassified.search.indexing import change_log
from declassified.search.types import IndexDrift
from declassified.search.vocabulary import DOCUMENT_STATUSES


def check_index() -> IndexDrift:
    """Compare every document's id, status and updated_at with this node's index (reads both
    fully). Documents with log entries this node has not applied yet are not drift."""
    drift = IndexDrift()
    path = live_generation()
    drift.applied_sequence = change_log.applied_sequence(path)
    waiting = change_log.waiting_entries(drift.applied_sequence)
    pending = set(waiting.values_list("document_id", flat=True))
    drift.pending_tasks = waiting.count()
    drift.log_sequence = change_log.log_head().last_sequence
    drift.nodes = [(node.name, node.applied_sequence, node.seen_at)
                   for node in change_log.live_nodes().order_by("name")]
    drift.schema_outdated = path is None or not is_current_schema(path)
    indexed = _indexed_versions()
    drift.documents_in_index = len(indexed)
    in_database: set[int] = set()
    rows = Document.objects.values_list("id", "status", "updated_at").order_by("id")
    for pk, status, updated_at in rows.iterator(chunk_size=5000):
        in_database.add(pk)
        if pk in pending:
            continue
        version = indexed.get(pk)
        if version is None:
            drift.missing.append(pk)
        elif version != (status, updated_micros(updated_at)):
            drift.stale.append(pk)
    drift.documents_in_database = len(in_database)
    drift.common_terms_outdated = path is not None and common_terms_outdated(
        path, drift.documents_in_database)
    drift.extra = sorted(set(indexed) - in_database - pending)
    return drift


def _indexed_versions() -> dict[int, tuple[str, int]]:
    searcher = live_index().index.searcher()
    versions: dict[int, tuple[str, int]] = {}
    if searcher.num_docs == 0:
        return versions
    for status in DOCUMENT_STATUSES:
        query = tantivy.Query.term_query(SCHEMA, "status", status)
        hits = searcher.search(query, limit=max(1, searcher.num_docs), count=False).hits
        addresses = [address for _, address in hits]
        ids = searcher.fast_field_values("id", addresses)
        stamps = searcher.fast_field_values("updated", addresses)
        for pk, stamp in zip(ids, stamps, strict=True):
            assert pk is not None and stamp is not None  # every indexed document has both
            versions[int(pk)] = (status, int(stamp))
    return versions
