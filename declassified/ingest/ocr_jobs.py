"""OCR jobs: the pages of documents read by Tesseract in the background, like the pages job.

    job = enqueue_ocr(documents=[document, ...], user=request.user)
    job = enqueue_ocr(pages=[page_id, ...])                 # the pages a pages job rendered
    job = enqueue_ocr(collections=[collection], force=True) # read again even pages read
    job = enqueue_ocr(everything=True)
    # a worker (ingest.jobs.run_worker) claims it and calls run_ocr_job(job, progress)

settings.OCR_WORKERS pages are read at once, in threads: Tesseract is a subprocess and
libvips releases the GIL, so the threads use the cores. At most that many page images are in
memory, and each page's reading is recorded in its own short transaction
(ingest.ocr_pages). Reading is idempotent (a page read by the same engine, recipe and
languages is skipped), so a job resumed after its worker died skips the documents its report
says are done and, in the one it was reading, the pages already read.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

import pyvips
from django.conf import settings
from django.db import connection
from django.db.models import Avg, Model

from declassified import ocr
from declassified.archive.access import Viewer, signed_in
from declassified.archive.database import (
    IMPORTER_LOCK_WAIT_SECONDS,
    retry_while_locked,
    waiting_up_to,
)
from declassified.archive.models import Document, Page, PageText
from declassified.archive.page_texts import do_record_page_reading
from declassified.ingest import job_queue
from declassified.ingest.models import ImportJob
from declassified.ingest.ocr_pages import ocr_languages, read_unless_done
from declassified.originals.downloads import premake_document_pdfs
from declassified.search import apply_pending_after_job

log = logging.getLogger(__name__)

# Documents whose languages and pages are loaded together: a few queries per hundred.
DOCUMENT_BATCH = 100
# How often a job waiting on a slow page (Tesseract's timeout is minutes) says it is alive:
# well under ingest.jobs.STALE_AFTER, after which another worker would take the job over.
HEARTBEAT_SECONDS = 20.0
# Failed pages named in a document's report entry, at most (the count is always right).
MAX_ERRORS_REPORTED = 20


def enqueue_ocr(*, documents: Iterable[Document | int] = (), pages: Iterable[Page | int] = (),
                collections: Iterable[Model | int] = (), everything: bool = False,
                user: Viewer = None, force: bool = False) -> ImportJob:
    """Queue one job reading these pages, the pages of these documents and collections (or of
    every document); `force` reads again pages already read by this engine."""
    options: dict[str, Any] = {"force": bool(force)}
    for name, given in (("documents", documents), ("pages", pages),
                        ("collections", collections)):
        ids = [item if isinstance(item, int) else item.pk for item in given]
        if ids:
            options[name] = list(dict.fromkeys(ids))
    if everything:
        options["all"] = True
    job = ImportJob.objects.create(kind=ImportJob.OCR, options=options,
                                   created_by=signed_in(user))
    job_queue.queue_job(job)
    return job


def selected_pages(options: dict) -> Any:
    """The pages an OCR job's options name, as a query (documents in order, pages in order)."""
    pages = Page.objects.all()
    if not options.get("all"):
        pages = Page.objects.none()
        if ids := options.get("pages"):
            pages = pages | Page.objects.filter(pk__in=ids)
        if ids := options.get("documents"):
            pages = pages | Page.objects.filter(document_id__in=ids)
        if ids := options.get("collections"):
            pages = pages | Page.objects.filter(document__collections__in=ids)
    return pages.exclude(master="").order_by("document_id", "position", "pk").distinct()


def run_ocr_job(job: ImportJob, save_progress: Callable[[], None]) -> None:
    """Read every selected page; the report says, document by document, what happened."""
    _OcrRun(job, save_progress).run()


@dataclass(frozen=True)
class PageOutcome:
    page: int
    document: int
    status: str  # "read", "skipped" (already read by this engine) or "failed"
    error: str = ""


