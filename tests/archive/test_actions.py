import pytest
from django.db import IntegrityError

from declassified.archive import actions
from declassified.archive.dates import InvalidDate
from declassified.archive.models import Document, DocumentRevision, SearchOutbox
from tests.factories import make_document


def test_saving_a_document_derives_its_date_and_records_history(alice):
    document = Document(title="Record of a conversation", date="1965-02~")
    actions.do_save_document(document, actor=alice)
    document.refresh_from_db()
    assert document.display_date == "circa February 1965"
    assert str(document.date_earliest) == "1965-02-01"
    revision = DocumentRevision.objects.get(document=document)
    assert (revision.actor, revision.action) == (alice, "create")
    assert SearchOutbox.objects.filter(document_id=document.pk).exists()


def test_a_bad_date_writes_nothing(db):
    with pytest.raises(InvalidDate):
        actions.do_save_document(Document(title="x", date="Spring 65"), actor="test")
    assert not Document.objects.exists()
    assert not SearchOutbox.objects.exists()


def test_publishing_stamps_the_time_once_and_withdrawing_keeps_it(alice):
    document = make_document(status=Document.DRAFT)
    assert actions.do_set_status([document], Document.PUBLISHED, actor=alice) == 1
    first = Document.objects.get(pk=document.pk).published_at
    assert first is not None
    actions.do_withdraw_document(document, actor=alice)
    actions.do_publish_document(document, actor=alice)
    assert Document.objects.get(pk=document.pk).published_at == first
    assert list(document.revisions.values_list("action", flat=True)[:2]) == ["publish", "withdrawn"]


def test_unchanged_status_is_not_a_change(alice):
    document = make_document(status=Document.PUBLISHED)
    assert actions.do_set_status([document], Document.PUBLISHED, actor=alice) == 0


def test_record_ids_are_never_reused(db):
    first = make_document()
    first_id = first.pk
    actions.do_delete_document(first, actor="test")
    second = make_document()
    assert second.pk > first_id


def test_upsert_updates_in_place_by_record_id(db):
    data = actions.DocumentInput(
        id=501, title="Cable", fields={"date": "1965-03-05", "status": "published"},
        people=["Zhou Enlai"], collections=["Sino-Soviet Split, 1960-1984"], languages=["zh"],
    )
    assert actions.do_upsert_documents([data], actor="import") == (1, 0)
    data.title = "Cable, corrected"
    assert actions.do_upsert_documents([data], actor="import") == (0, 1)
    document = Document.objects.get()
    assert (document.pk, document.title) == (501, "Cable, corrected")
    assert [p.name for p in document.people.all()] == ["Zhou Enlai"]
    # the sequence continues past explicit IDs on both databases
    assert make_document().pk > 501


def test_source_ids_are_unique(db):
    make_document(source_id="frus1964-68v30/d1")
    with pytest.raises(IntegrityError):
        make_document(source_id="frus1964-68v30/d1")
