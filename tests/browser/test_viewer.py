"""The Original tab in a real browser: OpenSeadragon over the IIIF image server, the text
beside it, keyboard and thumbnails, a phone's width, axe-core and the Content-Security-Policy
(the `page` fixture fails a test on any blocked script, style or image)."""

from __future__ import annotations

from pprint import pformat

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.factories import make_document_with_pages, make_language, make_text

pytestmark = pytest.mark.browser

PAGES = 20
ENGLISH = "".join(f"<p>Paragraph {n} of the English translation about the border talks.</p>"
                  for n in range(1, 80))
RUSSIAN = "<p>Совершенно секретно. Товарищу Косыгину.</p>"


@pytest.fixture
def memorandum(transactional_db):
    """A Russian original of twenty scanned pages with its transcript and English translation."""
    document = make_document_with_pages(PAGES, title="Memorandum to Kosygin on the border talks")
    document.languages.set([make_language("ru", "Russian")])
    make_text(document, RUSSIAN, kind="transcript", language="ru")
    make_text(document, ENGLISH, kind="translation", language="en")
    return document


def open_viewer(tab, document) -> dict:
    """Go to the document page; wait until the first page is drawn. Returns the browser's
    timings in ms from navigation start."""
    tab.goto(document.get_absolute_url())
    tab.wait_for_function("() => performance.getEntriesByName('viewer:first-page-loaded').length > 0")
    return tab.evaluate("""() => ({
        firstTile: performance.getEntriesByName('viewer:first-tile-drawn')[0].startTime,
        firstPage: performance.getEntriesByName('viewer:first-page-loaded')[0].startTime,
        domContentLoaded: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
    })""")


def status(tab) -> str:
    return tab.locator(".viewer-status").inner_text()


def test_the_first_page_of_twenty_is_drawn_within_a_second(page, memorandum):
    """Each attempt is a first open: a document whose images, info.json and tiles were never
    asked for (a new one for each attempt), on a warm server (the page's HTML asked for once:
    templates compiled), as any reader but the very first meets it. On this shared 2-core
    machine one open in a while stalls behind other work (seen once in CI: the HTML itself
    took 584 ms), so a stalled open is tried again, at most twice, on another cold document;
    every attempt is printed."""
    attempts = []
    for document in [memorandum, None, None]:
        document = document or make_document_with_pages(PAGES, title="Another twenty pages")
        assert page.request.get(document.get_absolute_url()).ok
        timings = open_viewer(page, document)
        attempts.append(timings)
        print(f"\nviewer first_tile_ms={timings['firstTile']:.0f} "
              f"first_page_ms={timings['firstPage']:.0f} dcl_ms={timings['domContentLoaded']:.0f}")
        if timings["firstTile"] < 1000 and timings["firstPage"] < 1000:
            break
    assert timings["firstTile"] < 1000, attempts
    assert timings["firstPage"] < 1000, attempts
    assert status(page) == f"Page 1 of {PAGES}"
    assert page.locator(".page-images").is_hidden()  # the plain images gave way to the viewer


def test_thumbnails_and_the_keyboard_turn_the_page(page, memorandum):
    open_viewer(page, memorandum)
    thumbnails = page.locator(".viewer-thumbs button")
    assert thumbnails.count() == PAGES

    thumbnails.nth(1).click()
    page.wait_for_function("() => declassifiedViewer.currentPage() === 1")
    assert status(page) == f"Page 2 of {PAGES}"
    assert thumbnails.nth(1).get_attribute("aria-current") == "page"
    assert page.locator(".viewer-download").get_attribute("href") == (
        f"/document/{memorandum.pk}/page/2.jpg")

    page.locator(".openseadragon-canvas").focus()
    page.keyboard.press("PageUp")
    page.wait_for_function("() => declassifiedViewer.currentPage() === 0")
    page.keyboard.press("PageDown")
    page.wait_for_function("() => declassifiedViewer.currentPage() === 1")

    thumbnails.nth(0).focus()  # the strip: arrow keys move, Enter opens
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_function("() => declassifiedViewer.currentPage() === 2")
    assert status(page) == f"Page 3 of {PAGES}"
    page.wait_for_function("() => { const item = declassifiedViewer.world.getItemAt(0);"
                           " return item && item.getFullyLoaded(); }")  # page 3 drawn


