from django.contrib.auth.models import AnonymousUser

from declassified.archive import access
from declassified.archive.models import Document
from tests.factories import make_document


def test_the_public_sees_published_documents_only(charlie, django_user_model):
    published = make_document(status=Document.PUBLISHED)
    make_document(status=Document.DRAFT)
    make_document(status=Document.WITHDRAWN)
    assert list(access.public_documents()) == [published]
    assert list(access.visible_documents(charlie)) == [published]
    assert list(access.visible_documents(AnonymousUser())) == [published]


def test_editors_and_contributors_see_everything(alice, bob):
    make_document(status=Document.DRAFT)
    make_document(status=Document.WITHDRAWN)
    assert access.visible_documents(alice).count() == 2
    assert access.visible_documents(bob).count() == 2


def test_a_deactivated_editor_sees_only_published(alice):
    draft = make_document(status=Document.DRAFT)
    alice.is_active = False
    assert not access.can_view_document(alice, draft)


def test_searches_cover_published_documents_unless_staff_ask_for_more(alice, charlie):
    for stranger in (AnonymousUser(), charlie, None):
        for requested in ("published", "draft", "withdrawn", "all"):
            assert access.visible_statuses(stranger, requested) == ("published",)
    assert access.visible_statuses(alice) == ("published",)
    assert access.visible_statuses(alice, "draft") == ("draft",)
    assert access.visible_statuses(alice, "all") == ("published", "draft", "withdrawn")
    alice.is_active = False
    assert access.visible_statuses(alice, "all") == ("published",)
