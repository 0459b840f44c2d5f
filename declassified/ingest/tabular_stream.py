"""`declassified import FILE` for files of any size: two passes over the file, in bounded memory.

`tabular.parse_file` holds every row of a file at once (a 1 GB file of 100,000 documents
took 4.3 GB), so the command streams instead, with the same checks and the same all or
nothing:

1. `check_file` reads the file row by row and checks each row as parse_file does, keeping
   only what the checks across rows need: the row of each id and source_id seen (for
   duplicates), and a chunk of (id, source_id) pairs at a time, checked against the archive.
   Any problem: InvalidImport listing them (the first MAX_PROBLEMS), nothing written. While
   no problem is found it also compares each BATCH_ROWS rows with the archive, without a
   lock: what would be created, updated or left alone (a dry run's answer; a file that
   changes nothing stops there).
2. `import_file` then reads the file again and writes it BATCH_ROWS rows at a time, inside
   ONE transaction: each batch is compared with the archive and its changed rows go to
   `actions.do_upsert_documents` (whose new documents are written in bulk). A failure in
   any batch rolls back every batch before it. Rows equal to the archive are skipped, so
   importing a file again changes nothing.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction

from declassified.archive.database import IMPORTER_LOCK_WAIT_SECONDS, waiting_up_to
from declassified.archive.upsert import DocumentInput, do_upsert_documents
from declassified.ingest.page_jobs import enqueue_page_rendering
from declassified.ingest.tabular import (
    ImportFileError,
    ImportResult,
    ImportRow,
    InvalidImport,
    Problem,
    RawRow,
    checked_row,
    conflicts_with_archive,
    csv_rows,
    file_format,
    jsonl_rows,
)
from declassified.ingest.tabular_attachments import attach_files, documents_of_rows, new_files
from declassified.ingest.tabular_compare import LOOKUP_CHUNK, differs, existing_documents

# Rows compared and written at a time: a batch is full at BATCH_ROWS rows or BATCH_CHARS
# characters of text, whichever comes first, so a file of long texts stays in bounded
# memory too. Each batch looks its names up again: 2,500 rows wrote 100,000 documents about
# a tenth faster than 1,000 (docs/performance.md).
BATCH_ROWS = 2500
BATCH_CHARS = 30_000_000
MAX_PROBLEMS = 1000  # problems listed; a file of a million bad rows names the first ones


def import_file(path: Path, fmt: str | None = None, *, acting_user: User | None,
                via: str = "import", dry_run: bool = False) -> ImportResult:
    """Check the whole file and compare it with the archive without a lock, then import it
    in batches inside one transaction (a dry run, or a file that changes nothing, only
    compares). Raises ImportFileError or InvalidImport, having written nothing."""
    fmt = file_format(path, fmt)
    stamp = _stamp(path)
    compared = check_file(path, fmt)
    if dry_run or not (compared.created or compared.updated or compared.to_attach):
        # A file that changes nothing needs no write lock (SQLite's transactions here take
        # it when they begin): re-importing it never waits behind a writer.
        return compared.result()
    with waiting_up_to(IMPORTER_LOCK_WAIT_SECONDS), transaction.atomic():
        writer = _Writer(acting_user, via).run(path, fmt)
        if _stamp(path) != stamp:  # the rows written may not be the rows checked
            raise ImportFileError(f"{path.name} changed while it was imported; "
                                  "nothing was imported.")
    # Rendering takes seconds a page: a worker does it, after the import has committed.
    job = enqueue_page_rendering(writer.attached, user=acting_user) if writer.attached else None
    return writer.result(pages_job=job.pk if job else None)


def check_file(path: Path, fmt: str) -> _Writer:
    """Pass 1: every row checked, one at a time, and compared with the archive; raises
    InvalidImport listing the problems (ImportFileError when the file cannot be read at
    all). Returns the comparison (a dry run: nothing written)."""
    problems: list[Problem] = []
    seen: dict[str, dict[object, int]] = {"id": {}, "source_id": {}}
    both: list[ImportRow] = []  # rows with an id and a source_id, checked against the archive
    conflicts: list[Problem] = []
    compared, batch = _Writer(None, "", dry_run=True), _Batch()
    for raw in read_rows(path, fmt, problems):
        row = checked_row(raw, fmt, path.parent, problems)
        _check_duplicates(row, seen, problems)
        if problems:
            batch = _Batch()  # nothing will be written: comparing would only cost time
        elif row.data.id is not None and row.data.source_id:
            both.append(ImportRow(row.number, DocumentInput("", id=row.data.id,
                                                            source_id=row.data.source_id)))
            if len(both) >= LOOKUP_CHUNK:
                conflicts += conflicts_with_archive(both)
                both = []
        if not problems and not conflicts:
            if batch.add(row):
                compared.write(batch)
                batch = _Batch()
        if len(problems) > MAX_PROBLEMS:
            break  # enough to show; reading on would only cost time
    if problems:
        raise InvalidImport(_listed(problems))
    conflicts += conflicts_with_archive(both)
    if conflicts:
        raise InvalidImport(_listed(conflicts))
    compared.write(batch)
    return compared


class _Batch(list):
    """Rows to compare or write together, with the characters of their texts."""

    chars = 0

    def add(self, row: ImportRow) -> bool:
        """Add `row`; whether the batch is now full."""
        self.append(row)
        self.chars += sum(len(t.body) + len(t.footnotes) for t in row.data.texts or [])
        return len(self) >= BATCH_ROWS or self.chars >= BATCH_CHARS


def _check_duplicates(row: ImportRow, seen: dict[str, dict[object, int]],
                      problems: list[Problem]) -> None:
    """An id or source_id may appear once in a file (tabular.duplicates_within_file)."""
    for column, first_row in seen.items():
        value = getattr(row.data, column)
        if value is None:
            continue
        if value in first_row:
            problems.append(Problem(row.number, column,
                                    f"{value!r} is also in row {first_row[value]}"))
        else:
            first_row[value] = row.number


def _listed(problems: list[Problem]) -> list[Problem]:
    listed = sorted(problems, key=lambda p: (p.row or 0))[:MAX_PROBLEMS]
    if len(problems) > MAX_PROBLEMS:
        listed.append(Problem(None, None, f"the first {MAX_PROBLEMS} problems are listed; "
                                          "mend them and check the file again"))
    return listed


def read_rows(path: Path, fmt: str, problems: list[Problem]) -> Iterator[RawRow]:
    """The file's rows, one at a time; their reading problems added to `problems`."""
    lines = _decoded_lines(path)
    if fmt == "csv":
        yield from csv_rows(lines, problems)
    else:
        yield from jsonl_rows((line.removesuffix("\n") for line in lines), problems)


