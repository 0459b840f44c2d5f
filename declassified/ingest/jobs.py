"""Import, page-rendering and OCR jobs: an ImportJob row each, delivered to workers by the
task queue (job_queue: Django's task framework, queued in the database).

    job = enqueue_frus_import(paths, bibliography=DIR, user=request.user)  # row + task
    run_worker(only_job=job.pk)        # `import-frus` runs this in a thread and watches
    `declassified worker`              # job_queue.run_queue: the queue's tasks, any machine
    start_background_worker()          # the back office, after an upload (JOBS_IN_WEB_PROCESS)

Whoever runs a job first claims it with one conditional UPDATE, so two workers never run the
same job. Each volume is imported in its own transaction (frus.write.import_volume), then the
job's progress and report are saved and its heartbeat refreshed. A worker that dies leaves
the archive consistent: the job stays "running" with an old heartbeat (or a dead process ID
on this host), `requeue_stale_jobs` queues it again with a new task, and the re-run skips
the volumes already done.

The ImportJob rows are written here directly, not through archive actions: they are the
job's own state (queue, progress, report), ingest's model, not archive content. Everything
an import puts into the archive goes through the archive's (bulk) actions.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import timedelta
from multiprocessing import get_context
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from declassified.archive.access import Viewer, signed_in
from declassified.archive.database import (
    IMPORTER_LOCK_WAIT_SECONDS,
    retry_while_locked,
    waiting_up_to,
)
from declassified.ingest import job_queue
from declassified.ingest.frus import FrusFormatError, VolumeData, load_bibliography, parse_or_error
from declassified.ingest.frus.parse import volume_chunks
from declassified.ingest.frus.write import import_volume
from declassified.ingest.models import ImportJob
from declassified.ingest.ocr_jobs import run_ocr_job
from declassified.ingest.page_jobs import run_page_job
from declassified.lifeline import die_with_parent
from declassified.search import apply_pending_after_job

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(seconds=90)  # a volume takes seconds; a minute and a half is dead
POLL_SECONDS = 1.0
PREFETCH = 2  # volumes parsed ahead in a second process while the current one is written

ProgressCallback = Callable[[ImportJob], None]
T = TypeVar("T")


def worker_label() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def enqueue_frus_import(paths: list[str], *, bibliography: str | None = None,
                        user: Viewer = None, upload: File | None = None) -> ImportJob:
    """Queue an import of these files (already resolved to files; see find_volume_files)."""
    options = {"bibliography": str(bibliography)} if bibliography else {}
    job = ImportJob(kind=ImportJob.FRUS, paths=[str(p) for p in paths], options=options,
                    created_by=signed_in(user))
    if upload is not None:
        job.upload = upload
    job.save()
    job_queue.queue_job(job)
    return job


def find_volume_files(paths: Sequence[str | Path]) -> list[Path]:
    """Expand files and folders into the .xml / .xml.gz files to import, sorted per folder.

    Raises ValueError with a message for the user when a path is missing or unusable."""
    found: list[Path] = []
    for given in paths:
        path = Path(given).expanduser()
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if _is_volume_file(p))
            if not inside:
                raise ValueError(f"no .xml or .xml.gz files in the folder {path}")
            found.extend(inside)
        elif path.is_file():
            if not _is_volume_file(path):
                raise ValueError(f"{path} is not a .xml or .xml.gz file")
            found.append(path)
        else:
            raise ValueError(f"no such file or folder: {path}")
    return list(dict.fromkeys(p.resolve() for p in found))


def _is_volume_file(path: Path) -> bool:
    return path.is_file() and path.name.lower().endswith((".xml", ".xml.gz"))


# --- Claiming and staleness ------------------------------------------------------------------


def claim_job(only_job: int | None = None) -> ImportJob | None:
    """Switch the oldest queued job (or `only_job`) to running for this worker; None if none."""
    queued = ImportJob.objects.filter(state=ImportJob.QUEUED).order_by("created_at", "id")
    if only_job is not None:
        queued = queued.filter(pk=only_job)
    for pk in queued.values_list("pk", flat=True)[:5]:
        now = timezone.now()
        won = ImportJob.objects.filter(pk=pk, state=ImportJob.QUEUED).update(
            state=ImportJob.RUNNING, worker=worker_label(), started_at=now, heartbeat_at=now,
            finished_at=None, attempts=F("attempts") + 1,
        )
        if won:
            return ImportJob.objects.get(pk=pk)
    return None


def is_stale(job: ImportJob, now=None) -> bool:
    """A running job whose worker is gone: a dead process on this host, or a silent one."""
    if job.state != ImportJob.RUNNING:
        return False
    host, _, pid = job.worker.rpartition(":")
    if host == socket.gethostname() and pid.isdigit() and not _process_alive(int(pid)):
        return True
    now = now or timezone.now()
    return job.heartbeat_at is None or now - job.heartbeat_at > STALE_AFTER


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """A process that has ended but not yet been waited for by its parent (kill -0 still
    finds it): dead for our purpose. Linux tells in /proc; elsewhere, the heartbeat will."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def requeue_stale_jobs() -> list[int]:
    """Queue again, with a new task, every running job whose worker died (its task closed as
    failed); returns their IDs."""
    requeued = []
    for job in ImportJob.objects.filter(state=ImportJob.RUNNING):
        if not is_stale(job):
            continue
        with transaction.atomic():
            if ImportJob.objects.filter(
                pk=job.pk, state=ImportJob.RUNNING, heartbeat_at=job.heartbeat_at
            ).update(state=ImportJob.QUEUED, worker=""):
                job_queue.close_tasks_of_dead_worker(job.pk)
                job_queue.queue_job(job)
                requeued.append(job.pk)
    return requeued


