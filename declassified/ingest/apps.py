from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "declassified.ingest"
    label = "ingest"
    verbose_name = "Imports"

    def ready(self) -> None:
        # The task queue's task runs jobs through jobs.py, which job_queue cannot import
        # (jobs imports it, through the modules that make jobs).
        from declassified.ingest import job_queue, jobs

        job_queue.set_job_runner(jobs.run_waiting_job)