def _decoded_lines(path: Path) -> Iterator[str]:
    """The file's lines as text (UTF-8, with or without a byte-order mark), one at a time."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file.") from None
    except OSError as error:
        raise ImportFileError(f"{path}: cannot be read ({error.strerror}).") from None
    written = False
    with handle:
        for number, data in enumerate(handle, start=1):
            if number == 1:
                data = data.removeprefix(codecs.BOM_UTF8)
            try:
                line = data.decode("utf-8")
            except UnicodeDecodeError as error:
                raise ImportFileError(
                    f"line {number}: the file is not UTF-8 (byte 0x{data[error.start]:02x}); "
                    "save it as UTF-8 and import again."
                ) from None
            written = written or bool(line.strip())
            yield line
    if not written:
        raise ImportFileError(f"{path}: the file is empty.")


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


@dataclass
class _Writer:
    """Pass 2: the rows compared with the archive and written, BATCH_ROWS at a time."""

    acting_user: User | None
    via: str
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    to_attach: int = 0
    attached: list = field(default_factory=list)

    def run(self, path: Path, fmt: str) -> _Writer:
        problems: list[Problem] = []  # none: pass 1 found none in the same file
        batch = _Batch()
        for raw in read_rows(path, fmt, problems):
            if batch.add(checked_row(raw, fmt, path.parent, problems)):
                self.write(batch)
                batch = _Batch()
        self.write(batch)
        if problems:
            raise ImportFileError(f"{path.name} changed while it was imported; "
                                  "nothing was imported.")
        return self

    def write(self, rows: list[ImportRow]) -> None:
        """Compare a batch with the archive (as it stands, earlier batches written) and
        write what changes."""
        if not rows:
            return
        # Pass 1 lists the conflicts of the whole file; writing, a conflict is a row written
        # since by someone else, and this rolls everything back.
        problems = [] if self.dry_run else conflicts_with_archive(rows)
        if problems:
            raise InvalidImport(problems)
        existing = existing_documents([row.data for row in rows])
        changed = [row.data for index, row in enumerate(rows)
                   if index not in existing or differs(existing[index], row.data)]
        self.created += len(rows) - len(existing)
        self.updated += len(changed) - (len(rows) - len(existing))
        self.unchanged += len(rows) - len(changed)
        if self.dry_run:
            self.to_attach += len(new_files(rows, documents_of_rows(rows)))
            return
        if changed:
            do_upsert_documents(changed, acting_user=self.acting_user, via=self.via)
        self.attached += attach_files(rows, acting_user=self.acting_user, via=self.via)

    def result(self, pages_job: int | None = None) -> ImportResult:
        attached = self.to_attach if self.dry_run else len(self.attached)
        return ImportResult(self.created, self.updated, self.unchanged, attached, pages_job)
