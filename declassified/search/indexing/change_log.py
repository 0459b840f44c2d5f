"""The search change log that every index node follows (archive.models.SearchOutbox).

Writers add entries without a number, inside their own transaction. Numbering happens
afterwards, one numberer at a time (the SearchLogHead row lock): it numbers the entries it
can see, in id order, after the last number given. An entry is therefore numbered only once
its transaction has committed, and any entry a node can see later gets a higher number than
every one it saw before: reading "after S" never skips a transaction that committed late.
(Numbering by id alone would: on PostgreSQL, ids are taken when the row is written, not in
commit order.)

Each node keeps the last sequence it applied beside its index (applied_sequence below) and
reports it in SearchIndexNode; entries are pruned behind the slowest live node. A node whose
next entry was pruned (it was away longer than SEARCH_NODE_TIMEOUT_SECONDS, or is new)
rebuilds its index from the database.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from declassified.archive.models import SearchIndexNode, SearchLogHead, SearchOutbox
from declassified.search.engine.storage import base_dir
from declassified.search.searching.saved_counts import opstamp

NUMBER_ROWS = 50_000  # entries numbered a transaction (the head row is locked meanwhile)
_APPLIED_FILE = "applied-sequence.json"


def number_new_entries() -> int:
    """Number the committed entries that have no sequence yet; returns the last sequence."""
    while True:
        with transaction.atomic():
            head = _locked_head()
            numbered = _number(head.last_sequence)
            head.last_sequence += numbered
            if numbered:
                head.save(update_fields=["last_sequence"])
        if numbered < NUMBER_ROWS:
            return head.last_sequence


def _locked_head() -> SearchLogHead:
    """The head row, locked until the transaction ends (made on first use)."""
    head = SearchLogHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        SearchLogHead.objects.bulk_create([SearchLogHead(pk=1)], ignore_conflicts=True)
        head = SearchLogHead.objects.select_for_update().get(pk=1)
    return head


def _number(after: int) -> int:
    table = connection.ops.quote_name(SearchOutbox._meta.db_table)
    with connection.cursor() as cursor:  # one statement; UPDATE … FROM: PostgreSQL, SQLite ≥ 3.33
        cursor.execute(
            f"UPDATE {table} SET sequence = numbered.seq FROM ("
            f" SELECT id, %s + ROW_NUMBER() OVER (ORDER BY id) AS seq FROM {table}"
            f" WHERE sequence IS NULL ORDER BY id LIMIT %s"
            f") AS numbered WHERE {table}.id = numbered.id",
            [after, NUMBER_ROWS])
        return cursor.rowcount


def entries_after(sequence: int) -> QuerySet[SearchOutbox]:
    """Numbered entries a node at `sequence` has still to apply, in order."""
    return SearchOutbox.objects.filter(sequence__gt=sequence).order_by("sequence")


def waiting_entries(sequence: int) -> QuerySet[SearchOutbox]:
    """Entries not yet applied by a node at `sequence`: numbered after it, or not numbered."""
    return SearchOutbox.objects.filter(Q(sequence__gt=sequence) | Q(sequence__isnull=True))


def log_head() -> SearchLogHead:
    """The head row as it is now (not locked); zeros before the first entry is numbered."""
    return SearchLogHead.objects.filter(pk=1).first() or SearchLogHead(pk=1)


# -- where a node stands ----------------------------------------------------------------------


def applied_sequence(generation: Path | None) -> int:
    """The last sequence applied to the index generation at `generation` (0: none recorded)."""
    if generation is None:
        return 0
    try:
        return int(json.loads((generation / _APPLIED_FILE).read_text())["sequence"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def record_applied(generation: Path, sequence: int) -> None:
    """Record, right after an index commit, the last sequence that commit holds.

    Written after the commit (tantivy-py cannot put it in the commit itself): a crash in
    between leaves the older number, and the entries after it are applied again, which is
    harmless (applying an entry re-reads the document). The record is never ahead of the index.
    """
    temporary = generation / f".{_APPLIED_FILE}.{uuid.uuid4().hex}"
    temporary.write_text(json.dumps({"sequence": sequence, "opstamp": opstamp(generation)}))
    os.replace(temporary, generation / _APPLIED_FILE)


def node_id() -> str:
    """This node's identity: a random id kept in SEARCH_INDEX_DIR, so every process that
    shares the directory is the same node, and a new directory is a new node."""
    path = base_dir() / "node-id"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        base_dir().mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "x") as handle:
                handle.write(uuid.uuid4().hex)
        except FileExistsError:
            pass  # another process of this node wrote it first
        return path.read_text().strip()


def report_node(sequence: int) -> None:
    """Say where this node stands (and that it is alive): one query, two the first time."""
    values = {"name": f"{socket.gethostname()}:{base_dir()}", "applied_sequence": sequence,
              "seen_at": timezone.now()}
    if not SearchIndexNode.objects.filter(node_id=node_id()).update(**values):
        SearchIndexNode.objects.bulk_create([SearchIndexNode(node_id=node_id(), **values)],
                                            ignore_conflicts=True)


def live_nodes() -> QuerySet[SearchIndexNode]:
    since = timezone.now() - timedelta(seconds=settings.SEARCH_NODE_TIMEOUT_SECONDS)
    return SearchIndexNode.objects.filter(seen_at__gte=since)


def prune_log() -> int:
    """Delete the entries every live node has applied; returns how many (two queries when
    there is nothing to delete)."""
    horizon = live_nodes().aggregate(horizon=Min("applied_sequence"))["horizon"]
    if not horizon or horizon <= log_head().pruned_through:
        return 0
    with transaction.atomic():
        head = _locked_head()
        if horizon <= head.pruned_through:
            return 0
        deleted, _ = SearchOutbox.objects.filter(sequence__lte=horizon).delete()
        head.pruned_through = horizon
        head.save(update_fields=["pruned_through"])
    return deleted


def fell_behind(sequence: int) -> bool:
    """Whether an index at `sequence` cannot follow the log and must be rebuilt: entries after
    it were pruned, or it is ahead of the log (a database restored from a backup older than
    the index: the numbers it holds would be given again to other changes)."""
    head = log_head()
    return sequence < head.pruned_through or sequence > head.last_sequence
