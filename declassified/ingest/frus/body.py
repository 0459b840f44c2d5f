"""TEI → structured HTML for the body of one FRUS document.

Paragraphs, lists, tables, quotes, openers/closers (signatures), attachments and postscripts
become their HTML counterparts; footnotes are collected apart from the body (linked both
ways); printed-page breaks become page markers; references to other FRUS documents become
links through /source/<volume>/<dN>, which works whether or not the target is imported yet.

The HTML is sanitised here (archive.richtext), in the parsing process. Links to persons
cannot be resolved here (the database knows the person's record ID), so a `persName` becomes
`<a class="person" href="frus-person/p_X">`; the writer (frus.write) replaces that placeholder
(see PERSON_LINK) with the person's page, or with the bare name.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from declassified.archive.richtext import sanitize_html
from declassified.ingest.frus.tei import XML_ID, local_name, plain_text
from declassified.ingest.frus.types import HSG

PERSON_LINK = re.compile(
    r'<a class="person" href="frus-person/([^"]+)"([^>]*)>(.*?)</a>', re.DOTALL
)

_SPACES = re.compile(r"\s+")
_BLOCKS = {
    "p", "list", "table", "closer", "opener", "dateline", "postscript", "attachment", "div",
    "head", "figure", "salute", "signed", "ab", "lg", "byline", "quote", "trailer", "argument",
    "epigraph", "floatingText", "castList",
}
_HI = {
    "italic": ("<em>", "</em>"), "strong": ("<strong>", "</strong>"), "bold": ("<strong>", "</strong>"),
    "underline": ("<u>", "</u>"), "superscript": ("<sup>", "</sup>"), "sub": ("<sub>", "</sub>"),
    "smallcaps": ('<span class="smallcaps">', "</span>"), "roman": ("", ""),
}
_P_CLASSES = {
    "center": "center", "cetner": "center", "right": "right", "flushleft": "flushleft",
    "left": "flushleft", "sectiontitleital": "section-title", "italic": "italic",
}
# Elements whose content is apparatus, not text: microfiche image lists and editors' to-dos.
_SKIPPED = {"file", "pdf", "page-count-according-to-citation", "problem", "graphic", "figDesc"}


def squash(text: str | None) -> str:
    """Whitespace runs (indentation, CRLF) to one space; the text escaped for HTML.

    Hot path (called for every text node of 28,000 documents): the common cases skip the
    regular expression and the escaping."""
    if not text:
        return ""
    if text.isspace():
        return " "
    if "\n" in text or "  " in text or "\t" in text or "\r" in text:
        text = _SPACES.sub(" ", text)
    if "&" in text or "<" in text or ">" in text:
        text = html.escape(text, quote=False)
    return text


@dataclass
class Footnote:
    anchor: str  # the id of the footnote's list item; the reference is "ref-" + anchor
    label: str
    html: str
    in_body: bool = True


@dataclass
class RenderedBody:
    html: str
    footnotes_html: str
    person_ids: set[str] = field(default_factory=set)
    paragraphs: list[str] = field(default_factory=list)  # plain text of the first paragraphs


class BodyRenderer:
    """Renders one document; construct one per document (it collects footnotes and persons)."""

    def __init__(self, volume_id: str, document_id: str, terms: dict[str, str]) -> None:
        self.volume_id = volume_id
        self.document_id = document_id
        self.terms = terms
        self.footnotes: list[Footnote] = []
        self.person_ids: set[str] = set()
        self.paragraphs: list[str] = []
        self._note_depth = 0

    # --- entry points -------------------------------------------------------------------

    def render(self, document, *, leave_out=frozenset(), head_notes=()) -> RenderedBody:
        """The document's body; `leave_out` are child elements shown elsewhere (head, source
        note); `head_notes` are footnotes of the title, listed first without a body link."""
        for note in head_notes:
            self._collect_footnote(note, in_body=False)
        body = sanitize_html(self._flow(document, skip=leave_out))
        footnotes = sanitize_html(self._footnotes_html())
        return RenderedBody(body, footnotes, self.person_ids, self.paragraphs)

    def render_inline(self, element) -> str:
        """Inline HTML of an element's content (titles of notes, glossary expansions)."""
        return self._inline_children(element).strip()

    # --- block level --------------------------------------------------------------------

    def _flow(self, element, *, skip=frozenset(), para_class: str = "") -> str:
        """Children as blocks; runs of inline content are wrapped in <p>."""
        parts: list[str] = []
        run: list[str] = [squash(element.text)]
        open_tag = f'<p class="{para_class}">' if para_class else "<p>"
        for child in element:
            name = local_name(child)
            if not name or child in skip:
                pass
            elif name in _BLOCKS or (name == "quote" and self._is_block(child, name)):
                self._flush(run, parts, open_tag)
                parts.append(self._block(child, name))
            else:
                run.append(self._inline(child, name))
            tail = child.tail
            if tail:
                run.append(squash(tail))
        self._flush(run, parts, open_tag)
        return "".join(parts)

    @staticmethod
    def _flush(run: list[str], parts: list[str], open_tag: str) -> None:
        content = "".join(run).strip()
        if content:
            parts.append(f"{open_tag}{content}</p>")
        run.clear()

    @staticmethod
    def _is_block(child, name: str) -> bool:
        if name == "quote":
            return child.get("rend") == "blockquote" or any(
                local_name(c) in ("p", "list", "lg") for c in child
            )
        return name in _BLOCKS

    def _block(self, element, name: str) -> str:
        handler = _BLOCK_HANDLERS.get(name)
        if handler is not None:
            return handler(self, element)
        if name in _SKIPPED:
            return ""
        css = {"salute": "salute", "signed": "signed", "dateline": "dateline",
               "byline": "byline", "trailer": "trailer"}.get(name)
        if css:
            return f'<p class="{css}">{self._inline_children(element).strip()}</p>'
        return f'<div class="{name.lower()}">{self._flow(element)}</div>'

    def _block_p(self, element) -> str:
        css = _P_CLASSES.get((element.get("rend") or "").strip(), "")
        if self._note_depth == 0 and len(self.paragraphs) < 8:
            self.paragraphs.append(plain_text(element))
        return self._flow(element, para_class=css)

    def _block_head(self, element) -> str:
        return f"<h3>{self._inline_children(element).strip()}</h3>"

    def _block_quote(self, element) -> str:
        return f"<blockquote>{self._flow(element)}</blockquote>"

    def _block_opener(self, element) -> str:
        return f'<div class="opener">{self._flow(element, para_class="opener")}</div>'

    def _block_closer(self, element) -> str:
        return f'<div class="closer">{self._flow(element, para_class="closer")}</div>'

    def _block_postscript(self, element) -> str:
        return f'<div class="postscript">{self._flow(element)}</div>'

    def _block_attachment(self, element) -> str:
        return f'<section class="attachment">{self._flow(element)}</section>'

    def _block_div(self, element) -> str:
        return f'<section class="{html.escape(element.get("type") or "section")}">' \
               f"{self._flow(element)}</section>"

    def _block_figure(self, element) -> str:
        caption = " ".join(
            self._inline_children(c).strip() for c in element if local_name(c) == "head"
        )
        return f'<p class="figure">[Figure{": " + caption if caption else ""}]</p>'

    def _block_list(self, element) -> str:
        kind = (element.get("type") or "").strip()
        tag = "ol" if kind == "ordered" else "ul"
        heads: list[str] = []
        items: list[str] = []
        label = ""
        for child in element:
            name = local_name(child)
            if name == "head":
                heads.append(self._inline_children(child).strip())
            elif name == "label":
                label = self._inline_children(child).strip()
            elif name == "item":
                prefix = f'<span class="label">{label}</span> ' if label else ""
                items.append(f"<li>{prefix}{self._item_content(child)}</li>")
                label = ""
        css = f' class="list-{html.escape(kind)}"' if kind else ""
        head_html = "".join(f'<p class="list-head"><strong>{h}</strong></p>' for h in heads)
        return f"{head_html}<{tag}{css}>{''.join(items)}</{tag}>"

    def _item_content(self, item) -> str:
        if any(self._is_block(c, local_name(c)) for c in item if local_name(c)):
            return self._flow(item)
        return self._inline_children(item).strip()

    def _block_table(self, element) -> str:
        rows: list[str] = []
        caption = ""
        for child in element:
            name = local_name(child)
            if name == "head":
                caption = f"<caption>{self._inline_children(child).strip()}</caption>"
            elif name == "row":
                rows.append(self._table_row(child))
        return f'<table class="tei">{caption}<tbody>{"".join(rows)}</tbody></table>'

    def _table_row(self, row) -> str:
        header_row = row.get("role") == "label"
        cells = []
        for cell in row:
            if local_name(cell) != "cell":
                continue
            tag = "th" if header_row or cell.get("role") == "label" else "td"
            spans = "".join(
                f' {attr}="{int(cell.get(src))}"'
                for src, attr in (("cols", "colspan"), ("rows", "rowspan"))
                if (cell.get(src) or "").isdigit() and int(cell.get(src)) > 1
            )
            cells.append(f"<{tag}{spans}>{self._item_content(cell)}</{tag}>")
        return f"<tr>{''.join(cells)}</tr>"

    # --- inline level -------------------------------------------------------------------

    def _inline_children(self, element) -> str:
        parts = [squash(element.text)]
        for child in element:
            name = local_name(child)
            if name:
                parts.append(self._inline(child, name))
            tail = child.tail
            if tail:
                parts.append(squash(tail))
        return "".join(parts)

    def _inline(self, element, name: str) -> str:
        handler = _INLINE_HANDLERS.get(name)
        if handler is not None:
            return handler(self, element)
        if name in _SKIPPED:
            return ""
        # unknown elements and blocks where only inline content fits: keep their text
        return self._inline_children(element)

    def _inline_hi(self, element) -> str:
        opening, closing = _HI.get((element.get("rend") or "").strip(), ("", ""))
        return f"{opening}{self._inline_children(element)}{closing}"

    def _inline_lb(self, element) -> str:
        return "<br>"

    def _inline_pb(self, element) -> str:
        page = html.escape((element.get("n") or "").strip())
        if not page:
            return ""
        return f'<span class="pb" data-page="{page}">[Page {page}]</span>'

    def _inline_gap(self, element) -> str:
        return '<span class="gap">[…]</span>'

    def _inline_del(self, element) -> str:
        return f"<del>{self._inline_children(element)}</del>"

    def _inline_label(self, element) -> str:
        return f'<span class="label">{self._inline_children(element)}</span>'

    def _inline_title(self, element) -> str:
        return f"<cite>{self._inline_children(element)}</cite>"

    def _inline_quote(self, element) -> str:
        return f"<q>{self._inline_children(element)}</q>"

    def _inline_persName(self, element) -> str:  # noqa: N802 — TEI element name
        content = self._inline_children(element)
        targets = [t.lstrip("#") for t in (element.get("corresp") or "").split() if t.startswith("#")]
        if not targets:
            return content
        self.person_ids.update(targets)
        return f'<a class="person" href="frus-person/{html.escape(targets[0])}">{content}</a>'

    def _inline_gloss(self, element) -> str:
        content = self._inline_children(element)
        target = (element.get("target") or "").lstrip("#")
        expansion = self.terms.get(target)
        if expansion:
            return f'<abbr title="{html.escape(expansion)}">{content}</abbr>'
        return content

    def _inline_ref(self, element) -> str:
        content = self._inline_children(element)
        href = self.ref_href(element.get("target") or "")
        return f'<a href="{html.escape(href)}">{content}</a>' if href else content

    def _inline_note(self, element) -> str:
        if element.get("type") in ("source", "summary"):
            return ""
        if self._note_depth:  # a note inside a footnote: keep it in place, in brackets
            return f" [{self._inline_children(element).strip()}]"
        footnote = self._collect_footnote(element, in_body=True)
        return (
            f'<sup class="fn-ref" id="ref-{footnote.anchor}">'
            f'<a href="#{footnote.anchor}">{html.escape(footnote.label)}</a></sup>'
        )

    # --- footnotes and references --------------------------------------------------------

    def _collect_footnote(self, note, *, in_body: bool) -> Footnote:
        number = len(self.footnotes) + 1
        anchor = note.get(XML_ID) or f"{self.document_id}fn-auto{number}"
        anchor = re.sub(r"[^\w.-]", "-", anchor)
        label = (note.get("n") or str(number)).strip()
        self._note_depth += 1
        try:
            content = self._flow(note)
        finally:
            self._note_depth -= 1
        footnote = Footnote(anchor, label, content, in_body)
        self.footnotes.append(footnote)
        return footnote

    def _footnotes_html(self) -> str:
        if not self.footnotes:
            return ""
        items = []
        for note in self.footnotes:
            back = (
                f' <a class="fn-back" href="#ref-{note.anchor}" title="Back to the text">↩</a>'
                if note.in_body else ""
            )
            label = html.escape(note.label)
            items.append(
                f'<li id="{note.anchor}"><span class="fn-label">{label}.</span> {note.html}{back}</li>'
            )
        return f'<ol class="footnotes">{"".join(items)}</ol>'

    def ref_href(self, target: str) -> str:
        """Where a TEI `ref/@target` points: a FRUS document through /source/ (resolved when
        the target is imported, history.state.gov otherwise), pages on history.state.gov."""
        target = target.strip()
        if not target:
            return ""
        if target.startswith(("http://", "https://")):
            return target
        volume, _, fragment = target.partition("#")
        volume = volume or self.volume_id
        if not re.fullmatch(r"[\w.-]+", volume) or not re.fullmatch(r"[\w.-]*", fragment):
            return ""
        document = re.match(r"(d\d+[a-z]?)(fn.*)?$", fragment)
        if document:
            doc_id = document.group(1)
            if volume == self.volume_id and doc_id == self.document_id and document.group(2):
                return f"#{fragment}"
            suffix = f"#{fragment}" if document.group(2) else ""
            return f"/source/{volume}/{doc_id}{suffix}"
        if fragment:
            return f"{HSG}{volume}/{fragment}"
        return f"{HSG}{volume}"


# Dispatch tables, built once: getattr(f"_block_{name}") per element was a visible cost.
_BLOCK_HANDLERS = {
    name.removeprefix("_block_"): function
    for name, function in vars(BodyRenderer).items() if name.startswith("_block_")
}
_INLINE_HANDLERS = {
    name.removeprefix("_inline_"): function
    for name, function in vars(BodyRenderer).items()
    if name.startswith("_inline_") and name != "_inline_children"
}
