"""Reading FRUS TEI volumes into plain data (no database).

`parse_volume(path)` reads one `.xml` or `.xml.gz` volume and returns a `VolumeData`: the
volume's metadata, its chapters, persons, terms and documents, each document already
carrying its body as HTML. Anything that stops the file from being read as a FRUS TEI volume
raises `FrusFormatError` naming the file and the line; oddities inside a readable volume
(an unreadable date, a document without an ID) become warnings in `VolumeData.warnings`.

The encoding and its oddities are described in ../shared/corpus/README.md; how fields map
onto the archive is in docs/frus-import.md.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from declassified.archive.dates import InvalidDate, parse_document_date
from declassified.ingest.frus import source
from declassified.ingest.frus.body import BodyRenderer
from declassified.ingest.frus.documents import parse_document
from declassified.ingest.frus.tei import TEI, XML_ID, local_name, nearest_ancestor, plain_text
from declassified.ingest.frus.types import (
    ChapterEntry,
    EditionHeader,
    PersonEntry,
    TermEntry,
    VolumeData,
)

VOLUME_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,80}$")
_PARSER_OPTIONS = dict(
    resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True,
    load_dtd=False, huge_tree=True,
)


class FrusFormatError(ValueError):
    """The file cannot be read as a FRUS TEI volume; the message names file and line."""

    def __init__(self, path: str | Path, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.reason = message
        self.line = line
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {message}")

    def __reduce__(self):  # errors travel back from the parsing process
        return (type(self), (self.path, self.reason, self.line))


# --- Reading the file ----------------------------------------------------------------------


# The most one volume file may hold once decompressed, unless the caller says otherwise
# (the import job passes settings.IMPORT_MAX_VOLUME_MB). The largest FRUS volume is about
# 40 MB of XML; a 1 MB gzip of zeros expands to 1 GB, so decompression must be bounded.
DEFAULT_MAX_VOLUME_BYTES = 200 * 1024 * 1024
_CHUNK = 64 * 1024


def read_volume_bytes(path: Path, max_bytes: int = DEFAULT_MAX_VOLUME_BYTES) -> bytes:
    """The XML bytes of a .xml or .xml.gz file, at most `max_bytes` of them (a larger file
    raises FrusFormatError at once, without decompressing the rest); a damaged gzip stream
    raises FrusFormatError with the line where the readable part ends."""
    return b"".join(volume_chunks(path, max_bytes))


def volume_chunks(path: Path, max_bytes: int = DEFAULT_MAX_VOLUME_BYTES) -> Iterator[bytes]:
    """The file's XML bytes in chunks, decompressed as a stream (see read_volume_bytes)."""
    try:
        handle = path.open("rb")
    except OSError as error:
        raise FrusFormatError(path, f"cannot be read ({error.strerror or error})") from None
    with handle:
        first = _read(handle, path)
        if not first.startswith(b"\x1f\x8b"):
            if path.suffix == ".gz":
                raise FrusFormatError(path, "is named .gz but is not gzip-compressed", 1)
            total = 0
            while first:
                total += len(first)
                if total > max_bytes:
                    raise _too_large(path, max_bytes, "is larger than")
                yield first
                first = _read(handle, path)
            return
        yield from _gunzip(handle, path, first, max_bytes)


def _read(handle, path: Path) -> bytes:
    try:
        return handle.read(_CHUNK)
    except OSError as error:
        raise FrusFormatError(path, f"cannot be read ({error.strerror or error})") from None


def _gunzip(handle, path: Path, pending: bytes, max_bytes: int) -> Iterator[bytes]:
    """Decompress gzip members (a file may hold several) chunk by chunk, never producing
    more than max_bytes in all: zlib's max_length stops a bomb after the limit."""
    decompressor = zlib.decompressobj(wbits=31)
    total, lines, fed = 0, 1, False
    while True:
        if not pending:
            pending = _read(handle, path)
            if not pending:
                break
        try:
            out = decompressor.decompress(pending, max_bytes + 1 - total)
        except zlib.error:
            raise _damaged(path, lines) from None
        fed = True
        total += len(out)
        if total > max_bytes:
            raise _too_large(path, max_bytes, "decompresses to more than")
        lines += out.count(b"\n")
        if out:
            yield out
        pending = decompressor.unconsumed_tail
        if decompressor.eof:  # the next gzip member, if any (zero padding is allowed)
            pending = decompressor.unused_data.lstrip(b"\0")
            decompressor, fed = zlib.decompressobj(wbits=31), False
    if fed and not decompressor.eof:
        raise _damaged(path, lines)


