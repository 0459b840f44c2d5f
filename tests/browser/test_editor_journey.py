"""An editor's way through the back office, in a real browser: draft, publish, withdraw."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import index_now, log_in
from tests.factories import make_language

pytestmark = pytest.mark.browser

TITLE = "Memorandum on the Ussuri River talks"
WORD = "Ussuri"


def search_for(tab, word: str) -> list[str]:
    tab.goto(f"/search/?q={word}")
    return tab.locator(".search-hits .doc-title").all_inner_texts()


def create_draft_with_translation(page) -> str:
    """Fill the add form with a draft and its English translation; returns its change URL."""
    page.goto("/admin/archive/document/add/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_date").fill("1969-09-11")
    page.locator("#id_summary").fill(f"Notes of the {WORD} border talks at Beijing airport.")
    expect(page.locator("#id_status")).to_have_value("draft")
    page.locator("#id_texts-0-kind").select_option("translation")
    page.locator("#id_texts-0-language").select_option(label="English")
    page.locator("#id_texts-0-translator").fill("David Wolff")
    page.locator("#id_texts-0-body").fill(f"<p>Kosygin and Zhou Enlai met to discuss the {WORD}.</p>")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    return page.url


def set_status_from_changelist(page, action_label: str) -> None:
    page.goto(f"/admin/archive/document/?q={WORD}")
    row = page.get_by_role("row").filter(has_text=TITLE)
    row.get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option(label=action_label)
    page.get_by_role("button", name="Go", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("1 document")
    index_now()


def test_an_editor_drafts_publishes_and_withdraws_a_document(browser, live_server, page, alice):
    make_language("en", "English")
    reader = browser.new_context(base_url=live_server.url).new_page()
    log_in(page, "alice")

    change_url = create_draft_with_translation(page)
    document_id = int(re.search(r"/document/(\d+)/change/", change_url).group(1))
    index_now()
    assert reader.goto(f"/document/{document_id}/").status == 404
    assert search_for(reader, WORD) == []

    set_status_from_changelist(page, "Publish selected documents")
    assert search_for(page, WORD) == [TITLE]  # the editor finds it in search
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    # The text's own line (the citations say "Translated by" too, inside the closed Cite block).
    expect(page.locator("#texts").get_by_text("Translated by David Wolff")).to_be_visible()
    assert reader.goto(f"/document/{document_id}/").ok
    assert search_for(reader, WORD) == [TITLE]

    set_status_from_changelist(page, "Withdraw selected documents")
    assert reader.goto(f"/document/{document_id}/").status == 404
    assert search_for(reader, WORD) == []
    reader.context.close()
