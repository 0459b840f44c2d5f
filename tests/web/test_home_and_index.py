"""The home page and the collections index."""

from __future__ import annotations

import re

from declassified.archive.models import Document
from tests.factories import make_collection, make_document


def test_the_home_page_has_search_featured_recent_and_counts(client, db,
                                                              django_assert_max_num_queries):
    featured = make_collection("Sino-Soviet Split, 1960-1984", featured=True, date_span="1960/1984")
    make_collection("Not featured")
    make_document(title="Public cable", collections=[featured])
    make_document(title="Draft cable", status=Document.DRAFT, collections=[featured])
    make_document(title="Withdrawn cable", status=Document.WITHDRAWN)

    with django_assert_max_num_queries(5):  # 4, and the first pages of the recent documents
        response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert '<form class="big-search" role="search" method="get" action="/search/">' in html
    assert '<label for="home-q">' in html and 'name="q"' in html
    assert f'<a href="{featured.get_absolute_url()}">Sino-Soviet Split, 1960-1984</a>' in html
    assert "Not featured" not in html
    assert "Public cable" in html
    assert "Draft cable" not in html and "Withdrawn cable" not in html
    assert "<strong>1</strong> published document in <strong>2</strong> collections" in html


def test_every_page_has_landmarks_a_skip_link_and_a_labelled_search(client, db):
    html = client.get("/collections/").content.decode()  # the home page has its own search

    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html
    assert '<nav class="site-nav" aria-label="Main">' in html
    assert '<label for="site-q">' in html and 'id="site-q" type="search" name="q"' in html
    assert 'href="/search/help/"' in html
    assert '<link rel="canonical" href="http://testserver/collections/">' in html


def test_the_stylesheet_is_served_by_the_app(client, db):
    response = client.get("/static/declassified/site.css")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert b"body" in b"".join(response.streaming_content)


def test_the_index_lists_collections_a_to_z_with_counts_in_one_query(
    client, db, django_assert_max_num_queries
):
    alliance = make_collection("Sino-Soviet Alliance, 1950-1959", date_span="1950/1959")
    split = make_collection("sino-Soviet Split", date_span="1960/1984")
    make_collection("Ústí archive")
    make_collection("Berlin Crisis")
    make_collection("1956 Hungarian Revolution")
    for _ in range(3):
        make_document(collections=[split, alliance])
    make_document(status=Document.DRAFT, collections=[split])
    make_document(status=Document.WITHDRAWN, collections=[split])

    with django_assert_max_num_queries(1):
        html = client.get("/collections/").content.decode()

    letters = re.findall(r'<h2 id="letter-[^"]+" class="letter">([^<]+)</h2>', html)
    titles = re.findall(r'<li>\s*<a href="/collection/[^"]+">([^<]+)</a>', html)
    assert letters == ["B", "S", "U", "Other"]
    assert titles == ["Berlin Crisis", "Sino-Soviet Alliance, 1950-1959", "sino-Soviet Split",
                      "Ústí archive", "1956 Hungarian Revolution"]
    assert '<a href="#letter-S">S</a>' in html and 'id="letter-S"' in html
    assert "1960–1984 · 3 documents" in html
    assert "1950–1959 · 3 documents" in html