def _damaged(path: Path, line: int) -> FrusFormatError:
    return FrusFormatError(
        path, "the gzip data is truncated or corrupt; the file ends unexpectedly", line)


def _too_large(path: Path, max_bytes: int, verb: str) -> FrusFormatError:
    megabytes = max_bytes / (1024 * 1024)
    return FrusFormatError(
        path, f"{verb} {megabytes:g} MB, the most one volume may hold (the setting "
              "IMPORT_MAX_VOLUME_MB); a FRUS volume is far smaller, so the file is damaged or "
              "not a volume")


def parse_volume(path: str | Path, max_bytes: int = DEFAULT_MAX_VOLUME_BYTES) -> VolumeData:
    """Read and convert one volume file (see the module docstring)."""
    path = Path(path)
    return parse_volume_bytes(read_volume_bytes(path, max_bytes), path)


def parse_or_error(path: str | Path,
                   max_bytes: int = DEFAULT_MAX_VOLUME_BYTES) -> VolumeData | FrusFormatError:
    """parse_volume, with the format error returned rather than raised. Runs in a parsing
    process (so this module must not need Django's app registry)."""
    try:
        return parse_volume(path, max_bytes)
    except FrusFormatError as error:
        return error
    except RecursionError:  # a safety net: _refuse_deep_markup should have said where
        return FrusFormatError(path, "markup nested too deeply to read")


# The reader walks elements recursively (a few Python frames a level, the limit being 1,000).
# Real FRUS volumes nest about 20 elements deep; 330 deep raised a RecursionError that failed
# the whole import job without naming the file.
MAX_MARKUP_DEPTH = 100
_TOO_DEEP = etree.XPath("(" + "/".join(["*"] * MAX_MARKUP_DEPTH) + ")[1]")


def _refuse_deep_markup(root, path: str | Path) -> None:
    """FrusFormatError, naming the line, when an element sits more than MAX_MARKUP_DEPTH
    elements below the root. One XPath evaluation in libxml2: linear in the elements."""
    found = _TOO_DEEP(root)
    if found:
        element = found[0]
        raise FrusFormatError(
            path, f"markup nested more than {MAX_MARKUP_DEPTH} elements deep (here "
                  f"<{local_name(element) or element.tag}>); a FRUS volume nests far less, so "
                  "the file is damaged or not a volume", element.sourceline)


def parse_volume_bytes(data: bytes, path: str | Path) -> VolumeData:
    root = _parse_xml(data, path)
    _refuse_deep_markup(root, path)
    volume_id = _volume_id(root, Path(path))
    if not VOLUME_ID.match(volume_id):
        raise FrusFormatError(path, f"the volume ID {volume_id!r} is not usable", root.sourceline)
    text = root.find(f"{TEI}text")
    documents = [] if text is None else [
        div for div in text.iter(f"{TEI}div") if div.get("type") == "document"
    ]
    if not documents:
        raise FrusFormatError(
            path, 'no FRUS documents (<div type="document">) in this TEI file', root.sourceline
        )
    volume = VolumeData(
        path=str(path), volume_id=volume_id, title=_volume_title(root, volume_id),
        editors=_editors(root), date_span=_date_span(root, volume_id),
        header=_edition_header(root),
    )
    volume.terms = _terms(root)
    volume.persons = _persons(root, volume.terms)
    _read_documents(volume, documents)
    return volume


def _parse_xml(data: bytes, path: str | Path):
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line = error.position[0] if error.position else error.lineno
        message = (error.msg or str(error)).split(", line ")[0]
        raise FrusFormatError(path, f"not well-formed XML: {message}", line) from None
    except ValueError as error:  # e.g. an encoding declaration lxml refuses
        raise FrusFormatError(path, f"not readable as XML: {error}", 1) from None
    if root.tag != f"{TEI}TEI":
        found = local_name(root) or str(root.tag)
        namespace = root.tag[1:].split("}")[0] if str(root.tag).startswith("{") else "no namespace"
        raise FrusFormatError(
            path,
            f"not a TEI document: the root element is <{found}> ({namespace}), "
            "expected <TEI> in the TEI namespace http://www.tei-c.org/ns/1.0",
            root.sourceline,
        )
    return root


# --- Volume metadata -----------------------------------------------------------------------


