"""One `div[@type="document"]` → a `DocumentEntry` (title, date, place, parties, source
note, classification, archive, type, summary, body). Used by `parse.parse_volume`."""

from __future__ import annotations

import re

from declassified.archive.dates import InvalidDate, parse_document_date
from declassified.archive.richtext import sanitize_html
from declassified.ingest.frus import source
from declassified.ingest.frus.body import BodyRenderer
from declassified.ingest.frus.participants import memcon_participants
from declassified.ingest.frus.summary import generated_summary
from declassified.ingest.frus.tei import TEI, local_name, nearest_ancestor, plain_text
from declassified.ingest.frus.types import HSG, DocumentEntry, Party

MAX_TITLE = 1000
_LEADING_NUMBER = re.compile(r"^(?:No\.\s*)?(\d+[A-Za-z]?)(\.|\s)\s*")
_DATE_TIME = re.compile(
    r"^(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$"
)
_MICROFICHE_PARTS = {"file", "pdf"}
_PAGES = re.compile(r"\b(\d+)\s*pp?\.\s*")


def parse_document(div, xml_id: str, volume_id: str, renderer: BodyRenderer,
                   warnings: list[str]) -> DocumentEntry:
    head = next((c for c in div if local_name(c) == "head"), None)
    number = (div.get("n") or xml_id.removeprefix("d")).strip()
    entry = DocumentEntry(
        xml_id=xml_id, number=number, source_id=f"{volume_id}/{xml_id}",
        source_url=f"{HSG}{volume_id}/{xml_id}", title=_title(head, number, xml_id, warnings),
    )
    for kind, target in (("from", entry.senders), ("to", entry.recipients)):
        target.extend(Party(name, person) for name, person in _parties(head, kind))
    if any(local_name(c) in _MICROFICHE_PARTS for c in div):
        _read_microfiche(entry, div, head, renderer)
    else:
        _read_text(entry, div, head, renderer)
    entry.date, entry.date_detail, entry.place = _document_date(div, warnings, entry.source_id)
    if head is not None:
        renderer.person_ids.update(_head_person_ids(head))
    entry.person_ids = sorted(renderer.person_ids)
    entry.document_type = source.recognise_document_type(entry.title, entry.source_note)
    return entry


def _read_text(entry: DocumentEntry, div, head, renderer: BodyRenderer) -> None:
    source_note = _source_note(div, head)
    summary_note = next(
        (n for n in div.iter(f"{TEI}note") if n.get("type") == "summary"), None
    )
    head_notes = [] if head is None else [
        n for n in head.iter(f"{TEI}note")
        if n is not source_note and n is not summary_note and _outermost_note(n, head)
    ]
    leave_out = {e for e in (head, source_note, summary_note) if e is not None}
    rendered = renderer.render(div, leave_out=leave_out, head_notes=head_notes)
    entry.body_html, entry.footnotes_html = rendered.html, rendered.footnotes_html
    citation, note_summary = _split_source_note(source_note)
    entry.source_note = citation
    entry.classification = source.recognise_classification(citation) or _marking_in_text(
        rendered.paragraphs
    )
    entry.repository = source.recognise_repository(citation) if citation else None
    entry.call_number = source.recognise_call_number(citation) if entry.repository else ""
    entry.participants = memcon_participants(div, _own)
    if summary_note is not None:
        entry.summary = plain_text(summary_note)
    elif note_summary:
        entry.summary = note_summary
    if not entry.summary:
        entry.summary = generated_summary(rendered.paragraphs, entry.title)
        entry.summary_generated = bool(entry.summary)