def read_one_page(page: Page, languages: str, via: str, force: bool) -> PageOutcome:
    """One page read and recorded, in a worker thread: never raises (a failure is the page's
    outcome), and closes the thread's own database connection, which Django opens per thread
    and nobody else would close."""
    try:
        with waiting_up_to(IMPORTER_LOCK_WAIT_SECONDS):  # this thread's connection
            reading = read_unless_done(page, languages=languages, force=force)
            if reading is None:
                return PageOutcome(page.pk, page.document_id, "skipped")
            # Only the short recording is tried again when SQLite says "locked", not the OCR.
            retry_while_locked(lambda: do_record_page_reading(page, reading, via=via))
        return PageOutcome(page.pk, page.document_id, "read")
    except Exception as error:  # recorded in the report; the other pages go on
        log.warning("OCR of page %s failed: %s", page.pk, error)
        return PageOutcome(page.pk, page.document_id, "failed", failure_reason(page, error))
    finally:
        connection.close()


def failure_reason(page: Page, error: Exception) -> str:
    """`page 3 (#812): Tesseract took longer than 300 s`, for the report and the job's error."""
    reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
    if isinstance(error, ocr.OcrFailed):
        said = reason
    elif isinstance(error, pyvips.Error | OSError):
        said = f"its image is missing or damaged ({type(error).__name__}: {reason})"
    else:
        said = f"{type(error).__name__}: {reason}"
    return f"page {page.position + 1} (#{page.pk}): {said}"[:500]


