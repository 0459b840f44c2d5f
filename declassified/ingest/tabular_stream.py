"""`declassified import FILE` for files of any size: two passes over the file, in bounded memory.

`tabular.parse_file` holds every row of a file at once (a 1 GB file of 100,000 documents
took 4.3 GB), so the command streams instead, with the same checks and the same all or
nothing:

1. `check_file` reads the file row by row and checks each row as parse_file does, keeping
   only what the checks across rows need: the row of each id and source_id seen (for
   duplicates), and a chunk of (id, source_id) pairs at a time, checked against the archive.
   Any problem: InvalidImport listing them (the first MAX_PROBLEMS), nothing written. While
   no problem is found it also compares each batch of rows (row_batches.Batch) with the
   archive, without a lock: what would be created, updated or left alone (a dry run's
   answer; a file that changes nothing stops there).
2. `import_file` then reads the file again and writes it a batch at a time, inside ONE
   transaction (a big file's next batch is read, checked and sanitised by a helper process
   meanwhile: row_batches.BatchReader). Each batch is compared with the archive and its
   changed rows go to `actions.do_upsert_documents` (whose new documents are written in
   bulk). A failure in any batch rolls back every batch before it. Rows equal to the
   archive are skipped, so importing a file again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction

from declassified.archive.database import IMPORTER_LOCK_WAIT_SECONDS, waiting_up_to
from declassified.archive.upsert import DocumentInput, do_upsert_documents
from declassified.ingest.page_jobs import enqueue_page_rendering
from declassified.ingest.row_batches import Batch, BatchReader, read_rows
from declassified.ingest.tabular import (
    ImportFileError,
    ImportResult,
    ImportRow,
    InvalidImport,
    Problem,
    checked_row,
    conflicts_with_archive,
    file_format,
)
from declassified.ingest.tabular_attachments import attach_files, documents_of_rows, new_files
from declassified.ingest.tabular_compare import LOOKUP_CHUNK, differs, existing_documents

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
        rows = compared.created + compared.updated + compared.unchanged
        writer = _Writer(acting_user, via).run(path, fmt, rows)
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
    compared, batch = _Writer(None, "", dry_run=True), Batch()
    for raw in read_rows(path, fmt, problems):
        row = checked_row(raw, fmt, path.parent, problems)
        _check_duplicates(row, seen, problems)
        if problems:
            batch = Batch()  # nothing will be written: comparing would only cost time
        elif row.data.id is not None and row.data.source_id:
            both.append(ImportRow(row.number, DocumentInput("", id=row.data.id,
                                                            source_id=row.data.source_id)))
            if len(both) >= LOOKUP_CHUNK:
                conflicts += conflicts_with_archive(both)
                both = []
        if not problems and not conflicts:
            if batch.add(row):
                compared.write(batch)
                batch = Batch()
        if len(problems) > MAX_PROBLEMS:
            break  # enough to show; reading on would only cost time
    if problems:
        raise InvalidImport(_listed(problems))
    conflicts += conflicts_with_archive(both)
    if conflicts:
        raise InvalidImport(_listed(conflicts))
    compared.write(batch)
    return compared


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


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


@dataclass
class _Writer:
    """Pass 2: the rows compared with the archive and written, a batch at a time
    (row_batches.Batch)."""

    acting_user: User | None
    via: str
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    to_attach: int = 0
    attached: list = field(default_factory=list)

    def run(self, path: Path, fmt: str, rows: int) -> _Writer:
        """Write the file's `rows` rows (as pass 1 counted them), batch by batch."""
        problems: list[Problem] = []  # none: pass 1 found none in the same file
        with BatchReader(path, fmt, rows) as reader:
            for batch in reader.batches(problems):
                if problems:  # the file was changed since pass 1 checked it
                    break
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
