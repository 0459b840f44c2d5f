"""Who took part in a conversation, as a FRUS memorandum of conversation lists them near the
top of its text. Three encodings occur in the corpus:

    <list type="participants"><head>PARTICIPANTS</head><item>…</item>…</list>   (most volumes)
    <table><row><cell>Participants:</cell><cell>Mr. Jones, …</cell></row>…</table>  (1940s)
    <p>Participants:</p> followed by a <list> or <table> of names                (1940s)

Each person (with the office the memorandum gives) becomes one line.
"""

from __future__ import annotations

import re

from declassified.ingest.frus.tei import TEI, local_name, plain_text

_LABEL = re.compile(r"^\s*participants?\s*:?\s*$", re.IGNORECASE)
_NEAR_TOP = 12  # the list comes before the conversation: look at the first blocks only
_MAX_LINES = 60


def memcon_participants(div, own) -> list[str]:
    """The participants a document lists, one string each; [] when it lists none.
    `own(div, name)` yields the document's own elements (not those of notes or attachments)."""
    for listing in own(div, "list"):
        if listing.get("type") == "participants":
            return _clean(plain_text(item) for item in listing.iter(f"{TEI}item"))
    for table in _first(own(div, "table")):
        found = _table_after_label(table)
        if found:
            return found
    for paragraph in _first(own(div, "p")):
        if _LABEL.match(plain_text(paragraph)):
            following = paragraph.getnext()
            if following is not None and local_name(following) in ("list", "table"):
                return _rows(following)
    return []


def _first(elements):
    for position, element in enumerate(elements):
        if position >= _NEAR_TOP:
            return
        yield element


def _table_after_label(table) -> list[str]:
    """Rows from the one whose first cell reads 'Participants:' until the next labelled row."""
    lines: list[str] = []
    inside = False
    for row in table.iter(f"{TEI}row"):
        cells = [plain_text(c) for c in row if local_name(c) == "cell"]
        if not cells:
            continue
        label, rest = cells[0], [c for c in cells[1:] if c]
        if _LABEL.match(label):
            inside = True
        elif label:
            if inside:
                break
            continue
        if inside and rest:
            lines.append(" ".join(rest))
    return _clean(lines)


def _rows(element) -> list[str]:
    if local_name(element) == "list":
        return _clean(plain_text(item) for item in element.iter(f"{TEI}item"))
    rows = [" ".join(plain_text(c) for c in row if local_name(c) == "cell" and plain_text(c))
            for row in element.iter(f"{TEI}row")]
    return _clean(rows)


def _clean(lines) -> list[str]:
    found = [" ".join(line.split()).strip(" ,;") for line in lines]
    return [line for line in found if line][:_MAX_LINES]
