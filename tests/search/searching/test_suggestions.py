""""Did you mean": nearby spellings from the index's own terms and names, only for searches
that found few, checked to find more, with the filters kept."""

import threading

import pytest
from django.urls import reverse

from declassified import search
from declassified.archive.models import Document
from declassified.search.searching import lexicon
from tests.factories import make_document, make_person, make_place
from tests.search.conftest import find, indexed

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    kosygin = make_person("Alexei Kosygin")
    hanoi = make_place("Hanoi")
    for n in range(4):
        make_document(title=f"Cable {n} from the embassy", people=[kosygin], places=[hanoi],
                      document_type="Cable", text="<p>The negotiations went on.</p>")
    make_document(title="Minutes of the Politburo", document_type="Minutes",
                  text="<p>Negotiations with Kosygin about Vietnam.</p>")
    indexed()


def suggested(q: str, user=None, **params) -> list[str]:
    return [one.q for one in find(q, user, **params).suggestions]


def test_a_misspelled_name_offers_the_name(archive):
    result = find("kosigin")
    assert result.total == 0
    assert [(one.q, one.total) for one in result.suggestions] == [("Kosygin", 5)]


def test_a_query_with_plenty_of_results_has_no_suggestion(archive):
    assert find("kosygin").total == 5 and suggested("kosygin") == []
    assert suggested("cable") == []  # 4 results: plenty, though "table" may be near


def test_only_the_misspelled_word_of_several_is_corrected(archive):
    assert suggested("kosigin negotiations Hanoi") == ["Kosygin negotiations Hanoi"]
    assert suggested("(kosigin OR mao) AND NOT Vietnam") == ["(Kosygin OR mao) AND NOT Vietnam"]


def test_a_word_is_shown_as_the_archive_writes_it_in_the_case_typed(archive):
    assert suggested("negotaitions") == ["negotiations"]  # the stem "negoti" is two edits away
    assert suggested("Negotaitions") == ["Negotiations"]
    assert suggested("embasy") == ["embassy"]  # short: one edit


def test_short_words_allow_one_edit_and_long_ones_two(archive):
    assert suggested("emasy") == []  # five letters, two edits from "embassy"
    assert suggested("kasigin") == ["Kosygin"]  # seven letters, two edits


def test_negated_words_and_fields_keep_their_place(archive):
    assert suggested("person:kosigin") == ["person:Kosygin"]
    assert suggested("-kosigin minutse") == ["-kosigin minutes"]  # "-Kosygin" would not help


def test_a_suggestion_keeps_the_filters_and_must_find_something_with_them(archive):
    assert suggested("kosigin", type="Minutes") == ["Kosygin"]
    assert find("Kosygin", type="Minutes").total == 1
    assert suggested("politbur", type="Cable") == []  # Politburo is only in the Minutes


def test_words_only_in_drafts_are_never_suggested_to_the_public(archive, alice):
    make_document(title="Secret Brezhnev memorandum", status=Document.DRAFT)
    indexed()
    lexicon.forget_lexicon()
    assert suggested("brezhnov") == []
    assert suggested("brezhnov", alice, status="all") == ["brezhnev"]  # as typed: lower case


def test_the_lexicon_follows_the_index_in_the_background(archive, monkeypatch):
    assert suggested("zhuo") == []
    for n in range(3):
        make_document(title=f"Zhou Enlai {n}")
    indexed()
    monkeypatch.setattr(lexicon, "REFRESH_SECONDS", 0)
    assert suggested("zhuo") == []  # answered with the lexicon there was; a refresh starts
    for thread in threading.enumerate():
        if thread.name == "search-lexicon":
            thread.join(timeout=30)
    assert suggested("zhuo") == ["zhou"]


def test_another_generation_gets_its_lexicon_at_once(archive):
    assert suggested("zhuo") == []
    make_document(title="Zhou Enlai")
    search.rebuild_index()
    assert suggested("zhuo") == ["zhou"]


def test_the_page_links_the_suggestion_keeping_filters(client, archive):
    html = client.get(reverse("web:search"), {"q": "kosigin", "type": "Cable"}).content.decode()
    assert 'Did you mean: <a href="/search/?q=Kosygin&amp;type=Cable">Kosygin</a>?' in html


def test_the_api_lists_suggestions(client, archive):
    data = client.get(reverse("api:search"), {"q": "kosigin", "type": "Cable"}).json()
    assert data["suggestions"] == [{
        "q": "Kosygin", "total": 4,
        "url": "http://testserver/api/v1/search?q=Kosygin&type=Cable"}]
    assert client.get(reverse("api:search"), {"q": "kosygin"}).json()["suggestions"] == []
