"""Import documents from CSV or JSON Lines (the format is described in docs/import-format.md).

Three steps, so that a bad file never leaves half an import behind:

1. `parse_file` reads the file into plain `ImportRow`s and checks every row, collecting every
   problem ("row 7, field date: ...") instead of stopping at the first; it touches no database.
2. `import_rows` checks the rows against the archive (a source_id owned by another document)
   and compares them with it, reading only; then it hands the rows that change something to
   `actions.do_upsert_documents`, in one short write transaction: all rows or none.
3. Rows equal to what the archive already holds are skipped, so re-importing a file changes
   nothing (no revision, no reindexing).

Files named in the `attachments` column (tabular_attachments) are checked in step 1, attached
in step 2's transaction (a file already attached is not attached again), and rendered into
pages by one pages job queued after it.
"""

from __future__ import annotations

import csv
import difflib
import html
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count, Max

from declassified.archive.control_chars import strip_control_characters
from declassified.archive.database import IMPORTER_LOCK_WAIT_SECONDS, waiting_up_to
from declassified.archive.dates import InvalidDate, parse_document_date
from declassified.archive.fields import concrete_field
from declassified.archive.languages import is_language_code
from declassified.archive.models import Document, Revision, Text
from declassified.archive.upsert import DocumentInput, TextInput, do_upsert_documents
from declassified.ingest.page_jobs import enqueue_page_rendering
from declassified.ingest.tabular_attachments import (
    AttachmentFile,
    attach_files,
    check_attachments,
    documents_of_rows,
    new_files,
)
from declassified.ingest.tabular_columns import (
    COLUMNS_BY_NAME,
    LIST_ATTRIBUTES,
    MULTI_SEPARATOR,
    TEXT_COLUMNS,
    Column,
    from_spreadsheet_safe,
)
from declassified.ingest.tabular_compare import LOOKUP_CHUNK, differs, existing_documents

FORMATS = ("csv", "jsonl")
FORMAT_BY_SUFFIX = {".csv": "csv", ".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl"}
CSV_FIELD_LIMIT = 64 * 1024 * 1024  # texts may be long; the csv module's default is 128 KB
STATUSES = tuple(code for code, _label in Document.STATUS_CHOICES)
TEXT_KINDS = tuple(code for code, _label in Text.KIND_CHOICES)


class ImportFileError(Exception):
    """The file cannot be read at all (missing, not UTF-8, empty, unknown format)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file; row is what a person counts in the file (None: whole file)."""

    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "file"
        if self.field:
            return f"{where}, field {self.field}: {self.message}"
        return f"{where}: {self.message}"


