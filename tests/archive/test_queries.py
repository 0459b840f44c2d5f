"""Bounded reads (archive.queries) whose cost must not grow with the archive."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from declassified.archive import queries
from tests.factories import make_document

pytestmark = pytest.mark.django_db


def plan_of(sql: str) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return " ".join(str(row) for row in cursor.fetchall())
        # A tiny table is scanned and sorted whatever its indexes: ask with both discouraged.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}")
        return " ".join(row[0] for row in cursor.fetchall())


def test_recently_added_documents_walk_an_index_instead_of_sorting_the_archive():
    for number in range(3):
        make_document(title=f"Added {number}")
    make_document(title="A draft", status="draft")

    with CaptureQueriesContext(connection) as captured:
        assert [d.title for d in queries.recently_added_documents(2)] == ["Added 2", "Added 1"]
    plan = plan_of(captured.captured_queries[0]["sql"])
    assert "document_status_added_idx" in plan and "TEMP B-TREE" not in plan, plan
