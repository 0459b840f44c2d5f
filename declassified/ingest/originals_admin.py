"""The back office's "Pages and originals" page of a document: upload scans, order pages.

    /admin/archive/document/<id>/originals/

Editors upload several files at once (PDF, TIFF, JPEG, PNG): each becomes an attachment
through archive.actions, all in one transaction, then one pages job renders them in a
background worker (never in the request). The page lists the document's pages with
thumbnails from the IIIF image server, lets an editor put them in another order without
JavaScript (position numbers, or move up/down buttons; archive.pages.do_reorder_pages) and
follows the document's latest pages job.

It lives in ingest, not in archive.admin, because it queues jobs and checks files with
originals (import-linter's layers: archive imports neither). It extends the document admin
by registering a subclass of it (see `DocumentWithOriginalsAdmin`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from declassified.archive import actions
from declassified.archive.access import signed_in
from declassified.archive.admin.documents import DocumentAdmin
from declassified.archive.models import Attachment, Document, Page
from declassified.archive.pages import PageOrderError, do_reorder_pages
from declassified.archive.roles import can_publish
from declassified.ingest import jobs
from declassified.ingest.models import ImportJob
from declassified.ingest.page_jobs import enqueue_page_rendering
from declassified.ingest.page_text_admin import (
    PageTextCorrectionMixin,
    page_readings,
    page_text_state,
)
from declassified.originals.sources import UnreadableOriginal, file_kind, page_count

VIA = "back office: originals"
THUMBNAIL_SIZE = ",120"
# The latest pages job of a document is found among this many recent pages jobs: a job
# lists its attachments in a JSON field, which SQLite cannot search by value with an index.
RECENT_PAGE_JOBS = 100


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class OriginalFilesField(forms.FileField):
    """Several files from one <input type="file" multiple>, each checked on its own."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        if not uploads:
            raise forms.ValidationError("Choose one or more files (PDF, TIFF, JPEG or PNG).")
        single = super().clean
        cleaned = [single(upload, initial) for upload in uploads]
        problems = [problem for upload in cleaned if (problem := upload_problem(upload))]
        if problems:
            raise forms.ValidationError(problems)
        return cleaned


class UploadOriginalsForm(forms.Form):
    # "originals", not "files": a form's `files` attribute is its uploaded files.
    originals = OriginalFilesField(
        label="Original files",
        help_text="PDF, TIFF (also multi-page), JPEG or PNG; several at once, attached in "
                  "the order chosen. Their pages are rendered in the background.",
    )


def upload_problem(upload: UploadedFile) -> str | None:
    """What is wrong with one uploaded file, naming it; None when it can be attached."""
    limit = settings.IMPORT_MAX_UPLOAD_MB
    if upload.size is not None and upload.size > limit * 1024 * 1024:
        return (f"{upload.name} is {upload.size / (1024 * 1024):.1f} MB; a file may be at most "
                f"{limit} MB (the setting IMPORT_MAX_UPLOAD_MB). Attach larger files from the "
                "server with `declassified attach`.")
    try:
        with local_copy(upload) as local:
            file_kind(local)  # by its first bytes, never its name
            page_count(local)  # a broken PDF or TIFF is refused now, not in the job
    except UnreadableOriginal as error:
        return str(error).replace(local.name, upload.name or "the file") + "."
    return None


@contextmanager
def local_copy(upload: UploadedFile) -> Iterator[Path]:
    """A path to the upload's bytes: its temporary file (uploads past 2.5 MB), else a copy."""
    if hasattr(upload, "temporary_file_path"):
        yield Path(upload.temporary_file_path())
        return
    suffix = Path(upload.name or "").suffix[:10]
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        upload.seek(0)
        yield Path(copy.name)


@transaction.atomic
def attach_originals(document: Document, uploads: Sequence[UploadedFile], *,
                     user) -> tuple[list[Attachment], ImportJob]:
    """Attach the files after the document's others, in order, then queue one pages job;
    all in one transaction (the worker starts once it is committed)."""
    last = document.attachments.aggregate(last=Max("position"))["last"]
    start = 0 if last is None else last + 1
    attachments = []
    for offset, upload in enumerate(uploads):
        attachment = Attachment(document=document, file=upload, position=start + offset)
        attachments.append(actions.do_save_attachment(attachment, acting_user=signed_in(user),
                                                      via=VIA))
    job = enqueue_page_rendering(attachments, user=user)
    transaction.on_commit(jobs.start_background_worker)
    return attachments, job


def thumbnail_url(page: Page) -> str:
    """The page at 120 px high from the IIIF image server (any IIIF size form works)."""
    return reverse("originals:image", args=[page.pk, "full", THUMBNAIL_SIZE, "0", "default", "jpg"])


