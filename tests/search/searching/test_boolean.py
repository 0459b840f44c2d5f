"""The boolean language through the facade and over HTTP: exact result sets on a small real
index, counts and facets that agree with the hits, highlighting of positive words only."""

import pytest
from django.urls import reverse

from declassified.archive.models import Document
from declassified.search import parse_query
from declassified.search.engine import storage
from declassified.search.searching import complement
from tests.factories import make_document, make_person
from tests.search.conftest import find, indexed

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    """Eight published documents and a draft, named for the words they hold."""
    mao = make_person("Mao Zedong")
    titles = {
        "k": "Kosygin in Moscow", "m": "Cable from Beijing", "v": "Report on Vietnam",
        "kv": "Kosygin on Vietnam", "mv": "Talks about Vietnam", "km": "Kosygin meets Chairman",
        "kmv": "Kosygin and the Chairman on Vietnam", "none": "Trade in Laos",
    }
    made = {key: make_document(title=title, people=[mao] if "m" in key and key != "none" else [],
                               document_type="Cable" if "v" in key else "Minutes")
            for key, title in titles.items()}
    make_document(title="Kosygin draft on Mao", status=Document.DRAFT)
    indexed()
    return made


def keys(archive, result) -> set[str]:
    by_id = {document.pk: key for key, document in archive.items()}
    return {by_id[hit.id] for hit in result.hits}


@pytest.mark.parametrize("q, expected", [
    # A hand count: Kosygin or Mao (a person, so in the names) and not Vietnam.
    ("(Kosygin OR Mao) AND NOT Vietnam", {"k", "m", "km"}),
    ("(Kosygin OR Mao) NOT Vietnam", {"k", "m", "km"}),
    ("(Kosygin OR Mao) -Vietnam", {"k", "m", "km"}),
    ("Vietnam NOT Kosygin", {"v", "mv"}),
    ("Kosygin OR Mao AND Vietnam", {"k", "kv", "km", "kmv", "mv"}),
    ("(Kosygin OR Mao) AND Vietnam", {"kv", "mv", "kmv"}),
    ("((Kosygin AND (Mao OR Moscow)) OR (Laos)) -Vietnam", {"k", "km", "none"}),
    ("NOT (Kosygin OR Mao OR Vietnam)", {"none"}),
    ("NOT Kosygin", {"m", "v", "mv", "none"}),
    ('Kosygin NOT "on Vietnam"', {"k", "km"}),
    ("Kosygin AND NOT person:mao", {"k", "kv"}),
    ("Kosygin NOT type:cable", {"k", "km"}),
    ("chairm* NOT Vietnam", {"km"}),
    ("Vietnam OR NOT Kosygin", {"v", "kv", "mv", "kmv", "m", "none"}),
    ("war and peace", set()),  # lower case: three words
])
def test_boolean_queries_find_exactly_the_documents_a_hand_count_gives(archive, q, expected):
    result = find(q)
    assert not result.notices, q
    assert keys(archive, result) == expected
    assert result.total == len(expected)


def test_counts_and_facets_agree_with_the_hits(archive):
    result = find("(Kosygin OR Mao) AND NOT Vietnam")
    types = {value.value: value.count for value in result.facets["type"]}
    assert types == {"Minutes": 3}
    assert sum(bucket.count for bucket in result.date_buckets) == result.total == 3
    assert {value.count for value in result.facets["person"]} == {2}  # m and km name Mao


def test_a_pure_negation_never_shows_drafts(archive, alice):
    assert "Kosygin draft on Mao" not in {hit.title for hit in find("NOT Vietnam").hits}
    live = storage.live_index()
    bound = complement.match_lower_bound(live.index.searcher(), parse_query("NOT Vietnam"),
                                         live.common)
    assert complement.complement_is_cheaper(bound, 8)  # so counted through the complement
    result = find("NOT Vietnam")
    assert result.total == 4
    assert {value.value: value.count for value in result.facets["type"]} == {"Minutes": 4}
    assert {value.count for value in result.facets["person"]} == {2}
    assert find("NOT Vietnam", alice, status="all").total == 5


def test_negated_words_are_never_highlighted(archive):
    result = find("Kosygin AND NOT Vietnam")
    hits = {hit.title: str(hit.title_html) for hit in find("Kosygin OR NOT Moscow").hits}
    assert hits["Report on Vietnam"] == "Report on Vietnam"
    assert "<mark>Kosygin</mark> in Moscow" == hits["Kosygin in Moscow"]
    assert all("<mark>Vietnam</mark>" not in str(hit.title_html) for hit in result.hits)


def test_the_page_and_the_api_answer_a_nested_query_the_same(client, archive):
    q = "((Kosygin AND (Mao OR Moscow)) OR Laos) NOT Vietnam"
    data = client.get(reverse("api:search"), {"q": q}).json()
    assert {hit["id"] for hit in data["results"]} == {archive[k].pk for k in ("k", "km", "none")}
    assert data["notices"] == []
    html = client.get(reverse("web:search"), {"q": q}).content.decode()
    assert "3 documents" in html
    assert archive["km"].get_absolute_url() in html and archive["kv"].get_absolute_url() not in html


@pytest.mark.parametrize("q, reason", [
    ("(Kosygin OR", "OR needs a word on each side"), ("AND", "AND needs a word on each side"),
    ("Mao OR", "OR needs a word on each side"), (")(", "a closing parenthesis has no opening one"),
    ("NOT", "NOT needs a word after it"),
])
def test_malformed_boolean_queries_are_plain_words_with_the_reason_everywhere(client, archive,
                                                                            q, reason):
    response = client.get(reverse("web:search"), {"q": q})
    assert response.status_code == 200
    assert reason in response.content.decode()
    data = client.get(reverse("api:search"), {"q": q}).json()
    assert any(reason in notice for notice in data["notices"])


def test_a_malformed_query_still_finds_its_words(archive):
    result = find("(Kosygin OR")
    assert keys(archive, result) == {"k", "kv", "km", "kmv"}
    assert result.notices[1] == "Ignored: “OR”, “(”."


def test_the_help_page_documents_the_operators_their_case_and_precedence(client):
    html = client.get(reverse("web:search-help")).content.decode()
    for text in ("<code>AND</code>, <code>OR</code> and <code>NOT</code> are operators only when "
                 "written in\n    capitals",
                 "<code>war and peace</code>",
                 "<strong>NOT</strong> (and <code>-</code>), then\n    <strong>AND</strong>, then "
                 "<strong>OR</strong>, then the space between words",
                 "<code>Kosygin OR Mao AND Vietnam</code> means <code>Kosygin OR (Mao AND Vietnam)</code>",
                 "<code>Kosygin OR Mao Vietnam</code> means <code>(Kosygin OR Mao) AND Vietnam</code>",
                 "they nest up to 8 deep", "Did you mean"):
        assert text in html, text
    for q in ("Kosygin OR Mao AND Vietnam", "Kosygin OR Mao Vietnam", "NOT Kosygin OR Mao"):
        assert f"<code>{q}</code> means <code>{parse_query(q).describe()}</code>" in html.replace(
            "(NOT Kosygin) OR Mao", "NOT Kosygin OR Mao"), q  # the page says what the parser does
