"""A small first-page image beside listed documents that have pages: the collection page,
search results and the home page, for one query per list however many are listed."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from declassified.archive import pages as page_actions
from declassified.archive.models import Page
from tests.factories import make_collection, make_document, make_document_with_pages
from tests.search.conftest import indexed

pytestmark = pytest.mark.django_db


def thumbnails(html: str) -> list[str]:
    return re.findall(r'<img class="doc-thumb" src="([^"]+)" width="\d+" height="\d+" alt="" '
                      r'loading="lazy">', html)


def first_page_src(document) -> str:
    page = Page.objects.filter(document=document).order_by("position", "id").first()
    assert page is not None
    return f"/iiif/3/{page.pk}/full/,120/0/default.jpg"


@pytest.fixture
def listed():
    """A collection of five documents about Kosygin, three with scanned pages."""
    collection = make_collection("Sino-Soviet Split")
    with_pages = [
        make_document_with_pages(n, title=f"Kosygin memorandum {n}", collections=[collection],
                                 text="<p>Kosygin spoke.</p>")
        for n in (1, 2, 3)
    ]
    without = [make_document(title=f"Kosygin cable {n}", collections=[collection],
                             text="<p>Kosygin wrote.</p>") for n in (1, 2)]
    indexed()
    return collection, with_pages, without


def test_the_collection_page_shows_first_pages_in_one_query(client, listed,
                                                             django_assert_max_num_queries):
    collection, with_pages, _ = listed

    with django_assert_max_num_queries(8):  # 7, and the listed documents' editions
        html = client.get(collection.get_absolute_url()).content.decode()

    assert sorted(thumbnails(html)) == sorted(first_page_src(d) for d in with_pages)


def test_search_results_show_first_pages_in_one_query(client, listed, django_assert_max_num_queries):
    _, with_pages, _ = listed

    with django_assert_max_num_queries(4):
        html = client.get(reverse("web:search"), {"q": "Kosygin"}).content.decode()

    assert "5 documents" in html
    assert sorted(thumbnails(html)) == sorted(first_page_src(d) for d in with_pages)


def test_the_home_page_shows_first_pages_of_recent_documents(client, listed,
                                                              django_assert_max_num_queries):
    _, with_pages, _ = listed

    with django_assert_max_num_queries(5):
        html = client.get("/").content.decode()

    assert sorted(thumbnails(html)) == sorted(first_page_src(d) for d in with_pages)


def test_the_thumbnail_is_the_first_page_after_reordering(client, listed):
    collection, with_pages, _ = listed
    document = with_pages[2]
    ids = list(Page.objects.filter(document=document).order_by("position").values_list("pk", flat=True))
    page_actions.do_reorder_pages(document, [ids[2], ids[0], ids[1]], acting_user=None, via="test")

    html = client.get(collection.get_absolute_url()).content.decode()

    assert f"/iiif/3/{ids[2]}/full/,120/0/default.jpg" in thumbnails(html)
    assert f"/iiif/3/{ids[0]}/full/,120/0/default.jpg" not in thumbnails(html)


def test_the_thumbnail_keeps_the_pages_shape(client, listed):
    collection, with_pages, _ = listed
    page = Page.objects.filter(document=with_pages[0]).get()

    html = client.get(collection.get_absolute_url()).content.decode()

    width = round(page.width * 120 / page.height)
    assert (f'src="/iiif/3/{page.pk}/full/,120/0/default.jpg" width="{width}" height="120"'
            in html)
