"""A page that reads first (issue 16): one search box a page, the citations behind a closed
"Cite this document" control after the text, the collection image's caption and credit."""

from __future__ import annotations

import html as markup
import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from declassified.archive.models import Collection
from tests.factories import make_collection, make_document, make_document_with_pages, make_text


def search_inputs(html: str) -> list[str]:
    """The ids of the page's search boxes (every <input type="search">)."""
    return re.findall(r'<input id="([^"]+)" type="search"', html) + re.findall(
        r'<input id="([^"]+)" name="q" type="search"', html)


@pytest.fixture
def split(db):
    return make_collection("Sino-Soviet Split, 1960-1984", image_caption="Mao and Khrushchev, 1958",
                           image_credit="Xinhua News Agency")


@pytest.fixture
def cable(split):
    document = make_document(title="Telegram from Moscow", collections=[split],
                             summary="The embassy reports on the meeting.")
    make_text(document, "<p>The meeting ended without agreement.</p>")
    return document


def test_the_home_page_has_only_its_own_search_box(client, db):
    html = client.get("/").content.decode()

    assert search_inputs(html) == ["home-q"]


def test_the_search_page_has_only_its_own_search_box(client, db):
    html = client.get("/search/", {"q": "Moscow"}).content.decode()

    assert search_inputs(html) == ["search-q"]
    assert 'name="sort"' in html  # its forms keep working without the header's


def test_the_collection_page_has_one_search_box_searching_within_it(client, split):
    html = client.get(split.get_absolute_url()).content.decode()

    assert search_inputs(html) == ["collection-q"]
    assert f'action="{split.get_absolute_url()}"' in html
    assert '<label for="collection-q">Search within this collection</label>' in html


def test_the_document_page_has_the_header_search_box_only(client, cable):
    html = client.get(cable.get_absolute_url()).content.decode()

    assert search_inputs(html) == ["site-q"]


def test_the_original_tab_has_the_search_in_the_document_only(client, db):
    document = make_document_with_pages(1, title="Scanned memorandum")

    html = client.get(document.get_absolute_url()).content.decode()

    assert search_inputs(html) == ["inside-q"]


def test_other_pages_keep_the_header_search_box(client, cable):
    for url in ("/collections/", "/search/help/", "/document/999999/"):
        html = client.get(url).content.decode()
        assert search_inputs(html) == ["site-q"], url


def test_the_citation_is_a_closed_control_after_the_text_tags_and_information(client, cable):
    html = client.get(cable.get_absolute_url()).content.decode()

    assert re.search(r'<details class="cite" id="cite">\s*<summary><h2 id="cite-h">'
                     r"Cite this document</h2></summary>", html)
    text = html.index("The meeting ended without agreement.")
    aside = html.index('<aside class="document-side"')
    information = html.index(">Document information</h2>")
    assert text < aside < information < html.index('id="cite"')
    assert '<script src="/static/declassified/cite.js" defer></script>' in html


def test_the_style_picker_chooses_one_style_with_chicago_first(client, cable):
    html = client.get(cable.get_absolute_url()).content.decode()

    picks = re.findall(r'<input type="radio" name="cite-style" id="cite-pick-(\w+)" '
                       r'value="\w+"( checked)?>', html)
    assert picks == [("chicago", " checked"), ("mla", ""), ("apa", "")]
    for style in ("chicago", "mla", "apa"):
        assert f'<label for="cite-pick-{style}">' in html
        assert f'<textarea id="cite-{style}-text" rows="3" readonly>' in html
    assert '<textarea id="cite-chicago-note-text" rows="3" readonly>' in html
    assert '<p class="cite-status" id="cite-status" role="status" aria-live="polite"></p>' in html


def test_the_copy_script_is_served(client, db):
    response = client.get("/static/declassified/cite.js")

    assert response.status_code == 200
    assert b"navigator.clipboard" in b"".join(response.streaming_content)


def test_the_collection_image_caption_and_credit_show_without_an_image_file(client, split):
    html = client.get(split.get_absolute_url()).content.decode()

    figure = html[html.index('<figure class="collection-image">'):html.index("</figure>")]
    assert "No image" in figure
    assert re.search(r'<figcaption><span class="caption">Mao and Khrushchev, 1958</span>\s*'
                     r'<span class="credit">Xinhua News Agency</span></figcaption>', figure)


def test_the_sample_collections_show_their_captions_and_credits(client, db):
    samples = json.loads((Path(__file__).parents[2] / "samples" / "collections.json").read_text())
    call_command("load_samples", stdout=io.StringIO())

    captioned = [entry for entry in samples if entry.get("image_caption") or entry.get("image_credit")]
    assert captioned  # the seed's collection has its image's caption
    for entry in captioned:
        collection = Collection.objects.get(title=entry["title"])
        html = client.get(collection.get_absolute_url()).content.decode()
        figcaption = html[html.index("<figcaption>"):html.index("</figcaption>")]
        for words in (entry.get("image_caption"), entry.get("image_credit")):
            assert words is None or markup.escape(words) in figcaption, (entry["title"], words)


def test_a_collection_without_caption_or_credit_has_no_empty_caption(client, db):
    collection = make_collection("Berlin Crisis")

    html = client.get(collection.get_absolute_url()).content.decode()

    assert "<figcaption" not in html