def _volume_id(root, path: Path) -> str:
    """The root's xml:id; else the header's frus idno; else the file name without extensions."""
    found = (root.get(XML_ID) or "").strip()
    if found:
        return found
    for idno in root.iter(f"{TEI}idno"):
        if idno.get("type") == "frus" and (idno.text or "").strip():
            return idno.text.strip()
    name = path.name
    for suffix in (".gz", ".xml"):
        name = name.removesuffix(suffix)
    return name


def _title_statement(root):
    return root.find(f"{TEI}teiHeader/{TEI}fileDesc/{TEI}titleStmt")


def _volume_title(root, volume_id: str) -> str:
    statement = _title_statement(root)
    titles = {} if statement is None else {
        t.get("type") or "": plain_text(t) for t in statement.findall(f"{TEI}title")
    }
    if titles.get("complete"):
        return titles["complete"]
    parts = [titles.get(k) for k in ("series", "subseries", "volumenumber", "volume")]
    return ", ".join(p for p in parts if p) or titles.get("", "") or volume_id


def _editors(root) -> str:
    """'Edward C. Keefer, David W. Mabon (editors); Glenn W. LaFantasie (general editor)'."""
    statement = _title_statement(root)
    if statement is None:
        return ""
    by_role: dict[str, list[str]] = {}
    for editor in statement.findall(f"{TEI}editor"):
        name = plain_text(editor)
        if name:
            by_role.setdefault(editor.get("role") or "primary", []).append(name)
    labels = {"primary": "editor", "general": "general editor"}
    parts = []
    for role, names in by_role.items():
        label = labels.get(role, role.replace("-", " "))
        parts.append(f"{', '.join(names)} ({label}{'s' if len(names) > 1 else ''})")
    return "; ".join(parts)


def _edition_header(root) -> EditionHeader:
    statement = _title_statement(root)
    if statement is None:
        return EditionHeader()
    titles: dict[str, str] = {}
    for title in statement.findall(f"{TEI}title"):
        titles.setdefault(title.get("type") or "", plain_text(title))
    editors = [(e.get("role") or "primary", plain_text(e)) for e in statement.findall(f"{TEI}editor")]
    primary = [name for role, name in editors if role == "primary" and name]
    return EditionHeader(
        series=titles.get("series", ""), subseries=titles.get("subseries", ""),
        volume_number=titles.get("volumenumber", ""), volume_title=titles.get("volume", ""),
        editors=tuple(primary or [name for _role, name in editors if name]
                      or _preface_compilers(root)),
    )


# The preface's acknowledgments name who compiled the volume when the title statement names no
# editor (frus1958-60v05: "N. Stephen Kane supervised the planning and compilation of this
# volume"); the published volume's title page credits that person as its editor.
_COMPILER = re.compile(
    r"((?:[A-Z][a-z]*\.? ){1,3}[A-Z][A-Za-z’'-]+(?:, Jr\.)?) "
    r"(?:supervised the (?:planning and )?(?:research and )?compilation of|compiled|edited) "
    r"this volume")


def _preface_compilers(root) -> list[str]:
    """Who the preface says compiled the volume (the first such sentence), else nothing."""
    for div in root.iter(f"{TEI}div"):
        if div.get(XML_ID) == "preface":
            for paragraph in div.iter(f"{TEI}p"):
                found = _COMPILER.search(plain_text(paragraph))
                if found:
                    return [found.group(1)]
            return []
    return []


_YEARS = re.compile(r"(1[789]\d\d|20\d\d)(?:\s*[–-]\s*(\d{2,4}))?")


def _date_span(root, volume_id: str) -> str:
    """EDTF years the volume covers, from the subseries title or the volume ID
    ('frus1961-63v22' → '1961/1963'); --bibliography gives the exact coverage."""
    statement = _title_statement(root)
    candidates = [volume_id.removeprefix("frus")]
    if statement is not None:
        candidates[:0] = [plain_text(t) for t in statement.findall(f"{TEI}title")
                          if t.get("type") == "subseries"]
    for text in candidates:
        match = _YEARS.match(text.strip())
        if match:
            start, end = match.group(1), match.group(2)
            if not end:
                return start
            end = start[: 4 - len(end)] + end
            return f"{start}/{end}" if end > start else start
    return ""


def _listed(root, div_id: str, tag: str):
    """(xml:id, element, text of its list item) for each `tag` with an xml:id in the
    back-matter list `div_id` ("terms", "persons"); the first of repeated ids only."""
    seen: set[str] = set()
    for div in root.iter(f"{TEI}div"):
        if div.get(XML_ID) != div_id:
            continue
        for element in div.iter(f"{TEI}{tag}"):
            xml_id = element.get(XML_ID)
            if not xml_id or xml_id in seen:
                continue
            seen.add(xml_id)
            item = nearest_ancestor(element, "item", div)
            yield xml_id, element, plain_text(item) if item is not None else None


