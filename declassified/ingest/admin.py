"""Back office for imports: upload a FRUS volume, watch its job, read its report.

Importing publishes documents, so only users who may publish (editors) see these pages.
A pages job (rendering originals) shows its files, one row each, with the reason a file
failed. The documents' "Pages and originals" page is in originals_admin.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from declassified.archive.admin.permissions import EditorsOnly
from declassified.ingest import job_queue, jobs, originals_admin  # noqa: F401  (registers its page)
from declassified.ingest.models import ImportJob

MAX_LISTED = 20


class UploadForm(forms.ModelForm):
    class Meta:
        model = ImportJob
        fields = ["upload"]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            raise forms.ValidationError("Choose a FRUS volume file (.xml or .xml.gz).")
        if not upload.name.lower().endswith((".xml", ".xml.gz")):
            raise forms.ValidationError(
                f"{upload.name} is not a .xml or .xml.gz file; FRUS volumes are TEI XML."
            )
        limit = settings.IMPORT_MAX_UPLOAD_MB
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(
                f"{upload.name} is {upload.size / (1024 * 1024):.1f} MB; an upload may be at "
                f"most {limit} MB (the setting IMPORT_MAX_UPLOAD_MB). Import larger volumes "
                "from the server with `declassified import-frus`."
            )
        return upload


@admin.register(ImportJob)
class ImportJobAdmin(EditorsOnly, admin.ModelAdmin):
    list_display = ["__str__", "state", "summary", "created_by", "created_at", "finished_at"]
    list_filter = ["state"]
    actions = ["run_again"]
    readonly_fields = ["state", "summary", "progress_display", "report_display", "error",
                       "files", "created_by", "created_at", "started_at", "heartbeat_at",
                       "finished_at", "worker", "attempts"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = UploadForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return ["upload"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return  # a job is never edited; it is re-run with the action
        # An ImportJob is the importer's own state, not archive content: saved here directly.
        obj.kind = ImportJob.FRUS
        obj.created_by = request.user
        obj.save()
        job_queue.queue_job(obj)
        transaction.on_commit(jobs.start_background_worker)
        messages.info(request, "The import is queued and starting; this page follows it.")

    def delete_model(self, request, obj) -> None:
        self.delete_queryset(request, ImportJob.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset) -> None:
        """A deleted job takes its uploaded file with it, unless a worker still reads it."""
        for job in queryset:
            if job.is_finished:
                jobs.discard_upload(job)
        super().delete_queryset(request, queryset)

    def response_add(self, request, obj, post_url_continue=None):
        """Straight to the job's page, which follows its progress."""
        return redirect("admin:ingest_importjob_change", obj.pk)

    @admin.action(description="Run the selected failed or interrupted jobs again")
    def run_again(self, request, queryset) -> None:
        jobs.requeue_stale_jobs()
        failed = queryset.filter(state=ImportJob.FAILED)
        # A failed job's upload is deleted (ingest.jobs): with no file left it has nothing to run.
        gone = [job.pk for job in failed if job.kind == ImportJob.FRUS and not job.input_files()]
        if gone:
            self.message_user(request, f"{len(gone)} job(s) had only an upload, deleted "
                                       "when they failed: upload the file again.",
                              messages.WARNING)
        count = failed.exclude(pk__in=gone).update(
            state=ImportJob.QUEUED, worker="", error=""
        )
        job_queue.queue_waiting_jobs()
        transaction.on_commit(jobs.start_background_worker)
        self.message_user(request, f"{count} job(s) queued again; volumes already imported "
                                   "are skipped.")

    @admin.display(description="Progress")
    def summary(self, job: ImportJob) -> str:
        progress = job.progress or {}
        if not progress:
            return "waiting for a worker" if job.state == ImportJob.QUEUED else ""
        if job.kind == ImportJob.PAGES:
            return _pages_summary(job)
        if job.kind == ImportJob.OCR:
            return _ocr_summary(job)
        text = (f"{progress.get('volumes_done', 0)}/{progress.get('volumes_total', 0)} volumes, "
                f"{progress.get('documents_done', 0)}/{progress.get('documents_total', 0)} "
                "documents")
        phase = progress.get("phase")
        return f"{text} ({phase})" if phase and phase != "finished" else text

    @admin.display(description="Details")
    def progress_display(self, job: ImportJob) -> str:
        progress = job.progress or {}
        current = progress.get("current") or "—"
        if job.kind == ImportJob.PAGES and progress.get("pages") and not job.is_finished:
            current = f"{current}, page {progress.get('page', 0)} of {progress['pages']}"
        return format_html("Phase: {}; current file: {}", progress.get("phase", "—"), current)

    @admin.display(description="Files")
    def files(self, job: ImportJob) -> str:
        return format_html_join("", "<div>{}</div>", ((f,) for f in job.input_files()))

    @admin.display(description="Report")
    def report_display(self, job: ImportJob) -> str:
        if job.kind == ImportJob.PAGES:
            return _pages_report(job)
        if job.kind == ImportJob.OCR:
            return _ocr_report(job)
        volumes = (job.report or {}).get("volumes", [])
        if not volumes:
            return "—"
        rows = format_html_join("", "{}", ((_volume_row(v),) for v in volumes))
        return format_html(
            '<table><thead><tr><th scope="col">Volume</th><th scope="col">Documents</th>'
            '<th scope="col">Created</th><th scope="col">Updated</th>'
            '<th scope="col">Undated</th><th scope="col">Warnings</th></tr></thead>'
            "<tbody>{}</tbody></table>", rows,
        )


