"""Migrations that move data keep it, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from declassified.archive.models import GlossaryTerm

BEFORE_THE_MOVE = [("archive", "0001_initial"), ("ingest", "0001_initial")]


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