def _terms(root) -> list[TermEntry]:
    terms = []
    for xml_id, term, item_text in _listed(root, "terms", "term"):
        word = plain_text(term)
        expansion = _after_name(item_text, word) if item_text is not None else ""
        terms.append(TermEntry(xml_id, word, expansion))
    return terms


def _persons(root, terms: list[TermEntry]) -> list[PersonEntry]:
    persons = []
    for xml_id, name_element, item_text in _listed(root, "persons", "persName"):
        name = plain_text(name_element).strip(" ,;")
        description = _after_name(item_text, name) if item_text is not None else ""
        if name:
            persons.append(PersonEntry(xml_id, name, description, source.person_source_key(name)))
    return persons


def _after_name(item_text: str, name: str) -> str:
    """'Ainsworth, Thomas W., Officer in Charge…' minus the name → 'Officer in Charge…'."""
    rest = item_text[len(name):] if item_text.startswith(name) else item_text.replace(name, "", 1)
    return rest.strip(" ,;:—–-")


# --- Documents -------------------------------------------------------------------------------


def _read_documents(volume: VolumeData, documents) -> None:
    terms = {t.xml_id: t.expansion for t in volume.terms}
    known_persons = {p.xml_id for p in volume.persons}
    chapters: dict = {}  # div element → ChapterEntry (lxml keeps one proxy per held node)
    siblings: dict[str | None, int] = {}
    seen: set[str] = set()
    unknown_persons: set[str] = set()
    for div in documents:
        xml_id = (div.get(XML_ID) or "").strip()
        if not xml_id and (div.get("n") or "").strip().isalnum():
            xml_id = f"d{div.get('n').strip()}"
            volume.warnings.append(f"line {div.sourceline}: document without xml:id; "
                                   f"using {xml_id} from its number")
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", xml_id or "-") or not xml_id:
            volume.warnings.append(f"line {div.sourceline}: document without a usable ID skipped")
            continue
        if xml_id in seen:
            volume.warnings.append(f"line {div.sourceline}: duplicate document ID {xml_id} skipped")
            continue
        seen.add(xml_id)
        path = _chapter_path(volume, div, chapters, siblings)
        renderer = BodyRenderer(volume.volume_id, xml_id, terms)
        entry = parse_document(div, xml_id, volume.volume_id, renderer, volume.warnings)
        entry.chapters = [c.source_id for c in path]
        if not entry.date:
            heading = path[-1].title if path else ""
            guessed = source.date_from_prose(entry.title, heading)
            if guessed and _valid_date(guessed):
                entry.date, entry.date_detail = guessed, "date taken from the title"
        unknown_persons.update(p for p in entry.person_ids if p not in known_persons)
        entry.person_ids = [p for p in entry.person_ids if p in known_persons]
        for party in entry.senders + entry.recipients:
            if party.person_id not in known_persons:
                party.person_id = None
        volume.documents.append(entry)
    volume.chapters = list(chapters.values())  # in document order
    if unknown_persons:
        sample = ", ".join(sorted(unknown_persons)[:5])
        volume.warnings.append(
            f"{len(unknown_persons)} person reference(s) not in the list of persons "
            f"(e.g. {sample}); left unlinked"
        )


def _valid_date(value: str) -> bool:
    try:
        parse_document_date(value)
    except InvalidDate:
        return False
    return True


def _chapter_path(volume, div, chapters, siblings) -> list[ChapterEntry]:
    """The chapter divs around a document, outermost first, registering new ones in order."""
    ancestors = []
    node = div.getparent()
    while node is not None and local_name(node) == "div":
        ancestors.append(node)
        node = node.getparent()
    path: list[ChapterEntry] = []
    for element in reversed(ancestors):
        entry = chapters.get(element)
        if entry is None:
            parent = path[-1].source_id if path else None
            kind = element.get("type") or "section"
            own_id = (element.get(XML_ID) or "").strip() or f"{kind}{len(chapters) + 1}"
            head = element.find(f"{TEI}head")
            title = (plain_text(head) if head is not None else "") or own_id
            position = siblings.get(parent, 0)
            siblings[parent] = position + 1
            entry = ChapterEntry(f"{volume.volume_id}/{own_id}", title, kind, parent, position)
            chapters[element] = entry
        path.append(entry)
    return path
