"""Filters and their counts, checked against brute-force counts from the database."""

import itertools
import random

import pytest

from declassified import search
from declassified.archive import actions
from declassified.archive.models import Document, Language
from declassified.search import InvalidSearch, parse_query
from declassified.search.engine import storage
from declassified.search.searching import complement
from tests.factories import make_collection, make_document, make_person, make_subject
from tests.search.conftest import add_text, find, ids, indexed

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    """40 documents with seeded random tags; a few drafts that must never be counted."""
    rng = random.Random(7)
    collections = [make_collection(f"Collection {n}") for n in range(3)]
    people = [make_person(f"Person {n}") for n in range(4)]
    subjects = [make_subject(f"Subject {n}") for n in range(3)]
    ru, _ = Language.objects.get_or_create(code="ru", defaults={"name": "Russian"})
    for n in range(40):
        status = Document.DRAFT if n % 9 == 0 else Document.PUBLISHED
        document = make_document(  # arguments in this order: the seeded draws stay the same
            title=f"Cable {n}", status=status, date=f"{1960 + n % 7}-0{1 + n % 3}-15",
            document_type=rng.choice(["Cable", "Minutes", "Letter"]),
            classification=rng.choice(["", "Secret", "Top Secret"]),
            collections=rng.sample(collections, rng.randint(0, 2)),
            people=rng.sample(people, rng.randint(0, 3)),
            subjects=rng.sample(subjects, rng.randint(0, 2)),
        )
        if n % 2:
            actions.do_set_document_tags(document, {"languages": [ru]}, acting_user=None, via="test")
    indexed()
    return {"collection": collections, "person": people, "subject": subjects}


def brute_count(**lookups) -> int:
    """Published documents matching every {relation: [objects]} (ORed within one relation)."""
    queryset = Document.objects.filter(status=Document.PUBLISHED)
    for name, values in lookups.items():
        queryset = queryset.filter(**{f"{name}__in": values})
    return queryset.distinct().count()


def test_facet_counts_match_the_database(corpus):
    result = find()
    assert result.total == brute_count()
    for name, relation in (("collection", "collections"), ("person", "people"),
                           ("subject", "subjects")):
        counts = {int(v.value): v.count for v in result.facets[name]}
        expected = {o.pk: brute_count(**{relation: [o]}) for o in corpus[name]}
        assert counts == {pk: n for pk, n in expected.items() if n}
    types = {v.value: v.count for v in result.facets["type"]}
    assert types == {
        t: Document.objects.filter(status="published", document_type=t).count()
        for t in ("Cable", "Minutes", "Letter")
        if Document.objects.filter(status="published", document_type=t).exists()
    }
    languages = {v.value: (v.label, v.count) for v in result.facets["language"]}
    assert languages == {"ru": ("Russian", brute_count(languages=["ru"]))}


def test_values_of_one_filter_or_and_different_filters_and(corpus):
    c0, c1 = corpus["collection"][:2]
    p0 = corpus["person"][0]
    either = find(collection=[str(c0.pk), str(c1.pk)])
    assert either.total == brute_count(collections=[c0, c1])
    both = find(collection=[str(c0.pk), str(c1.pk)], person=str(p0.pk))
    assert both.total == brute_count(collections=[c0, c1], people=[p0])
    assert ids(both) == set(
        Document.objects.filter(status="published", collections__in=[c0, c1], people=p0)
        .values_list("id", flat=True)
    )


def test_an_active_filter_still_counts_its_other_values(corpus):
    c0 = corpus["collection"][0]
    p0 = corpus["person"][0]
    result = find(collection=str(c0.pk), person=str(p0.pk))
    counts = {int(v.value): (v.count, v.selected) for v in result.facets["collection"]}
    for collection in corpus["collection"]:
        expected = brute_count(collections=[collection], people=[p0])
        if expected:
            assert counts[collection.pk] == (expected, collection == c0)
    people = {int(v.value): v.count for v in result.facets["person"]}
    for person in corpus["person"]:
        expected = brute_count(collections=[c0], people=[person])
        assert people.get(person.pk, 0) == expected


