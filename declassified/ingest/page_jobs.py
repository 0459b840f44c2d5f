"""Page-rendering jobs: the pages of attachments rendered in the background, like imports.

    job = enqueue_page_rendering([attachment, ...], user=request.user)
    job = enqueue_pages_of_new_files([attachment, ...], user=...)  # None: nothing to render
    # a worker (ingest.jobs.run_worker) claims it and calls run_page_job(job, progress),
    # which ends by queueing one OCR job for the pages rendered (report["ocr_job"])

Each attachment is rendered, and its pages written, on its own (originals.render: masters
first, then one transaction), so one bad file is reported with its reason and changes
nothing, while the others go on. Re-running is idempotent: masters are named by content,
and pages that are already the file's pages are not written again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from declassified.archive.access import Viewer, signed_in
from declassified.archive.models import Attachment, Page
from declassified.ingest import job_queue
from declassified.ingest.models import ImportJob
from declassified.ingest.ocr_jobs import enqueue_ocr
from declassified.originals.downloads import premake_document_pdfs
from declassified.originals.render import render_attachment_pages
from declassified.originals.sources import UnreadableOriginal, kind_of_head

log = logging.getLogger(__name__)


def enqueue_page_rendering(attachments: Sequence[Attachment], *, user: Viewer = None) -> ImportJob:
    """Queue one job rendering the pages of these attachments, in this order."""
    job = ImportJob.objects.create(
        kind=ImportJob.PAGES, options={"attachments": [a.pk for a in attachments]},
        created_by=signed_in(user),
    )
    job_queue.queue_job(job)
    return job


def enqueue_pages_of_new_files(attachments: Sequence[Attachment], *,
                               user: Viewer = None) -> ImportJob | None:
    """After saving attachments (an upload, an import): queue one job rendering those that are
    PDF, TIFF, JPEG or PNG files (read from their first bytes); None when there is none. Other
    files (a Word document, a text) are attachments without pages, not a failed job."""
    renderable = [a for a in attachments if _has_pages(a)]
    return enqueue_page_rendering(renderable, user=user) if renderable else None


def _has_pages(attachment: Attachment) -> bool:
    try:
        with attachment.file.storage.open(attachment.file.name, "rb") as handle:
            return kind_of_head(handle.read(8)) is not None
    except OSError:
        return True  # the job reports what is wrong with it


def run_page_job(job: ImportJob, save_progress: Callable[[], None]) -> None:
    """Render each attachment of the job; the report says, file by file, what happened."""
    ids: list[int] = list(job.options.get("attachments", []))
    files: list[dict] = [f for f in job.report.get("files", []) if f.get("status") == "rendered"]
    done = {f["attachment"] for f in files}
    attachments = Attachment.objects.in_bulk(ids)
    job.progress.update(files_total=len(ids), files_done=len(done), phase="rendering")
    for attachment_id in ids:
        if attachment_id in done:
            continue
        attachment = attachments.get(attachment_id)
        entry = {"attachment": attachment_id,
                 "file": attachment.file.name if attachment else "",
                 "document": attachment.document_id if attachment else None}
        if attachment is None:
            entry.update(status="failed", error=f"file #{attachment_id} no longer exists")
        else:
            entry.update(_render(job, attachment, save_progress))
        files.append(entry)
        job.progress["files_done"] = job.progress.get("files_done", 0) + 1
        job.report = {"files": files}
        save_progress()
    _make_document_pdfs(job, {f["document"] for f in files if f["status"] == "rendered"},
                        save_progress)
    _queue_ocr(job, [f["attachment"] for f in files if f["status"] == "rendered"])
    failed = [f for f in files if f["status"] == "failed"]
    job.state = ImportJob.FAILED if failed else ImportJob.DONE
    job.error = "\n".join(f["error"] for f in failed)
    job.progress["phase"] = "finished"


def _queue_ocr(job: ImportJob, attachment_ids: list[int]) -> None:
    """Queue one OCR job for the pages of the files rendered; the report names it, so whoever
    follows this job follows that one next. Pages already read are skipped by that job."""
    page_ids = list(Page.objects.filter(attachment_id__in=attachment_ids)
                    .order_by("document_id", "position", "pk").values_list("pk", flat=True))
    if page_ids:
        ocr_job = enqueue_ocr(pages=page_ids, user=job.created_by)
        job.report = {**(job.report or {}), "ocr_job": ocr_job.pk}


def _make_document_pdfs(job: ImportJob, document_ids: set[int],
                        save_progress: Callable[[], None]) -> None:
    job.progress["phase"] = "making PDFs"
    save_progress()
    premake_document_pdfs((d for d in document_ids if d is not None), by=f"pages job {job.pk}")


def _render(job: ImportJob, attachment: Attachment, save_progress: Callable[[], None]) -> dict:
    def on_page(number: int, total: int) -> None:
        job.progress.update(current=attachment.file.name, page=number, pages=total)
        save_progress()

    try:
        images = render_attachment_pages(attachment, acting_user=job.created_by,
                                         via=f"pages job {job.pk}", on_page=on_page)
    except UnreadableOriginal as error:
        return {"status": "failed", "error": f"{attachment.file.name}: {error}; nothing changed"}
    except Exception as error:  # recorded in the report; the other files go on
        log.exception("pages job %s: file %s failed", job.pk, attachment.pk)
        return {"status": "failed",
                "error": f"{attachment.file.name}: {type(error).__name__}: {error}; nothing changed"}
    return {"status": "rendered", "pages": len(images)}
