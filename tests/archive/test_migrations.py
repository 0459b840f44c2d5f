"""Migrations that move data keep it, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from declassified.archive.models import GlossaryTerm

BEFORE_THE_MOVE = [("archive", "0001_initial"), ("ingest", "0001_initial")]
BEFORE_THE_REVISIONS = [("archive", "0002_glossaryterm")]
AFTER_THE_REVISIONS = [("archive", "0003_revision")]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_glossary_terms_keep_their_rows_when_the_model_moves_from_ingest_to_the_archive():
    executor = migrate(BEFORE_THE_MOVE)
    old = executor.loader.project_state(BEFORE_THE_MOVE).apps
    volume = old.get_model("archive", "Collection").objects.create(title="Volume XXII")
    old.get_model("ingest", "GlossaryTerm").objects.create(
        collection=volume, term_id="t_NSC1", term="NSC", expansion="National Security Council")
    assert ContentType.objects.filter(app_label="ingest", model="glossaryterm").exists()

    executor = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    term = GlossaryTerm.objects.get()
    assert (term.collection_id, term.term_id, term.term, term.expansion) == (
        volume.pk, "t_NSC1", "NSC", "National Security Council")
    assert GlossaryTerm._meta.db_table == "archive_glossaryterm"
    assert "ingest_glossaryterm" not in connection.introspection.table_names()
    assert list(ContentType.objects.filter(model="glossaryterm")
                .values_list("app_label", flat=True)) == ["archive"]


@pytest.mark.django_db(transaction=True)
def test_existing_document_revisions_become_revisions_without_values():
    old = migrate(BEFORE_THE_REVISIONS).loader.project_state(BEFORE_THE_REVISIONS).apps
    try:
        user = old.get_model("auth", "User").objects.create(username="alice")
        document = old.get_model("archive", "Document").objects.create(title="Cable", slug="c")
        revisions = old.get_model("archive", "DocumentRevision").objects
        revisions.create(document=document, actor=user, actor_label="alice", action="create",
                         fields=["all"])
        revisions.create(document=document, actor_label="import", action="withdrawn",
                         fields=["status"])
        new = migrate(AFTER_THE_REVISIONS).loader.project_state(AFTER_THE_REVISIONS).apps
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
