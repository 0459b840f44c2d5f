"""Excluding a filter's values (not_<name>=…): exact counts against the database, and the
date histogram, the facets and the total agreeing under every combination."""

import itertools

import pytest

from declassified import search
from declassified.archive.models import Document
from declassified.search import InvalidSearch
from declassified.search.searching import complement
from tests.factories import make_collection, make_document, make_person, make_subject
from tests.search.conftest import find, indexed

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged():
    """12 published documents over three years with overlapping people and subjects; a draft
    tagged like all of them that no count may include."""
    war, trade = make_subject("War"), make_subject("Trade")
    rusk, zhou = make_person("Dean Rusk"), make_person("Zhou Enlai")
    volume = make_collection("Volume")
    for n in range(12):
        make_document(title=f"Cable {n}", date=f"{1961 + n % 3}-05-01",
                      subjects=[s for s, on in ((war, n % 2), (trade, n % 3 == 0)) if on],
                      people=[p for p, on in ((rusk, n % 4 != 3), (zhou, n % 5 == 0)) if on],
                      collections=[volume] if n < 8 else [],
                      document_type="Cable" if n % 2 else "Memo")
    make_document(title="Draft", status=Document.DRAFT, subjects=[war, trade], people=[rusk, zhou],
                  collections=[volume])
    indexed()
    return {"war": war, "trade": trade, "rusk": rusk, "zhou": zhou, "volume": volume}


def published(**conditions):
    """Published documents with every relation {name: object} and none of {not_name: object}."""
    documents = Document.objects.filter(status=Document.PUBLISHED)
    for key, value in conditions.items():
        if key.startswith("not_"):
            documents = documents.exclude(**{key[4:]: value})
        else:
            documents = documents.filter(**{key: value})
    return documents.distinct()


def test_excluding_a_subject_leaves_out_every_document_about_it(tagged):
    result = find(not_subject=str(tagged["war"].pk))

    expected = published(not_subjects=tagged["war"])
    assert result.total == expected.count() == 6
    assert {hit.title for hit in result.hits} == {d.title for d in expected}


def test_inclusions_and_exclusions_combine_with_exact_counts(tagged):
    war, trade, rusk, zhou = (tagged[k].pk for k in ("war", "trade", "rusk", "zhou"))
    cases = [
        ({"person": rusk, "not_subject": war}, {"people": tagged["rusk"], "not_subjects": tagged["war"]}),
        ({"subject": trade, "not_person": zhou}, {"subjects": tagged["trade"], "not_people": tagged["zhou"]}),
        ({"not_subject": trade, "not_person": zhou},
         {"not_subjects": tagged["trade"], "not_people": tagged["zhou"]}),
        ({"collection": tagged["volume"].pk, "not_type": "Memo"},
         {"collections": tagged["volume"], "not_document_type": "Memo"}),
    ]
    for params, conditions in cases:
        result = find(**{k: str(v) for k, v in params.items()})
        assert result.total == published(**conditions).count(), params


def test_the_histogram_and_facets_agree_with_the_total_under_exclusions(tagged):
    war, rusk = str(tagged["war"].pk), str(tagged["rusk"].pk)
    combos = [{}, {"not_subject": war}, {"not_person": rusk}, {"person": rusk, "not_subject": war},
              {"not_subject": war, "q": "cable"}, {"not_subject": war, "date_from": "1962"}]
    for params in combos:
        result = find(**params)
        assert sum(bucket.count for bucket in result.date_buckets) == result.total, params
        types = {v.value: v.count for v in result.facets["type"]}
        assert sum(types.values()) == result.total, params  # every document has one type


def test_an_excluded_value_is_listed_as_excluded_and_its_documents_uncounted(tagged):
    war = str(tagged["war"].pk)

    result = find(not_subject=war)

    subjects = {v.value: v for v in result.facets["subject"]}
    assert subjects[war].excluded and subjects[war].count == 0 and not subjects[war].selected
    assert subjects[str(tagged["trade"].pk)].count == published(
        subjects=tagged["trade"], not_subjects=tagged["war"]).count()
    assert result.facets["subject"][-1].value == war  # excluded values come last


def test_every_combination_of_two_exclusions_matches_the_database(tagged):
    values = [("not_subject", "subjects", tagged["war"]), ("not_subject", "subjects", tagged["trade"]),
              ("not_person", "people", tagged["rusk"]), ("not_person", "people", tagged["zhou"])]
    for first, second in itertools.combinations(values, 2):
        params: dict[str, list[str]] = {}
        documents = Document.objects.filter(status=Document.PUBLISHED)
        for param, relation, value in (first, second):
            params.setdefault(param, []).append(str(value.pk))
            documents = documents.exclude(**{relation: value})
        assert find(**params).total == documents.count(), params


def test_old_urls_and_bad_exclusions(tagged):
    assert find(subject=str(tagged["war"].pk)).total == published(subjects=tagged["war"]).count()
    with pytest.raises(InvalidSearch, match="not_person takes record numbers"):
        find(not_person="Rusk")
    with pytest.raises(InvalidSearch, match="not_subject may be given at most"):
        find(not_subject=[str(n) for n in range(1, 60)])


@pytest.mark.parametrize("q", ["", "cable"])
def test_leaving_out_a_few_documents_counts_the_same_through_the_complement(
        tagged, monkeypatch, q):
    """A search leaving out a few documents is counted as everything minus what it leaves
    out (complement.py); both ways give the database's counts."""
    zhou = tagged["zhou"]
    expected = published(not_people=zhou)
    answers = []
    for share in (0.0, 1.5):  # always through the complement; never
        monkeypatch.setattr(complement, "COMPLEMENT_SHARE", share)
        search.clear_caches()
        result = find(q, not_person=str(zhou.pk))
        assert result.total == expected.count() == 9
        subjects = {v.value: v.count for v in result.facets["subject"]}
        assert subjects == {str(s.pk): n for s in (tagged["war"], tagged["trade"])
                            if (n := expected.filter(subjects=s).count())}
        people = {v.value: (v.count, v.excluded) for v in result.facets["person"]}
        assert people == {str(tagged["rusk"].pk): (expected.filter(people=tagged["rusk"]).count(),
                                                   False), str(zhou.pk): (0, True)}
        answers.append((result.total, result.facets, result.date_buckets))
    assert answers[0] == answers[1]
