"""Editors correct a volume's glossary in the back office; others may not."""

from __future__ import annotations

import pytest

from declassified.archive.bulk_actions import GlossaryEntry, bulk_replace_glossary
from declassified.archive.models import GlossaryTerm, Revision
from declassified.archive.revisions import Actor
from tests.factories import make_collection

pytestmark = pytest.mark.django_db


@pytest.fixture
def term():
    volume = make_collection("Foreign Relations, 1961–1963, Volume XXII")
    bulk_replace_glossary(volume, [GlossaryEntry("t_NSC1", "NSC", "National Security Concil")],
                          actor=Actor(None, "test"))
    return GlossaryTerm.objects.get()


def test_an_editor_corrects_a_glossary_term(alice_client, term):
    url = f"/admin/archive/glossaryterm/{term.pk}/change/"
    response = alice_client.post(url, {
        "collection": term.collection_id, "term_id": term.term_id, "term": "NSC",
        "expansion": "National Security Council", "position": 0,
    })
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.expansion == "National Security Council"
    assert "National Security Council" in alice_client.get(
        term.collection.get_absolute_url()).content.decode()
    revision = Revision.objects.of_object(Revision.GLOSSARY_TERM, term.pk).get()
    assert (revision.action, revision.acting_user.username) == ("edit", "alice")
    assert revision.changes == {"expansion": {"old": "National Security Concil",
                                              "new": "National Security Council"}}


def test_an_editor_deletes_a_glossary_term(alice_client, term):
    response = alice_client.post(f"/admin/archive/glossaryterm/{term.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not GlossaryTerm.objects.exists()
    revision = Revision.objects.of_object(Revision.GLOSSARY_TERM, term.pk).get()
    assert revision.action == "delete"
    assert revision.changes["term"] == {"old": "NSC"}


def test_contributors_and_strangers_cannot_see_glossaries(client, bob, charlie, term):
    client.force_login(bob)
    assert client.get("/admin/archive/glossaryterm/").status_code == 403
    assert client.post(f"/admin/archive/glossaryterm/{term.pk}/delete/",
                       {"post": "yes"}).status_code == 403
    client.force_login(charlie)
    assert client.get("/admin/archive/glossaryterm/").status_code == 302  # to the login page
    assert GlossaryTerm.objects.get() == term