def _read_microfiche(entry: DocumentEntry, div, head, renderer: BodyRenderer) -> None:
    """Microfiche supplements hold one abstract a document, in its head: 'Record of Actions,
    474th NSC Meeting, January 12. NSC Actions … Top Secret. 2 pp. Department of State, …'."""
    abstract = plain_text(head) if head is not None else ""
    abstract = _LEADING_NUMBER.sub("", abstract, count=1) if abstract[:1].isdigit() else abstract
    parts = source.sentences(abstract)
    entry.title = _clip(parts[0].rstrip(".") if parts else entry.title)
    pages = _PAGES.search(abstract)
    entry.source_note = abstract[pages.end():].strip() if pages else ""
    described = abstract[: pages.start()] if pages else abstract
    entry.classification = source.recognise_classification(described)
    rest = [s for s in source.sentences(described)[1:]
            if s.rstrip(".") != entry.classification]
    entry.summary = " ".join(rest)
    entry.repository = source.recognise_repository(entry.source_note) if entry.source_note else None
    if entry.repository:
        entry.call_number = source.recognise_call_number(entry.source_note)
    content = renderer.render_inline(head) if head is not None else ""
    count = next((plain_text(c) for c in div if local_name(c).startswith("page-count")), "")
    pages_text = f" ({count} pages)" if count.isdigit() else ""
    entry.body_html = sanitize_html(
        f'<p class="abstract">{content}</p><p class="microfiche">Abstract of a document '
        f"reproduced on microfiche{pages_text}; the images are not part of this edition.</p>"
    )
    if not entry.summary:
        entry.summary = abstract
        entry.summary_generated = True


def _title(head, number: str, xml_id: str, warnings: list[str]) -> str:
    if head is None:
        warnings.append(f"{xml_id}: no <head>; titled by its number")
        return f"Document {number}"
    text = plain_text(head)
    match = _LEADING_NUMBER.match(text)
    if match and (match.group(1).lower() == number.lower() or match.group(2) == "."):
        text = text[match.end():]
    return _clip(text.strip()) or f"Document {number}"


def _clip(text: str) -> str:
    return text if len(text) <= MAX_TITLE else text[: MAX_TITLE - 1].rstrip() + "…"


def _outermost_note(note, head) -> bool:
    return nearest_ancestor(note, "note", head) is None


def _parties(head, kind: str) -> list[tuple[str, str | None]]:
    """Senders (kind 'from') or recipients ('to') marked in the title by gloss or persName."""
    if head is None:
        return []
    found = []
    for element in head.iter(f"{TEI}gloss", f"{TEI}persName"):
        if element.get("type") != kind or not _outermost_note(element, head) or _in_note(element):
            continue
        person = element if local_name(element) == "persName" else element.find(f".//{TEI}persName")
        corresp = (person.get("corresp") or "").split() if person is not None else []
        person_id = corresp[0].lstrip("#") if corresp else None
        name = plain_text(element)
        if name:
            found.append((name, person_id))
    return found


def _in_note(element) -> bool:
    node = element.getparent()
    while node is not None:
        name = local_name(node)
        if name == "note":
            return True
        if name == "head":
            return False
        node = node.getparent()
    return False


def _head_person_ids(head) -> set[str]:
    ids = set()
    for person in head.iter(f"{TEI}persName"):
        for target in (person.get("corresp") or "").split():
            if target.startswith("#"):
                ids.add(target[1:])
    return ids


def _source_note(div, head):
    """The typed source note (in the head or the document div), else an untyped head note
    whose text starts with 'Source' (some volumes use <note n="0">)."""
    candidates = list(div) + (list(head.iter(f"{TEI}note")) if head is not None else [])
    for element in candidates:
        if local_name(element) == "note" and element.get("type") == "source":
            return element
    if head is not None:
        for note in head.iter(f"{TEI}note"):
            if not note.get("type") and plain_text(note).startswith("Source"):
                return note
    return None


def _split_source_note(note) -> tuple[str, str]:
    """(citation, summary): e-volumes put 'Summary: …' and 'Source: …' paragraphs in one note."""
    if note is None:
        return "", ""
    paragraphs = [plain_text(p) for p in note if local_name(p) == "p"] or [plain_text(note)]
    summary = next((p for p in paragraphs if p.startswith("Summary:")), "")
    citation = [p for p in paragraphs if not p.startswith("Summary:")]
    text = " ".join(citation)
    text = re.sub(r"^Source:\s*", "", text)
    return text, summary.removeprefix("Summary:").strip()


def _marking_in_text(paragraphs: list[str]) -> str:
    """Older volumes print the marking as the first line of the text: '<p>Confidential</p>'."""
    for paragraph in paragraphs[:2]:
        marking = source.recognise_classification(paragraph)
        if marking and len(paragraph) < 60:
            return marking
    return ""


# --- Dates ---------------------------------------------------------------------------------


