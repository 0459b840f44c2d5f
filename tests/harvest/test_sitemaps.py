"""sitemap.xml: an index of schema-valid parts on the request's host, published pages only."""

from __future__ import annotations

from urllib.parse import urlsplit

from lxml import etree

from tests.factories import make_document
from tests.harvest.conftest import schema_errors

SM = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def fetch(client, schema, url: str, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    assert schema_errors(schema, response.content) == []
    return etree.fromstring(response.content)


def all_urls(client, schema, **headers) -> list[str]:
    """Every page URL reachable from the index, checking every part on the way."""
    index = fetch(client, schema, "/sitemap.xml", **headers)
    urls = []
    for location in index.iterfind("s:sitemap/s:loc", SM):
        part = fetch(client, schema, urlsplit(location.text).path, **headers)
        urls += [loc.text for loc in part.iterfind("s:url/s:loc", SM)]
    return urls


def test_the_sitemap_lists_published_pages_only(client, sitemap_schema, archive):
    urls = all_urls(client, sitemap_schema)
    assert f"http://testserver{archive.published.get_absolute_url()}" in urls
    assert f"http://testserver{archive.collection.get_absolute_url()}" in urls
    assert not [u for u in urls if f"/document/{archive.withdrawn.pk}/" in u]
    assert not [u for u in urls if f"/document/{archive.draft.pk}/" in u]
    people = [u for u in urls if "/person/" in u]
    assert len(people) == 2  # the embassy and Mao; not the person only a withdrawn one names
    assert not [u for u in urls if "/subject/" in u and "draft" in u.lower()]
    subjects = [u for u in urls if "/subject/" in u]
    assert len(subjects) == 1


def test_urls_use_the_request_host_and_utc_lastmod(client, sitemap_schema, archive, settings):
    settings.ALLOWED_HOSTS = ["archive.example.org"]
    urls = all_urls(client, sitemap_schema, HTTP_HOST="archive.example.org")
    assert urls and all(u.startswith("http://archive.example.org/") for u in urls)
    part = fetch(client, sitemap_schema, "/sitemap-documents-1.xml",
                 HTTP_HOST="archive.example.org")
    lastmod = part.findtext("s:url/s:lastmod", namespaces=SM)
    assert lastmod.endswith("Z") and lastmod.startswith(
        archive.published.updated_at.strftime("%Y-%m-%dT%H:%M"))


def test_parts_split_at_the_configured_size(client, sitemap_schema, db, settings,
                                            django_assert_max_num_queries):
    settings.SITEMAP_PART_SIZE = 2
    documents = [make_document(title=f"Doc {n}") for n in range(5)]
    with django_assert_max_num_queries(6):
        index = fetch(client, sitemap_schema, "/sitemap.xml")
    parts = [urlsplit(loc.text).path for loc in index.iterfind("s:sitemap/s:loc", SM)]
    assert [p for p in parts if "documents" in p] == [
        "/sitemap-documents-1.xml", "/sitemap-documents-2.xml", "/sitemap-documents-3.xml"]
    with django_assert_max_num_queries(1):
        last = fetch(client, sitemap_schema, "/sitemap-documents-3.xml")
    assert [loc.text for loc in last.iterfind("s:url/s:loc", SM)] == [
        f"http://testserver{documents[4].get_absolute_url()}"]


def test_the_part_size_never_exceeds_fifty_thousand(settings):
    from declassified.harvest.sitemaps import part_size

    settings.SITEMAP_PART_SIZE = 10**6
    assert part_size() == 50_000


def test_an_empty_archive_still_has_a_valid_sitemap(client, sitemap_schema, db):
    assert all_urls(client, sitemap_schema) == [
        "http://testserver/", "http://testserver/collections/", "http://testserver/data/"]


def test_unknown_sitemap_parts_are_not_found(client, db):
    for path in ("/sitemap-documents-1.xml", "/sitemap-documents-0.xml", "/sitemap-drafts-1.xml",
                 "/sitemap-documents-99999999999999999999.xml", "/sitemap-documents--1.xml"):
        assert client.get(path).status_code == 404, path


def _entity_sitemap_queries(client, sitemap_schema, django_assert_max_num_queries):
    """The SQL of the index and of each entity part, checking the queries stay few."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as index_queries:
        fetch(client, sitemap_schema, "/sitemap.xml")
    assert len(index_queries) <= 6
    sql = [q["sql"] for q in index_queries]
    for section in ("people", "places", "subjects"):
        with django_assert_max_num_queries(1):
            fetch(client, sitemap_schema, f"/sitemap-{section}-1.xml")
    return sql


def test_entity_sections_take_one_uncorrelated_query_whatever_the_size(
        client, sitemap_schema, db, django_assert_max_num_queries):
    """One query per section however many people and documents, and none of them runs a
    subquery per row (a correlated EXISTS per person took 7–9 s at 21,000 documents)."""
    from tests.factories import make_person, make_place, make_subject

    def add(count: int) -> None:
        for n in range(count):
            make_document(title=f"Cable {n}", people=[make_person(f"Person {n}")],
                          authors=[make_person(f"Author {n}")],
                          places=[make_place(f"Place {n}")], subjects=[make_subject(f"Topic {n}")])

    add(3)
    small = _entity_sitemap_queries(client, sitemap_schema, django_assert_max_num_queries)
    add(12)
    large = _entity_sitemap_queries(client, sitemap_schema, django_assert_max_num_queries)
    assert len(small) == len(large)
    assert not [q for q in large if "EXISTS" in q.upper()]
    index = fetch(client, sitemap_schema, "/sitemap-people-1.xml")
    assert len(index.findall("s:url", SM)) == 30  # 15 people named, 15 authors
