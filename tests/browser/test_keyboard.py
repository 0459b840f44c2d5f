"""Keyboard only: a skip link first, every control reachable by Tab and visibly focused,
and the search filter panel usable without a mouse."""

from __future__ import annotations

from pprint import pformat

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# Numbers every control a keyboard user should reach: visible, enabled, not in a closed
# <details> (its content is not rendered, however deeply nested) and not taken out of the
# tab order.
MARK_CONTROLS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary,' +
                   ' [tabindex]:not([tabindex="-1"])';
  const inClosedDetails = el => {
    for (let closed = el.closest('details:not([open])'); closed;
         closed = closed.parentElement.closest('details:not([open])')) {
      if (!closed.querySelector(':scope > summary').contains(el)) return true;
    }
    return false;
  };
  const controls = [...document.querySelectorAll(selector)].filter(el => {
    if (el.disabled || el.tabIndex < 0) return false;
    if (inClosedDetails(el)) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility === 'visible';
  });
  controls.forEach((el, i) => { el.dataset.control = String(i); });
  return controls.length;
}"""

# What has the focus now, and whether a person can see that it has: the element is on
# screen and drawn with an outline (or a box shadow) at least 2 px wide.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const shadow = style.boxShadow !== 'none';
  return {
    control: el.dataset.control ?? null,
    text: (el.innerText || el.value || el.getAttribute('aria-label') || el.tagName).slice(0, 60),
    indicator: outline || shadow,
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0 &&
              box.top < innerHeight && box.left < innerWidth,
  };
}"""


def tab_through(tab, limit: int = 400) -> list[dict]:
    """Press Tab from the top of the page until the focus leaves the page; every stop."""
    stops = []
    for _ in range(limit):
        tab.keyboard.press("Tab")
        focused = tab.evaluate(FOCUSED)
        if focused is None or (stops and focused == stops[0]):
            break
        stops.append(focused)
    return stops


def assert_every_control_reachable_and_visible(tab, url: str, *, open_filters=False) -> None:
    tab.goto(url)
    if open_filters:  # opened without moving the focus, so Tab starts from the top
        tab.evaluate("() => { document.querySelector('details.search-filters').open = true; }")
    controls = tab.evaluate(MARK_CONTROLS)
    stops = tab_through(tab)
    reached = {stop["control"] for stop in stops}
    missed = sorted(set(map(str, range(controls))) - reached, key=int)
    hidden = [stop for stop in stops if not (stop["indicator"] and stop["onScreen"])]
    assert controls > 5 and not missed, f"{url}: controls never reached by Tab: {missed}"
    assert not hidden, f"{url}: focus not visible on:\n{pformat(hidden)}"


def test_the_first_tab_stop_is_a_visible_skip_link(page, sample_archive, long_document):
    for url in ["/", long_document.get_absolute_url(), "/search/?q=Soviet"]:
        page.goto(url)
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["text"] == "Skip to main content", url
        assert focused["onScreen"] and focused["indicator"], url
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "main", url


def test_every_control_on_a_document_page_is_reachable_and_visibly_focused(
        page, long_document):
    assert_every_control_reachable_and_visible(page, long_document.get_absolute_url())


def test_every_control_on_the_collection_and_search_pages_is_reachable_and_visible(
        page, sample_archive):
    assert_every_control_reachable_and_visible(page, sample_archive.collection.get_absolute_url())
    assert_every_control_reachable_and_visible(page, "/search/?q=Soviet", open_filters=True)


def press_tab_until(tab, predicate: str, limit: int = 200) -> None:
    """Tab forward until the focused element satisfies the JS `predicate(el)`."""
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate(f"() => ({predicate})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


def test_a_keyboard_user_opens_the_filter_panel_and_applies_a_filter(page, sample_archive):
    page.goto("/search/?q=Soviet")
    press_tab_until(page, "el => el.tagName === 'SUMMARY'")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Close filters")).to_be_visible()

    press_tab_until(page, "el => el.closest('section[aria-labelledby=\"facet-collection\"]')"
                          " && el.textContent.trim() === 'Sino-Soviet Split, 1960-1984'")
    page.keyboard.press("Enter")
    page.wait_for_url("**collection=*")
    chips = page.locator(".search-chips .chip")
    expect(chips).to_have_count(1)
    expect(chips).to_contain_text("Sino-Soviet Split, 1960-1984")

    # The filter is removed with the keyboard too: its chip is a link.
    press_tab_until(page, "el => el.classList.contains('chip')")
    page.keyboard.press("Enter")
    expect(page.locator(".search-chips .chip")).to_have_count(0)