def test_a_lone_filter_counts_its_other_values_over_everything(corpus):
    p0 = corpus["person"][0]
    find()  # the browse-all counts are cached (and saved by the indexer): they are reused
    result = find(person=str(p0.pk))
    assert result.total == brute_count(people=[p0])
    people = {int(v.value): (v.count, v.selected) for v in result.facets["person"]}
    assert people == {
        person.pk: (brute_count(people=[person]), person == p0)
        for person in corpus["person"] if brute_count(people=[person])
    }
    collections = {int(v.value): v.count for v in result.facets["collection"]}
    assert collections == {
        c.pk: brute_count(people=[p0], collections=[c])
        for c in corpus["collection"] if brute_count(people=[p0], collections=[c])
    }


def test_every_pair_of_filters_counts_like_the_database(corpus):
    for (a, rel_a), (b, rel_b) in itertools.combinations(
        [("collection", "collections"), ("person", "people"), ("subject", "subjects")], 2
    ):
        for x, y in itertools.product(corpus[a][:2], corpus[b][:2]):
            result = find(**{a: str(x.pk), b: str(y.pk)})
            assert result.total == brute_count(**{rel_a: [x], rel_b: [y]})


def test_value_filters_type_classification_and_languages(corpus):
    assert find(type="Cable").total == Document.objects.filter(
        status="published", document_type="Cable").count()
    assert find(type=["Cable", "Letter"]).total == Document.objects.filter(
        status="published", document_type__in=["Cable", "Letter"]).count()
    assert find(classification="Secret").total == Document.objects.filter(
        status="published", classification="Secret").count()
    assert find(language="ru").total == brute_count(languages=["ru"])


def test_unknown_filter_values_match_nothing(corpus):
    assert find(collection="999999").total == 0
    assert find(type="No such type").total == 0
    values = find(collection="999999").facets["collection"]
    assert [(v.value, v.count) for v in values if v.selected] == [("999999", 0)]
    assert all(v.count > 0 for v in values if not v.selected)  # the others stay choosable


def test_filters_reject_malformed_record_numbers(corpus):
    with pytest.raises(InvalidSearch, match="collection takes record numbers"):
        find(collection="abc")


def test_translation_language_filter():
    document = make_document(title="Minutes")
    add_text(document, "Translated text", language="en")
    add_text(document, "Оригинал", language="ru", kind="transcript")
    make_document(title="Minutes without translation")
    indexed()
    assert ids(find(translation_language="en")) == {document.pk}
    assert find(translation_language="ru").total == 0
    assert ids(find(language="ru")) == {document.pk}


def test_the_date_range_rule_within_and_overlap():
    exact = make_document(title="Day", date="1965-03-05")
    year = make_document(title="Year", date="1965")
    circa = make_document(title="Circa", date="1965-03~")
    span = make_document(title="Span", date="1964/1965")
    undated = make_document(title="Undated", date="")
    indexed()
    assert ids(find(date_from="1965", date_to="1965")) == {exact.pk, year.pk, circa.pk}
    assert ids(find(date_from="1965-03", date_to="1965-03")) == {exact.pk, circa.pk}
    assert ids(find(date_from="1965-03", date_to="1965-03", date_match="overlap")) == {
        exact.pk, year.pk, circa.pk, span.pk}
    assert ids(find(date_from="1964")) == {exact.pk, year.pk, circa.pk, span.pk}
    assert ids(find(date_to="1964-12-31", date_match="overlap")) == {span.pk}
    assert undated.pk not in ids(find(date_from="1900"))


