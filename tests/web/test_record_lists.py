"""The documents of a collection, a person, a place, a subject and an archive, listed through
the search scoped to the record: filters, exclusions, sort, search within, bounded queries."""

from __future__ import annotations

import re

import pytest

from declassified.archive.models import Document
from tests.factories import (
    make_collection,
    make_document,
    make_person,
    make_place,
    make_repository,
    make_subject,
)
from tests.search.conftest import indexed

pytestmark = pytest.mark.django_db


def titles(html: str) -> list[str]:
    return re.findall(r'class="doc-title" href="[^"]*">([^<]+)</a>', html)


def total(html: str) -> int:
    found = re.search(r'class="search-total" role="status">(\d+) document', html)
    return int(found.group(1)) if found else 0


@pytest.fixture
def rusk():
    """Dean Rusk on 150 published documents, 1961–1967, a third about Vietnam, every fifth
    also about Laos; a draft and a withdrawn document name him too."""
    person = make_person("Dean Rusk")
    vietnam, laos = make_subject("Vietnam"), make_subject("Laos")
    for n in range(150):
        subjects = [s for s, on in ((vietnam, n % 3 == 0), (laos, n % 5 == 0)) if on]
        make_document(title=f"Rusk cable {n:03d}", date=f"{1961 + n % 7}-0{1 + n % 9}-10",
                      people=[person], subjects=subjects,
                      document_type="Telegram" if n % 2 else "Memorandum")
    make_document(title="Rusk draft", status=Document.DRAFT, people=[person], subjects=[vietnam])
    make_document(title="Rusk withdrawn", status=Document.WITHDRAWN, people=[person])
    make_document(title="Someone else on Vietnam", subjects=[vietnam], date="1965-01-01")
    indexed()
    return person, vietnam, laos


def page_of(record) -> str:
    return f"/{record._meta.model_name}/{record.pk}/{record.slug}/"


def expected(person, **lookups) -> int:
    return Document.objects.filter(status=Document.PUBLISHED, people=person, **lookups).count()


def test_a_person_with_150_documents_is_filtered_by_year_and_subject(
        client, rusk, django_assert_max_num_queries):
    person, vietnam, _ = rusk
    url = person.get_absolute_url()

    with django_assert_max_num_queries(3):  # the person, the hits' first pages (and a spare)
        everything = client.get(url).content.decode()
    filtered = client.get(url, {"date_from": "1965", "date_to": "1965",
                                "subject": vietnam.pk}).content.decode()

    assert total(everything) == 150 and len(titles(everything)) == 50
    assert "Rusk draft" not in everything and "Rusk withdrawn" not in everything
    want = expected(person, date_earliest__year=1965, subjects=vietnam)
    assert total(filtered) == want == 7  # n = 18, 39, … 144: a multiple of 3, 4 more than one of 7
    assert all(title.startswith("Rusk cable") for title in titles(filtered))
    assert "Someone else" not in filtered


def test_a_person_page_excludes_a_subject_and_offers_the_facets_of_its_documents(client, rusk):
    person, vietnam, laos = rusk

    html = client.get(person.get_absolute_url(), {"not_subject": vietnam.pk}).content.decode()

    assert total(html) == expected(person) - expected(person, subjects=vietnam) == 100
    assert 'aria-label="Remove filter Subject: not Vietnam"' in html
    assert f'not_subject={laos.pk}' in html  # Laos can be excluded too
    assert f'href="{page_of(person)}?not_subject={vietnam.pk}&amp;subject={laos.pk}"' in html
    # The person's own value is the page itself: not offered as a filter of it.
    assert f'person={person.pk}' not in html


def test_sorting_and_searching_within_a_person(client, rusk):
    person, _, _ = rusk
    url = person.get_absolute_url()

    newest = titles(client.get(url, {"sort": "-date"}).content.decode())
    by_title = titles(client.get(url, {"sort": "title"}).content.decode())
    found = client.get(url, {"q": "cable 007"}).content.decode()

    assert newest[0] in {f"Rusk cable {n:03d}" for n in range(6, 150, 7)}  # dated 1967
    assert by_title[:2] == ["Rusk cable 000", "Rusk cable 001"]
    assert total(found) >= 1 and "Rusk cable 007" in found.replace("<mark>", "").replace("</mark>", "")
    assert '<option value="relevance" selected>' in found
    assert '<option value="relevance"' not in client.get(url).content.decode()  # no words


@pytest.mark.parametrize("kind", ["collection", "person", "place", "subject", "repository"])
def test_every_record_page_lists_only_its_visible_documents_with_bounded_queries(
        client, charlie, kind, django_assert_max_num_queries):
    record = {"collection": make_collection, "person": make_person, "place": make_place,
              "subject": make_subject, "repository": make_repository}[kind]()
    tag = {"collection": {"collections": [record]}, "person": {"people": [record]},
           "place": {"places": [record]}, "subject": {"subjects": [record]},
           "repository": {"repository": record}}[kind]
    for n in range(30):
        make_document(title=f"Public {n:02d}", date=f"19{60 + n % 10}", document_type=(
            "Memo" if n % 3 else "Letter"), **tag)
    make_document(title="Hidden draft", status=Document.DRAFT, **tag)
    make_document(title="Hidden withdrawn", status=Document.WITHDRAWN, **tag)
    make_document(title="Not tagged")
    indexed()
    url = record.get_absolute_url()

    for viewer in (None, charlie):
        if viewer:
            client.force_login(viewer)
        # the record (a collection: with its related collections, children and glossary),
        # the hits' first pages; a logged-in reader's session and user
        with django_assert_max_num_queries((5 if kind == "collection" else 2) + 2 * bool(viewer)):
            html = client.get(url, {"type": "Letter", "sort": "title"}).content.decode()
        assert titles(html) == [f"Public {n:02d}" for n in range(0, 30, 3)]
        assert "Hidden" not in html and "Not tagged" not in html


def test_editors_see_drafts_marked_and_may_choose_published_only(alice_client):
    topic = make_subject()
    make_document(title="A draft", status=Document.DRAFT, subjects=[topic])
    make_document(title="Out", subjects=[topic])
    indexed()

    html = alice_client.get(topic.get_absolute_url()).content.decode()
    published = alice_client.get(topic.get_absolute_url(), {"status": "published"}).content.decode()

    assert "A draft" in html and '<span class="status-tag">Draft</span>' in html
    assert titles(published) == ["Out"]


def test_a_record_page_has_one_search_box_and_says_what_its_buttons_do(client):
    topic = make_subject()
    make_document(subjects=[topic])
    indexed()

    html = client.get(topic.get_absolute_url()).content.decode()

    assert html.count('type="search"') == 1
    assert '<label for="subject-q">Search within this subject</label>' in html
    assert 'formaction="/search/">Search the whole archive</button>' in html
    assert "Apply filters" in html and "Close filters" in html and "Cancel" not in html


def test_bad_parameters_on_a_record_page_are_a_400_with_the_reason(client):
    topic = make_subject()
    make_document(subjects=[topic])
    indexed()

    response = client.get(topic.get_absolute_url(), {"sort": "random"})

    assert response.status_code == 400
    assert "sort must be one of" in response.content.decode()
    assert client.get(topic.get_absolute_url(), {"not_person": "x"}).status_code == 400
