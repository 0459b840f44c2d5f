"""Printing a document: its text, footnotes, information and citation; no site chrome."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_a_printed_document_keeps_text_footnotes_and_citation_without_chrome(page, long_document):
    page.goto(long_document.get_absolute_url())
    page.emulate_media(media="print")

    for chrome in ("header.site-header", "footer.site-footer", "form[role=search]",
                   "nav.breadcrumb", "nav.tabs", "nav.neighbours", ".skip-link"):
        assert page.locator(chrome).first.is_hidden(), chrome
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.locator(".text-body").is_visible()
    assert page.locator(".footnotes li").first.is_visible()
    assert page.locator(".footnotes li").count() == 9
    citation = page.locator(".cite .citation").first
    assert citation.is_visible() and long_document.title in citation.inner_text()
    assert page.get_by_role("heading", name="Document information").is_visible()

    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_the_screen_still_shows_the_chrome_print_hides(page, long_document):
    page.goto(long_document.get_absolute_url())
    assert page.locator("header.site-header").is_visible()
    assert page.locator("nav.tabs").is_visible()
