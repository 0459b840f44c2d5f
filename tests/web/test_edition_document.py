"""A FRUS document as historians know it, on its page, in lists, in search and in the API:
its number in the volume, the volume, the dateline's place, the participants, the chapter
and the documents numbered before and after it. A real volume of the shared corpus,
imported with its bibliography record."""

from __future__ import annotations

import html
import re
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from declassified.archive import actions
from declassified.archive.models import Collection, Document
from declassified.search import search
from tests.ingest.frus.test_corpus import VOLUMES, volume_file

VOLUME = "frus1964-68v29p2"  # Japan: 140 documents, memoranda of conversation among them
pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not VOLUMES.is_dir(), reason=f"the FRUS corpus is not at {VOLUMES}"),
]


@pytest.fixture
def japan(db) -> Collection:
    call_command("import_frus", str(volume_file(VOLUME)), foreground=True, stdout=StringIO(),
                 bibliography=str(VOLUMES.parent / "bibliography"))
    return Collection.objects.get(source_id=VOLUME)


def numbered(number: str) -> Document:
    return Document.objects.get(source_id=f"{VOLUME}/d{number}")


def page(client, document: Document) -> str:
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_volume_is_an_edition_and_its_documents_carry_number_call_number_participants(japan):
    assert japan.is_edition
    assert japan.series_title == "Foreign Relations of the United States, 1964–1968"
    assert (japan.volume_number, japan.volume_title) == ("XXIX, Part 2", "Japan")
    assert japan.published_year and japan.edition_editors
    memo = numbered("41")
    assert memo.number == "41"
    assert memo.participants.splitlines()[0] == "Eisaku Sato, Prime Minister of Japan"
    assert memo.place_of_origin.name == "Washington"
    assert all(Document.objects.filter(source_id__startswith=VOLUME).values_list(
        "number", flat=True))
    assert Document.objects.filter(source_id__startswith=VOLUME).exclude(call_number="").count() > 100


def test_the_page_shows_number_volume_place_and_participants_and_titles_itself_so(client, japan):
    memo = numbered("41")
    text = page(client, memo)
    title = re.search(r"<title>(.*?)</title>", text, re.DOTALL).group(1)
    assert title.startswith(f"No. 41. {memo.title} — FRUS 1964–68, vol. XXIX, Part 2")
    assert ("Foreign Relations of the United States, 1964–1968, Volume XXIX, Part 2, Japan</a>, "
            '<span class="doc-number">No. 41</span>') in text
    assert f'<span class="doc-place">Washington</span>, {memo.display_date}' in text
    assert "<li>Eisaku Sato, Prime Minister of Japan</li>" in text
    chapter = Collection.objects.get(source_id=f"{VOLUME}/comp1")
    assert f'Chapter: <a href="{chapter.get_absolute_url()}">Japan</a>' in text


def test_previous_and_next_follow_the_numbers_of_the_volume(client, japan):
    text = page(client, numbered("41"))
    previous = re.search(r'<a rel="prev" href="([^"?]+)', text).group(1)
    following = re.search(r'<a rel="next" href="([^"?]+)', text).group(1)
    assert previous == numbered("40").get_absolute_url()
    assert following == numbered("42").get_absolute_url()
    assert "No. 42." in text
    assert 'rel="prev"' not in page(client, numbered("1"))


def test_a_withdrawn_neighbour_is_skipped(client, japan, admin_user):
    actions.do_withdraw_document(numbered("42"), acting_user=admin_user)
    text = page(client, numbered("41"))
    assert re.search(r'<a rel="next" href="([^"?]+)', text).group(1) == (
        numbered("43").get_absolute_url())


def test_the_page_costs_no_more_queries_for_an_edition_document(
        client, japan, django_assert_max_num_queries):
    memo = numbered("41")
    with django_assert_max_num_queries(15):  # as any document page
        client.get(memo.get_absolute_url())


def test_the_volume_page_lists_volume_and_number_with_bounded_queries(
        client, japan, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get(japan.get_absolute_url())
    labels = re.findall(r'<span class="doc-edition meta">([^<]+)</span>',
                        html.unescape(response.content.decode()))
    assert len(labels) == 50  # a page of the list, every one labelled
    assert all(re.fullmatch(r"FRUS 1964–68, vol\. XXIX, Part 2, no\. \d+", label)
               for label in labels)


def test_participants_and_the_dateline_place_are_searchable_and_hits_show_the_number(japan):
    hits = search({"q": '"Toshiro Shimanouchi"'}, AnonymousUser()).hits
    assert numbered("41").pk in [hit.id for hit in hits]
    hit = next(hit for hit in hits if hit.id == numbered("41").pk)
    assert hit.edition == "FRUS 1964–68, vol. XXIX, Part 2, no. 41"
    assert search({"q": "place:Washington number:41"}, AnonymousUser()).total >= 1
    by_number = search({"q": "number:41"}, AnonymousUser()).hits
    assert [hit.id for hit in by_number] == [numbered("41").pk]


def test_the_search_page_shows_volume_and_number(client, japan):
    response = client.get("/search/", {"q": '"Toshiro Shimanouchi"'})
    assert "FRUS 1964–68, vol. XXIX, Part 2, no. 41" in html.unescape(response.content.decode())


def test_the_api_gives_number_and_participants_in_list_and_detail(client, japan):
    memo = numbered("41")
    detail = client.get(f"/api/v1/documents/{memo.pk}").json()
    assert detail["number"] == "41"
    assert detail["participants"][0] == "Eisaku Sato, Prime Minister of Japan"
    listed = client.get(f"/api/v1/collections/{japan.pk}").json()
    item = next(d for d in listed["documents"] if d["id"] == memo.pk)
    assert (item["number"], item["participants"]) == (detail["number"], detail["participants"])