def sweep() -> None:
    """What every worker does now and then (job_queue.run_queue): jobs whose worker died
    queued again, and every queued job given a task."""
    _while_locked(requeue_stale_jobs)
    _while_locked(job_queue.queue_waiting_jobs)


# --- Running -----------------------------------------------------------------------------------


def run_waiting_job(job_id: int, on_progress: ProgressCallback | None = None) -> str:
    """Run job `job_id` if it is still queued (the queue's task; `worker --job`): its final
    state, or why nothing was done."""
    job = _while_locked(lambda: claim_job(only_job=job_id))
    if job is None:
        return "not waiting"  # already taken (a command's own thread), finished or deleted
    return run_job(job, on_progress=on_progress).state


def run_worker(*, only_job: int | None = None,
               on_progress: ProgressCallback | None = None) -> int:
    """Run queued jobs in this thread until none is left (the threads of the commands and of
    the back office; `declassified worker` takes the queue's tasks instead). Returns how many
    jobs it ran."""
    ran = 0
    while (job := _while_locked(lambda: claim_job(only_job))) is not None:
        run_job(job, on_progress=on_progress)
        ran += 1
        if only_job is not None:
            break
    return ran


def _while_locked(call: Callable[[], T], attempts: int = 20) -> T:
    """`call()`, tried again while SQLite reports a lock (database.retry_while_locked): the
    job's own bookkeeping (claiming, progress, the final state) must not fail the import."""
    return retry_while_locked(call, attempts=attempts, pause_seconds=POLL_SECONDS / 4)


def start_background_worker() -> threading.Thread | None:
    """Run the queued jobs in a daemon thread of this process (the back office uses this),
    unless the settings leave them to the queue's workers (`declassified serve` does)."""
    if not settings.JOBS_IN_WEB_PROCESS:
        return None
    thread = threading.Thread(target=_thread_worker, name="import-worker", daemon=True)
    thread.start()
    return thread


def _thread_worker(**kwargs) -> None:
    try:
        run_worker(**kwargs)
    finally:
        connection.close()


def follow_job(job: ImportJob, on_update: ProgressCallback,
               thread: threading.Thread | None, poll_seconds: float = 0.25) -> ImportJob:
    """Follow a job in the database until it finishes, while a worker (this process's thread or
    another process) runs it; `on_update(job)` after each look. A job whose worker died is
    queued again, and run here in a new thread. The commands that wait for their job use this."""
    while True:
        job.refresh_from_db()
        on_update(job)
        if job.is_finished:
            break
        if is_stale(job):
            requeue_stale_jobs()
        if job.state == ImportJob.QUEUED and (thread is None or not thread.is_alive()):
            thread = start_worker_thread(job.pk)
        time.sleep(poll_seconds)
    if thread is not None:
        thread.join(timeout=10)
    return job


