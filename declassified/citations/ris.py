"""A document as a RIS record, made from its CSL-JSON item.

Written here rather than with rispy, whose writer puts a stray "1." line before each record.
Tags follow the RIS specification and Zotero's RIS translator (which reads them back):

    TY  MANSCPT       Zotero: manuscript
    TI  title         AU  each author, whole (Zotero keeps a comma-less name in one piece)
    PY  year          DA  YYYY/MM/DD/other — "other" says "circa" for approximate dates
    M3  type          Zotero: manuscript type (Cable, Memorandum of Conversation…)
    DB  archive       Zotero: Archive
    AV  location in the archive (RIS "availability"; Zotero: Loc. in Archive)
    UR  URL           Y2  access date
    AB  summary       KW  subjects      LA  languages      CR  rights
    N1  notes (classification, the exact EDTF date when it is not a plain date)
    ER  end of record

Left out on purpose: CY (Zotero reads it as the place a manuscript was written, not where
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


def document_ris(item: dict, document: Document) -> str:
    """The record for one document; `item` is its CSL-JSON (see csl.document_csl)."""
    lines: list[tuple[str, str]] = [("TY", "MANSCPT"), ("TI", item["title"])]
    lines += [("AU", author["literal"]) for author in item.get("author", [])]
    lines += _date(item)
    for tag, key in (("M3", "genre"), ("DB", "archive"), ("AV", "archive_location"),
                     ("UR", "URL"), ("AB", "abstract")):
        if item.get(key):
            lines.append((tag, item[key]))
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
