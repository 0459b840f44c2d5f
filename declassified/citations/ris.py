"""A document as a RIS record, made from its CSL-JSON item.

Written here rather than with rispy, whose writer puts a stray "1." line before each record.
Tags follow the RIS specification and Zotero's RIS translator (which reads them back):

    TY  MANSCPT       Zotero: manuscript
    TI  title         AU  each author, whole (Zotero keeps a comma-less name in one piece)
    A4  each translator (Zotero: translator)
    PY  year          DA  YYYY/MM/DD/other — "other" says "circa" for approximate dates
    M3  type          Zotero: manuscript type (Cable, Memorandum of Conversation…)
    DB  archive       Zotero: Archive
    AV  location in the archive (RIS "availability"; Zotero: Loc. in Archive)
    UR  URL           Y2  access date
    AB  summary       KW  subjects      LA  languages      CR  rights
    N1  notes (classification, the exact EDTF date when it is not a plain date)
    ER  end of record

A document published in a documentary edition is a book section instead:

    TY  CHAP          Zotero: book section
    T2  volume title  T3  series with its years     VL  volume      ED  each editor
    PB  publisher     CY  place of publication       PY/DA  the volume's year
    SE  "doc. 100", the document's number in the volume
    UR  the edition's page, then a second UR for this site's page
    N1  also the document's own date

Left out on purpose (archival documents): CY (Zotero reads it as the place a manuscript was written, not where
its archive is), T2 and PB (Zotero's manuscript has no container or publisher and would file
them as stray notes). A range is dated by its start in DA and spelled out in N1.
Lines end in CRLF, as the specification asks; values have no line breaks.
"""

from __future__ import annotations

from declassified.archive.control_chars import strip_control_characters
from declassified.archive.models import Document


def _date(item: dict) -> list[tuple[str, str]]:
    issued = item.get("issued")
    if not issued:
        return []
    start = issued["date-parts"][0] + [None, None]
    year, month, day = start[0], start[1], start[2]
    other = "circa" if issued.get("circa") else ""
    da = f"{year:04d}/{month:02d}/" if month else f"{year:04d}//"
    da += f"{day:02d}/" if day else "/"
    return [("PY", str(year)), ("DA", da + other)]


def _clean(value: str) -> str:
    # Input refuses or strips control characters; rows stored before that are cleaned here.
    return " ".join(strip_control_characters(str(value)).split())


def ris_name(name: dict) -> str:
    """A literal name whole; a split one as "Family, Given, Suffix" (the RIS form)."""
    if "literal" in name:
        return name["literal"]
    return ", ".join(p for p in (name["family"], name.get("given"), name.get("suffix")) if p)


def _edition_lines(item: dict) -> list[tuple[str, str]]:
    lines = [(tag, item[key]) for tag, key in (
        ("T2", "container-title"), ("T3", "collection-title"), ("VL", "volume"),
        ("PB", "publisher"), ("CY", "publisher-place")) if item.get(key)]
    lines += [("ED", ris_name(editor)) for editor in item.get("editor", [])]
    if item.get("number"):
        lines.append(("SE", f"doc. {item['number']}"))
    return lines


def document_ris(item: dict, document: Document, *, page_url: str = "") -> str:
    """The record for one document; `item` is its CSL-JSON (see csl.document_csl) and
    `page_url` this site's page for it, a second UR when the item's URL is the edition's."""
    in_edition = item["type"] == "chapter"
    lines: list[tuple[str, str]] = [("TY", "CHAP" if in_edition else "MANSCPT"),
                                    ("TI", item["title"])]
    lines += [("AU", ris_name(author)) for author in item.get("author", [])]
    lines += [("A4", ris_name(name)) for name in item.get("translator", [])]
    lines += _edition_lines(item) if in_edition else []
    lines += _date(item)
    for tag, key in (("M3", "genre"), ("DB", "archive"), ("AV", "archive_location"),
                     ("UR", "URL"), ("AB", "abstract")):
        if item.get(key):
            lines.append((tag, item[key]))
    if page_url and page_url != item["URL"]:
        lines.append(("UR", page_url))
    accessed = item["accessed"]["date-parts"][0]
    lines.append(("Y2", "{:04d}/{:02d}/{:02d}/".format(*accessed)))
    lines += [("KW", subject.name) for subject in document.subjects.all()]
    lines += [("LA", language.code) for language in document.languages.all()]
    if document.rights:
        lines.append(("CR", document.rights))
    lines += [("N1", note) for note in item.get("note", "").splitlines() if note]
    lines.append(("ID", item["id"]))
    body = "".join(f"{tag}  - {_clean(value)}\r\n" for tag, value in lines)
    return body + "ER  - \r\n"
