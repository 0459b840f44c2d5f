"""Atom feeds of newly published documents: site-wide and per collection."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from declassified import search
from declassified.archive.models import Document
from tests.factories import make_collection, make_document

ATOM = {"a": "http://www.w3.org/2005/Atom"}


def feed(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return etree.fromstring(response.content)


def entry_titles(root) -> list[str]:
    return [e.text for e in root.iterfind("a:entry/a:title", ATOM)]


def test_the_site_feed_lists_published_documents_only(client, archive):
    root = feed(client, "/feeds/documents.atom")
    assert entry_titles(root) == ["Cable from the Chinese Embassy in Moscow"]
    body = etree.tostring(root)
    assert b"Withdrawn" not in body and b"Draft" not in body


def test_entries_carry_the_summary_and_absolute_links(client, archive):
    root = feed(client, "/feeds/documents.atom")
    entry = root.find("a:entry", ATOM)
    assert entry.findtext("a:summary", namespaces=ATOM) == archive.published.summary
    link = entry.find("a:link", ATOM).get("href")
    assert link == f"http://testserver{archive.published.get_absolute_url()}"
    assert root.find("a:link[@rel='self']", ATOM).get("href") == \
        "http://testserver/feeds/documents.atom"
    assert entry.findtext("a:updated", namespaces=ATOM)


def test_the_feed_is_newest_first_and_holds_fifty(client, db, django_assert_max_num_queries):
    for n in range(55):
        document = make_document(title=f"Document {n}")
        Document.objects.filter(pk=document.pk).update(
            published_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=n))
    with django_assert_max_num_queries(3):
        root = feed(client, "/feeds/documents.atom")
    titles = entry_titles(root)
    assert len(titles) == 50
    assert titles[0] == "Document 54" and titles[-1] == "Document 5"


def test_a_collection_feed_lists_its_published_documents(client, archive):
    elsewhere = make_collection("Elsewhere")
    make_document(title="Not in the collection", collections=[elsewhere])
    root = feed(client, f"/feeds/collection/{archive.collection.pk}.atom")
    assert entry_titles(root) == ["Cable from the Chinese Embassy in Moscow"]
    assert "Sino-Soviet Split" in root.findtext("a:title", namespaces=ATOM)
    assert entry_titles(feed(client, f"/feeds/collection/{archive.other_collection.pk}.atom")) == []


def test_summaries_are_escaped_not_interpreted_as_html(client, db):
    make_document(title="Markup", summary="<script>alert(1)</script> & more")
    root = feed(client, "/feeds/documents.atom")
    summary = root.find("a:entry/a:summary", ATOM)
    assert summary.get("type") == "html"
    assert summary.text == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"


def test_unknown_collection_feeds_are_not_found(client, db):
    for pk in ("999999", "99999999999999999999", "0"):
        assert client.get(f"/feeds/collection/{pk}.atom").status_code == 404
    assert client.get("/feeds/collection/-1.atom").status_code == 404
    assert client.get("/feeds/collection/abc.atom").status_code == 404


def test_a_search_feed_lists_published_matches_newest_first(client, archive,
                                                            django_assert_max_num_queries):
    older = make_document(title="Moscow telegram, older")
    Document.objects.filter(pk=older.pk).update(
        published_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    make_document(title="Moscow draft cable", status=Document.DRAFT)
    search.apply_pending()
    with django_assert_max_num_queries(4):
        root = feed(client, "/feeds/search.atom?q=moscow&status=all")
    assert entry_titles(root) == ["Cable from the Chinese Embassy in Moscow",
                                  "Moscow telegram, older"]
    alternate = root.find("a:link[@rel='alternate']", ATOM).get("href")
    assert alternate.startswith("http://testserver/search/?q=moscow")


def test_a_search_feed_with_bad_parameters_is_a_400_with_the_reason(client, db):
    response = client.get("/feeds/search.atom?sort=sideways")
    assert response.status_code == 400
    assert b"sort" in response.content
