"""`declassified worker [--once] [--job N]`"""

from __future__ import annotations

import argparse
import os

from django.core.management.base import BaseCommand, CommandError
from django_tasks import signals

from declassified.ingest import job_queue, jobs
from declassified.ingest.models import ImportJob
from declassified.lifeline import die_with_parent


class Command(BaseCommand):
    help = (
        "Run the queued import, page-rendering and OCR jobs: take tasks from the task queue in "
        "the database, which any number of workers share; also queues again the jobs whose "
        "worker died. Runs until stopped unless --once."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true",
                            help="Stop when no job is waiting instead of polling for more.")
        parser.add_argument("--job", type=int, metavar="N",
                            help="Run only job N (queued, or stale after its worker died).")
        # `declassified serve` starts a worker as its child: it ends when the server does.
        parser.add_argument("--parent", type=int, metavar="PID", help=argparse.SUPPRESS)

    def handle(self, *args, once: bool, job: int | None, parent: int | None = None,
               **options) -> None:
        if parent is not None:
            die_with_parent(parent)
        requeued = jobs.requeue_stale_jobs()
        if requeued:
            self.stdout.write(f"Queued again (their worker had died): "
                              f"{', '.join(f'#{pk}' for pk in requeued)}")
        self.reported: set[int] = set()  # jobs whose end was printed (progress repeats it)
        if job is not None:
            found = ImportJob.objects.filter(pk=job).first()
            if found is None:
                raise CommandError(f"no import job #{job}")
            if found.state != ImportJob.QUEUED:
                raise CommandError(f"job #{job} is {found.state}, not queued")
            jobs.run_waiting_job(job, on_progress=self._progress)
            self.stdout.write(f"Ran {len(self.reported)} job(s).")
            return
        signals.task_finished.connect(self._task_finished)
        try:
            job_queue.run_queue(jobs.worker_label(), batch=once, sweep=jobs.sweep)
        except KeyboardInterrupt:
            raise CommandError("Stopped; a job cut short is resumed by the next worker.") from None
        finally:
            signals.task_finished.disconnect(self._task_finished)
        self.stdout.write(f"Ran {len(self.reported)} job(s).")

    def _task_finished(self, sender, task_result, **kwargs) -> None:
        """Each task's job, reported once it has ended (by the queue's signal)."""
        if task_result.task.module_path == job_queue.TASK_PATH and task_result.args:
            ran = ImportJob.objects.filter(pk=task_result.args[0]).first()
            if ran is not None and ran.worker.endswith(f":{os.getpid()}"):
                self._progress(ran)

    def _progress(self, job: ImportJob) -> None:
        if job.is_finished and job.pk not in self.reported:
            self.reported.add(job.pk)
            totals = (job.report or {}).get("totals", {})
            if job.kind == ImportJob.OCR:
                self.stdout.write(
                    f"OCR job #{job.pk} {job.state}: {totals.get('read', 0)} page(s) read, "
                    f"{totals.get('skipped', 0)} already read, {totals.get('failed', 0)} failed.")
                return
            if job.kind == ImportJob.PAGES:
                files = (job.report or {}).get("files", [])
                self.stdout.write(f"Pages job #{job.pk} {job.state}: {len(files)} file(s).")
                return
            self.stdout.write(
                f"Job #{job.pk} {job.state}: {totals.get('volumes', 0)} volume(s), "
                f"{totals.get('documents', 0)} documents, {totals.get('failed', 0)} failed."
            )
