"""The search page's exclusions and the page of every value of a filter, over HTTP."""

import re

import pytest
from django.urls import reverse

from declassified.archive.models import Document
from tests.factories import make_document, make_person, make_subject
from tests.search.conftest import indexed

pytestmark = pytest.mark.django_db
SEARCH = reverse("web:search")


def values_url(name: str) -> str:
    return reverse("web:search-facet", args=[name])


@pytest.fixture
def crowd():
    """25 people: person n named on documents n..24 (25 - n documents); subjects War (even
    documents) and Trade (every third); a draft names a secret person."""
    people = [make_person(f"Person {n:02d}") for n in range(25)]
    war, trade = make_subject("War"), make_subject("Trade")
    for d in range(25):
        make_document(title=f"Cable {d}", date=f"{1960 + d % 5}", people=people[:d + 1],
                      subjects=[s for s, on in ((war, d % 2 == 0), (trade, d % 3 == 0)) if on])
    make_document(title="Draft", status=Document.DRAFT, people=[make_person("Secret Agent")])
    indexed()
    return people, war, trade


def total(html: str) -> int:
    found = re.search(r'class="search-total" role="status">(\d+) ', html)
    return int(found.group(1)) if found else 0


def test_a_not_link_excludes_a_value_and_its_chip_brings_it_back(client, crowd):
    _, war, trade = crowd
    html = client.get(SEARCH).content.decode()
    link = f'{SEARCH}?not_subject={war.pk}'
    assert f'href="{link}"' in html
    assert 'not<span class="visually-hidden">: leave out Subject: War</span>' in html

    excluded = client.get(SEARCH, {"not_subject": war.pk}).content.decode()

    assert total(excluded) == 12  # the odd documents
    assert 'aria-label="Remove filter Subject: not War"' in excluded
    chip = re.search(r'<a class="chip chip--not" href="([^"]+)"', excluded).group(1)
    assert chip == SEARCH
    assert 'undo<span class="visually-hidden">: stop leaving out Subject: War</span>' in excluded
    assert "Filters (1 active)" in excluded
    # choosing an excluded value's opposite replaces the exclusion
    both = client.get(SEARCH, {"not_subject": war.pk, "subject": war.pk}).content.decode()
    assert total(both) == 0


def test_the_histogram_and_counts_agree_under_an_exclusion(client, crowd):
    _, war, _ = crowd
    html = client.get(SEARCH, {"not_subject": war.pk, "date_from": "1961", "date_to": "1963"}
                      ).content.decode()
    counts = [int(n) for n in re.findall(r'class="histogram__count">(\d+)<', html)]
    assert sum(counts) == total(html) == len([d for d in range(25) if d % 2 and 1 <= d % 5 <= 3])


def test_a_facet_with_more_values_links_to_all_of_them(client, crowd, django_assert_max_num_queries):
    people, war, _ = crowd
    html = client.get(SEARCH, {"subject": war.pk}).content.decode()
    all_url = f'{values_url("person")}?subject={war.pk}'
    assert f'href="{all_url}"' in html

    with django_assert_max_num_queries(0):  # counts and labels from the index alone
        first = client.get(values_url("person"), {"subject": war.pk}).content.decode()
    found = client.get(values_url("person"), {"subject": war.pk, "q_value": "person 2"}
                       ).content.decode()

    assert "25 values" in first and "Page 1 of" not in first  # all are on document 24
    assert re.findall(r">(Person \d\d)</a>", first)[:2] == ["Person 00", "Person 01"]
    assert f'href="{SEARCH}?subject={war.pk}&amp;person={people[0].pk}"' in first
    assert f'href="{SEARCH}?subject={war.pk}&amp;not_person={people[0].pk}"' in first
    assert client.get(values_url("person"), {"subject": war.pk, "page": 2}).status_code == 404
    assert "5 values containing “person 2”" in found and "Person 24" in found
    assert "Secret Agent" not in first


def test_values_pages_scoped_to_a_record_link_back_to_it(client, crowd):
    people, war, _ = crowd
    person = people[3]

    html = client.get(values_url("subject"), {"within": f"person:{person.pk}"}).content.decode()

    assert f'href="{person.get_absolute_url()}?subject={war.pk}"' in html
    assert f'href="{person.get_absolute_url()}"' in html  # back to its documents
    assert client.get(values_url("subject"), {"within": "person:999999"}).status_code == 404
    assert client.get(values_url("subject"), {"within": "nonsense"}).status_code == 404


def test_bad_values_requests_are_clear(client, crowd):
    assert client.get(values_url("colour")).status_code == 404
    response = client.get(values_url("person"), {"page": "x"})
    assert response.status_code == 400 and "whole number" in response.content.decode()
    assert client.get(values_url("person"), {"sort": "random"}).status_code == 400
    assert client.get(values_url("person"), {"q_value": "x" * 300}).status_code == 400
    assert client.get(values_url("person"), {"q_value": "\x00"}).status_code == 200
