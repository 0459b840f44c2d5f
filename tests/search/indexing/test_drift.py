"""`check_index` and `declassified check-index`: drift between the index and the database,
and the advice to choose the common terms again."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from declassified import search
from declassified.archive.models import Document, SearchOutbox
from declassified.search.engine import storage
from tests.factories import make_document
from tests.search.conftest import find, indexed

pytestmark = pytest.mark.django_db


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
    assert "embassi" in storage.live_index().common.common