def run_or_follow(job: ImportJob, on_update: ProgressCallback, *,
                  foreground: bool) -> ImportJob:
    """What the commands that wait for their job do: run it in this thread (`foreground`),
    or start a worker thread for it and follow it (another worker may take it first)."""
    if foreground and (claimed := claim_job(only_job=job.pk)) is not None:
        return run_job(claimed, on_progress=on_update)
    return follow_job(job, on_update, None if foreground else start_worker_thread(job.pk))


def start_worker_thread(only_job: int) -> threading.Thread:
    """The thread `import-frus` starts to run its own job while it shows progress."""
    thread = threading.Thread(target=_thread_worker, kwargs={"only_job": only_job},
                              name=f"import-job-{only_job}", daemon=True)
    thread.start()
    return thread


def run_job(job: ImportJob, *, on_progress: ProgressCallback | None = None) -> ImportJob:
    """Import every file of a claimed job; never raises (failures end up in the job)."""
    try:
        # A background import waits its turn behind other writers rather than fail a volume.
        with waiting_up_to(IMPORTER_LOCK_WAIT_SECONDS):
            if job.kind == ImportJob.PAGES:
                run_page_job(job, lambda: _save_progress(job, on_progress))
            elif job.kind == ImportJob.OCR:
                run_ocr_job(job, lambda: _save_progress(job, on_progress))
            else:
                _FrusJobRun(job, on_progress).run()
    except Exception as error:  # the job records any failure; the worker goes on
        log.exception("import job %s failed", job.pk)
        job.state = ImportJob.FAILED
        job.error = f"{type(error).__name__}: {error}"
    job.finished_at = timezone.now()
    job.heartbeat_at = job.finished_at
    if job.state == ImportJob.FAILED:
        discard_upload(job)
    _while_locked(lambda: job.save(update_fields=[
        "state", "error", "finished_at", "heartbeat_at", "progress", "report", "upload"]))
    if on_progress:
        on_progress(job)
    return job


def _save_progress(job: ImportJob, on_progress: ProgressCallback | None) -> None:
    job.heartbeat_at = timezone.now()
    _while_locked(lambda: job.save(update_fields=["progress", "report", "heartbeat_at"]))
    if on_progress:
        on_progress(job)


def discard_upload(job: ImportJob) -> None:
    """Delete a job's uploaded file: when the job fails (nothing of it was imported, each
    volume being all-or-nothing, and a damaged or oversized upload must not stay on disk), or
    when a finished job is deleted. The report keeps its name; to try again, upload it again."""
    if not job.upload:
        return
    # The local copy of an upload kept in an object store (ImportJob.upload_path).
    shutil.rmtree(job.upload_copy_folder(), ignore_errors=True)
    try:
        job.upload.delete(save=False)
    except OSError as error:  # already gone, or a permissions problem: say so, go on
        log.warning("import job %s: could not delete its upload: %s", job.pk, error)


