"""The search page over HTTP: results, notices, filters as links and chips, no JavaScript."""

import re

import pytest
from django.urls import reverse

from declassified.archive.models import Document
from tests.factories import make_collection, make_document, make_person
from tests.search.conftest import indexed
from tests.search.language.test_query import MALFORMED

pytestmark = pytest.mark.django_db
URL = reverse("web:search")


@pytest.fixture
def documents():
    collection = make_collection("Sino-Soviet Split")
    kosygin = make_person("Aleksei Kosygin")
    made = [
        make_document(title=f"Conversation {n} with Kosygin", date=f"1965-0{n + 1}-10",
                      collections=[collection], people=[kosygin], document_type="Minutes",
                      text="<p>Kosygin and Mao discussed Vietnam.</p>")
        for n in range(3)
    ]
    make_document(title="Kosygin draft", status=Document.DRAFT, collections=[collection])
    indexed()
    return collection, kosygin, made


def test_it_shows_hits_with_highlighted_snippets(client, documents, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # 3, and the hits' first pages (declassified.web)
        response = client.get(URL, {"q": "Kosygin"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 documents" in html
    assert html.count("<mark>Kosygin</mark>") >= 6  # titles and snippets
    assert "draft" not in html.lower().replace("drafts", "")
    assert "Filters</span>" in html and "Close filters" in html and "Apply filters" in html
    assert "Cancel search filter" not in html  # it cancelled nothing


def test_the_search_box_links_the_help_page(client, documents):
    html = client.get(URL).content.decode()
    assert reverse("web:search-help") in html
    help_page = client.get(reverse("web:search-help"))
    assert help_page.status_code == 200
    for construct in ('"', " OR ", "-", "*", "title:", "person:", "place:", "subject:",
                      "collection:", "type:", "lang:", "archive:", "date:1962..1965"):
        assert construct in help_page.content.decode(), construct


def test_malformed_queries_never_fail_and_say_so(client, documents):
    for text in MALFORMED + ["Кос\u200bыгин 柯西金 Kosygin", "\ud800".encode(
            "utf-8", "surrogatepass").decode("utf-8", "replace")]:
        response = client.get(URL, {"q": text})
        assert response.status_code == 200, text
    assert "plain words" in client.get(URL, {"q": '"Kosygin'}).content.decode()


def test_control_characters_are_searched_around_and_never_echoed(client, documents):
    html = client.get(URL, {"q": "Kos\x00ygin\x07"}).content.decode()
    assert "\x00" not in html and "\x07" not in html
    assert "control characters" in html  # the notice says what was ignored
    assert 'value="Kosygin"' in html and "<title>Kosygin" in html


def test_facet_values_are_links_that_add_a_filter_and_chips_remove_it(client, documents):
    collection, kosygin, _ = documents
    html = client.get(URL, {"q": "Kosygin"}).content.decode()
    link = f"{URL}?q=Kosygin&amp;person={kosygin.pk}"
    assert link in html
    filtered = client.get(URL, {"q": "Kosygin", "person": kosygin.pk}).content.decode()
    assert "Aleksei Kosygin" in filtered and "Remove filter Person or organization" in filtered
    chip = re.search(r'<a class="chip" href="([^"]+)"', filtered).group(1)
    assert chip == f"{URL}?q=Kosygin"


def test_the_date_histogram_links_drill_down(client, documents):
    html = client.get(URL, {"q": "Kosygin"}).content.decode()
    assert "January 1965" in html and "date_from=1965-01&amp;date_to=1965-01" in html


def test_a_collection_scoped_search_only_finds_its_documents(client, documents):
    collection, _, made = documents
    make_document(title="Kosygin elsewhere")
    indexed()
    html = client.get(URL, {"q": "Kosygin", "collection": collection.pk}).content.decode()
    assert "3 documents" in html and "Kosygin elsewhere" not in html


def test_bad_parameters_give_a_400_page_with_the_reason(client, documents):
    response = client.get(URL, {"q": "Kosygin", "sort": "random"})
    assert response.status_code == 400
    assert "sort must be one of" in response.content.decode()
    assert client.get(URL, {"page": "x"}).status_code == 400
    assert client.get(URL, {"date_from": "soon"}).status_code == 400


def test_editors_may_search_drafts(client, alice, documents):
    client.force_login(alice)
    html = client.get(URL, {"q": "Kosygin", "status": "all"}).content.decode()
    assert "4 documents" in html and "<mark>Kosygin</mark> draft" in html
    client.logout()
    html = client.get(URL, {"q": "Kosygin", "status": "all"}).content.decode()
    assert "3 documents" in html


def test_pages_link_to_each_other(client, django_assert_max_num_queries):
    for n in range(25):
        make_document(title=f"Cable {n}")
    indexed()
    with django_assert_max_num_queries(4):  # 3, and the hits' first pages
        first = client.get(URL, {"q": "cable"}).content.decode()
    assert "showing 1–20" in first and 'href="/search/?q=cable&amp;page=2"' in first
    second = client.get(URL, {"q": "cable", "page": 2}).content.decode()
    assert "showing 21–25" in second and 'rel="prev" href="/search/?q=cable"' in second
