"""Lists of the back office stay a bounded number of queries, and their filters work."""

from __future__ import annotations

import pytest

from declassified.archive import actions
from declassified.archive.bulk_actions import GlossaryEntry, bulk_replace_glossary
from declassified.archive.models import Document, Language, Repository
from declassified.archive.revisions import Actor
from tests.factories import make_collection, make_document, make_person, make_place, make_subject

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/archive/document/"


@pytest.fixture
def thirty_documents(db):
    """30 tagged documents across two decades, in two collections (one with a glossary), from one
    archive."""
    russian = Language.objects.create(code="ru", name="Russian")
    archive = actions.do_save_entity(Repository(name="Archive of Foreign Policy"),
                                     acting_user=None, via="test")
    collections = [make_collection("Sino-Soviet Split"), make_collection("Cold War")]
    people = [make_person(), make_person("Mao Zedong")]
    place, subject = make_place(), make_subject()
    bulk_replace_glossary(collections[0], [GlossaryEntry("t_NSC", "NSC", "National Security Council")],
                          actor=Actor(None, "test"))
    documents = []
    for n in range(30):
        document = make_document(
            date=f"{1958 + n % 10}-0{1 + n % 9}", repository=archive, collections=collections,
            people=people, places=[place], subjects=[subject], authors=people[:1],
            document_type="Cable" if n % 2 else "Memorandum", text=f"<p>Text {n}</p>",
            status=Document.PUBLISHED if n % 3 else Document.DRAFT,
        )
        document.languages.set([russian])
        documents.append(document)
    return documents


DOCUMENT_LIST_QUERIES = [
    "", "?status__exact=draft", "?date=1960s", "?date=1963", "?date=undated",
    "?languages__code__exact=ru", "?q=Cable", "?o=3", "?document_type=Cable", "?p=2",
]
OTHER_PAGES = [
    "/admin/archive/collection/", "/admin/archive/person/", "/admin/archive/place/",
    "/admin/archive/subject/", "/admin/archive/repository/", "/admin/archive/language/",
    "/admin/archive/revision/", "/admin/archive/glossaryterm/", "/admin/",
]


def test_the_document_list_is_a_bounded_number_of_queries(
    alice_client, thirty_documents, django_assert_max_num_queries
):
    for query in DOCUMENT_LIST_QUERIES:
        with django_assert_max_num_queries(16):
            response = alice_client.get(LIST_URL + query)
        assert response.status_code == 200, query
        # The bound holds on a page showing its rows (every one of them: 30 fit on a page).
        assert len(listed(response)) == response.context["cl"].result_count, query
    assert len(listed(alice_client.get(LIST_URL))) == 30


def test_the_other_pages_are_a_bounded_number_of_queries(
    alice_client, thirty_documents, django_assert_max_num_queries
):
    document = thirty_documents[0]
    for url in OTHER_PAGES:
        with django_assert_max_num_queries(12):
            response = alice_client.get(url)
        assert response.status_code == 200, url
        changelist = response.context.get("cl")
        assert changelist is None or changelist.result_count > 0, url  # rows were shown
    for url in [f"/admin/archive/document/{document.pk}/change/",
                f"/admin/archive/document/{document.pk}/history/"]:
        with django_assert_max_num_queries(30):
            response = alice_client.get(url)
        assert response.status_code == 200, url
        assert document.title in response.content.decode(), url


def listed(response) -> set[int]:
    return {document.pk for document in response.context["cl"].result_list}


def test_the_date_filter_narrows_by_decade_then_year(alice_client, thirty_documents):
    page = alice_client.get(LIST_URL).content.decode()
    assert "?date=1950s" in page and "?date=1960s" in page and "?date=undated" in page
    assert "?date=1963" not in page
    page = alice_client.get(LIST_URL + "?date=1960s").content.decode()
    assert "?date=1963" in page
    undated = make_document(date="")
    in_1963 = {d.pk for d in thirty_documents if d.date.startswith("1963")}
    in_1950s = {d.pk for d in thirty_documents if d.date.startswith("195")}
    assert listed(alice_client.get(LIST_URL + "?date=1963")) == in_1963
    assert listed(alice_client.get(LIST_URL + "?date=1950s")) == in_1950s
    assert listed(alice_client.get(LIST_URL + "?date=undated")) == {undated.pk}


def test_a_nonsense_date_filter_is_not_an_error(alice_client):
    make_document(date="1965")
    for value in ["sixties", "19x0s", "0000", "<script>", "99999"]:
        response = alice_client.get(LIST_URL, {"date": value})
        assert response.status_code == 302, value
        assert response["Location"].endswith("?e=1")  # the admin's "invalid filter" notice


def test_searching_finds_record_ids_titles_and_source_ids(alice_client):
    others = [make_document(title=f"Cable {n}") for n in range(3)]
    assert others[1].pk in listed(alice_client.get(LIST_URL, {"q": str(others[1].pk)}))
    special = make_document(title="Conversation with Zhou Enlai", source_id="frus1964-68v30/d1")
    assert listed(alice_client.get(LIST_URL, {"q": "zhou enlai"})) == {special.pk}
    assert listed(alice_client.get(LIST_URL, {"q": "frus1964-68v30/d1"})) == {special.pk}


def test_filters_by_collection_and_status(alice_client, thirty_documents):
    collection = thirty_documents[0].collections.first()
    response = alice_client.get(LIST_URL, {"collections__id__exact": collection.pk,
                                           "status__exact": "draft"})
    assert listed(response) == {d.pk for d in thirty_documents if d.status == "draft"}


def test_autocomplete_finds_people_for_tagging(alice_client):
    make_person("Mao Zedong"), make_person("Zhou Enlai")
    response = alice_client.get("/admin/autocomplete/", {
        "term": "mao", "app_label": "archive", "model_name": "document",
        "field_name": "people",
    })
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Mao Zedong"]