def test_the_date_histogram_drills_down_from_decades_to_months():
    for date in ("1958-05-01", "1964-12-29", "1965-02-06", "1965-03-05", "1965-03-06"):
        make_document(title="Cable", date=date)
    make_document(title="Cable", date="1964/1965")  # in the decade, in no single year
    indexed()
    decades = find()
    assert decades.date_level == "decade"
    assert [(b.value, b.label, b.count) for b in decades.date_buckets] == [
        ("195X", "1950s", 1), ("196X", "1960s", 5)]
    years = find(date_from="196X", date_to="196X")
    assert [(b.label, b.count) for b in years.date_buckets] == [("1964", 1), ("1965", 3)]
    months = find(date_from="1965", date_to="1965")
    assert [(b.value, b.count) for b in months.date_buckets] == [("1965-02", 1), ("1965-03", 2)]
    assert find(date_from="1965-03", date_to="1965-03").total == 2


def test_bad_parameters_are_refused_with_a_message():
    for params, message in [
        ({"sort": "random"}, "sort must be one of"),
        ({"page": "0"}, "page must be a whole number"),
        ({"page": "two"}, "page must be a whole number"),
        ({"page_size": "101"}, "page_size may be at most 100"),
        ({"date_from": "1965-13"}, "date_from"),
        ({"date_from": "1966", "date_to": "1965"}, "date_from is after date_to"),
        ({"date_match": "near"}, "date_match"),
        ({"page": "600"}, "first 10,000 results"),
    ]:
        with pytest.raises(InvalidSearch, match=message):
            find(**params)


def test_a_selected_value_outside_the_top_ten_keeps_its_label():
    people = [make_person(f"Person {n}") for n in range(12)]
    for n, person in enumerate(people[:11]):
        for _ in range(2 if n < 10 else 1):
            make_document(title="Cable", people=[person])
    indexed()
    rare, unused = people[10], people[11]
    values = find(person=[str(rare.pk), str(unused.pk)]).facets["person"]
    selected = {v.value: (v.label, v.count) for v in values if v.selected}
    assert selected == {str(rare.pk): ("Person 10", 1), str(unused.pk): (str(unused.pk), 0)}


def test_counts_of_a_word_in_most_documents_come_out_right_through_the_complement(
        corpus, monkeypatch):
    """Words in most documents are counted as everything minus what they leave out."""
    for document in Document.objects.order_by("id"):
        if document.pk % 10 < 7:
            add_text(document, f"The embassy reports on cable {document.pk}.")
    search.rebuild_index()  # chooses the common terms afresh: now "the" and "embassy"
    live = storage.live_index()
    published = Document.objects.filter(status="published")
    # With the complement's top values cut to one, most facets need a value beyond them and
    # are counted directly instead.
    for q, top in (("embassy", 300), ('"the embassy"', 300), ("embassy", 1)):
        monkeypatch.setattr(complement, "COMPLEMENT_TOP", top)
        search.clear_caches()
        bound = complement.match_lower_bound(live.index.searcher(), parse_query(q), live.common)
        assert complement.complement_is_cheaper(bound, published.count()), q  # the complement way
        result = find(q)
        matching = published.filter(texts__body__contains="embassy")
        assert result.total == matching.count()
        for name, relation in (("collection", "collections"), ("person", "people"),
                               ("subject", "subjects")):
            counts = {int(v.value): v.count for v in result.facets[name]}
            expected = {o.pk: matching.filter(**{relation: o}).count() for o in corpus[name]}
            assert counts == {pk: n for pk, n in expected.items() if n}, (q, name)
        types = {v.value: v.count for v in result.facets["type"]}
        assert types == {t: n for t in ("Cable", "Minutes", "Letter")
                         if (n := matching.filter(document_type=t).count())}
        years = {b.value: b.count for b in result.date_buckets}
        assert sum(years.values()) == matching.count()
        assert years == {b.value: b.count for b in find(q, type=["Cable", "Minutes", "Letter"]
                                                        ).date_buckets}
