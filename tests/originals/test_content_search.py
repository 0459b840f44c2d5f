"""Search inside a document (IIIF Content Search 2.0 and 1.0): hits boxed on their canvases."""

from __future__ import annotations

import pytest
from django.test import Client

from declassified.archive.models import Document, PageText
from declassified.archive.page_texts import do_correct_page_text
from declassified.originals.manifests import validated
from tests.factories import make_document
from tests.originals.search_fixtures import line_words, make_read_document, record_words

pytestmark = pytest.mark.django_db

PAGES = [
    ["TOP SECRET", "The Soviet delegation met", "the Chinese delegation in Hanoi."],
    ["Kosygin told Zhou that the", "Soviet delegation would leave;", "Zhou thanked Kosygin."],
]


def search(client, document, query, version=2, **params):
    response = client.get(f"/iiif/3/document/{document.pk}/search/{version}",
                          {"q": query, **params})
    assert response.status_code == 200, response.content
    return response.json()


def canvas(document, page):
    return f"http://testserver/iiif/3/document/{document.pk}/canvas/{page.pk}"


def test_a_word_is_found_on_its_page_with_its_box_and_snippet(client):
    document = make_read_document(PAGES)
    second = document.pages.order_by("position", "id")[1]
    answer = search(client, document, "zhou")
    assert answer["@context"] == "http://iiif.io/api/search/2/context.json"
    assert answer["type"] == "AnnotationPage" and answer["partOf"]["total"] == 2
    first, _ = answer["items"]
    # "Zhou" is the 3rd word of line 0 of page 2: x = 100 + 20 * len("Kosygin told "), y = 100.
    assert first["target"] == f"{canvas(document, second)}#xywh=360,100,80,30"
    assert first["motivation"] == "highlighting" and first["body"]["value"] == "Zhou"
    context = answer["annotations"][0]["items"][0]
    assert context["motivation"] == "contextualizing"
    assert context["target"]["source"] == first["id"]
    assert context["target"]["selector"] == [{
        "type": "TextQuoteSelector", "prefix": "Kosygin told ", "exact": "Zhou",
        "suffix": " that the Soviet delegation would leave;"}]


def test_matching_ignores_case_accents_and_punctuation(client):
    document = make_read_document([["Ёлка at the Café, HANOI."]])
    assert search(client, document, "ЕЛКА")["partOf"]["total"] == 1
    assert search(client, document, "cafe")["items"][0]["body"]["value"] == "Café,"
    assert search(client, document, "hanoi")["partOf"]["total"] == 1
    assert search(client, document, "han")["partOf"]["total"] == 0  # words, not parts


def test_a_phrase_over_two_lines_is_one_hit_with_a_box_on_each_line(client):
    document = make_read_document(PAGES)
    answer = search(client, document, "delegation met the chinese")
    assert answer["partOf"]["total"] == 1
    targets = [item["target"].split("#xywh=")[1] for item in answer["items"]]
    # "delegation met" ends line 1 (y 150); "the Chinese" starts line 2 (y 200).
    assert targets == ["320,150,280,30", "100,200,220,30"]
    parts = answer["annotations"][0]["items"][0]["target"]
    assert [part["selector"][0]["exact"] for part in parts] == ["delegation met", "the Chinese"]
    assert parts[0]["selector"][0]["prefix"] == "TOP SECRET The Soviet "


def test_chinese_characters_are_found_across_word_boundaries_and_boxed_by_their_share(client):
    document = make_document_with_words([["中华", 100, 100, 80, 40, 90, 0, 0],
                                         ["人民", 180, 100, 80, 40, 90, 0, 0],
                                         ["共和国", 260, 100, 120, 40, 90, 0, 0]])
    answer = search(client, document, "人民共和")
    assert answer["partOf"]["total"] == 1
    # All of "人民" and the first two of the three characters of "共和国".
    assert answer["items"][0]["target"].endswith("#xywh=180,100,160,40")
    selector = answer["annotations"][0]["items"][0]["target"]["selector"][0]
    assert selector == {"type": "TextQuoteSelector", "prefix": "中华", "exact": "人民共和",
                        "suffix": "国"}


def make_document_with_words(words, **fields):
    document = make_read_document([["placeholder"]], **fields)
    record_words(document.pages.get(), words, languages="chi_sim")
    return document


def test_answers_are_paged_with_at_most_a_hundred_hits_each(client):
    document = make_document_with_words(line_words("memo " * 150, line=0))
    first = search(client, document, "memo", motivation="painting")
    assert len(first["items"]) == 100 and first["startIndex"] == 0
    assert first["partOf"]["total"] == 150
    assert first["partOf"]["last"]["id"].endswith("page=2")
    assert "prev" not in first
    second = client.get(first["next"]["id"]).json()
    assert len(second["items"]) == 50 and second["startIndex"] == 100
    assert "next" not in second and second["prev"]["id"] == first["id"]
    assert "motivation=painting" in second["id"]


def test_parameters_not_implemented_are_listed_as_ignored(client):
    document = make_read_document(PAGES)
    answer = search(client, document, "zhou", user="http://example.org/u", date="x")
    assert answer["ignored"] == ["date", "user"]
    assert "ignored" not in search(client, document, "zhou")
    assert search(client, document, "zhou", motivation="commenting")["items"] == []


