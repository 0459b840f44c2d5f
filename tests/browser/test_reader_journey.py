"""A reader's way through the archive, in a real browser, by clicking what a person clicks."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SEED_COLLECTION, index_now
from tests.factories import make_document

pytestmark = pytest.mark.browser


def test_a_reader_goes_from_home_through_the_collection_to_a_person(page, sample_archive):
    document = sample_archive.document_with_person()
    person = sample_archive.person

    page.goto("/")
    page.get_by_role("main").get_by_role("link", name=SEED_COLLECTION).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED_COLLECTION)
    titles = page.locator(".doc-list .doc-title")
    expect(titles).to_have_count(20)
    assert titles.all_inner_texts() == [d.title for d in sample_archive.documents]

    page.get_by_role("link", name=document.title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(document.title)
    people = page.get_by_role("region", name="People & organizations")
    people.get_by_role("link", name=person.name, exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(person.name)
    expect(page.get_by_role("link", name=document.title, exact=True)).to_be_visible()


def add_documents_to_seed_collection(sample_archive, count: int) -> None:
    """Enough Cables in the seed's collection that its search results run to two pages."""
    for n in range(count):
        make_document(
            title=f"Telegram on the Soviet grain trade, number {n + 1}",
            date=f"19{70 + n % 10}-0{1 + n % 9}-1{n % 10}", document_type="Cable",
            summary="The embassy reports on Soviet grain purchases abroad.",
            collections=[sample_archive.collection],
        )
    index_now()


def test_a_reader_narrows_a_search_with_two_filters_then_sorts_and_pages(page, sample_archive):
    add_documents_to_seed_collection(sample_archive, 15)

    page.goto("/")
    page.get_by_role("main").get_by_role("searchbox").fill("Soviet")  # the page's one box
    page.get_by_role("main").get_by_role("searchbox").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search the archive")
    everything = int(page.locator(".search-total").inner_text().split()[0])

    page.locator("summary.search-filters__toggle").click()
    filters = page.locator(".search-filters")
    filters.get_by_role("region", name="Collection").get_by_role(
        "link", name=SEED_COLLECTION, exact=True).click()
    page.get_by_text("Close filters").wait_for()  # wide: the panel opens with a filter
    filters.get_by_role("region", name="Document type").get_by_role(
        "link", name="Cable", exact=True).click()

    chips = page.locator(".search-chips .chip")
    expect(chips).to_have_count(2)
    cables = int(page.locator(".search-total").inner_text().split()[0])
    assert 15 <= cables < everything
    assert set(page.locator(".search-hits .doc-title").all_inner_texts()) >= {
        "Telegram on the Soviet grain trade, number 1"}

    page.get_by_role("link", name=re.compile("Remove filter Document type")).click()
    expect(chips).to_have_count(1)
    in_collection = int(page.locator(".search-total").inner_text().split()[0])
    assert in_collection > 20 and in_collection >= cables

    page.get_by_label("Sort by").select_option(label="Date (oldest first)")
    page.get_by_role("button", name="Sort").click()
    expect(page).to_have_url(re.compile(r"sort=date"))
    expect(chips).to_have_count(1)  # sorting keeps the filter
    first_page = page.locator(".search-hits .doc-title").all_inner_texts()
    assert len(first_page) == 20

    page.get_by_role("navigation", name="Result pages").get_by_role("link", name="Next").click()
    expect(page.get_by_text(re.compile(r"Page 2 of \d+"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"page=2"))
    second_page = page.locator(".search-hits .doc-title").all_inner_texts()
    assert second_page and not set(second_page) & set(first_page)
    assert page.locator(".search-hits").get_attribute("start") == "21"
    assert_in_date_order(sample_archive, first_page + second_page)


def assert_in_date_order(sample_archive, titles: list[str]) -> None:
    from declassified.archive.models import Document

    earliest = dict(Document.objects.filter(title__in=titles).values_list("title", "date_earliest"))
    days = [earliest[title] for title in titles]
    assert days == sorted(days)