class InvalidImport(Exception):
    """The file has problems; nothing was written. `problems` lists every one of them."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass
class RawRow:
    """A row as read: only the columns the row has; names lists, everything else a string."""

    number: int
    cells: dict[str, str | list[str]]
    unreadable: set[str] = field(default_factory=set)  # columns whose value was already refused


@dataclass
class ImportRow:
    number: int
    data: DocumentInput
    attachments: list[AttachmentFile] = field(default_factory=list)  # checked, in order


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    attached: int = 0  # files of the attachments column not attached before
    pages_job: int | None = None  # the job rendering their pages

    def __str__(self) -> str:
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.attached:
            text += f"; {self.attached} file(s) attached"
        if self.pages_job is not None:
            text += f", their pages rendered by pages job #{self.pages_job}"
        return text


# --- Reading --------------------------------------------------------------------------------


def parse_file(path: Path, fmt: str | None = None, *, uploaded: bool = False) -> list[ImportRow]:
    """Read and check a whole file without touching the database.

    Files of the attachments column are looked for next to the file, and checked; an
    `uploaded` file has no such folder, so a row naming files is an error. Raises
    ImportFileError when the file cannot be read, InvalidImport listing every problem.
    """
    fmt = file_format(path, fmt)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file.") from None
    except OSError as error:
        raise ImportFileError(f"{path}: cannot be read ({error.strerror}).") from None
    text = decode_utf8(data)
    if not text.strip():
        raise ImportFileError(f"{path}: the file is empty.")
    raw_rows, problems = read_csv(text) if fmt == "csv" else read_jsonl(text)
    base = None if uploaded else path.parent
    rows = [checked_row(raw, fmt, base, problems) for raw in raw_rows]
    problems.extend(duplicates_within_file(rows))
    if problems:
        raise InvalidImport(sorted(problems, key=lambda p: (p.row or 0)))
    return rows


def checked_row(raw: RawRow, fmt: str, base: Path | None, problems: list[Problem]) -> ImportRow:
    """A row read, checked (its problems added to `problems`); attachments are looked for
    in `base` (None: an uploaded file, which cannot name any)."""
    # A CSV header without title was reported once, for row 1; JSON Lines rows each need one.
    data_input, row_problems = check_row(raw, title_required=fmt == "jsonl")
    problems.extend(row_problems)
    files, messages = check_attachments(
        raw.cells.get("attachments", []), base,
        identified=data_input.id is not None or bool(data_input.source_id),
    )
    problems.extend(Problem(raw.number, "attachments", message) for message in messages)
    return ImportRow(raw.number, data_input, files)


def file_format(path: Path, fmt: str | None) -> str:
    if fmt:
        if fmt not in FORMATS:
            raise ImportFileError(f"unknown format {fmt!r}; use csv or jsonl.")
        return fmt
    try:
        return FORMAT_BY_SUFFIX[path.suffix.lower()]
    except KeyError:
        raise ImportFileError(
            f"{path.name}: cannot tell the format from the name; name it .csv or .jsonl, "
            "or pass --format csv|jsonl."
        ) from None


def decode_utf8(data: bytes) -> str:
    """UTF-8, with or without the byte-order mark spreadsheet programs write."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ImportFileError(
            f"line {line}: the file is not UTF-8 (byte 0x{data[error.start]:02x}); "
            "save it as UTF-8 and import again."
        ) from None


