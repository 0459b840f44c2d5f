"""An editor uploads a FRUS volume in the back office and watches its import finish."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, log_in

pytestmark = pytest.mark.browser

VOLUME = Path(__file__).resolve().parents[1] / "ingest" / "frus" / "fixtures" / "structure.xml"


def test_a_frus_import_started_in_the_back_office_finishes_with_its_report(
        page, alice, screenshot_dir):
    log_in(page, "alice")
    page.goto("/admin/ingest/importjob/add/")
    assert axe_violations(page) == []
    page.get_by_label("Upload").set_input_files(VOLUME)
    page.get_by_role("button", name="Save", exact=True).click()

    # The job's page follows the job (it reloads itself) until the import is done.
    state = page.locator(".field-state .readonly")
    expect(state).to_have_text(re.compile("Done|Failed"), timeout=60_000)
    assert state.inner_text() == "Done", page.locator(".field-error").inner_text()
    report = page.locator(".field-report_display table")
    expect(report).to_contain_text("frustest-structure")
    cells = report.locator("tbody tr").first.locator("td").all_inner_texts()
    assert cells[1:4] == ["3", "3", "0"]  # documents, created, updated
    assert axe_violations(page) == []

    page.screenshot(path=screenshot_dir / "import-job.png", full_page=True)

    # The volume is a collection on the public site, its documents readable.
    page.goto("/collections/")
    page.get_by_role("link", name="Test Volume, Structure").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Test Volume, Structure")
