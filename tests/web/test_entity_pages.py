"""Pages of people, places, subjects and archives: details and their documents in date order."""

from __future__ import annotations

import re

import pytest

from declassified.archive.models import Document, Person
from tests.factories import (
    make_document,
    make_person,
    make_place,
    make_repository,
    make_subject,
)
from tests.search.conftest import indexed


def titles_in_order(html: str) -> list[str]:
    return re.findall(r'class="doc-title" href="[^"]*">([^<]+)</a>', html)


def test_a_person_page_lists_documents_in_every_role_once(client, db):
    zhou = make_person("Zhou Enlai", variants=["周恩来"], life_dates="1898/1976",
                       wikidata_id="Q16977", description="Premier of the PRC.")
    make_document(title="Both author and mentioned", date="1965-03", authors=[zhou], people=[zhou])
    make_document(title="Mentioned", date="1964", people=[zhou])
    contributed = make_document(title="Contributed", date="")
    contributed.contributors.set([zhou])
    make_document(title="Unrelated")

    indexed()
    html = client.get(zhou.get_absolute_url()).content.decode()

    assert titles_in_order(html) == ["Mentioned", "Both author and mentioned", "Contributed"]
    assert "<h1>Zhou Enlai</h1>" in html
    assert "周恩来" in html and "1898–1976" in html and "Premier of the PRC." in html
    assert 'href="https://www.wikidata.org/wiki/Q16977"' in html


def test_an_organization_says_what_it_is(client, db):
    party = make_person("Communist Party of the Soviet Union", kind=Person.ORGANIZATION)

    indexed()
    html = client.get(party.get_absolute_url()).content.decode()

    assert "<dd>Organization</dd>" in html


def test_a_place_page_shows_its_parent_and_coordinates(client, db):
    china = make_place("China")
    beijing = make_place("Beijing", parent=china, latitude="39.904200", longitude="116.407400")
    make_document(title="From Beijing", places=[beijing])

    indexed()
    html = client.get(beijing.get_absolute_url()).content.decode()

    assert f'<a href="{china.get_absolute_url()}">China</a>' in html
    assert "39.904200, 116.407400" in html
    assert titles_in_order(html) == ["From Beijing"]


def test_a_repository_page_shows_its_details_and_documents(client, db):
    archive = make_repository("Archive of Foreign Policy of the Russian Federation",
                              abbreviation="AVPRF", location="Moscow", url="https://example.org/")
    make_document(title="Held there", repository=archive)

    indexed()
    html = client.get(archive.get_absolute_url()).content.decode()

    assert "AVPRF" in html and "Moscow" in html and 'href="https://example.org/"' in html
    assert titles_in_order(html) == ["Held there"]


def test_entity_pages_hide_drafts_and_withdrawn_documents(
    client, charlie, db, django_assert_max_num_queries
):
    zhou, moscow, topic = make_person(), make_place(), make_subject()
    archive = make_repository()
    tags = dict(authors=[zhou], places=[moscow], subjects=[topic], repository=archive)
    make_document(title="Public", **tags)
    make_document(title="Draft", status=Document.DRAFT, **tags)
    make_document(title="Withdrawn", status=Document.WITHDRAWN, **tags)

    for viewer in (None, charlie):
        if viewer:
            client.force_login(viewer)
        for entity in (zhou, moscow, topic, archive):
            indexed()
            with django_assert_max_num_queries(6):  # 4, plus session and user when logged in
                html = client.get(entity.get_absolute_url()).content.decode()
            assert titles_in_order(html) == ["Public"]
            assert "(1)" in html


def test_editors_see_drafts_on_entity_pages(alice_client, db):
    topic = make_subject()
    make_document(title="Draft", status=Document.DRAFT, subjects=[topic])

    indexed()
    assert "Draft" in titles_in_order(alice_client.get(topic.get_absolute_url()).content.decode())


@pytest.mark.parametrize("route", ["person", "place", "subject", "repository"])
def test_entity_pages_redirect_stale_slugs_and_404_unknown_ids(client, db, route):
    factory = {"person": make_person, "place": make_place, "subject": make_subject,
               "repository": make_repository}[route]
    entity = factory()

    indexed()
    stale = client.get(f"/{route}/{entity.pk}/old-name/")
    current = client.get(f"/{route}/{entity.pk}/{entity.slug}/")

    assert stale.status_code == 301
    assert stale["Location"] == f"/{route}/{entity.pk}/{entity.slug}/"
    assert current.status_code == 200
    assert client.get(f"/{route}/424242/").status_code == 404
    assert client.get(f"/{route}/99999999999999999999999/").status_code == 404
    assert client.get(f"/{route}/{entity.pk}/", {"page": "abc"}).status_code == 400


def test_entity_pages_paginate_with_bounded_queries(client, db, django_assert_max_num_queries):
    zhou = make_person()
    for n in range(55):
        make_document(title=f"Doc {n:02}", date=f"19{n + 10}", authors=[zhou], people=[zhou])

    indexed()
    with django_assert_max_num_queries(4):
        first = client.get(zhou.get_absolute_url()).content.decode()
    second = client.get(zhou.get_absolute_url(), {"page": 2}).content.decode()

    assert len(titles_in_order(first)) == 50
    assert titles_in_order(second) == [f"Doc {n:02}" for n in range(50, 55)]
    assert client.get(zhou.get_absolute_url(), {"page": 3}).status_code == 404
