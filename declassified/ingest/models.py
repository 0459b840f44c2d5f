"""Import jobs: each job's state, progress and report (the task queue delivers them).

Only the importer's own state lives here; what an import writes into the archive (documents,
collections, people, glossaries…) is archive content, written through archive actions."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import models


class ImportJob(models.Model):
    """One import run: files to read, its state, progress and report.

    The queue is this table: a worker claims a queued job by switching it to running in one
    UPDATE (only one worker wins), refreshes `heartbeat_at` while it works, and finishes it
    as done or failed. A running job whose worker died is *stale* (see ingest.jobs) and is
    queued again; volumes already imported are skipped on the re-run.
    """

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    STATE_CHOICES = [(QUEUED, "Queued"), (RUNNING, "Running"), (DONE, "Done"), (FAILED, "Failed")]

    FRUS = "frus"
    PAGES = "pages"
    OCR = "ocr"
    KIND_CHOICES = [(FRUS, "FRUS TEI volumes"), (PAGES, "Pages of originals"),
                    (OCR, "OCR of pages")]

    kind = models.CharField(max_length=20, choices=KIND_CHOICES, default=FRUS)
    state = models.CharField(max_length=10, choices=STATE_CHOICES, default=QUEUED, db_index=True)
    paths = models.JSONField(default=list, blank=True, help_text="Files to import, in order.")
    upload = models.FileField(
        upload_to="imports/%Y/", blank=True,
        help_text="A FRUS volume (.xml or .xml.gz) to import.",
    )
    options = models.JSONField(default=dict, blank=True)
    progress = models.JSONField(default=dict, blank=True, editable=False)
    report = models.JSONField(default=dict, blank=True, editable=False)
    error = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)
    worker = models.CharField(max_length=200, blank=True, editable=False,
                              help_text="host:pid of the worker running it")
    attempts = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import #{self.pk} ({self.get_state_display().lower()})"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.DONE, self.FAILED)

    def input_files(self) -> list[str]:
        """The files this job reads: the listed paths, then the uploaded file; for a pages
        job, its attachments' stored files that still exist (one query)."""
        if self.kind == self.PAGES:
            from declassified.archive.models import Attachment

            ids = list((self.options or {}).get("attachments", []))
            names = dict(Attachment.objects.filter(pk__in=ids).values_list("pk", "file"))
            return [names[pk] for pk in ids if pk in names]
        files = list(self.paths or [])
        if self.upload:
            files.append(str(self.upload_path()))
        return files

    def upload_copy_folder(self) -> Path:
        return Path(tempfile.gettempdir()) / "declassified-job-uploads" / str(self.pk)

    def upload_path(self) -> Path:
        """A local path of the uploaded file: the stored file itself in the media folder;
        from an object store, a copy fetched once into a folder named by the job (the same
        path on every worker machine, so that a job resumed elsewhere knows which of its
        files it has done)."""
        try:
            return Path(self.upload.path)
        except NotImplementedError:
            pass
        local = self.upload_copy_folder() / Path(self.upload.name).name
        if not local.exists():
            local.parent.mkdir(parents=True, exist_ok=True)
            partial = local.with_name(f".{local.name}.partial")
            with self.upload.open("rb") as stored, open(partial, "wb") as out:
                shutil.copyfileobj(stored, out, 1 << 20)
            partial.replace(local)
        return local
