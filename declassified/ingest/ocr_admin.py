"""OCR in the back office: what was read of a document's pages, and "Read pages again (OCR)".

The document's "Pages and originals" page (ingest.originals_admin) shows the OCR state of its
pages and the latest OCR job that read them, with a button queueing a new one; the collection
list has the same as an action, for every document of the selected collections. Both queue a
job through ingest.ocr_jobs.enqueue_ocr and start the background worker, like an upload; only
editors may (reading a whole collection again is minutes of the machine's time).

The collection admin is extended by registering a subclass of it here, as the document admin
is by originals_admin: archive.admin may not import ingest (import-linter's layers).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from declassified.archive.admin.entities import CollectionAdmin
from declassified.archive.models import Collection, Document, Page, PageText
from declassified.archive.roles import can_publish
from declassified.ingest import jobs
from declassified.ingest.models import ImportJob
from declassified.ingest.ocr_jobs import enqueue_ocr

# The latest OCR job of a document is found among this many recent OCR jobs (their options
# are JSON, which SQLite cannot search by value with an index), as for pages jobs.
RECENT_OCR_JOBS = 100


def may_run_ocr(user: Any) -> bool:
    """Editors (and superusers) may have pages read again; contributors may not."""
    return bool(user.is_authenticated and (user.is_superuser or can_publish(user)))


def queue_ocr(request: HttpRequest, **selection: Any) -> ImportJob:
    """Queue an OCR job for `selection` (enqueue_ocr's arguments) by this user, and start the
    background worker once it is committed. The buttons say "again": they pass force=True, so
    pages are read again even by the same engine (a page that failed is read in any case)."""
    job = enqueue_ocr(user=request.user, **selection)
    transaction.on_commit(jobs.start_background_worker)
    return job


def ocr_state(document: Document, pages: Sequence[Page],
              readings: Mapping[int, PageText]) -> dict[str, Any]:
    """What OCR read of these pages (`readings` by page ID, page_text_admin.page_readings) and
    the latest OCR job that read them, with this document's line of its report. Two queries
    at most."""
    read = [readings[page.pk] for page in pages if page.pk in readings]
    confidences = [r.mean_confidence for r in read if r.mean_confidence is not None]
    job = latest_ocr_job(document, {page.pk for page in pages})
    entry = _report_entry(job, document.pk) if job else {}
    return {
        "read": len(read), "not_read": len(pages) - len(read),
        "corrected": sum(1 for r in read if r.is_corrected),
        "mean_confidence": sum(confidences) / len(confidences) if confidences else None,
        "job": job, "failed": entry.get("failed", 0), "errors": entry.get("errors", []),
    }


def latest_ocr_job(document: Document, page_ids: set[int]) -> ImportJob | None:
    """The newest OCR job that reads some of these pages (one query; a second when a recent
    job was for collections)."""
    recent = (ImportJob.objects.filter(kind=ImportJob.OCR).order_by("-pk")
              .defer("report")[:RECENT_OCR_JOBS])
    collections: set[int] | None = None
    for job in recent:
        options = job.options or {}
        if (options.get("all") or document.pk in options.get("documents", [])
                or page_ids.intersection(options.get("pages", []))):
            return job
        if options.get("collections"):
            if collections is None:
                collections = set(document.collections.values_list("pk", flat=True))
            if collections.intersection(options["collections"]):
                return job
    return None


def _report_entry(job: ImportJob, document_id: int) -> dict:
    report = ImportJob.objects.filter(pk=job.pk).values_list("report", flat=True).first() or {}
    for entry in report.get("documents", []):
        if entry.get("document") == document_id:
            return entry
    return {}


class CollectionWithOcrAdmin(CollectionAdmin):
    """The collection admin, with the action "Read pages again (OCR)"."""

    actions = ("read_pages_again",)

    def has_ocr_permission(self, request: HttpRequest) -> bool:
        return may_run_ocr(request.user)

    @admin.action(description="Read pages again (OCR)", permissions=["ocr"])
    def read_pages_again(self, request: HttpRequest, queryset: QuerySet[Collection]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        if not Page.objects.filter(document__collections__in=ids).exists():
            self.message_user(request, "The documents of the selected collections have no "
                                       "pages to read.", messages.WARNING)
            return
        job = queue_ocr(request, collections=ids, force=True)
        self.message_user(request, f"The pages of {len(ids)} collection(s) are being read "
                                   f"again (OCR job #{job.pk}); editors' corrections are kept.")


# Replaces the collection admin registered by declassified.archive.admin (ingest's admin
# module is loaded after archive's: INSTALLED_APPS order).
if admin.site.is_registered(Collection):
    admin.site.unregister(Collection)
admin.site.register(Collection, CollectionWithOcrAdmin)
