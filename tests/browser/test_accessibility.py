"""WCAG 2.0/2.1/2.2 A and AA: axe-core finds nothing on any page a reader or editor meets.

Each test visits a group of pages and reports every page's violations at once, so one run
shows everything that needs fixing.
"""

from __future__ import annotations

from pprint import pformat

import pytest

from declassified.archive.models import Revision
from tests.browser.conftest import axe_violations, log_in

pytestmark = pytest.mark.browser


def assert_accessible(tab, urls: list[str], *, open_filters: bool = False) -> None:
    """Fails listing every page's violations (a page that fails to load counts as one)."""
    found = {}
    for url in urls:
        response = tab.goto(url)
        if open_filters:
            tab.locator("summary.search-filters__toggle").click()
        problems = axe_violations(tab)
        if response is None or response.status >= 500:
            problems.append({"id": "http", "help": f"status {response and response.status}"})
        if problems:
            found[url] = problems
    assert not found, pformat(found, width=100)


def test_reader_pages_have_no_axe_violations(page, sample_archive, long_document):
    plain_document = sample_archive.documents[0]
    urls = [
        "/", "/collections/", sample_archive.collection.get_absolute_url(),
        long_document.get_absolute_url(), plain_document.get_absolute_url(),
        "/search/help/", "/document/999999/",
    ]
    assert_accessible(page, urls)


def test_entity_pages_have_no_axe_violations(page, sample_archive, long_document):
    urls = [sample_archive.person.get_absolute_url()]
    urls += [entity.get_absolute_url() for entity in (
        long_document.places.first(), long_document.subjects.first(), long_document.repository)]
    assert_accessible(page, urls)


def test_search_pages_have_no_axe_violations(page, sample_archive):
    collection = sample_archive.collection.pk
    with_results = ["/search/?q=Soviet", f"/search/?q=Soviet&collection={collection}&sort=date",
                    "/search/?q=zzzzzz", '/search/?q="unbalanced',
                    f"/search/facet/person/?q=Soviet&not_collection={collection}",
                    f"/search/facet/type/?within=collection:{collection}&q_value=e"]
    assert_accessible(page, with_results)
    assert_accessible(page, ["/search/?q=Soviet", "/search/"], open_filters=True)


def test_editor_pages_have_no_axe_violations(page, alice, sample_archive, long_document):
    assert_accessible(page, ["/admin/login/"])
    log_in(page, "alice")
    document = f"/admin/archive/document/{long_document.pk}"
    first = Revision.objects.of_document(long_document.pk).order_by("id").first()
    urls = [
        "/admin/", "/admin/archive/document/", "/admin/archive/document/?status__exact=published",
        f"{document}/change/", "/admin/archive/document/add/", f"{document}/history/",
        f"{document}/history/{first.pk}/restore/", "/admin/archive/revision/",
        f"/admin/archive/collection/{sample_archive.collection.pk}/change/",
        f"/admin/archive/person/{sample_archive.person.pk}/change/",
        # Pages and originals: sample 3 has a generated facsimile of three pages.
        f"{document}/originals/", "/admin/archive/document/3/originals/",
    ]
    assert_accessible(page, urls)
