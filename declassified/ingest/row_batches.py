"""An import file's rows, read, checked and sanitised, in batches — for a big file in a
helper process while this one writes.

`declassified import` is one process on one core: the write pass (tabular_stream._Writer)
spent a sixth of its time reading the file again, checking each row and sanitising its HTML
(docs/performance.md), while the machine's other core idled. For a file of at least
HELPER_MIN_ROWS rows, a helper process does that part for the next batch while this one
writes the current one. The helper only reads the file: every write stays in this process's
one transaction, so all or nothing is unchanged. It is started with "spawn" (a fresh
interpreter: safe beside a web server's threads), never opens a database connection, and
holds at most the batch it is making; this process holds the one it writes and the one
handed over, so memory stays bounded by the batch size whatever the file's size.
"""

from __future__ import annotations

import codecs
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import django

from declassified.ingest.tabular import (
    ImportFileError,
    ImportRow,
    Problem,
    RawRow,
    checked_row,
    csv_rows,
    jsonl_rows,
)

# Rows compared and written at a time: a batch is full at BATCH_ROWS rows or BATCH_CHARS
# characters of text, whichever comes first, so a file of long texts stays in bounded
# memory too. Each batch looks its names up again: 2,500 rows wrote 100,000 documents about
# a tenth faster than 1,000 (docs/performance.md).
BATCH_ROWS = 2500
BATCH_CHARS = 30_000_000
HELPER_MIN_ROWS = 10_000  # below this, starting a helper (a second or two) does not pay


class Batch(list):
    """Rows to compare or write together, with the characters of their texts."""

    chars = 0

    def add(self, row: ImportRow) -> bool:
        """Add `row`; whether the batch is now full."""
        self.append(row)
        self.chars += sum(len(t.body) + len(t.footnotes) for t in row.data.texts or [])
        return len(self) >= BATCH_ROWS or self.chars >= BATCH_CHARS


def read_rows(path: Path, fmt: str, problems: list[Problem]) -> Iterator[RawRow]:
    """The file's rows, one at a time; their reading problems added to `problems`."""
    lines = _decoded_lines(path)
    if fmt == "csv":
        yield from csv_rows(lines, problems)
    else:
        yield from jsonl_rows((line.removesuffix("\n") for line in lines), problems)


def clean_batches(path: Path, fmt: str, problems: list[Problem]) -> Iterator[Batch]:
    """The file's rows checked (problems added to `problems`), their texts sanitised, in
    full batches (the last one perhaps smaller, never empty)."""
    batch = Batch()
    for raw in read_rows(path, fmt, problems):
        row = checked_row(raw, fmt, path.parent, problems)
        if row.data.texts:
            row.data.texts = [text.clean() for text in row.data.texts]
        if batch.add(row):
            yield batch
            batch = Batch()
    if batch:
        yield batch


class BatchReader:
    """`clean_batches` of a file, made one batch ahead in a helper process when the file
    has at least HELPER_MIN_ROWS rows (`rows`, known from the check pass). Use it as a
    context manager: leaving it stops the helper."""

    def __init__(self, path: Path, fmt: str, rows: int) -> None:
        self.path, self.fmt = path, fmt
        self._executor: ProcessPoolExecutor | None = None
        if rows >= HELPER_MIN_ROWS:
            # The helper sets Django up (the checks use the models' field limits) from the
            # environment it inherited, as search.indexing.pair_process's helper does.
            self._executor = ProcessPoolExecutor(
                1, mp_context=multiprocessing.get_context("spawn"), initializer=django.setup)

    def __enter__(self) -> BatchReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)

    def batches(self, problems: list[Problem]) -> Iterator[Batch]:
        if self._executor is None:
            yield from clean_batches(self.path, self.fmt, problems)
            return
        try:
            yield from self._from_helper(self._executor, problems)
        except BrokenProcessPool:  # the helper was killed (out of memory, a signal)
            raise ImportFileError(
                f"{self.path.name}: the process reading it stopped unexpectedly; nothing was "
                "imported. Import it again.") from None

    def _from_helper(self, executor: ProcessPoolExecutor, problems: list[Problem]
                     ) -> Iterator[Batch]:
        executor.submit(_open, self.path, self.fmt).result()
        ahead: Future[tuple[Batch | None, list[Problem]]] = executor.submit(_next_batch)
        while True:
            batch, found = ahead.result()  # the helper's ImportFileError is raised here
            problems.extend(found)
            if batch is None:
                return
            ahead = executor.submit(_next_batch)  # made while the caller writes this one
            yield batch


# --- In the helper process: one file's batches, one call at a time --------------------------

_reading: dict[str, tuple[Iterator[Batch], list[Problem]]] = {}


def _open(path: Path, fmt: str) -> None:
    problems: list[Problem] = []
    _reading["file"] = (clean_batches(path, fmt, problems), problems)


def _next_batch() -> tuple[Batch | None, list[Problem]]:
    """The next batch (None at the end) and the problems met since the last call."""
    batches, problems = _reading["file"]
    batch = next(batches, None)
    found = problems[:]
    problems.clear()
    return batch, found


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