def unknown_column(row: int, name: str) -> Problem:
    close = difflib.get_close_matches(name, list(COLUMNS_BY_NAME), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else (
        "; see docs/import-format.md for the columns."
    )
    return Problem(row, name, f"unknown column{hint}")


def read_header(names: list[str]) -> tuple[list[str | None], list[Problem]]:
    """The column of each CSV position (None: ignored); problems with the header row."""
    columns: list[str | None] = []
    problems = []
    for raw_name in names:
        name = raw_name.strip().lower()
        if name and name not in COLUMNS_BY_NAME:
            problems.append(unknown_column(1, raw_name.strip()))
            name = ""
        elif name in columns:
            problems.append(Problem(1, name, "the column appears twice"))
            name = ""
        columns.append(name or None)
    if "title" not in columns:
        problems.append(Problem(1, "title", "the required column is missing"))
    return columns, problems


def read_csv(text: str) -> tuple[list[RawRow], list[Problem]]:
    """Rows of a CSV file with a header row; row 2 is the first data row, as in a spreadsheet."""
    problems: list[Problem] = []
    rows = list(csv_rows(io.StringIO(text, newline=""), problems))
    return rows, problems


def csv_rows(lines: Iterable[str], problems: list[Problem]) -> Iterator[RawRow]:
    """The rows of CSV lines, one at a time; their problems are added to `problems`."""
    csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.reader(lines, strict=True)
    number = 0  # the last row read whole; a broken row is the next one
    try:
        columns, header_problems = read_header(next(reader))
        problems.extend(header_problems)
        number = 1
        for number, record in enumerate(reader, start=2):
            if any(cell.strip() for cell in record):  # spreadsheets leave blank lines
                yield csv_row(number, columns, record, problems)
    except csv.Error as error:
        # The rest of the file cannot be split into cells reliably; stop reading here.
        problems.append(Problem(number + 1, None, f"not valid CSV ({error})"))


def csv_row(number: int, columns: list[str | None], record: list[str], problems: list) -> RawRow:
    cells: dict[str, str | list[str]] = {}
    for position, column in enumerate(columns):
        # Stripped, not refused: see archive.control_chars and docs/import-format.md.
        value = strip_control_characters(record[position]) if position < len(record) else ""
        value = from_spreadsheet_safe(value)  # the ' our export adds before a formula
        if column is None:
            continue
        if COLUMNS_BY_NAME[column].multi:
            cells[column] = [part.strip() for part in value.split(MULTI_SEPARATOR)]
        else:
            cells[column] = value
    extra = [cell for cell in record[len(columns):] if cell.strip()]
    if extra:
        problems.append(Problem(
            number, None, f"{len(record)} cells but the header names {len(columns)} columns"
        ))
    return RawRow(number, cells)


def read_jsonl(text: str) -> tuple[list[RawRow], list[Problem]]:
    """One JSON object per line; rows are numbered by line. Unknown keys are reported once."""
    problems: list[Problem] = []
    rows = list(jsonl_rows(text.split("\n"), problems))
    return rows, problems


def jsonl_rows(lines: Iterable[str], problems: list[Problem]) -> Iterator[RawRow]:
    """The rows of JSON Lines, one at a time; their problems are added to `problems`."""
    reported_unknown: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        row = jsonl_row(number, line, problems, reported_unknown)
        if row is not None:
            yield row


def jsonl_row(number: int, line: str, problems: list[Problem],
              reported_unknown: set[str]) -> RawRow | None:
    """One line's row (None when it is not a JSON object)."""
    try:
        value = json.loads(line)
    except json.JSONDecodeError as error:
        problems.append(Problem(number, None, f"invalid JSON: {error.msg} at column {error.colno}"))
        return None
    except RecursionError:  # '[[[[…' thousands deep: the decoder's recursion gives up
        problems.append(Problem(number, None, "invalid JSON: nested too deeply"))
        return None
    if not isinstance(value, dict):
        problems.append(Problem(number, None, "expected one JSON object {…} per line"))
        return None
    row = RawRow(number, {})
    for key, cell in value.items():
        name = str(key).strip().lower()
        if name not in COLUMNS_BY_NAME:
            if name not in reported_unknown:
                reported_unknown.add(name)
                problems.append(unknown_column(number, str(key)))
            continue
        converted = json_cell(COLUMNS_BY_NAME[name], cell)
        if isinstance(converted, Problem):
            problems.append(Problem(number, name, converted.message))
            row.unreadable.add(name)
        else:
            row.cells[name] = converted
    return row


def json_cell(column: Column, value) -> str | list[str] | Problem:
    """A JSON value as the cell the checks expect, or a Problem (row filled in by the caller)."""
    if value is None:
        return [] if column.multi else ""
    if column.multi:
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return [strip_control_characters(item) for item in value]
        return Problem(None, None, 'expected a list of strings, e.g. ["first", "second"]')
    if column.kind == "id" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return strip_control_characters(value)
    expected = "a whole number" if column.kind == "id" else "a string"
    return Problem(None, None, f"expected {expected}, not {json.dumps(value)[:40]}")


# --- Checking -------------------------------------------------------------------------------


def check_row(raw: RawRow, *, title_required: bool = True) -> tuple[DocumentInput, list[Problem]]:
    """The document a row describes, and everything wrong with it."""
    problems: list[Problem] = []

    def fail(field: str, message: str) -> None:
        problems.append(Problem(raw.number, field, message))

    # Lists start as None: a column the file lacks leaves those tags alone.
    no_lists: dict[str, Any] = dict.fromkeys(LIST_ATTRIBUTES.values())
    data = DocumentInput(title="", **no_lists)
    for name, value in raw.cells.items():
        column = COLUMNS_BY_NAME[name]
        if name == "attachments":
            continue  # files, not document fields: checked by parse_file
        if column.multi:
            assert isinstance(value, list)  # csv_row and json_cell read a list for these columns
            setattr(data, LIST_ATTRIBUTES[name], check_list(column, value, fail))
        elif name not in TEXT_COLUMNS:
            check_single(data, column, str(value).strip(), fail)
    if not data.title and "title" in raw.cells:
        fail("title", "empty; every document needs a title")
    elif "title" not in raw.cells and "title" not in raw.unreadable and title_required:
        fail("title", "missing; every document needs a title")
    data.texts = check_text(raw.cells, data, fail)
    return data, problems


def check_single(data: DocumentInput, column: Column, value: str, fail: Callable) -> None:
    name = column.name
    if name == "id":
        data.id = check_id(value, fail)
        return
    if name == "archive":
        if len(value) > (column.max_length or 0):
            fail(name, f"longer than {column.max_length} characters")
        data.repository = value
        return
    document_field = column.document_field
    assert document_field is not None, name
    max_length = concrete_field(Document, document_field).max_length
    if max_length and len(value) > max_length:
        fail(name, f"longer than {max_length} characters")
        return  # the row fails; an over-long value is not worth parsing (dates cost)
    if name == "date":
        try:
            value = parse_document_date(value).edtf
        except InvalidDate as error:
            fail(name, str(error))
    elif name == "status":
        value = value.lower()
        if not value:
            return  # draft for new documents, unchanged for existing ones
        if value not in STATUSES:
            fail(name, f"unknown status {value!r}; use {', '.join(STATUSES)}")
    elif name == "source_url" and value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            fail(name, f"{value!r} is not a web address (http:// or https://)")
    if name == "title":
        data.title = value
    elif name == "source_id":
        data.source_id = value or None
    else:
        data.fields[document_field] = value


def check_id(value: str, fail: Callable) -> int | None:
    if not value:
        return None
    if not re.fullmatch(r"[0-9]+", value):
        fail("id", f"{value!r} is not a whole number")
        return None
    number = int(value)
    if not 1 <= number <= 2_147_483_647:
        fail("id", f"{number} is out of range (1 to 2147483647)")
        return None
    return number


def check_list(column: Column, values: list[str], fail: Callable) -> list[str]:
    """Cleaned values, duplicates (ignoring case) removed; names too long or bad codes fail."""
    seen: set[str] = set()
    cleaned = []
    for value in (v.strip() for v in values):
        if not value or value.casefold() in seen:
            continue
        seen.add(value.casefold())
        if column.kind == "codes":
            if not is_language_code(value):
                fail(column.name, f"{value!r} is not an ISO 639 language code (e.g. en, ru, zh)")
            value = value.lower()
        elif len(value) > (column.max_length or 0):
            fail(column.name, f"{value[:40]!r}… is longer than {column.max_length} characters")
        cleaned.append(value)
    return cleaned


def check_text(cells: dict, data: DocumentInput, fail: Callable) -> list[TextInput] | None:
    """The row's text, or None (leave the document's texts alone) when `text` is empty."""
    body = str(cells.get("text", "")).strip()
    if not body:
        return None
    kind = str(cells.get("text_kind", "")).strip().lower() or Text.TRANSLATION
    if kind not in TEXT_KINDS:
        fail("text_kind", f"unknown kind {kind!r}; use {' or '.join(TEXT_KINDS)}")
    language = str(cells.get("text_language", "")).strip().lower()
    if not language:
        if kind == Text.TRANSLATION:
            language = "en"
        elif data.languages:
            language = data.languages[0]
        else:
            fail("text_language", "needed for a transcript (the language it is written in)")
    elif not is_language_code(language):
        fail("text_language", f"{language!r} is not an ISO 639 language code (e.g. en, ru, zh)")
    translator = str(cells.get("translator", "")).strip()
    if len(translator) > 300:
        fail("translator", "longer than 300 characters")
    footnotes = str(cells.get("text_footnotes", "")).strip()
    return [TextInput(kind, language, text_to_html(body), translator, text_to_html(footnotes))]


def text_to_html(text: str) -> str:
    """HTML stays as it is; plain text becomes paragraphs (blank lines) with line breaks."""
    text = text.replace("\r\n", "\n").strip()
    if not text or text.startswith("<"):
        return text
    paragraphs = re.split(r"\n[ \t]*\n+", text)
    return "\n".join(
        "<p>" + "<br>".join(html.escape(line.strip()) for line in p.strip().split("\n")) + "</p>"
        for p in paragraphs
    )


def duplicates_within_file(rows: Sequence[ImportRow]) -> list[Problem]:
    """An id or source_id may appear once in a file, or one row would silently undo another."""
    problems = []
    for column in ("id", "source_id"):
        first_row: dict[object, int] = {}
        for row in rows:
            value = getattr(row.data, column)
            if value is None:
                continue
            if value in first_row:
                problems.append(Problem(
                    row.number, column, f"{value!r} is also in row {first_row[value]}"
                ))
            else:
                first_row[value] = row.number
    return problems


def conflicts_with_archive(rows: Sequence[ImportRow]) -> list[Problem]:
    """A row whose source_id already belongs to a different document than the row's id."""
    problems = []
    wanted = [row for row in rows if row.data.id is not None and row.data.source_id]
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start:start + LOOKUP_CHUNK]
        owners = dict(Document.objects.filter(
            source_id__in=[row.data.source_id for row in chunk]
        ).values_list("source_id", "pk"))
        for row in chunk:
            owner = owners.get(row.data.source_id)
            if owner is not None and owner != row.data.id:
                problems.append(Problem(
                    row.number, "source_id",
                    f"{row.data.source_id!r} already belongs to document {owner}",
                ))
    return problems


