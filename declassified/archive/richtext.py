"""Sanitising of the HTML editors and importers store (texts, descriptions)."""

from __future__ import annotations

import nh3

from declassified.archive.control_chars import strip_control_characters

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div", "dl",
    "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "li",
    "ol", "p", "pre", "q", "s", "section", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "aside", "footer", "header",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "lang", "dir", "title"},
    "a": {"href", "hreflang"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "type"},
    "span": {"data-page"},
}


def sanitize_html(html: str) -> str:
    """Keep structure (paragraphs, lists, tables, footnote links); drop scripts, styles, events
    and control characters (archive.control_chars)."""
    return nh3.clean(
        strip_control_characters(html or ""),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
    )
