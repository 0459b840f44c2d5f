"""Names in all their spellings: a search for one spelling of a person or place finds the
documents that write another, in text as in tags, and says what else it searched."""

from __future__ import annotations

import pytest
from django.urls import reverse

from declassified.archive import actions
from declassified.archive.models import Document, Person
from tests.factories import FACTORY, make_document, make_person, make_place
from tests.search.conftest import find, ids, indexed

pytestmark = pytest.mark.django_db
URL = reverse("web:search")
API = reverse("api:search")


@pytest.fixture
def archive():
    """Zhou Enlai, Beijing and Kosygin as the samples name them, and documents that spell
    them otherwise in their texts only (no tags)."""
    make_person("Zhou Enlai")
    make_person("Aleksei Kosygin")
    make_place("Beijing")
    docs = {
        "zhou": make_document(title="Talk in the capital", text="<p>Zhou Enlai received him.</p>"),
        "chou": make_document(title="Cable", text="<p>Chou En-lai said no.</p>"),
        "hanzi": make_document(title="电报", text="<p>周恩来总理接见了他。</p>"),
        "peking": make_document(title="Report", text="<p>The talks in Peking went on.</p>"),
        "beijing": make_document(title="Note", text="<p>Arrived in Beijing at noon.</p>"),
        "russian": make_document(title="Запись беседы", text="<p>Косыгин ответил.</p>"),
        "other": make_document(title="Unrelated", text="<p>Nothing about them.</p>"),
        "draft": make_document(title="Draft", status=Document.DRAFT,
                               text="<p>Zhou Enlai in a draft.</p>"),
    }
    indexed()
    return docs


def found(q: str, **params) -> set[int]:
    return ids(find(q, **params))


def test_a_wade_giles_name_finds_the_pinyin_and_the_characters_in_text(archive):
    assert found("Chou En-lai") == {archive[k].id for k in ("zhou", "chou", "hanzi")}
    assert found('"Chou En-lai"') == {archive[k].id for k in ("zhou", "chou", "hanzi")}


def test_the_pinyin_name_finds_the_wade_giles_one(archive):
    assert found("Zhou Enlai") == {archive[k].id for k in ("zhou", "chou", "hanzi")}


def test_peking_finds_beijing_and_the_other_way_round(archive):
    assert found("Peking") == {archive["peking"].id, archive["beijing"].id}
    assert found("Beijing") == {archive["peking"].id, archive["beijing"].id}


def test_kosygin_finds_the_cyrillic_spelling(archive):
    assert archive["russian"].id in found("Kosygin")
    assert found("Косыгин") == {archive["russian"].id}


def test_the_result_says_what_else_was_searched(archive):
    result = find("Chou En-lai")
    assert "Zhou Enlai" in result.expanded and "周恩来" in result.expanded
    assert "Chou En-lai" not in result.expanded


def test_literal_searches_only_the_words_typed(archive):
    result = find("Chou En-lai", literal="1")
    assert ids(result) == {archive["chou"].id}
    assert result.expanded == [] and result.total == 1


def test_counts_and_filters_agree_with_the_expanded_hits(archive):
    result = find("Peking", date_from="1960", date_to="1970")
    assert result.total == len(result.hits) == 2
    assert find("Peking -noon").total == 1


def test_other_words_still_must_match(archive):
    assert found("Chou En-lai received") == {archive["zhou"].id}


def test_names_inside_or_and_parentheses_are_expanded_but_not_under_not(archive):
    assert found("Kosygin OR Peking") == {archive[k].id for k in ("russian", "peking", "beijing")}
    assert found("(Chou En-lai) AND received") == {archive["zhou"].id}
    assert archive["beijing"].id in found("arrived -Peking")
    assert found("arrived -Beijing") == set()


def test_drafts_stay_hidden_whatever_the_spelling(archive):
    assert archive["draft"].id not in found("Chou En-lai")


def test_an_ordinary_word_is_not_expanded(archive):
    result = find("Nothing")
    assert result.expanded == [] and ids(result) == {archive["other"].id}


def test_the_other_spellings_are_highlighted(archive):
    hit = next(h for h in find("Chou En-lai").hits if h.id == archive["zhou"].id)
    assert "<mark>Zhou</mark>" in hit.snippet


def test_a_variant_an_editor_adds_is_searched_after_the_next_index_commit(archive):
    person = Person.objects.get(name="Zhou Enlai")
    person.variants = [*person.variants, "Premier Zhou"]
    actions.do_save_entity(person, **FACTORY)
    make_document(title="Minutes", text="<p>Premier Zhou spoke first.</p>")
    indexed()
    assert "Premier Zhou" in find("Chou En-lai").expanded


def test_the_page_says_also_searched_and_links_the_literal_search(client, archive,
                                                                  django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get(URL, {"q": "Peking"})
    html = response.content.decode()
    assert "Also searched: Beijing" in html and "北京" in html
    assert "literal=1" in html and "Search only the words you typed" in html
    literal = client.get(URL, {"q": "Peking", "literal": "1"}).content.decode()
    assert "1 document" in literal and "Also searched" not in literal
    assert "Search other spellings of names too" in literal


def test_the_api_lists_the_expanded_spellings(client, archive):
    data = client.get(API, {"q": "Peking"}).json()
    assert data["total"] == 2 and "Beijing" in data["expanded"]
    assert client.get(API, {"q": "Peking", "literal": "1"}).json()["expanded"] == []


def test_a_bad_literal_value_is_a_clear_400(client, archive):
    response = client.get(API, {"q": "Peking", "literal": "yes"})
    assert response.status_code == 400 and "literal" in response.json()["error"]
    assert client.get(URL, {"q": "Peking", "literal": "yes"}).status_code == 400