# --- Writing --------------------------------------------------------------------------------


def import_rows(
    rows: Sequence[ImportRow], *, acting_user: User | None, via: str = "import",
    dry_run: bool = False,
) -> ImportResult:
    """Create or update the documents of checked rows, all or nothing; `acting_user` and
    `via` are recorded in their revisions (see archive.actions).

    Raises InvalidImport when a row conflicts with the archive. A dry run writes nothing and
    says what an import would do. The comparison with the archive (the slow reading) comes
    before the write transaction, so SQLite's write lock is held only while the changed rows
    are written, and other writers get their turn meanwhile; inside, one query checks that no
    revision was recorded since (else it compares again there, as it always did).
    """
    plan = plan_import(rows)
    to_attach = len(new_files(rows, documents_of_rows(rows)))
    if dry_run or not (plan.changed or to_attach):
        return replace(plan.result, attached=to_attach)
    with waiting_up_to(IMPORTER_LOCK_WAIT_SECONDS), transaction.atomic():
        if archive_state() != plan.archive_state:  # someone wrote meanwhile
            plan = plan_import(rows)
        if plan.changed:
            do_upsert_documents(plan.changed, acting_user=acting_user, via=via)
        attached = attach_files(rows, acting_user=acting_user, via=via)
    # Rendering takes seconds a page: a worker does it, after the import has committed.
    job = enqueue_page_rendering(attached, user=acting_user) if attached else None
    return replace(plan.result, attached=len(attached), pages_job=job.pk if job else None)


@dataclass(frozen=True)
class ImportPlan:
    result: ImportResult
    changed: list[DocumentInput]
    archive_state: tuple[int, int | None]  # as read before the comparison


def archive_state() -> tuple[int, int | None]:
    """(number of revisions, highest revision ID): every archive write records a revision
    (archive.actions), so an unchanged pair means the archive is as it was read. The count
    also catches a PostgreSQL transaction that took a lower ID and committed later."""
    totals = Revision.objects.aggregate(count=Count("pk"), last=Max("pk"))
    return totals["count"], totals["last"]


def plan_import(rows: Sequence[ImportRow]) -> ImportPlan:
    """What importing the rows would change, read from the archive (no writes); raises
    InvalidImport when a row conflicts with it."""
    state = archive_state()
    problems = conflicts_with_archive(rows)
    if problems:
        raise InvalidImport(problems)
    existing = existing_documents([row.data for row in rows])
    changed = [
        row.data for index, row in enumerate(rows)
        if index not in existing or differs(existing[index], row.data)
    ]
    created = len(rows) - len(existing)
    result = ImportResult(created, len(changed) - created, len(rows) - len(changed))
    return ImportPlan(result, changed, state)
