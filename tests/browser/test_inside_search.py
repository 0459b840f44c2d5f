"""Search inside a document in a real browser: a search result's link opens the viewer at the
hit's page with the word boxed, and the search box finds words and steps between the hits.
The pages are typed and read by real Tesseract, so the boxes are OCR's own."""

from __future__ import annotations

import pytest

from declassified.archive.models import PageText
from declassified.web.views.viewer import viewer_url
from tests.factories import make_document_with_typed_pages

pytestmark = pytest.mark.browser


@pytest.fixture
def talks(transactional_db):
    return make_document_with_typed_pages(
        [["The talks with Zhou began in Peking"], ["Kosygin met Zhou Enlai in Hanoi"]],
        title="Record of the talks in Hanoi")


def word_box(document, number: int, word: str) -> list[int]:
    page = document.pages.order_by("position", "id")[number - 1]
    words = PageText.objects.get(page=page).words
    return next(row[1:5] for row in words if row[0] == word)


def overlay_and_word(tab, box: list[int]) -> dict:
    """The current hit's overlay and the word's box, both in pixels of the viewer's element."""
    return tab.evaluate("""(box) => {
        const viewer = window.declassifiedViewer;
        const overlay = document.querySelector('.hit-box-overlay.hit-current');
        const canvas = viewer.element.getBoundingClientRect();
        const o = overlay.getBoundingClientRect();
        const item = viewer.world.getItemAt(0);
        const a = item.imageToViewerElementCoordinates(new OpenSeadragon.Point(box[0], box[1]));
        const b = item.imageToViewerElementCoordinates(
            new OpenSeadragon.Point(box[0] + box[2], box[1] + box[3]));
        return {overlay: [o.left - canvas.left, o.top - canvas.top, o.right - canvas.left,
                          o.bottom - canvas.top],
                word: [a.x, a.y, b.x, b.y]};
    }""", box)


def wait_for_hits(tab, summary: str) -> None:
    tab.wait_for_function("(text) => document.querySelector('.inside-count').textContent === text",
                          arg=summary)
    tab.wait_for_selector(".hit-box-overlay.hit-current", state="attached")


def wait_for_status(tab, text: str) -> None:
    tab.wait_for_function("(text) => document.querySelector('.viewer-status').textContent === text",
                          arg=text)


def test_a_search_results_link_opens_the_hits_page_with_the_word_boxed(page, talks):
    page.goto(viewer_url(talks.pk, 2, "Kosygin"))
    wait_for_hits(page, "1 hit on 1 page")
    assert page.locator(".viewer-status").inner_text() == "Page 2 of 2"
    assert page.evaluate("window.declassifiedViewer.currentPage()") == 1
    page.wait_for_function("() => window.declassifiedViewer.world.getItemAt(0) && "
                           "window.declassifiedViewer.world.getItemAt(0).getFullyLoaded()")
    found = overlay_and_word(page, word_box(talks, 2, "Kosygin"))
    for drawn, word in zip(found["overlay"], found["word"], strict=True):
        assert abs(drawn - word) <= 4, found
    assert found["overlay"][2] - found["overlay"][0] > 10  # a visible box, not a dot


def test_the_search_box_finds_a_word_and_steps_between_its_hits(page, talks):
    page.goto(viewer_url(talks.pk))
    page.wait_for_function("() => window.declassifiedViewer "
                           "&& window.declassifiedViewer.world.getItemCount() > 0")
    page.get_by_role("searchbox", name="Search in this document").fill("zhou")
    page.get_by_role("searchbox", name="Search in this document").press("Enter")
    wait_for_hits(page, "2 hits on 2 pages")
    position = page.locator(".inside-position")
    assert position.inner_text() == "Hit 1 of 2, page 1"
    first = page.locator(".inside-hits li").first.inner_text()
    assert first == "Page 1: …The talks with Zhou began in Peking…"
    page.get_by_role("button", name="Next hit").click()
    wait_for_status(page, "Page 2 of 2")
    assert position.inner_text() == "Hit 2 of 2, page 2"
    page.wait_for_selector(".hit-box-overlay.hit-current", state="attached")
    page.get_by_role("button", name="Previous hit").click()
    wait_for_status(page, "Page 1 of 2")
    assert position.inner_text() == "Hit 1 of 2, page 1"
    assert "q=zhou" in page.url
