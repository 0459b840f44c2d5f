"""The task queue behind import, page-rendering and OCR jobs: Django's task framework
(django-tasks, the backport for Django 5.2) with its database backend (django-tasks-db).

    queue_job(job)                                  # beside the ImportJob row, in the
                                                    # caller's transaction if any
    run_queue(label, batch=False, sweep=jobs.sweep)  # `declassified worker`: tasks until stopped

Why this backend: it needs no server beyond the database the archive already has (the embedded
default stays one SQLite file), and on PostgreSQL its workers take tasks with
SELECT … FOR UPDATE SKIP LOCKED, so any number of worker machines share one queue. Celery or
RQ would need Redis, which the embedded default must never need.

A task only names its job. The ImportJob row stays the job's record (progress, report,
heartbeat) and its conditional claim (jobs.claim_job) is what makes a job run at most once at a
time, whoever delivers it: a worker's task, or the thread of `import-frus` that follows its
own job. django-tasks-db leaves the task of a worker killed mid-task "running" for ever
(django-tasks issue #46), so recovery is ours: every worker sweeps now and then
(`sweep`), queues again the jobs whose worker died (jobs.requeue_stale_jobs, which closes the
dead worker's task) and gives every queued job that has no live task a new one. The re-run
skips what the dead worker finished (each FRUS volume, page or OCR page commits on its own).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable

from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from declassified.archive.database import retry_while_locked
from declassified.ingest.models import ImportJob

log = logging.getLogger(__name__)

SWEEP_SECONDS = 5.0
POLL_SECONDS = 1.0
LIVE = (TaskResultStatus.READY, TaskResultStatus.RUNNING)


class WorkerGone(Exception):
    """Recorded on the task of a worker that died while running it (its job runs again)."""


# What runs a job: jobs.run_waiting_job, handed over when the app is ready (apps.py), since
# the modules that make jobs import this one and jobs imports them.
_run_job: Callable[[int], str] | None = None


def set_job_runner(run: Callable[[int], str]) -> None:
    global _run_job
    _run_job = run


@task()
def run_import_job(job_id: int) -> str:
    """The queue's task: run job `job_id` if it is still waiting; returns its final state, or
    why nothing was done."""
    if _run_job is None:
        raise RuntimeError("the ingest app is not ready: run tasks with `declassified worker`")
    return _run_job(job_id)


TASK_PATH = run_import_job.module_path


def queue_job(job: ImportJob) -> None:
    """A task for this (queued, saved) job."""
    _enqueue(job.pk)


def _enqueue(job_id: int) -> None:
    retry_while_locked(lambda: run_import_job.enqueue(job_id), attempts=20, pause_seconds=0.25)


def live_tasks_of(job_ids: list[int]):
    return DBTaskResult.objects.filter(
        task_path=TASK_PATH, status__in=LIVE, args_kwargs__in=[
            {"args": [pk], "kwargs": {}} for pk in job_ids])


def close_tasks_of_dead_worker(job_id: int) -> None:
    """The task that was running job `job_id` when its worker died, marked failed."""
    live_tasks_of([job_id]).filter(status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED, finished_at=timezone.now(), return_value=None,
        exception_class_path=f"{WorkerGone.__module__}.{WorkerGone.__qualname__}",
        traceback="The worker running this task stopped (killed or crashed); its job was "
                  "queued again with a new task.")


def queue_waiting_jobs() -> list[int]:
    """A task for every queued job without one (queued by the admin's 'run again', before
    the task queue existed, or by a transaction that ended before its task was written)."""
    waiting = list(ImportJob.objects.filter(state=ImportJob.QUEUED).values_list("pk", flat=True))
    if not waiting:
        return []
    covered = {entry["args"][0] for entry in
               live_tasks_of(waiting).values_list("args_kwargs", flat=True)}
    orphans = [pk for pk in waiting if pk not in covered]
    for pk in orphans:
        _enqueue(pk)
    return orphans


def run_queue(worker_id: str, *, batch: bool, sweep: Callable[[], object]) -> None:
    """Take tasks from the queue (every queue name) until interrupted, or, with `batch`, until
    none is ready; `sweep()` runs first and then every SWEEP_SECONDS in a thread of its own.
    Ctrl-C (KeyboardInterrupt) stops it: the library would record it on the task and go on."""
    worker = Worker(queue_names=["*"], interval=POLL_SECONDS, batch=batch,
                    backend_name="default", startup_delay=False, max_tasks=None,
                    worker_id=worker_id, excluded_queue_names=[])

    def interrupted(signum, frame) -> None:
        worker.running = False
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, interrupted)
    sweep()
    stop = threading.Event()
    sweeper = threading.Thread(target=_sweep_until, args=(sweep, stop), daemon=True,
                               name="job-sweep")
    sweeper.start()
    try:
        worker.run()
    finally:
        stop.set()
    if not worker.running:
        raise KeyboardInterrupt  # interrupted during a task: the library carried on


def _sweep_until(sweep: Callable[[], object], stop: threading.Event) -> None:
    try:
        while not stop.wait(SWEEP_SECONDS):
            try:
                sweep()
            except Exception:  # the database away for a moment: the next sweep tries again
                log.exception("job sweep failed")
                connection.close()
    finally:
        connection.close()
