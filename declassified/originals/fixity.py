"""Fixity: every original file and page master still has the bytes it was stored with.

    report = verify_files(on_problem=print)
    report.problems  # [FixityProblem("original", "attachments/2026/a.pdf", "changed", ...)]

Originals are hashed again (SHA-256, read in 1 MB chunks) and compared with the checksum
recorded when they were stored; page masters likewise, against Page.master_sha256. Rows are
read with iterator() and files streamed, so memory stays bounded however large the archive;
the cost is reading every byte once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.storage import Storage, default_storage

from declassified.archive.models import Attachment, Page


@dataclass(frozen=True)
class FixityProblem:
    kind: str  # "original" or "page master"
    name: str  # the file's storage name
    problem: str  # "missing", "changed" or "unreadable (why)"
    owner: str  # what the file belongs to, for the person reading the report

    def __str__(self) -> str:
        word, _, reason = self.problem.partition(" ")  # "unreadable (why)" → "UNREADABLE (why)"
        return " ".join(filter(None, [word.upper(), reason, self.kind, self.name,
                                      f"({self.owner})"]))


@dataclass
class FixityReport:
    originals: int = 0
    masters: int = 0
    problems: list[FixityProblem] = field(default_factory=list)


def verify_files(*, on_problem: Callable[[FixityProblem], None] | None = None) -> FixityReport:
    report = FixityReport()

    def found(problem: FixityProblem) -> None:
        report.problems.append(problem)
        if on_problem is not None:
            on_problem(problem)

    attachments = Attachment.objects.order_by("pk").values_list(
        "pk", "document_id", "file", "sha256")
    for pk, document_id, name, expected in attachments.iterator(chunk_size=500):
        report.originals += 1
        problem = _check(name, expected, Attachment._meta.get_field("file").storage)
        if problem:
            found(FixityProblem("original", name, problem,
                                f"file #{pk} of document {document_id}"))
    previous = None
    pages = Page.objects.order_by("master", "pk").values_list(
        "master", "master_sha256", "document_id", "number_in_file")
    for name, expected, document_id, number in pages.iterator(chunk_size=500):
        if name == previous:  # copies of one file share their masters: check each once
            continue
        previous = name
        report.masters += 1
        problem = _check(name, expected, default_storage)
        if problem:
            found(FixityProblem("page master", name, problem,
                                f"page {number} of a file of document {document_id}"))
    return report


def _check(name: str, expected: str, storage: Storage) -> str:
    """"" when the file has the expected SHA-256, else "missing", "changed" or "unreadable"."""
    try:
        with storage.open(name, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256")  # read in chunks, not whole
    except (FileNotFoundError, IsADirectoryError):
        return "missing"
    except OSError as error:  # permissions, a failing disk: reported, and the check goes on
        return f"unreadable ({error.strerror or error})"
    return "" if digest.hexdigest() == expected else "changed"
