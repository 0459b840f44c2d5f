"""The OCR text of the pages in search: found like any text, weighted below human texts,
snippets naming their page and linking to the viewer there; never shown for hidden documents."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from declassified.archive import actions
from declassified.archive.models import Document
from declassified.archive.page_texts import (
    PageReadingValues,
    do_correct_page_text,
    do_record_page_reading,
)
from declassified.web.views.viewer import viewer_url
from tests.factories import make_collection, make_document, make_document_with_typed_pages
from tests.search.conftest import add_text, find, ids, indexed

pytestmark = pytest.mark.django_db
PAGE = reverse("web:search")
API = reverse("api:search")


def reading(text: str) -> PageReadingValues:
    return PageReadingValues(text=text, words=[[word, 10, 20, 100, 30, 90.0, 0, 0]
                                               for word in text.split()],
                             mean_confidence=90.0, languages="eng", engine="tesseract; test")


def scanned(pages: list[str], **fields) -> Document:
    """A document of len(pages) scanned pages whose OCR readings are `pages` (the action
    records them as the OCR job would; Tesseract itself is tested below and in tests/ocr)."""
    document = make_document_with_typed_pages([["."]] * len(pages), read=False, **fields)
    for page, text in zip(document.pages.order_by("position", "id"), pages, strict=True):
        do_record_page_reading(page, reading(text), via="tests")
    return document


def test_a_word_typed_on_a_scan_finds_the_document_and_names_its_page(client):
    document = make_document_with_typed_pages(
        [["Memorandum for the record"], ["The envoy reached Tanganyika by sea"]],
        title="Envoy's report")
    make_document(title="Unrelated cable", text="<p>Nothing of the kind.</p>")
    indexed()
    html = client.get(PAGE, {"q": "tanganyika"}).content.decode()
    assert "1 document" in html and "Envoy" in html
    assert "OCR, p. 2</a>" in html and "<mark>Tanganyika</mark>" in html
    assert f'href="{escape(viewer_url(document.pk, 2, "Tanganyika"))}"' in html
    hit = client.get(API, {"q": "tanganyika"}).json()["results"][0]
    assert (hit["id"], hit["snippet_source"], hit["snippet_page"]) == (document.pk, "ocr", 2)
    assert "<mark>Tanganyika</mark>" in hit["snippet"]


def test_a_human_transcript_ranks_above_the_same_word_read_by_ocr():
    only_ocr = scanned(["Report from Mwanza on the strike"], title="Scan", summary="")
    transcribed = make_document(title="Transcribed", summary="")
    add_text(transcribed, "<p>Report from Mwanza on the strike</p>", kind="transcript")
    translated = make_document(title="Translated", summary="")
    add_text(translated, "<p>Report from Mwanza on the strike</p>")
    indexed()
    hits = find("mwanza").hits
    assert [hit.id for hit in hits][-1] == only_ocr.pk and len(hits) == 3
    assert {hit.id for hit in hits[:2]} == {transcribed.pk, translated.pk}
    assert [hit.snippet_source for hit in hits] == ["text", "text", "ocr"]


def test_the_page_counts_every_page_in_reading_order_and_phrases_stay_on_a_page():
    document = scanned(["", "Dar es Salaam harbour", "Dodoma station"])
    indexed()
    hit = find("dodoma").hits[0]
    assert (hit.id, hit.snippet_source, hit.snippet_page) == (document.pk, "ocr", 3)
    assert hit.snippet_words == "Dodoma"
    assert find('"harbour dodoma"').total == 0 and find('"dar es salaam"').total == 1


def test_a_human_text_gives_the_snippet_when_it_has_the_words():
    document = scanned(["Kilwa customs ledger"], text="<p>The Kilwa customs ledger.</p>")
    indexed()
    hit = find("kilwa").hits[0]
    assert hit.id == document.pk and hit.snippet_source == "text" and hit.snippet_page is None


def test_russian_ocr_text_is_stemmed_like_russian_texts():
    document = scanned(["Переговоры в Пекине продолжались"])
    indexed()
    assert ids(find("переговор")) == {document.pk}
    assert find("переговорами").hits[0].snippet_page == 1


def test_an_editors_correction_is_what_is_searched(alice):
    document = scanned(["Kosygln met the envoy"])
    do_correct_page_text(document.pages.get().reading, "Kosygin met the envoy",
                         acting_user=alice)
    indexed()
    assert ids(find("kosygin")) == {document.pk}
    assert find("kosygln").total == 0
    do_correct_page_text(document.pages.get().reading, None, acting_user=alice)
    indexed()
    assert ids(find("kosygln")) == {document.pk} and find("kosygin").total == 0


@pytest.mark.parametrize("status", [Document.DRAFT, Document.WITHDRAWN])
def test_hidden_documents_ocr_never_shows(client, alice, status):
    collection = make_collection("East Africa")
    hidden = scanned(["Zanzibar sultanate papers"], title="Papers", status=status,
                     collections=[collection])
    scanned(["Other scan"], title="Other", collections=[collection])
    indexed()
    result = find("zanzibar")
    assert result.total == 0 and not result.hits
    assert not any(result.facets.values()) and not result.date_buckets
    html = client.get(PAGE, {"q": "zanzibar"}).content.decode()
    assert "No documents match" in html and "Zanzibar" not in html  # the reading's case
    data = client.get(API, {"q": "zanzibar", "status": "all"}).json()
    assert data["total"] == 0 and data["results"] == []
    assert not ids(find("zanzibar", status="all"))  # the public asking for all: still nothing
    as_editor = find("zanzibar", user=alice, status="all")
    assert ids(as_editor) == {hidden.pk} and as_editor.hits[0].snippet_source == "ocr"
    assert [v.count for v in as_editor.facets["collection"]] == [1]  # the facet is counted


def test_publishing_and_withdrawing_move_the_ocr_in_and_out_of_search(alice):
    document = scanned(["Pemba clove harvest"], status=Document.DRAFT)
    indexed()
    assert find("pemba").total == 0
    actions.do_publish_document(document, acting_user=alice)
    indexed()
    assert ids(find("pemba")) == {document.pk}


def test_the_search_page_with_ocr_hits_makes_no_query_per_hit(
        client, django_assert_max_num_queries):
    for n in range(20):
        scanned([f"Cable {n} first page", "Lindi cable on page two"], title=f"Scan {n}")
    indexed()
    with django_assert_max_num_queries(4):  # as for any search: 3, and the first pages
        html = client.get(PAGE, {"q": "lindi"}).content.decode()
    assert html.count("OCR, p. 2</a>") == 20
    with django_assert_max_num_queries(2):
        data = client.get(API, {"q": "lindi"}).json()
    assert {hit["snippet_page"] for hit in data["results"]} == {2}


def test_the_drift_check_sees_ocr_changes_until_the_indexer_applies_them():
    from declassified import search

    document = scanned(["Tabora"])
    indexed()
    assert search.check_index().ok
    do_record_page_reading(document.pages.get(), reading("Tabora road"), via="tests")
    drift = search.check_index()
    assert drift.pending_tasks == 1 and drift.ok  # pending: the indexer will apply it
    indexed()
    assert search.check_index().ok and ids(find("road")) == {document.pk}


def test_the_search_help_says_scans_are_searched_through_their_ocr(client):
    html = client.get(reverse("web:search-help")).content.decode()
    assert "Scanned pages are searched through their OCR text" in html