def latest_pages_job(document: Document, attachment_ids: set[int]) -> ImportJob | None:
    """The newest pages job that renders one of the document's files (one query)."""
    recent = ImportJob.objects.filter(kind=ImportJob.PAGES).order_by("-pk")[:RECENT_PAGE_JOBS]
    for job in recent:
        if attachment_ids.intersection((job.options or {}).get("attachments", [])):
            return job
    return None


def new_page_order(pages: Sequence[Page], post) -> list[int]:
    """The page IDs in the order the form asks for: a move button, else position numbers.

    Raises ValueError with a message for the editor."""
    ids = [page.pk for page in pages]
    if move := post.get("move"):
        direction, _, page_id = move.partition(":")
        index = ids.index(int(page_id)) if page_id.isdigit() and int(page_id) in ids else -1
        other = index - 1 if direction == "up" else index + 1
        if index < 0 or not 0 <= other < len(ids):
            raise ValueError("That page cannot move that way.")
        ids[index], ids[other] = ids[other], ids[index]
        return ids
    wanted: dict[int, int] = {}
    for place, page in enumerate(pages):
        raw = post.get(f"position-{page.pk}", "").strip()
        if not raw.isdigit() or not 1 <= int(raw) <= len(pages):
            raise ValueError(f"Page {place + 1}: give a position from 1 to {len(pages)}, "
                             f"not {raw[:20]!r}.")
        wanted[page.pk] = int(raw)
    # A page given a new number goes before the page that keeps that number: "3" typed on
    # page 7 makes it page 3, and the old page 3 becomes page 4.
    current = {pk: place for place, pk in enumerate(ids, start=1)}
    return sorted(ids, key=lambda pk: (wanted[pk], wanted[pk] == current[pk], current[pk]))


class DocumentWithOriginalsAdmin(PageTextCorrectionMixin, DocumentAdmin):
    """The document admin, with its "Pages and originals" page (and each page's text)."""

    def get_urls(self):
        originals = path("<int:object_id>/originals/",
                         self.admin_site.admin_view(self.originals_view),
                         name="archive_document_originals")
        return [originals, *super().get_urls()]

    def originals_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        document = get_object_or_404(Document, pk=object_id)
        if not self.has_change_permission(request, document):
            raise PermissionDenied
        upload_form = UploadOriginalsForm()
        if request.method == "POST" and "upload" in request.POST:
            upload_form = UploadOriginalsForm(request.POST, request.FILES)
            if upload_form.is_valid():
                files = upload_form.cleaned_data["originals"]
                _attachments, job = attach_originals(document, files, user=request.user)
                messages.success(request, f"{len(files)} file(s) attached; their pages are "
                                          f"being rendered (pages job #{job.pk}).")
                return redirect("admin:archive_document_originals", document.pk)
        elif request.method == "POST" and "reorder" in request.POST:
            return self._reorder(request, document)
        elif request.method not in ("GET", "HEAD"):
            return HttpResponse("Use GET, or POST from this page's forms.", status=405,
                                content_type="text/plain")
        return self._render(request, document, upload_form)

    def _reorder(self, request: HttpRequest, document: Document) -> HttpResponse:
        pages = list(document.pages.order_by("position", "pk"))
        try:
            order = new_page_order(pages, request.POST)
            do_reorder_pages(document, order, acting_user=signed_in(request.user), via=VIA)
        except PageOrderError:
            messages.error(request, "The pages changed meanwhile (a rendering job finished?); "
                                    "here they are as they are now. Nothing was reordered.")
        except ValueError as error:
            messages.error(request, f"{error} Nothing was reordered.")
        else:
            messages.success(request, "The new page order is saved.")
        return redirect("admin:archive_document_originals", document.pk)

    def _render(self, request: HttpRequest, document: Document,
                upload_form: UploadOriginalsForm) -> HttpResponse:
        pages = list(document.pages.select_related("attachment").order_by("position", "pk"))
        attachments = list(document.attachments.all())
        readings = page_readings(pages)
        job = latest_pages_job(document, {a.pk for a in attachments})
        context = {
            **self.admin_site.each_context(request),
            "title": f"Pages and originals: {document}",
            "subtitle": None,
            "opts": self.opts,
            "original": document,
            "document": document,
            "upload_form": upload_form,
            "pages": [(page, thumbnail_url(page), page_text_state(readings.get(page.pk)))
                      for page in pages],
            "attachments": attachments,
            "job": job,
            "job_files": (job.report or {}).get("files", []) if job else [],
            # The jobs' pages are for editors only (ingest.admin); others see the report here.
            "may_see_jobs": request.user.is_superuser or can_publish(request.user),
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/archive/document/originals.html", context)


# Replaces the document admin registered by declassified.archive.admin (ingest's admin module
# is loaded after archive's: INSTALLED_APPS order), adding the originals page to it.
if admin.site.is_registered(Document):
    admin.site.unregister(Document)
admin.site.register(Document, DocumentWithOriginalsAdmin)
