"""GET /api/v1/search and /api/v1/search/facet-values: the documented JSON shapes,
exclusions and 400s for bad parameters."""

import pytest
from django.urls import reverse

from tests.factories import make_collection, make_document, make_person, make_subject
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
                        "snippet_source", "snippet_page", "edition"}
    assert hit["edition"] == ""  # not a document of a documentary edition
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


@pytest.fixture
def tagged_cables():
    war, trade = make_subject("War"), make_subject("Trade")
    people = [make_person(f"Person {n:02d}") for n in range(60)]
    for n in range(12):
        make_document(title=f"Cable {n}", people=people[: 5 * n + 5],
                      subjects=[war] if n % 2 else [trade])
    make_document(title="Draft", status="draft", people=[make_person("Secret Agent")])
    indexed()
    return war, trade, people


def test_exclusions_in_the_api_count_exactly_and_are_listed(client, tagged_cables):
    war, trade, _ = tagged_cables

    data = client.get(URL, {"not_subject": war.pk}).json()

    assert data["total"] == 6
    assert {"value": str(war.pk), "label": "War", "count": 0, "excluded": True} in (
        data["facets"]["subject"])
    assert {"value": str(trade.pk), "label": "Trade", "count": 6} in data["facets"]["subject"]
    assert sum(bucket["count"] for bucket in data["facets"]["date"]) == 6
    assert client.get(URL, {"not_subject": "War"}).status_code == 400


def test_every_value_of_a_filter_pages_and_finds_in_the_api(
        client, tagged_cables, django_assert_max_num_queries):
    war, _, people = tagged_cables
    values_url = reverse("api:search-facet-values")

    with django_assert_max_num_queries(0):
        first = client.get(values_url, {"facet": "person", "subject": war.pk}).json()
    second = client.get(values_url, {"facet": "person", "subject": war.pk, "page": 2}).json()
    found = client.get(values_url, {"facet": "person", "q_value": "person 5",
                                    "person": people[50].pk}).json()

    # the War cables are the odd ones, the last (n = 11) naming all 60 people
    assert (first["facet"], first["total"], first["pages"], first["page_size"]) == (
        "person", 60, 2, 50)
    assert first["values"][0] == {"value": str(people[0].pk), "label": "Person 00", "count": 6}
    assert [v["label"] for v in second["values"]] == [f"Person {n:02d}" for n in range(50, 60)]
    assert found["total"] == 10 and found["q_value"] == "person 5"
    assert found["values"][0] == {"value": str(people[50].pk), "label": "Person 50",
                                  "count": 2, "selected": True}


@pytest.mark.parametrize("params, status, message", [
    ({"facet": "colour"}, 400, "no filter"),
    ({}, 400, "no filter"),
    ({"facet": "person", "page": "x"}, 400, "whole number"),
    ({"facet": "person", "page": "0"}, 400, "whole number"),
    ({"facet": "person", "page": "9"}, 400, "past the last page"),
    ({"facet": "person", "q_value": "x" * 201}, 400, "at most"),
    ({"facet": "person", "not_person": "Rusk"}, 400, "record numbers"),
])
def test_bad_values_requests_are_json_errors(client, tagged_cables, params, status, message):
    response = client.get(reverse("api:search-facet-values"), params)
    assert response.status_code == status
    assert message in response.json()["error"]
