"""Every value of a facet, a page at a time, searchable: search.facet_values."""

import pytest

from declassified import search
from declassified.archive.models import Document
from declassified.search import InvalidSearch
from tests.factories import make_document, make_person
from tests.search.conftest import indexed

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    """60 people, person n on documents n to 59 (so on 60 - n of them); one draft names a
    secret person."""
    made = [make_person(f"Person {n:02d}" if n != 7 else "Zoë Ångström") for n in range(60)]
    for d in range(60):
        make_document(title=f"Doc {d}", date=f"{1950 + d % 20}", people=made[:d + 1],
                      document_type="Cable" if d % 2 else "Memo")
    secret = make_person("Secret Agent")
    make_document(title="Draft", status=Document.DRAFT, people=[secret])
    indexed()
    return made, secret


def values_of(page):
    return [(v.label, v.count) for v in page.values]


def test_it_pages_through_every_value_most_documents_first(people, anonymous):
    made, secret = people

    first = search.facet_values({}, anonymous, "person")
    second = search.facet_values({}, anonymous, "person", page=2)

    assert first.total == 60 and first.pages == 2
    assert values_of(first)[:2] == [("Person 00", 60), ("Person 01", 59)]
    assert len(first.values) == search.FACET_PAGE_SIZE
    assert values_of(second) == [(f"Person {n:02d}", 60 - n) for n in range(50, 60)]
    assert "Secret Agent" not in [v.label for v in first.values + second.values]


def test_counts_follow_the_search(people, anonymous):
    made, _ = people

    page = search.facet_values({"date_from": "1950", "date_to": "1950", "type": "Memo"},
                               anonymous, "person")

    # documents 0, 20 and 40 are dated 1950 and memos; person n is on documents n and up
    assert values_of(page)[:3] == [("Person 00", 3), ("Person 01", 2), ("Person 02", 2)]
    assert page.total == 41


def test_it_finds_values_by_any_part_of_their_label_ignoring_case_and_accents(people, anonymous):
    assert values_of(search.facet_values({}, anonymous, "person", contains="ZOE angstr")) == [
        ("Zoë Ångström", 53)]
    assert search.facet_values({}, anonymous, "person", contains="angstrom zoe").total == 0
    assert search.facet_values({}, anonymous, "person", contains="person 5").total == 10


def test_selected_and_excluded_values_are_marked(people, anonymous):
    made, _ = people
    chosen, left_out = str(made[3].pk), str(made[59].pk)

    page = search.facet_values({"person": chosen, "not_person": left_out}, anonymous, "person",
                               page=2)

    by_value = {v.value: v for v in page.values}
    assert by_value[left_out].excluded and by_value[left_out].count == 0
    first = search.facet_values({"person": chosen, "not_person": left_out}, anonymous, "person")
    selected = [v for v in first.values if v.selected]
    assert [(v.value, v.count) for v in selected] == [(chosen, 56)]  # 57 documents less the 59th


def test_value_facets_and_editors(people, anonymous, alice):
    _, secret = people
    types = search.facet_values({}, anonymous, "type")
    assert values_of(types) == [("Cable", 30), ("Memo", 30)]
    everything = search.facet_values({"status": "all"}, alice, "person", contains="secret")
    assert values_of(everything) == [("Secret Agent", 1)]
    assert search.facet_values({"status": "all"}, anonymous, "person", contains="secret").total == 0


def test_bad_requests_say_what_is_wrong(people, anonymous):
    with pytest.raises(InvalidSearch, match="no filter"):
        search.facet_values({}, anonymous, "colour")
    with pytest.raises(InvalidSearch, match="at most"):
        search.facet_values({}, anonymous, "person", contains="x" * 500)