def _volume_row(volume: dict) -> str:
    if volume.get("status") != "imported":
        return format_html('<tr><td colspan="6"><strong>Failed:</strong> {}</td></tr>',
                           volume.get("error", ""))
    undated = ", ".join(volume["undated"][:MAX_LISTED])
    if len(volume["undated"]) > MAX_LISTED:
        undated += f" … ({len(volume['undated'])} in all)"
    warnings = format_html_join("", "<div>{}</div>", ((w,) for w in volume["warnings"]))
    return format_html(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td></tr>",
        volume["volume"], volume["documents"], volume["created"], volume["updated"],
        len(volume["undated"]), format_html("<div><small>{}</small></div>", undated)
        if undated else "", warnings or "0",
    )


def _pages_summary(job: ImportJob) -> str:
    progress = job.progress or {}
    text = f"{progress.get('files_done', 0)}/{progress.get('files_total', 0)} files"
    failed = sum(1 for f in (job.report or {}).get("files", []) if f.get("status") == "failed")
    if failed:
        text += f", {failed} failed"
    phase = progress.get("phase")
    return f"{text} ({phase})" if phase and phase != "finished" else text


def _pages_report(job: ImportJob) -> str:
    """One row per file of a pages job: its document, and its pages or why it failed."""
    files = (job.report or {}).get("files", [])
    if not files:
        return "—"
    rows = format_html_join("", "{}", ((_page_file_row(entry),) for entry in files))
    return format_html(
        '<table><thead><tr><th scope="col">File</th><th scope="col">Document</th>'
        '<th scope="col">Result</th></tr></thead><tbody>{}</tbody></table>', rows,
    )


def _page_file_row(entry: dict) -> str:
    document = entry.get("document")
    link = format_html('<a href="{}">document {}</a>',
                       reverse("admin:archive_document_originals", args=[document]),
                       document) if document else "—"
    if entry.get("status") == "rendered":
        result = format_html("{} page(s) rendered", entry.get("pages", 0))
    else:
        result = format_html("<strong>Failed:</strong> {}", entry.get("error", ""))
    return format_html("<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                       entry.get("file") or f"file #{entry.get('attachment')}", link, result)


def _ocr_summary(job: ImportJob) -> str:
    progress = job.progress or {}
    text = f"{progress.get('pages_done', 0)}/{progress.get('pages_total', 0)} pages read"
    failed = (job.report or {}).get("totals", {}).get("failed", 0)
    if failed:
        text += f", {failed} failed"
    phase = progress.get("phase")
    return f"{text} ({phase})" if phase and phase != "finished" else text


def _ocr_report(job: ImportJob) -> str:
    """One row per document of an OCR job: pages read, skipped, failed (why), confidence."""
    entries = (job.report or {}).get("documents", [])
    if not entries:
        return "—"
    rows = format_html_join("", "{}", ((_ocr_document_row(entry),) for entry in entries))
    return format_html(
        '<table><thead><tr><th scope="col">Document</th><th scope="col">Pages</th>'
        '<th scope="col">Read</th><th scope="col">Already read</th><th scope="col">Failed</th>'
        '<th scope="col">Mean confidence</th></tr></thead><tbody>{}</tbody></table>', rows,
    )


def _ocr_document_row(entry: dict) -> str:
    document = entry.get("document")
    link = format_html('<a href="{}">{}</a>',
                       reverse("admin:archive_document_originals", args=[document]),
                       entry.get("title") or f"document {document}")
    errors = format_html_join("", "<div><small>{}</small></div>",
                              ((error,) for error in entry.get("errors", [])))
    confidence = entry.get("mean_confidence")
    return format_html(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td></tr>",
        link, entry.get("pages", 0), entry.get("read", 0), entry.get("skipped", 0),
        entry.get("failed", 0), errors, "—" if confidence is None else f"{confidence:.1f}",
    )
