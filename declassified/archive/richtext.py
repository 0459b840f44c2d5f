"""Sanitising of the HTML editors and importers store (texts, descriptions).

Classes and ids are allowed only where the page needs them, from a fixed vocabulary: the
structure the FRUS reader writes (ingest/frus/body.py) and the site's CSS styles
(web/static/declassified/site.css: .pb, .closer, .signed, .attachment, .postscript,
.footnotes, .fn-ref, .fn-label, .fn-back), plus `a.person`, the placeholder the FRUS writer
turns into a link. Ids only as footnote anchors (numbered, on sup, li and p). Any other class
or id is dropped: stored HTML cannot restyle the page or shadow the page's own ids.
"""

from __future__ import annotations

import re

import nh3

from declassified.archive.control_chars import strip_control_characters

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div", "dl",
    "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "li",
    "ol", "p", "pre", "q", "s", "section", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "aside", "footer", "header",
}
ALLOWED_ATTRIBUTES = {
    "*": {"lang", "dir", "title"},
    "a": {"href", "hreflang"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "type"},
    "span": {"data-page"},
    # Footnote anchors: a reference (sup, "ref-" + the note's anchor) and its note (li as the
    # FRUS reader writes it, p as editors do).
    "sup": {"id"},
    "li": {"id"},
    "p": {"id"},
}
_LIST_KINDS = {"subject", "participants", "to", "from", "simple", "bulleted", "ordered", "index"}
_TEI_BLOCKS = {"ab", "lg", "argument", "epigraph", "floatingtext", "castlist", "head", "quote"}
ALLOWED_CLASSES = {
    "a": {"person", "fn-back"},
    "p": {"center", "right", "flushleft", "section-title", "italic", "opener", "closer",
          "figure", "list-head", "salute", "signed", "dateline", "byline", "trailer"},
    "div": {"opener", "closer", "postscript", *_TEI_BLOCKS},
    "section": {"attachment"},
    "span": {"smallcaps", "label", "pb", "gap", "fn-label"},
    "ul": {f"list-{kind}" for kind in _LIST_KINDS},
    "ol": {"footnotes", *(f"list-{kind}" for kind in _LIST_KINDS)},
    "table": {"tei"},
    "sup": {"fn-ref"},
}
# What the FRUS reader makes of an xml:id (body.py: [^\w.-] replaced). Footnote anchors are
# numbered (fn1, d12fn3, ref-d12fn3); none of the page's own fixed ids (main, texts, cite…)
# has a digit, so a stored id cannot take their place.
_ANCHOR = re.compile(r"[\w.-]{0,120}[0-9][\w.-]{0,120}", re.ASCII)
# nh3 leaves class="" where it dropped every class; the serialiser escapes < and > in text,
# so this only ever matches inside a tag.
_EMPTY_CLASS = re.compile(r'(<[a-z][a-z0-9]*\b[^<>]*?) class=""')


def _keep_footnote_ids(tag: str, attribute: str, value: str) -> str | None:
    if attribute != "id":
        return value
    return value if _ANCHOR.fullmatch(value) else None


def sanitize_html(html: str) -> str:
    """Keep structure (paragraphs, lists, tables, footnote links); drop scripts, styles, events,
    classes and ids outside the vocabulary above, and control characters
    (archive.control_chars)."""
    cleaned = nh3.clean(
        strip_control_characters(html or ""),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        attribute_filter=_keep_footnote_ids,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
    )
    return _EMPTY_CLASS.sub(r"\1", cleaned)
