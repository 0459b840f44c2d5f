"""The Content-Security-Policy breaks no page: Swagger UI, the API reference, the search page
with its date histogram and the reading pages work in a browser that enforces it (the `page`
fixture fails a test on any blocked script, style or image)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_every_operation_under_the_policy(page, db):
    response = page.goto("/api/v1/docs/swagger")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 5
    page.locator(".opblock-summary").first.click()  # expands, as a reader trying a call does
    page.locator(".opblock-body").first.wait_for()


def test_the_api_reference_is_styled_from_its_stylesheet(page, db):
    page.goto("/api/v1/docs")
    border = page.locator(".api-op").first.evaluate("e => getComputedStyle(e).borderTopStyle")
    assert border == "solid"


def test_the_search_histogram_draws_its_bars_without_style_attributes(page, sample_archive):
    page.goto("/search/?q=")
    page.locator("summary.search-filters__toggle").click()
    bars = page.locator(".histogram__bar rect")
    assert bars.count() > 1
    widths = [float(bars.nth(i).get_attribute("width")) for i in range(bars.count())]
    assert max(widths) == 100 and min(widths) >= 1
    drawn = bars.first.evaluate("e => e.getBoundingClientRect().width")
    assert drawn > 0


def test_the_reading_pages_load_under_the_policy(page, sample_archive):
    page.goto("/")
    page.goto(sample_archive.collection.get_absolute_url())
    page.goto(sample_archive.documents[0].get_absolute_url())
    assert page.locator("h1").first.is_visible()