def test_search_1_0_answers_an_annotation_list_with_hits(client):
    document = make_read_document(PAGES)
    second = document.pages.order_by("position", "id")[1]
    answer = search(client, document, "kosygin", version=1)
    assert answer["@context"] == ["http://iiif.io/api/presentation/2/context.json",
                                  "http://iiif.io/api/search/1/context.json"]
    assert answer["@type"] == "sc:AnnotationList" and answer["within"]["total"] == 2
    resource = answer["resources"][0]
    assert resource["@type"] == "oa:Annotation"
    assert resource["on"] == f"{canvas(document, second)}#xywh=100,100,140,30"
    assert resource["resource"] == {"@type": "cnt:ContentAsText", "chars": "Kosygin"}
    hit = answer["hits"][0]
    assert hit == {"@type": "search:Hit", "annotations": [resource["@id"]], "match": "Kosygin",
                   "before": "", "after": " told Zhou that the Soviet delegation"}


def test_autocomplete_completes_words_with_counts(client):
    document = make_read_document(PAGES)
    url = f"/iiif/3/document/{document.pk}/autocomplete"
    answer = client.get(f"{url}/2", {"q": "Ko"}).json()
    assert answer["type"] == "TermPage"
    assert [(i["value"], i["total"]) for i in answer["items"]] == [("kosygin", 2)]
    assert answer["items"][0]["service"][0]["type"] == "SearchService2"
    old = client.get(f"{url}/1", {"q": "d"}).json()
    assert old["@type"] == "search:TermList"
    assert [(t["match"], t["count"]) for t in old["terms"]] == [("delegation", 3)]
    assert client.get(f"{url}/2", {"q": "d", "min": "4"}).json()["items"] == []
    assert client.get(f"{url}/2").status_code == 400


@pytest.mark.parametrize("params, status", [
    ({"q": "x" * 201}, 400), ({"q": "zhou", "page": "abc"}, 400), ({"q": "zhou", "page": "0"}, 400),
])
def test_bad_input_is_a_400_with_a_message(client, params, status):
    document = make_read_document(PAGES)
    response = client.get(f"/iiif/3/document/{document.pk}/search/2", params)
    assert response.status_code == status and response.json()["error"]


def test_an_empty_query_is_an_empty_answer(client):
    document = make_read_document(PAGES)
    assert search(client, document, "  ")["items"] == []
    assert search(client, document, "", version=1)["resources"] == []


@pytest.mark.parametrize("status", [Document.DRAFT, Document.WITHDRAWN])
def test_unpublished_documents_are_not_searched_by_the_public(alice_client, status):
    document = make_read_document(PAGES, status=status)
    client = Client()  # anonymous (alice_client is pytest's `client`, signed in)
    for path in ("search/2", "search/1", "autocomplete/2", "autocomplete/1"):
        response = client.get(f"/iiif/3/document/{document.pk}/{path}", {"q": "zhou"})
        assert response.status_code == 404, path
    editor = alice_client.get(f"/iiif/3/document/{document.pk}/search/2", {"q": "zhou"})
    assert editor.status_code == 200 and editor.json()["partOf"]["total"] == 2
    assert editor["Cache-Control"] == "private, no-store"


def test_unknown_documents_are_a_404(client):
    assert client.get("/iiif/3/document/999999/search/2", {"q": "a"}).status_code == 404


def test_corrected_pages_are_searched_in_their_machine_words(client, alice):
    document = make_read_document(PAGES)
    page_text = PageText.objects.get(page=document.pages.order_by("position", "id")[0])
    do_correct_page_text(page_text, "The Polish delegation met", acting_user=alice)
    assert search(client, document, "polish")["items"] == []
    assert search(client, document, "soviet")["partOf"]["total"] == 2


def test_a_search_costs_two_queries_once_the_words_are_cached(client,
                                                              django_assert_max_num_queries):
    document = make_read_document(PAGES)
    search(client, document, "zhou")
    with django_assert_max_num_queries(2):
        search(client, document, "delegation")


def test_reading_a_page_again_is_seen_by_the_next_search(client):
    document = make_read_document(PAGES)
    assert search(client, document, "warsaw")["items"] == []
    page = document.pages.order_by("position", "id")[0]
    record_words(page, line_words("Delegates left for Warsaw", line=0))
    assert search(client, document, "warsaw")["partOf"]["total"] == 1


def test_the_manifest_declares_both_search_services_when_there_is_ocr_text(client):
    document = make_read_document(PAGES)
    manifest = client.get(f"/iiif/3/document/{document.pk}/manifest.json").json()
    validated(manifest)
    search2, search1 = manifest["service"]
    base = f"http://testserver/iiif/3/document/{document.pk}"
    assert search2 == {"id": f"{base}/search/2", "type": "SearchService2",
                       "label": {"en": ["Search in this document"]},
                       "service": [{"id": f"{base}/autocomplete/2",
                                    "type": "AutoCompleteService2"}]}
    assert search1["@context"] == "http://iiif.io/api/search/1/context.json"
    assert search1["profile"] == "http://iiif.io/api/search/1/search"
    assert search1["@id"] == f"{base}/search/1"
    assert search1["service"][0]["profile"] == "http://iiif.io/api/search/1/autocomplete"
    # The hits' targets are the manifest's canvases.
    target = search(client, document, "zhou")["items"][0]["target"].split("#")[0]
    assert target in [canvas_["id"] for canvas_ in manifest["items"]]


def test_a_document_without_ocr_text_declares_no_search(client):
    from tests.factories import make_document_with_pages

    document = make_document_with_pages(1)
    manifest = client.get(f"/iiif/3/document/{document.pk}/manifest.json").json()
    assert "service" not in manifest
    assert search(client, document, "anything")["items"] == []
    assert make_document  # the plain factory is the same documents' maker