class _OcrRun:
    def __init__(self, job: ImportJob, save_progress: Callable[[], None]) -> None:
        self.job, self.save_progress = job, save_progress
        self.force = bool((job.options or {}).get("force"))
        self.via = f"ocr job {job.pk}"
        self.workers = settings.OCR_WORKERS
        entries = (job.report or {}).get("documents", [])
        # A resumed job (its worker died, or a failed job run again) keeps the documents it
        # finished without a failure; the others start over, their pages read skipped.
        self.entries: dict[int, dict] = {e["document"]: e for e in entries
                                         if e.get("status") == "done" and not e.get("failed")}
        self.remaining: dict[int, int] = {}  # pages of a document not yet finished

    def run(self) -> None:
        pages = selected_pages(self.job.options or {})
        done = list(self.entries)
        total = pages.count()
        already = sum(e["pages"] for e in self.entries.values())
        self.job.progress.update(pages_total=total, pages_done=already, phase="reading",
                                 workers=self.workers, current="")
        self._save()
        clock = time.monotonic()
        self._read_all(pages.exclude(document_id__in=done) if done else pages)
        seconds = {"reading": round(time.monotonic() - clock, 2)}
        clock = time.monotonic()
        self._index()
        seconds["indexing"] = round(time.monotonic() - clock, 2)
        clock = time.monotonic()
        self._make_searchable_pdfs()
        seconds["pdfs"] = round(time.monotonic() - clock, 2)
        self.job.progress["seconds"] = seconds
        failed = [e for e in self.entries.values() if e["failed"]]
        self.job.state = ImportJob.FAILED if failed else ImportJob.DONE
        errors = [error for e in failed for error in e["errors"]]
        more = sum(e["failed"] for e in failed) - MAX_ERRORS_REPORTED
        self.job.error = "\n".join(errors[:MAX_ERRORS_REPORTED]) + (
            f"\n… and {more} more page(s) failed (the report lists them by document)"
            if more > 0 else "")
        self.job.progress.update(phase="finished", current="")
        self._save()

    def _read_all(self, pages: Any) -> None:
        """Keep `workers` pages in flight, never more (each holds a page image in memory)."""
        with ThreadPoolExecutor(max_workers=self.workers,
                                thread_name_prefix=f"ocr-job-{self.job.pk}") as pool:
            pending: set[Future[PageOutcome]] = set()
            for page, languages in self._pages_with_languages(pages):
                while len(pending) >= self.workers:
                    pending = self._collect(pending)
                pending.add(pool.submit(read_one_page, page, languages, self.via, self.force))
            while pending:
                pending = self._collect(pending)

    def _collect(self, pending: set[Future[PageOutcome]]) -> set[Future[PageOutcome]]:
        finished, still = wait(pending, timeout=HEARTBEAT_SECONDS, return_when=FIRST_COMPLETED)
        for future in finished:
            self._count(future.result())
        self._save()  # progress, or only the heartbeat while a slow page is read
        return still

    def _pages_with_languages(self, pages: Any) -> Iterator[tuple[Page, str]]:
        """Each page with its document's Tesseract languages, documents loaded a batch at a
        time with their languages prefetched (no query per document or page)."""
        document_ids = list(pages.order_by().values_list("document_id", flat=True).distinct())
        document_ids.sort()
        for start in range(0, len(document_ids), DOCUMENT_BATCH):
            batch = document_ids[start:start + DOCUMENT_BATCH]
            documents = Document.objects.filter(pk__in=batch).prefetch_related("languages")
            languages = {d.pk: ocr_languages(d) for d in documents}
            titles = {d.pk: str(d)[:200] for d in documents}
            batch_pages = list(pages.filter(document_id__in=batch))
            for page in batch_pages:
                self.remaining[page.document_id] = self.remaining.get(page.document_id, 0) + 1
            for page in batch_pages:
                if page.document_id not in self.entries:
                    self.entries[page.document_id] = self._new_entry(page.document_id, titles)
                self.job.progress["current"] = titles.get(page.document_id, "")
                yield page, languages[page.document_id]

    def _new_entry(self, document_id: int, titles: dict[int, str]) -> dict:
        return {"document": document_id, "title": titles.get(document_id, ""),
                "status": "reading", "pages": self.remaining.get(document_id, 0), "read": 0,
                "skipped": 0, "failed": 0, "errors": [], "mean_confidence": None}

    def _count(self, outcome: PageOutcome) -> None:
        entry = self.entries[outcome.document]
        entry[outcome.status] += 1
        if outcome.error and len(entry["errors"]) < MAX_ERRORS_REPORTED:
            entry["errors"].append(outcome.error)
        self.job.progress["pages_done"] = self.job.progress.get("pages_done", 0) + 1
        self.remaining[outcome.document] -= 1
        if self.remaining[outcome.document] == 0:
            entry["status"] = "done"
            entry["mean_confidence"] = document_confidence(outcome.document)

    def _index(self) -> None:
        """Bring the search index up to date, so the text read is found at once."""
        self.job.progress.update(phase="indexing", current="")
        self._save()
        try:
            self.job.progress["indexed"] = apply_pending_after_job()
        except Exception as error:  # the indexer thread or `declassified indexer` will retry
            log.warning("indexing after OCR job %s failed: %s", self.job.pk, error)
            self.job.progress["indexing_error"] = str(error)

    def _make_searchable_pdfs(self) -> None:
        """The PDFs of the documents with pages read now carry their text: make them here
        rather than in a reader's download request."""
        read = [document for document, entry in self.entries.items() if entry["read"]]
        if read:
            self.job.progress.update(phase="making searchable PDFs", current="")
            self._save()
            premake_document_pdfs(read, by=f"ocr job {self.job.pk}")

    def _save(self) -> None:
        entries = list(self.entries.values())
        self.job.report = {"documents": entries, "totals": report_totals(entries)}
        self.save_progress()


def document_confidence(document_id: int) -> float | None:
    """The mean confidence (0-100) of the document's pages read, rounded; None: no words."""
    mean = PageText.objects.filter(page__document_id=document_id).aggregate(
        mean=Avg("mean_confidence"))["mean"]
    return None if mean is None else round(mean, 1)


def report_totals(entries: Sequence[dict]) -> dict:
    return {name: sum(e[name] for e in entries)
            for name in ("pages", "read", "skipped", "failed")} | {"documents": len(entries)}
