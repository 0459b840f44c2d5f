"""The collection page: the seed's layout, documents in date order, pagination, access."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile

from declassified.archive import actions
from declassified.archive.models import Document
from tests.factories import make_collection, make_document
from tests.search.conftest import indexed


def titles_in_order(html: str) -> list[str]:
    return re.findall(r'class="doc-title" href="[^"]*">([^<]+)</a>', html)


@pytest.fixture
def split(db):
    collection = make_collection(
        "Sino-Soviet Split, 1960-1984", date_span="1960/1984",
        description='<p>Worsening relations. See <a href="/collection/2/">the alliance</a>.</p>',
    )
    alliance = make_collection("Sino-Soviet Alliance, 1950-1959")
    collection.related.add(alliance)
    return collection


def test_it_shows_title_description_related_and_no_image_fallback(client, split):
    make_document(title="Record of the First Contact", date="1965-02-06", collections=[split])
    make_document(title="Treaty", collections=list(split.related.all()))

    indexed()
    response = client.get(split.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Sino-Soviet Split, 1960-1984</h1>" in html
    assert re.search(r'<a href="/collection/2/"[^>]*>the alliance</a>', html)  # HTML, not escaped
    assert "Sino-Soviet Alliance, 1950-1959</a>" in html
    assert "No image" in html
    assert "1960–1984" in html
    assert "February 6, 1965" in html
    assert f'<link rel="canonical" href="http://testserver{split.get_absolute_url()}">' in html


def test_related_collections_without_published_documents_are_named_not_linked(
        client, split, django_assert_max_num_queries):
    """Their pages would be empty: a reader sees the title and "(no documents yet)"."""
    alliance = split.related.get()
    border = make_collection("Sino-Soviet Border Conflict, 1969")
    make_document(title="Draft on the border", status=Document.DRAFT, collections=[border])
    rapprochement = make_collection("Sino-Soviet Rapprochement, 1985-1989")
    make_document(title="Summit", collections=[rapprochement])
    split.related.add(border, rapprochement)

    with django_assert_max_num_queries(6):  # the related collections counted in one query
        html = client.get(split.get_absolute_url()).content.decode()

    related = html.split('id="related-h"')[1].split("</section>")[0]
    assert f'<a href="{rapprochement.get_absolute_url()}">{rapprochement.title}</a>' in related
    for empty in (alliance, border):  # none at all; a draft only
        assert f"<li>{empty.title} <span class=\"meta\">(no documents yet)</span></li>" in related
        assert empty.get_absolute_url() not in related



def test_its_one_search_box_searches_within_the_collection(client, split):
    make_document(title="Kosygin in Beijing", collections=[split])
    make_document(title="Kosygin elsewhere")
    indexed()

    html = client.get(split.get_absolute_url(), {"q": "Kosygin"}).content.decode()

    assert html.count('type="search"') == 1
    assert f'action="{split.get_absolute_url()}"' in html
    assert '<label for="collection-q">Search within this collection</label>' in html
    assert "1 document" in html and "in Beijing" in html and "Kosygin elsewhere" not in html


def test_it_lists_documents_by_date_with_undated_last(client, split):
    make_document(title="Undated note", date="", collections=[split])
    make_document(title="March fifth", date="1965-03-05", collections=[split])
    make_document(title="Year only", date="1964", collections=[split])
    make_document(title="Circa February", date="1965-02~", collections=[split])
    make_document(title="Also March fifth", date="1965-03-05", collections=[split])

    indexed()
    html = client.get(split.get_absolute_url()).content.decode()

    assert titles_in_order(html) == [
        "Year only", "Circa February", "March fifth", "Also March fifth", "Undated note",
    ]
    assert "circa February 1965" in html
    assert "Undated" in html


def test_it_hides_drafts_and_withdrawn_documents_from_the_public(client, charlie, split):
    make_document(title="Public cable", collections=[split])
    make_document(title="Draft cable", status=Document.DRAFT, collections=[split])
    make_document(title="Withdrawn cable", status=Document.WITHDRAWN, collections=[split])

    for viewer in (None, charlie):
        if viewer:
            client.force_login(viewer)
        indexed()
        html = client.get(split.get_absolute_url()).content.decode()
        assert titles_in_order(html) == ["Public cable"]
        assert "(1)" in html


def test_editors_see_drafts_marked_as_such(alice_client, split):
    make_document(title="Draft cable", status=Document.DRAFT, collections=[split])

    indexed()
    html = alice_client.get(split.get_absolute_url()).content.decode()

    assert "Draft cable" in html
    assert '<span class="status-tag">Draft</span>' in html


def test_it_paginates_fifty_documents_a_page(client, split, django_assert_max_num_queries):
    for day in range(1, 61):
        make_document(title=f"Day {day:02}", date=f"1965-{(day - 1) // 28 + 1:02}-"
                      f"{(day - 1) % 28 + 1:02}", collections=[split])

    indexed()
    # 6, the listed documents' first pages and their editions ("FRUS 1964–68, vol. XXX, no. 1")
    with django_assert_max_num_queries(8):
        first = client.get(split.get_absolute_url()).content.decode()
    second = client.get(split.get_absolute_url() + "?page=2").content.decode()

    assert len(titles_in_order(first)) == 50
    assert titles_in_order(second) == [f"Day {day:02}" for day in range(51, 61)]
    assert "Page 1 of 2" in first
    assert f'rel="next" href="{split.get_absolute_url()}?page=2"' in first
    assert f'href="http://testserver{split.get_absolute_url()}?page=2"' in second


@pytest.mark.parametrize("page, status, message", [
    ("abc", 400, "whole number"), ("0", 400, "whole number"), ("-1", 400, "whole number"),
    ("3", 404, ""), ("99999999999999999999999", 400, "Only the first 10,000 results"),
    ("1.5", 400, "whole number"), ("", 200, ""),
])
def test_bad_page_numbers_are_clear_errors_not_server_errors(client, split, page, status,
                                                             message):
    make_document(collections=[split])
    indexed()

    response = client.get(split.get_absolute_url(), {"page": page})

    assert response.status_code == status
    assert message in response.content.decode()


def test_it_redirects_a_stale_slug_permanently(client, split):
    indexed()
    response = client.get(f"/collection/{split.pk}/old-title/?page=1")

    assert response.status_code == 301
    assert response["Location"] == f"/collection/{split.pk}/{split.slug}/?page=1"


def test_the_bare_id_url_renders_directly(client, split):
    indexed()
    response = client.get(f"/collection/{split.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{split.title}</h1>" in html
    assert (f'<link rel="canonical" href="http://testserver/collection/{split.pk}/{split.slug}/">'
            in html)


@pytest.mark.parametrize("path", ["/collection/999999/", "/collection/0/x/",
                                  "/collection/99999999999999999999999/"])
def test_unknown_collections_are_404_pages(client, db, path):
    indexed()
    response = client.get(path)

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_it_shows_sub_collections_in_position_order_and_the_parent(client, split):
    make_collection("B second", parent=split, position=2)
    make_collection("Z first", parent=split, position=1)
    child = make_collection("A third", parent=split, position=3)

    indexed()
    html = client.get(split.get_absolute_url()).content.decode()
    child_html = client.get(child.get_absolute_url()).content.decode()

    assert html.index("Z first") < html.index("B second") < html.index("A third")
    assert f'<a href="{split.get_absolute_url()}">{split.title}</a>' in child_html


def test_it_shows_the_image_with_caption_and_credit(client, split):
    split.image.save("mao.jpg", ContentFile(b"\xff\xd8\xff\xe0 fake jpeg"), save=False)
    split.image_caption = "Mao and Khrushchev, 1958"
    split.image_credit = "Photo: archive"
    actions.do_save_collection(split, acting_user=None, via="test")

    indexed()
    html = client.get(split.get_absolute_url()).content.decode()
    image = client.get(split.image.url)

    assert f'<img src="{split.image.url}" alt="Mao and Khrushchev, 1958">' in html
    assert "Photo: archive" in html
    assert "No image" not in html
    assert image.status_code == 200
    assert b"".join(image.streaming_content).startswith(b"\xff\xd8")


def test_document_links_carry_the_collection_for_previous_and_next(client, split):
    document = make_document(collections=[split])

    indexed()
    html = client.get(split.get_absolute_url()).content.decode()

    assert f'href="{document.get_absolute_url()}?collection={split.pk}"' in html


@pytest.mark.parametrize("page", ["٢", "２", "+2", "2_0"])
def test_a_page_number_is_written_in_ascii_digits(client, split, page):
    make_document(collections=[split])

    indexed()
    response = client.get(split.get_absolute_url(), {"page": page})

    assert response.status_code == 400 and "whole number" in response.content.decode()
