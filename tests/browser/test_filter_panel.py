"""The filter panel on a phone (375 × 812): the results come first, the open panel covers
them, its buttons say what they do, and axe finds nothing with the panel open or closed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 812}

# Whether the element at the centre of the first result belongs to the open filter panel.
COVERED = """() => {
  const first = document.querySelector('.search-hits li');
  const box = first.getBoundingClientRect();
  const top = document.elementFromPoint(box.left + box.width / 2,
                                        Math.min(box.top + box.height / 2, innerHeight - 1));
  return Boolean(top && top.closest('details.search-filters'));
}"""


def first_result_is_above_the_fold(tab) -> bool:
    """Its top, and the first lines of it, inside the viewport."""
    box = tab.locator(".search-hits li").first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= PHONE["height"]


def check_phone_panel(tab, url: str, screenshot_dir, name: str) -> None:
    """On a record's page the record comes first: its list of documents is then scrolled to
    the top, and the first document must show with the filters closed."""
    tab.set_viewport_size(PHONE)
    tab.goto(url)
    panel = tab.locator("details.search-filters")
    expect(panel).not_to_have_attribute("open", re.compile(".*"))
    if tab.locator("#documents-h").count():
        tab.locator("#documents-h").evaluate("heading => heading.scrollIntoView()")
    tab.screenshot(path=screenshot_dir / f"{name}-phone-filters-closed.png")
    assert first_result_is_above_the_fold(tab), f"{url}: the first result is below the fold"
    assert axe_violations(tab) == [], url

    tab.locator("summary.search-filters__toggle").click()
    expect(tab.get_by_role("button", name="Apply filters")).to_be_visible()
    box = panel.bounding_box()
    assert box and box["x"] <= 0 and box["y"] <= 0
    assert box["width"] >= PHONE["width"] - 1 and box["height"] >= PHONE["height"] - 1
    assert tab.evaluate(COVERED), f"{url}: the open panel does not cover the results"
    tab.screenshot(path=screenshot_dir / f"{name}-phone-filters-open.png")
    assert axe_violations(tab) == [], f"{url} with the panel open"

    tab.get_by_role("button", name="Close", exact=True).click()  # the script's button
    expect(panel).not_to_have_attribute("open", re.compile(".*"))
    assert tab.evaluate("() => document.activeElement.tagName") == "SUMMARY"


def test_the_search_pages_filters_open_over_the_results_on_a_phone(
        page, sample_archive, screenshot_dir):
    check_phone_panel(page, "/search/?q=Soviet", screenshot_dir, "search")


def test_record_pages_filters_open_over_their_documents_on_a_phone(
        page, sample_archive, screenshot_dir):
    check_phone_panel(page, sample_archive.collection.get_absolute_url(), screenshot_dir,
                      "collection")
    check_phone_panel(page, sample_archive.person.get_absolute_url(), screenshot_dir, "person")


def test_applying_dates_on_a_phone_filters_and_shows_the_results_first(page, sample_archive):
    page.set_viewport_size(PHONE)
    page.goto("/search/?q=Soviet")
    everything = int(page.locator(".search-total").inner_text().split()[0])
    year = sample_archive.documents[0].date_earliest.year

    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("From (e.g. 1962, 1965-03)").fill(str(year))
    page.get_by_label("To", exact=True).fill(str(year))
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(rf"date_from={year}&date_to={year}"))
    narrowed = int(page.locator(".search-total").inner_text().split()[0])
    assert 0 < narrowed < everything
    expect(page.get_by_text("Filters (2 active)")).to_be_visible()
    assert first_result_is_above_the_fold(page)  # the panel stays closed on a phone
    page.get_by_text("Filters (2 active)").click()
    page.locator(".search-filters__clear").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=Soviet$"))


def test_escape_closes_the_open_panel(page, sample_archive):
    page.set_viewport_size(PHONE)
    page.goto("/search/?q=Soviet")
    page.get_by_text("Filters", exact=True).click()
    expect(page.get_by_role("button", name="Apply filters")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Apply filters")).to_be_hidden()