def _document_date(div, warnings: list[str], source_id: str) -> tuple[str, str, str]:
    """(EDTF, detail, place): the frus:doc-dateTime-min/-max attributes (newer encoding), else
    the document's own dateline (in the div, its opener or closer), else the first dated
    element outside notes and attachments (older volumes date in a closing paragraph)."""
    place = ""
    dated = None
    for dateline in _own(div, "dateline"):
        place = place or _place(dateline)
        if dated is None:
            dated = next((d for d in dateline.iter(f"{TEI}date") if _has_date(d)), None)
    if dated is None:
        dated = next((d for d in _own(div, "date") if _has_date(d)), None)
        if dated is not None and not place:
            place = _place(dated.getparent())
    edtf, detail = _from_attributes(div)
    if not edtf and dated is not None:
        edtf, detail = _from_date_element(dated)
    elif edtf and dated is not None and not detail:
        detail = _from_date_element(dated)[1]
    if edtf and not detail and dated is not None:
        detail = _time_beside(dated)
    if edtf:
        try:
            parse_document_date(edtf)
        except InvalidDate as error:
            warnings.append(f"{source_id}: date not understood ({error}); left undated")
            return "", "", place
    return edtf, detail, place


def _time_beside(date) -> str:
    """The <time when|from|to> printed next to the date in the dateline: '15:10–15:40'."""
    parent = date.getparent()
    time = parent.find(f"{TEI}time") if parent is not None else None
    if time is None:
        return ""
    values = [_clock(time.get(a)) for a in ("when", "from", "to")]
    return values[0] or "–".join(v for v in values[1:] if v)


def _clock(value: str | None) -> str:
    match = re.match(r"^(\d{2}):(\d{2})", (value or "").strip())
    return f"{match.group(1)}:{match.group(2)}" if match else ""


def _own(div, name: str):
    """Descendants named `name` that belong to this document, not to a note or attachment."""
    for element in div.iter(f"{TEI}{name}"):
        node = element.getparent()
        while node is not None and node is not div:
            if local_name(node) in ("note", "attachment") or (
                local_name(node) == "div" and node.get("type") == "document"
            ):
                break
            node = node.getparent()
        else:
            yield element


def _has_date(element) -> bool:
    return any(element.get(a) for a in ("when", "from", "to", "notBefore", "notAfter"))


def _place(element) -> str:
    if element is None:
        return ""
    name = element.find(f".//{TEI}placeName")
    return plain_text(name).strip("[]., ") if name is not None else ""


def _from_attributes(div) -> tuple[str, str]:
    values = {local_name_of(k): v for k, v in div.attrib.items()}
    low, high = values.get("doc-dateTime-min", ""), values.get("doc-dateTime-max", "")
    if not low and not high:
        return "", ""
    return _interval(low or high, high or low)


def local_name_of(attribute: str) -> str:
    return attribute.rsplit("}", 1)[-1]


def _from_date_element(element) -> tuple[str, str]:
    when = element.get("when")
    if when:
        return split_date_time(when)
    low = element.get("from") or element.get("notBefore")
    high = element.get("to") or element.get("notAfter")
    return _interval(low or high, high or low)


def _interval(low: str, high: str) -> tuple[str, str]:
    low_day, low_time = split_date_time(low)
    high_day, high_time = split_date_time(high)
    if not low_day or not high_day:
        return "", ""
    if low_day == high_day:
        detail = low_time if low_time == high_time else "–".join(t for t in (low_time, high_time) if t)
        return low_day, detail
    return f"{low_day}/{high_day}", ""


def split_date_time(value: str) -> tuple[str, str]:
    """'1961-01-12T20:40:00' → ('1961-01-12', '20:40'); '…T14:05:00Z' → (…, '14:05 UTC');
    '1963-01' → ('1963-01', ''). Anything else → ('', '')."""
    match = _DATE_TIME.match((value or "").strip())
    if not match:
        return "", ""
    day, hours, minutes, seconds, zone = match.groups()
    if hours is None:
        return day, ""
    time = f"{hours}:{minutes}" + (f":{seconds}" if seconds and seconds != "00" else "")
    if zone == "Z":
        time += " UTC"
    elif zone:
        time += f" UTC{zone.replace('-', '−')}"
    return day, time
