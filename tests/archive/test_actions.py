import pytest
from django.db import IntegrityError

from declassified.archive import actions, upsert
from declassified.archive.dates import InvalidDate
from declassified.archive.models import Document, Revision, SearchOutbox
from tests.factories import make_document


def test_saving_a_document_derives_its_date_and_records_history(alice):
    document = Document(title="Record of a conversation", date="1965-02~")
    actions.do_save_document(document, acting_user=alice)
    document.refresh_from_db()
    assert document.display_date == "circa February 1965"
    assert str(document.date_earliest) == "1965-02-01"
    revision = Revision.objects.of_document(document.pk).get()
    assert (revision.acting_user, revision.action) == (alice, "create")
    assert revision.changes["date"] == {"new": "1965-02~"}
    assert SearchOutbox.objects.filter(document_id=document.pk).exists()


def test_a_bad_date_writes_nothing(db):
    with pytest.raises(InvalidDate):
        actions.do_save_document(Document(title="x", date="Spring 65"), acting_user=None, via="test")
    assert not Document.objects.exists()
    assert not SearchOutbox.objects.exists()


def test_publishing_stamps_the_time_once_and_withdrawing_keeps_it(alice):
    document = make_document(status=Document.DRAFT)
    assert actions.do_set_status([document], Document.PUBLISHED, acting_user=alice) == 1
    first = Document.objects.get(pk=document.pk).published_at
    assert first is not None
    actions.do_withdraw_document(document, acting_user=alice)
    actions.do_publish_document(document, acting_user=alice)
    assert Document.objects.get(pk=document.pk).published_at == first
    actions_taken = Revision.objects.of_document(document.pk).values_list("action", flat=True)
    assert list(actions_taken[:2]) == ["publish", "withdraw"]


def test_unchanged_status_is_not_a_change(alice):
    document = make_document(status=Document.PUBLISHED)
    assert actions.do_set_status([document], Document.PUBLISHED, acting_user=alice) == 0


def test_record_ids_are_never_reused(db):
    first = make_document()
    first_id = first.pk
    actions.do_delete_document(first, acting_user=None, via="test")
    second = make_document()
    assert second.pk > first_id


def test_upsert_updates_in_place_by_record_id(db):
    data = upsert.DocumentInput(
        id=501, title="Cable", fields={"date": "1965-03-05", "status": "published"},
        people=["Zhou Enlai"], collections=["Sino-Soviet Split, 1960-1984"], languages=["zh"],
    )
    assert upsert.do_upsert_documents([data], acting_user=None, via="import") == (1, 0)
    data.title = "Cable, corrected"
    assert upsert.do_upsert_documents([data], acting_user=None, via="import") == (0, 1)
    document = Document.objects.get()
    assert (document.pk, document.title) == (501, "Cable, corrected")
    assert [p.name for p in document.people.all()] == ["Zhou Enlai"]
    # the sequence continues past explicit IDs on both databases
    assert make_document().pk > 501


def test_source_ids_are_unique(db):
    make_document(source_id="frus1964-68v30/d1")
    with pytest.raises(IntegrityError):
        make_document(source_id="frus1964-68v30/d1")
