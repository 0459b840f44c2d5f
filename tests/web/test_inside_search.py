"""The search box of the Original tab without JavaScript: the server lists the hits and boxes
them on the plain page images (percentages of the page)."""

from __future__ import annotations

import re

import pytest

from declassified.web.views.viewer import viewer_url
from tests.originals.search_fixtures import make_read_document

pytestmark = pytest.mark.django_db

PAGES = [["The Soviet delegation met", "the Chinese delegation."],
         ["Kosygin told Zhou that", "the talks were over."]]


def test_viewer_url_lists_the_hits_and_boxes_the_word_on_its_page(client):
    document = make_read_document(PAGES)
    response = client.get(viewer_url(document.pk, 2, "Zhou"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 hit on 1 page" in html
    assert re.search(r'<a href="[^"]*page=2[^"]*#page-2">Page 2</a>: …Kosygin told <mark>Zhou</mark>'
                     r" that the talks were over.…", html)
    page_two = html.split('id="page-2"')[1]
    page = document.pages.order_by("position", "id")[1]
    # "Zhou" is at x 360, y 100, 80 x 30 px of the page (search_fixtures.line_words).
    box = [f"{100 * n / whole:.3f}%" for n, whole in
           ((360, page.width), (100, page.height), (80, page.width), (30, page.height))]
    assert (f'<rect class="hit-box" x="{box[0]}" y="{box[1]}" width="{box[2]}" '
            f'height="{box[3]}">' in page_two)
    assert 'class="hit-box"' not in html.split('id="page-2"')[0]  # page 1 has no hit
    assert 'value="Zhou"' in html and 'for="inside-q">Search in this document<' in html


def test_a_phrase_on_two_pages_is_counted_by_page(client):
    document = make_read_document(PAGES)
    html = client.get(viewer_url(document.pk, None, "the")).content.decode()
    assert "3 hits on 2 pages" in html
    assert html.count('class="hit-box"') == 3


def test_no_hits_and_too_long_searches_say_so(client):
    document = make_read_document(PAGES)
    html = client.get(viewer_url(document.pk, None, "Brezhnev")).content.decode()
    assert "No hits for “Brezhnev” in this document’s pages." in html
    response = client.get(viewer_url(document.pk, None, "x" * 300))
    assert response.status_code == 200
    assert "That search is too long" in response.content.decode()


def test_control_characters_in_the_search_are_dropped_not_echoed(client):
    document = make_read_document(PAGES)
    response = client.get(viewer_url(document.pk, None, "Brezh\x00nev\x07"))
    html = response.content.decode()
    assert response.status_code == 200 and "\x00" not in html and "\x07" not in html
    assert "No hits for “Brezhnev” in this document’s pages." in html
    answer = client.get(f"/iiif/3/document/{document.pk}/search/2", {"q": "Sovi\x00et"}).json()
    assert answer["id"].endswith("q=Soviet&page=1") and answer["items"]


def test_the_search_box_keeps_the_tab_and_the_text_beside(client):
    document = make_read_document(PAGES)
    html = client.get(viewer_url(document.pk, None, "soviet") + "&beside=7").content.decode()
    form = html.split('class="inside-search"')[1].split("</form>")[0]
    assert '<input type="hidden" name="text" value="original">' in form
    assert '<input type="hidden" name="beside" value="7">' in form
    assert f'data-search="/iiif/3/document/{document.pk}/search/2"' in form
