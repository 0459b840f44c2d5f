"""A page that reads first (issue 16): on a phone the document's text comes before its tags,
information and citation; the citation is a closed "Cite this document" control whose style
picker works without JavaScript and whose Copy buttons copy the chosen style."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.browser.test_keyboard import FOCUSED
from tests.browser.test_responsive import CUT_OFF

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
CHICAGO = "Chicago (notes and bibliography)"


def test_on_a_phone_the_text_comes_before_the_tags_and_the_citation_is_closed(
        page, long_document):
    page.set_viewport_size(PHONE)
    page.goto(long_document.get_absolute_url())

    text_top = page.locator(".text-body").bounding_box()["y"]
    tags_top = page.locator(".tags").first.bounding_box()["y"]
    summary = page.locator("#cite > summary")
    assert text_top < tags_top
    assert text_top < page.get_by_role("heading", name="Document information").bounding_box()["y"]
    assert page.locator("#cite").get_attribute("open") is None
    assert summary.is_visible() and summary.bounding_box()["y"] > tags_top
    assert page.locator("#cite .citation").first.is_hidden()
    assert page.locator("#cite-pick-chicago").is_hidden()
    assert axe_violations(page) == []

    summary.click()  # open, it fits the phone too

    assert page.locator("#cite-chicago").is_visible()
    assert page.evaluate(CUT_OFF) == [] and not has_horizontal_scroll(page)


def test_on_a_wide_screen_the_tags_and_citation_stay_beside_the_text(page, long_document):
    page.goto(long_document.get_absolute_url())

    text = page.locator(".text-body").bounding_box()
    side = page.locator(".document-side").bounding_box()
    assert side["x"] >= text["x"] + text["width"]
    assert side["y"] < text["y"] + 200  # beside the top of the text, not after it


def test_the_style_picker_shows_one_style_at_a_time_without_javascript(
        browser, live_server, long_document):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    tab = context.new_page()
    try:
        tab.goto(long_document.get_absolute_url())
        tab.get_by_text("Cite this document").click()

        assert tab.locator("#cite-chicago-note").is_visible()
        assert tab.locator("#cite-chicago").is_visible()
        assert tab.locator("#cite-mla").is_hidden() and tab.locator("#cite-apa").is_hidden()
        assert tab.locator(".cite-copy-button").count() == 0  # the plain text is the fallback

        tab.get_by_role("radio", name="MLA").check()

        assert tab.locator("#cite-mla").is_visible()
        assert tab.locator("#cite-chicago").is_hidden() and tab.locator("#cite-apa").is_hidden()
        tab.get_by_text("Plain text").locator("visible=true").click()
        plain = tab.locator("#cite-mla-text")
        assert plain.is_visible() and long_document.title in plain.input_value()
        assert tab.get_by_role("link", name="BibTeX").is_visible()
    finally:
        context.close()


def test_copy_puts_the_chosen_style_on_the_clipboard_and_says_so(page, long_document):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(long_document.get_absolute_url())
    page.get_by_text("Cite this document").click()

    page.get_by_role("button", name="Copy bibliography").click()

    status = page.locator("#cite-status")
    status.get_by_text(f"Copied the {CHICAGO} bibliography.").wait_for()
    chicago = page.locator("#cite-chicago-text").input_value()
    assert page.evaluate("navigator.clipboard.readText()") == chicago

    page.get_by_role("radio", name="APA").check()
    page.get_by_role("button", name="Copy citation").click()

    status.get_by_text("Copied the APA citation.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == page.locator(
        "#cite-apa-text").input_value()
    assert page.get_by_role("button", name="Copy bibliography").is_hidden()
    assert axe_violations(page) == []


def test_a_link_to_the_citation_opens_it(page, long_document):
    page.goto(long_document.get_absolute_url() + "#cite")

    assert page.locator("#cite").get_attribute("open") is not None
    assert page.locator("#cite-chicago").is_visible()


def test_every_page_shows_one_search_box(page, sample_archive, long_document):
    urls = ["/", "/search/?q=Soviet", sample_archive.collection.get_absolute_url(),
            long_document.get_absolute_url(), "/collections/"]
    for url in urls:
        page.goto(url)
        boxes = page.locator("input[type=search]").locator("visible=true")
        assert boxes.count() == 1, url


def test_the_cite_control_works_from_the_keyboard(page, long_document):
    page.goto(long_document.get_absolute_url())
    page.locator("#cite > summary").focus()

    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "cite-pick-chicago"
    page.keyboard.press("ArrowRight")

    assert page.locator("#cite-pick-mla").is_checked()
    assert page.locator("#cite-mla").is_visible() and page.locator("#cite-chicago").is_hidden()
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["text"] == "Copy citation" and focused["indicator"] and focused["onScreen"]
