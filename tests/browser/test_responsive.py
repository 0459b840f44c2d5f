"""Phones, tablets and laptops: at 375, 768 and 1280 px nothing scrolls sideways or is cut off.

Each page is photographed at each width into the session's screenshot folder (printed at
the end of a failing test); `make screenshots` keeps a set under docs/screenshots/.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import WIDTHS, has_horizontal_scroll

pytestmark = pytest.mark.browser

# Every rendered element that sticks out of the viewport sideways, that clips its content,
# or whose text runs past the viewport (reported at the innermost such element). Elements
# of 1 px or less are the visually hidden labels screen readers read; a closed <details>
# does not render its content.
CUT_OFF = """() => {
  const width = document.documentElement.clientWidth;
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '');
  const problems = [], spilling = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    const closed = el.closest('details:not([open])');
    if (closed && !closed.querySelector(':scope > summary').contains(el)) continue;
    const style = getComputedStyle(el);
    if (box.left < -1 || box.right > width + 1) {
      problems.push(`${describe(el)} spans ${Math.round(box.left)}..${Math.round(box.right)} px`);
    } else if (style.overflowX !== 'visible' && style.overflowX !== 'auto' &&
               style.overflowX !== 'scroll' && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${describe(el)} clips ${el.scrollWidth - el.clientWidth} px of its content`);
    } else if (style.overflowX === 'visible' && el.clientWidth > 0 &&
               box.left + el.scrollWidth > width + 1) {
      spilling.push(el);
    }
  }
  for (const el of spilling) {
    if (!spilling.some(other => other !== el && el.contains(other))) {
      problems.push(`${describe(el)}: its content runs ${el.scrollWidth - el.clientWidth} px ` +
                    `past it: "${el.textContent.trim().slice(0, 60)}"`);
    }
  }
  return problems.slice(0, 10);
}"""


def check_at_widths(tab, url: str, name: str, screenshot_dir) -> None:
    for width in WIDTHS:
        tab.set_viewport_size({"width": width, "height": 900})
        assert tab.goto(url).ok, url
        tab.screenshot(path=screenshot_dir / f"{name}-{width}.png", full_page=True)
        cut_off = tab.evaluate(CUT_OFF)
        assert not cut_off, f"{name} at {width} px:\n" + "\n".join(cut_off)
        assert not has_horizontal_scroll(tab), f"{name} scrolls sideways at {width} px"
        heading = tab.get_by_role("heading", level=1).bounding_box()
        assert heading and heading["x"] >= 0 and heading["x"] + heading["width"] <= width, (
            f"{name}: the main heading is outside the viewport at {width} px")


def test_the_collection_page_fits_every_width(page, sample_archive, screenshot_dir):
    check_at_widths(page, sample_archive.collection.get_absolute_url(), "collection",
                    screenshot_dir)


def test_a_long_document_page_fits_every_width(page, long_document, screenshot_dir):
    check_at_widths(page, long_document.get_absolute_url(), "document", screenshot_dir)


def test_a_filtered_search_fits_every_width(page, sample_archive, long_document, screenshot_dir):
    url = f"/search/?q=Soviet&collection={sample_archive.collection.pk}&sort=date"
    check_at_widths(page, url, "search", screenshot_dir)
    page.get_by_text("Close filters").wait_for()  # wide: the panel opens with a filter
