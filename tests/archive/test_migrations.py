"""The move from DocumentRevision to Revision keeps the history that was already there."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("archive", "0001_initial")]
AFTER = [("archive", "0002_revision")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_document_revisions_become_revisions_without_values():
    old = migrate(BEFORE)
    try:
        user = old.get_model("auth", "User").objects.create(username="alice")
        document = old.get_model("archive", "Document").objects.create(title="Cable", slug="c")
        revisions = old.get_model("archive", "DocumentRevision").objects
        revisions.create(document=document, actor=user, actor_label="alice", action="create",
                         fields=["all"])
        revisions.create(document=document, actor_label="import", action="withdrawn",
                         fields=["status"])
        new = migrate(AFTER)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    rows = new.get_model("archive", "Revision").objects.order_by("id")
    assert [(r.acting_user_id, r.acting_user_name, r.via, r.action, r.kind, r.object_id,
             r.object_label, r.document_id, r.changes, r.values_recorded) for r in rows] == [
        (user.pk, "alice", "", "create", "document", str(document.pk), "Cable", document.pk, {},
         False),
        (None, "", "import", "withdraw", "document", str(document.pk), "Cable", document.pk,
         {"status": {}}, False),
    ]
