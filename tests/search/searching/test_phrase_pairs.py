"""Phrases of common words are looked up as word pairs (search/language/pairs.py). They must
find exactly what comparing positions finds: checked here against a brute-force reading of
the documents through the same analyser."""

from __future__ import annotations

import random

import pytest

from declassified.search import parse_query
from declassified.search.engine.storage import live_index
from declassified.search.language.analysis import query_terms
from declassified.search.language.pairs import NO_PAIRS, PairMaker, PairTerms
from declassified.search.searching.compiler import is_term_lookup
from tests.factories import make_document
from tests.search.conftest import add_text, find, indexed

pytestmark = pytest.mark.django_db

# A small vocabulary, so every word is common and pairs are everywhere; "s" and apostrophes
# leave position gaps in the index, which no pair may bridge.
VOCABULARY = ["the", "of", "state", "states", "treaty", "treaties", "Kosygin", "visit",
              "s", "Zhou's", "Moscow", "and"]


def _random_text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(words))


def _has_phrase(text: str, phrase: list[tuple[int, str]]) -> bool:
    at = set(query_terms(text))
    starts = [position for position, term in at if term == phrase[0][1]]
    return any(all((start + offset, term) in at for offset, term in phrase) for start in starts)


@pytest.fixture
def archive():
    rng = random.Random(7)
    documents = []
    for _ in range(40):
        document = make_document(title=_random_text(rng, 8), summary=_random_text(rng, 12))
        add_text(document, _random_text(rng, 60))
        documents.append((document.pk, [document.title, document.summary,
                                        document.texts.get().body]))
    indexed()
    return documents


def test_the_index_chose_common_terms_and_phrases_use_their_pairs(archive):
    common = live_index().common
    assert {"the", "of", "state", "kosygin"} <= common.common <= (common.partners or set())
    item = parse_query('"the state"').positive_items()[0]
    assert is_term_lookup(item, common)
    assert not is_term_lookup(item, NO_PAIRS)
    in_title, in_names = (parse_query(f'{field}:"the state"').positive_items()[0]
                          for field in ("title", "person"))
    assert is_term_lookup(in_title, common)
    assert not is_term_lookup(in_names, common)  # names have no pair twin
    phrase = [(0, "the"), (1, "state")]
    in_titles = {pk for pk, (title, *_) in archive if _has_phrase(title, phrase)}
    assert in_titles and {h.id for h in find('title:"the state"', page_size=100).hits} == in_titles


def test_pair_lookups_find_exactly_the_documents_holding_the_phrase(archive):
    rng = random.Random(11)
    checked = 0
    for _ in range(60):
        words = [rng.choice(VOCABULARY) for _ in range(rng.randint(2, 4))]
        text = " ".join(words)
        phrase = query_terms(text)
        if len(phrase) < 2:
            continue
        expected = {pk for pk, values in archive if any(_has_phrase(v, phrase) for v in values)}
        found = find(f'"{text}"', page_size=100)
        assert {hit.id for hit in found.hits} == expected, text
        assert found.total == len(expected)
        checked += 1
    assert checked > 40


def test_stems_and_possessives_keep_their_phrase_meaning(archive):
    lone = make_document(title="Talks on treaties of states")
    add_text(lone, "After Kosygin's visit to the capital; Zhou and the treaty.")
    indexed()
    assert lone.pk in {hit.id for hit in find('"treaties of states"').hits}
    assert lone.pk in {hit.id for hit in find('"treaty of state"').hits}  # stems
    assert lone.pk in {hit.id for hit in find('"Kosygin\'s visit"').hits}
    assert lone.pk not in {hit.id for hit in find('"Kosygin visit"').hits}  # the gap stays
    # Punctuation leaves no gap, in positions as in pairs.
    assert lone.pk in {hit.id for hit in find('"capital Zhou"').hits}


def test_a_phrase_does_not_match_across_two_texts(archive):
    split = make_document(title="Two texts")
    add_text(split, "ends with the")
    add_text(split, "state begins here", language="fr")
    indexed()
    assert split.pk not in {hit.id for hit in find('"the state begins"').hits}
    assert split.pk in {hit.id for hit in find('"state begins"').hits}


def test_a_common_word_beside_a_rare_one_is_found_by_positions_not_a_pair():
    """Only common terms beside partners (terms in PARTNER_SHARE of the documents) are
    paired; "the" beside a word of one document is a phrase read from positions."""
    rng = random.Random(3)
    rare = {}
    for number in range(30):
        document = make_document(title=f"Report {number}", text="<p>" + _random_text(rng, 40)
                                 + f" the zork{number} of the state</p>")
        rare[number] = document.pk
    indexed()
    terms = live_index().common
    assert terms.partners is not None and "the" in terms.common
    assert "zork7" not in terms.partners
    item = parse_query('"the zork7"').positive_items()[0]
    assert not is_term_lookup(item, terms)
    assert {hit.id for hit in find('"the zork7"').hits} == {rare[7]}
    assert {hit.id for hit in find('"zork7 of the"').hits} == {rare[7]}
    assert len(find('"of the state"', page_size=100).hits) == 30


def test_the_pair_text_holds_only_common_terms_beside_partners():
    maker = PairMaker(PairTerms(frozenset({"the"}), frozenset({"the", "state"})))
    assert maker.pair_text(["the state of the zork"]) == "the_state "
    old = PairMaker(PairTerms(frozenset({"the"}), None))  # a generation saved before partners
    assert old.pair_text(["the state of the zork"]) == "the_state of_the the_zork "
