"""A collection made from an imported volume: its glossary and its chapters."""

from declassified.archive import actions
from declassified.archive.bulk_actions import GlossaryEntry, bulk_replace_glossary
from declassified.archive.models import Collection
from declassified.archive.revisions import Actor
from tests.factories import make_collection


def test_the_volume_page_shows_its_glossary(client, db):
    volume = make_collection("Foreign Relations, 1961–1963, Volume XXII")
    bulk_replace_glossary(volume, [GlossaryEntry("t_NSC", "NSC", "National Security Council")],
                          actor=Actor(None, "test"))
    response = client.get(volume.get_absolute_url())
    assert response.status_code == 200
    assert b"<dt>NSC</dt><dd>National Security Council</dd>" in response.content


def test_the_collections_index_lists_chapters_only_on_their_volume(client, db):
    volume = make_collection("Foreign Relations, 1961–1963, Volume XXII")
    chapter = actions.do_save_collection(Collection(title="Chapter One: Laos", parent=volume),
                                         acting_user=None, via="test")
    index = client.get("/collections/").content.decode()
    assert volume.title in index and chapter.title not in index
    assert chapter.title in client.get(volume.get_absolute_url()).content.decode()


def test_every_page_offers_the_feed_and_opensearch(client, db):
    page = client.get("/").content.decode()
    assert 'rel="search" type="application/opensearchdescription+xml"' in page
    assert 'href="/feeds/documents.atom"' in page
