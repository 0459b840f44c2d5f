"""The document page's Original tab: first when there are pages, plain images without
JavaScript, a text beside the pages (English translation first for a foreign original)."""

from __future__ import annotations

import re

import pytest

from declassified.archive import actions
from declassified.archive.models import Document, Page
from tests.factories import make_document, make_document_with_pages, make_language, make_text

RUSSIAN = "<p>Совершенно секретно. Товарищу Косыгину.</p>"
ENGLISH = "<p>Top secret. To Comrade Kosygin.</p>"


@pytest.fixture
def memorandum(db):
    """A Russian original (two scanned pages) with its transcript and English translation."""
    document = make_document_with_pages(2, title="Memorandum to Kosygin")
    document.languages.set([make_language("ru", "Russian")])
    make_text(document, RUSSIAN, kind="transcript", language="ru")
    make_text(document, ENGLISH, kind="translation", language="en", translator="A. Translator")
    return document


def tab_labels(html: str) -> list[str]:
    nav = html[html.index('aria-label="Texts of this document"'):]
    return re.findall(r'<li><a href="\?[^"]*#texts"[^>]*>([^<]+)</a></li>', nav[:nav.index("</nav>")])


def test_the_original_tab_comes_first_and_is_open_by_default(client, memorandum):
    html = client.get(memorandum.get_absolute_url()).content.decode()

    assert tab_labels(html) == ["Original", "English translation", "Russian transcript",
                                "Original files"]
    assert 'href="?text=original#texts" aria-current="true" class="active">Original<' in html
    assert 'class="document-body document-body--original"' in html


def test_a_document_without_pages_has_no_original_tab(client, db):
    document = make_document(title="Cable without scans", text="<p>Words.</p>")

    html = client.get(document.get_absolute_url()).content.decode()

    assert "Original" not in tab_labels(html)
    assert "data-viewer" not in html and "viewer.js" not in html


def test_without_javascript_every_page_is_a_sized_image_with_links(client, memorandum):
    pages = list(Page.objects.filter(document=memorandum).order_by("position"))

    html = client.get(memorandum.get_absolute_url()).content.decode()

    for number, page in enumerate(pages, start=1):
        width = min(1000, page.width)
        height = round(page.height * width / page.width)
        assert (f'<img src="/iiif/3/{page.pk}/full/{width},/0/default.jpg" width="{width}" '
                f'height="{height}" alt="Page {number} of 2 of Memorandum to Kosygin"') in html
        assert f'<a href="/iiif/3/{page.pk}/full/max/0/default.jpg">Full size</a>' in html
        assert (f'<a href="/document/{memorandum.pk}/page/{number}.jpg">Download page {number} '
                "(JPEG)</a>") in html
        assert f'data-info="/iiif/3/{page.pk}/info.json"' in html
    assert f'<a href="/iiif/3/document/{memorandum.pk}/manifest.json">IIIF manifest</a>' in html
    assert f'<a href="/document/{memorandum.pk}/pages.pdf">All pages as one PDF</a>' in html
    # Lazy, and hidden when JavaScript runs (viewer-early.js): the viewer's tiles come first.
    assert html.count('loading="lazy"') == 2


def test_the_viewer_script_and_openseadragon_are_served_by_the_app(client, memorandum):
    html = client.get(memorandum.get_absolute_url()).content.decode()

    scripts = re.findall(r'<script src="([^"]+)"(?: defer)?></script>', html)
    assert scripts == ["/static/declassified/viewer-early.js",
                       "/static/vendor/openseadragon/openseadragon.min.js",
                       "/static/declassified/viewer-search.js",
                       "/static/declassified/viewer.js",
                       "/static/declassified/cite.js"]  # the Cite block's Copy buttons
    for url in [*scripts, "/static/vendor/openseadragon/images/zoomin_rest.png"]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert len(body) > 100, url
    assert "<script>" not in html  # the Content-Security-Policy allows no inline script


def test_a_russian_original_is_shown_beside_its_english_translation(client, memorandum):
    html = client.get(memorandum.get_absolute_url()).content.decode()

    beside = html[html.index('class="beside-text"'):]
    assert '<h4 id="beside-h" class="pane-title">English translation</h4>' in beside
    assert ENGLISH in beside and RUSSIAN not in beside


def test_the_text_beside_the_pages_is_chosen_without_javascript(client, memorandum):
    transcript = memorandum.texts.get(kind="transcript")

    html = client.get(memorandum.get_absolute_url(),
                      {"text": "original", "beside": transcript.pk}).content.decode()

    assert '<form class="beside-choice" method="get" action="#texts">' in html
    assert '<input type="hidden" name="text" value="original">' in html
    assert f'<option value="{transcript.pk}" selected>Russian transcript</option>' in html
    beside = html[html.index('class="beside-body"'):]
    assert RUSSIAN in beside and ENGLISH not in beside
    assert 'data-viewer' in html  # still the Original tab, pages and all


@pytest.mark.parametrize("beside", ["", "bad", "99999999999999999999", "-1"])
def test_an_unknown_text_beside_falls_back_to_the_default(client, memorandum, beside):
    response = client.get(memorandum.get_absolute_url(), {"text": "original", "beside": beside})

    assert response.status_code == 200
    assert ENGLISH in response.content.decode()


def test_an_english_original_is_shown_beside_its_transcript(client, db):
    document = make_document_with_pages(1, title="Telegram from Moscow")
    make_text(document, "<p>The transcript.</p>", kind="transcript", language="en")
    make_text(document, "<p>Traduction.</p>", kind="translation", language="fr")

    html = client.get(document.get_absolute_url()).content.decode()

    assert "The transcript." in html[html.index('class="beside-body"'):]


def test_pages_without_any_text_fill_the_tab(client, db):
    document = make_document_with_pages(1, title="Untranscribed scan")

    html = client.get(document.get_absolute_url()).content.decode()

    assert 'class="side-by-side side-by-side--pages-only"' in html
    assert "No transcript or translation of this document has been published yet." in html
    assert "beside-choice" not in html


def test_the_other_tabs_still_show_one_text_in_full(client, memorandum):
    transcript = memorandum.texts.get(kind="transcript")

    html = client.get(memorandum.get_absolute_url(), {"text": transcript.pk}).content.decode()

    assert RUSSIAN in html and "data-viewer" not in html
    assert "document-body--original" not in html


@pytest.mark.parametrize("status", [Document.DRAFT, Document.WITHDRAWN])
def test_a_hidden_documents_pages_are_not_shown(client, charlie, memorandum, status):
    actions.do_set_status([memorandum], status, acting_user=None, via="test")
    page = Page.objects.filter(document=memorandum).first()

    for viewer in (None, charlie):
        if viewer:
            client.force_login(viewer)
        response = client.get(memorandum.get_absolute_url(), {"text": "original"})
        assert response.status_code == 404
        assert f"/iiif/3/{page.pk}/" not in response.content.decode()


def test_editors_see_a_drafts_pages(alice_client, memorandum):
    actions.do_set_status([memorandum], Document.DRAFT, acting_user=None, via="test")

    html = alice_client.get(memorandum.get_absolute_url()).content.decode()

    assert "data-viewer" in html and html.count("<img src=\"/iiif/3/") == 2


def test_many_pages_cost_one_query(client, db, django_assert_max_num_queries):
    document = make_document_with_pages(12, title="A long report")
    make_text(document, "<p>Report.</p>", kind="transcript", language="en")

    with django_assert_max_num_queries(14):
        response = client.get(document.get_absolute_url())

    assert response.content.decode().count('alt="Page ') == 12