class _FrusJobRun:
    def __init__(self, job: ImportJob, on_progress: ProgressCallback | None) -> None:
        self.job = job
        self.on_progress = on_progress
        self.files = job.input_files()
        report = job.report or {}
        self.volumes: list[dict] = list(report.get("volumes", []))
        self.done = {v["file"] for v in self.volumes if v.get("status") == "imported"}
        self.volumes = [v for v in self.volumes if v.get("file") in self.done]

    def run(self) -> None:
        self._progress(phase="counting", current="")
        totals = {path: _count_documents(path) for path in self.files}
        self.job.progress.update(
            volumes_total=len(self.files), documents_total=sum(totals.values()),
            volumes_done=len(self.done),
            documents_done=sum(v["documents"] for v in self.volumes),
        )
        self.job.progress["phase"] = "importing"
        todo = [path for path in self.files if path not in self.done]
        seconds = self.job.progress.setdefault("seconds", {})
        clock = time.monotonic()
        for path, outcome in _parsed_volumes(todo):
            waited = time.monotonic()
            self._import(path, outcome, totals.get(path, 0))
            seconds["parse_wait"] = round(seconds.get("parse_wait", 0) + waited - clock, 2)
            clock = time.monotonic()
            seconds["write"] = round(seconds.get("write", 0) + clock - waited, 2)
        self._index()
        seconds["index"] = round(time.monotonic() - clock, 2)
        failed = [v for v in self.volumes if v.get("status") == "failed"]
        self.job.state = ImportJob.FAILED if failed else ImportJob.DONE
        self.job.error = "\n".join(v["error"] for v in failed)
        self._progress(phase="finished", current="")

    def _import(self, path: str, outcome: VolumeData | FrusFormatError, expected: int) -> None:
        self._progress(current=path)
        if isinstance(outcome, FrusFormatError):
            entry = _failed_volume(path, str(outcome))
        else:
            entry = self._write(path, outcome)
        self.volumes.append(entry)
        progress = self.job.progress
        progress["volumes_done"] = progress.get("volumes_done", 0) + 1
        progress["documents_done"] = progress.get("documents_done", 0) + (
            entry["documents"] or expected)
        self._progress()

    def _write(self, path: str, volume: VolumeData) -> dict:
        """The volume's report entry. Its import is one transaction, so a volume that fails
        for any reason changes nothing, is reported as failed with the reason, and the job
        goes on with the next volume."""
        try:
            bibliography = load_bibliography(self.job.options.get("bibliography"),
                                             volume.volume_id)
            result = import_volume(volume, bibliography=bibliography,
                                   acting_user=self.job.created_by,
                                   via=f"frus-import job {self.job.pk}")
        except Exception as error:  # recorded in the report; the other volumes go on
            log.exception("import job %s: volume %s failed", self.job.pk, path)
            return _failed_volume(path, f"{path}: not imported ({type(error).__name__}: "
                                        f"{error}); nothing of this volume was changed")
        return result.as_report()

    def _index(self) -> None:
        """Bring the search index up to date, so imported documents are found at once."""
        self._progress(phase="indexing", current="")
        try:
            self.job.progress["indexed"] = apply_pending_after_job()
        except Exception as error:  # the indexer thread or `declassified indexer` will retry
            log.warning("indexing after import job %s failed: %s", self.job.pk, error)
            self.job.progress["indexing_error"] = str(error)

    def _progress(self, **changes) -> None:
        self.job.progress.update(changes)
        self.job.report = {"volumes": self.volumes, "totals": report_totals(self.volumes)}
        self.job.heartbeat_at = timezone.now()
        _while_locked(lambda: self.job.save(update_fields=["progress", "report",
                                                           "heartbeat_at"]))
        if self.on_progress:
            self.on_progress(self.job)


def _failed_volume(path: str, reason: str) -> dict:
    return {"file": path, "status": "failed", "error": reason, "documents": 0}


def report_totals(volumes: list[dict]) -> dict:
    imported = [v for v in volumes if v.get("status") == "imported"]
    return {
        "volumes": len(imported),
        "failed": len(volumes) - len(imported),
        "documents": sum(v["documents"] for v in imported),
        "created": sum(v["created"] for v in imported),
        "updated": sum(v["updated"] for v in imported),
        "unchanged": sum(v["unchanged"] for v in imported),
        "undated": sum(len(v["undated"]) for v in imported),
        "warnings": sum(len(v["warnings"]) for v in imported),
    }


def max_volume_bytes() -> int:
    return settings.IMPORT_MAX_VOLUME_MB * 1024 * 1024


def _count_documents(path: str) -> int:
    """How many documents a file holds, counted cheaply for the progress bar (~10 ms), in
    bounded memory: the file is decompressed as a stream, chunk by chunk; 0 for a file that
    cannot be read (its parse then says why)."""
    marker = b'type="document"'
    count, tail = 0, b""
    try:
        for chunk in volume_chunks(Path(path), max_volume_bytes()):
            window = tail + chunk
            count += window.count(marker)
            tail = window[-(len(marker) - 1):]  # a marker split across chunks is counted once
    except FrusFormatError:
        return 0
    return count


def _parsed_volumes(paths: list[str]) -> Iterator[tuple[str, VolumeData | FrusFormatError]]:
    """(path, parsed volume or its error) in order. With several files a second process
    parses ahead while this one writes: parsing is half the work and needs no database."""
    if len(paths) < 3 or (os.cpu_count() or 1) < 2:
        for path in paths:
            yield path, parse_or_error(path, max_volume_bytes())
        return
    # PR_SET_PDEATHSIG fires when the *thread* that started the child ends; the pool starts
    # its process in this thread, which outlives the pool (the `with` block).
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"),
                             initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        pending: list[tuple[str, Future]] = []
        queue = iter(paths)
        for path in queue:
            pending.append((path, pool.submit(parse_or_error, path, max_volume_bytes())))
            if len(pending) > PREFETCH:
                path_done, future = pending.pop(0)
                yield path_done, future.result()
        for path_done, future in pending:
            yield path_done, future.result()
