"""GET /api/v1/search: the documented JSON shape and 400s for bad parameters."""

import pytest
from django.urls import reverse

from tests.factories import make_collection, make_document
from tests.search.conftest import indexed

pytestmark = pytest.mark.django_db
URL = reverse("api:search")


def test_it_returns_the_documented_shape(client, django_assert_max_num_queries):
    collection = make_collection("Sino-Soviet Split")
    document = make_document(title="Kosygin <i>cable</i>", date="1965-02-11",
                             summary="Talks.", collections=[collection])
    make_document(title="Kosygin draft", status="draft")
    indexed()
    with django_assert_max_num_queries(2):
        response = client.get(URL, {"q": "kosygin"})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"total", "page", "page_size", "results", "facets", "notices",
                         "suggestions", "expanded"}
    assert (data["total"], data["page"], data["page_size"]) == (1, 1, 20)
    hit = data["results"][0]
    assert set(hit) == {"id", "url", "title", "date", "display_date", "summary", "snippet",
                        "snippet_source", "snippet_page"}
    assert (hit["snippet_source"], hit["snippet_page"]) == ("summary", None)
    assert hit["id"] == document.pk and hit["url"].endswith(document.get_absolute_url())
    assert (hit["date"], hit["display_date"]) == ("1965-02-11", "February 11, 1965")
    assert hit["title"] == "Kosygin <i>cable</i>"
    assert data["facets"]["collection"] == [
        {"value": str(collection.pk), "label": "Sino-Soviet Split", "count": 1}]
    assert data["facets"]["date"] == [{"value": "1965-02", "label": "February 1965", "count": 1}]
    for name in ("collection", "type", "language", "translation_language", "subject",
                 "person", "place", "archive", "classification"):
        assert name in data["facets"]


def test_page_size_and_page(client):
    for n in range(7):
        make_document(title=f"Cable {n}")
    indexed()
    data = client.get(URL, {"q": "cable", "page_size": 5, "page": 2}).json()
    assert (data["total"], data["page"], data["page_size"], len(data["results"])) == (7, 2, 5, 2)


@pytest.mark.parametrize("params", [
    {"sort": "newest"}, {"page": "0"}, {"page": "1.5"}, {"page_size": "101"},
    {"page_size": "-1"}, {"date_from": "March 1965"}, {"date_to": "1965-02-30"},
    {"person": "Zhou"},
])
def test_bad_parameters_are_400_with_a_message(client, params):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response.json()["error"]


def test_unknown_facet_values_and_malformed_queries_are_fine(client):
    make_document(title="Kosygin")
    indexed()
    assert client.get(URL, {"type": "Nonexistent"}).json()["total"] == 0
    data = client.get(URL, {"q": "Kosygin OR"}).json()
    assert data["total"] == 1 and "plain words" in data["notices"][0]