def test_zoom_rotate_and_full_screen_are_buttons(page, memorandum):
    open_viewer(page, memorandum)
    for name in ("Previous page", "Next page", "Zoom in", "Zoom out", "Fit the page",
                 "Rotate 90° clockwise", "Full screen"):
        assert page.get_by_role("button", name=name, exact=True).is_visible(), name

    page.get_by_role("button", name="Rotate 90° clockwise").click()
    assert page.evaluate("() => declassifiedViewer.viewport.getRotation()") == 90
    zoom = page.evaluate("() => declassifiedViewer.viewport.getZoom()")
    page.get_by_role("button", name="Zoom in").click()
    page.wait_for_function(f"() => declassifiedViewer.viewport.getZoom() > {zoom}")

    page.get_by_role("button", name="Full screen").click()
    page.wait_for_function("() => document.fullscreenElement !== null")
    # The button follows the fullscreenchange event, which comes a moment after the element.
    expect(page.get_by_role("button", name="Full screen")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Escape")


def test_the_english_translation_is_beside_and_keeps_its_place(page, memorandum):
    open_viewer(page, memorandum)
    text = page.locator(".beside-body")
    assert "Paragraph 1 of the English translation" in text.inner_text()

    text.evaluate("node => { node.scrollTop = 400; }")
    page.get_by_role("button", name="Next page").click()
    page.wait_for_function("() => declassifiedViewer.currentPage() === 1")
    assert text.evaluate("node => node.scrollTop") == 400

    page.evaluate("() => { window.notReloaded = true; }")
    page.get_by_label("Text beside the pages").select_option(label="Russian transcript")
    page.wait_for_function("() => document.querySelector('.beside-body').innerText.includes('Косыгину')")
    assert page.evaluate("() => window.notReloaded") is True  # switched in place: the viewer stays
    assert page.evaluate("() => declassifiedViewer.currentPage()") == 1
    assert "beside=" in page.url


def test_a_phone_shows_the_page_above_the_text_in_one_column(browser, live_server, memorandum):
    context = browser.new_context(viewport={"width": 375, "height": 740}, base_url=live_server.url)
    tab = context.new_page()
    try:
        open_viewer(tab, memorandum)
        viewer = tab.locator(".viewer-canvas").bounding_box()
        text = tab.locator(".beside-text").bounding_box()
        assert viewer and text and viewer["y"] + viewer["height"] <= text["y"]
        assert viewer["width"] <= 375
        assert not has_horizontal_scroll(tab)
    finally:
        context.close()


def test_the_viewer_has_no_axe_violations(page, memorandum):
    open_viewer(page, memorandum)

    violations = axe_violations(page)

    assert violations == [], pformat(violations, width=100)


def test_without_javascript_the_pages_are_plain_images(browser, live_server, memorandum):
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(memorandum.get_absolute_url())
        first = tab.get_by_alt_text(f"Page 1 of {PAGES} of {memorandum.title}")
        first.scroll_into_view_if_needed()
        tab.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=first.element_handle())
        assert first.evaluate("img => img.naturalWidth") == 1000
        assert tab.locator(".page-images img").count() == PAGES
        assert tab.get_by_role("link", name="Download page 2 (JPEG)").is_visible()
    finally:
        context.close()


def point_at_the_page_image(tab) -> None:
    box = tab.locator(".viewer-canvas").bounding_box()
    assert box
    tab.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_the_wheel_scrolls_the_page_and_ctrl_wheel_zooms(page, memorandum):
    open_viewer(page, memorandum)
    page.evaluate("() => window.scrollTo(0, 0)")
    point_at_the_page_image(page)
    zoom = page.evaluate("() => declassifiedViewer.viewport.getZoom()")

    page.mouse.wheel(0, 150)
    page.wait_for_function("() => window.scrollY > 0")
    assert page.evaluate("() => declassifiedViewer.viewport.getZoom()") == zoom

    point_at_the_page_image(page)  # the page moved under the pointer
    page.keyboard.down("Control")
    page.mouse.wheel(0, -150)
    page.keyboard.up("Control")
    page.wait_for_function(f"() => declassifiedViewer.viewport.getZoom() > {zoom}")


@pytest.mark.parametrize("missing", ["openseadragon.min.js", "viewer.js"])
def test_the_plain_images_come_back_when_the_viewer_cannot_start(page, memorandum, missing):
    page.route(f"**/{missing}", lambda route: route.abort())

    page.goto(memorandum.get_absolute_url())

    first = page.get_by_alt_text(f"Page 1 of {PAGES} of {memorandum.title}")
    first.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=first.element_handle())
