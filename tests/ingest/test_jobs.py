"""Import jobs: the database queue, workers, stale jobs and the back office."""

from __future__ import annotations

import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from declassified.archive.models import Document
from declassified.ingest import jobs
from declassified.ingest.models import ImportJob

FIXTURES = Path(__file__).parent / "frus" / "fixtures"


def wait_for(job: ImportJob, seconds: float = 60) -> ImportJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job.pk} still {job.state} after {seconds} s")


@pytest.mark.django_db(transaction=True)
def test_by_default_a_worker_runs_the_job_while_the_command_reports():
    out = StringIO()
    call_command("import_frus", str(FIXTURES / "structure.xml"), str(FIXTURES / "bom.xml"),
                 stdout=out)
    job = ImportJob.objects.get()
    assert job.state == ImportJob.DONE
    assert job.worker.endswith(f":{jobs.os.getpid()}")  # the command's own worker thread
    assert job.progress["volumes_done"] == job.progress["volumes_total"] == 2
    assert job.progress["documents_done"] == job.progress["documents_total"] == 4
    assert job.report["totals"]["created"] == 4
    output = out.getvalue()
    assert "Imported 2 volume(s): 4 documents (4 created, 0 updated, 0 unchanged)" in output
    assert "frustest-structure: 3 documents" in output


# Committed rows: the worker, as the process it is, closes its connection between tasks.
@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_died_is_stale_and_its_rerun_skips_finished_volumes():
    call_command("import_frus", str(FIXTURES / "bom.xml"), foreground=True, stdout=StringIO())
    done = ImportJob.objects.get().report["volumes"][0]
    files = [str(FIXTURES / "bom.xml"), str(FIXTURES / "crlf.xml")]
    killed = ImportJob.objects.create(
        paths=files, state=ImportJob.RUNNING, worker=f"{jobs.socket.gethostname()}:999999999",
        heartbeat_at=timezone.now(), report={"volumes": [done]},
    )
    assert jobs.is_stale(killed)
    assert jobs.requeue_stale_jobs() == [killed.pk]
    out = StringIO()
    call_command("worker", "--once", stdout=out)
    killed.refresh_from_db()
    assert killed.state == ImportJob.DONE and killed.attempts == 1
    volumes = killed.report["volumes"]
    assert [v["volume"] for v in volumes] == ["frustest-bom", "frustest-crlf"]
    assert volumes[0] == done  # not imported a second time
    assert Document.objects.filter(source_id="frustest-crlf/d1").exists()
    assert f"Job #{killed.pk} done" in out.getvalue()


@pytest.mark.django_db
def test_a_silent_worker_elsewhere_is_stale_only_after_its_heartbeat_is_old():
    job = ImportJob.objects.create(state=ImportJob.RUNNING, worker="another-host:12",
                                   heartbeat_at=timezone.now())
    assert not jobs.is_stale(job)
    job.heartbeat_at = timezone.now() - jobs.STALE_AFTER * 2
    assert jobs.is_stale(job)


@pytest.mark.django_db
def test_only_one_worker_can_claim_a_job():
    job = jobs.enqueue_frus_import([str(FIXTURES / "bom.xml")])
    assert jobs.claim_job().pk == job.pk
    assert jobs.claim_job() is None
    job.refresh_from_db()
    assert job.state == ImportJob.RUNNING and job.attempts == 1


@pytest.mark.django_db
def test_the_worker_command_refuses_unknown_or_finished_jobs():
    with pytest.raises(CommandError, match="no import job #42"):
        call_command("worker", "--job", "42", stdout=StringIO())
    assert not ImportJob.objects.exists()
    finished = ImportJob.objects.create(state=ImportJob.DONE)
    with pytest.raises(CommandError, match=f"job #{finished.pk} is done, not queued"):
        call_command("worker", "--job", str(finished.pk), stdout=StringIO())
    finished.refresh_from_db()
    assert (finished.state, finished.attempts, finished.worker) == (ImportJob.DONE, 0, "")


@pytest.mark.django_db(transaction=True)
def test_an_editor_uploads_a_volume_and_the_job_runs_in_the_background(alice_client):
    upload = SimpleUploadedFile("structure.xml", (FIXTURES / "structure.xml").read_bytes(),
                                content_type="application/xml")
    response = alice_client.post("/admin/ingest/importjob/add/", {"upload": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/ingest/importjob/{job.pk}/change/"
    job = wait_for(job)
    assert job.state == ImportJob.DONE, job.error
    assert job.created_by.username == "alice"
    assert Document.objects.filter(source_id="frustest-structure/d1").exists()
    page = alice_client.get(f"/admin/ingest/importjob/{job.pk}/change/").content.decode()
    assert "frustest-structure" in page and "1/1 volumes, 3/3 documents" in page
    assert 'http-equiv="refresh"' not in page  # a finished job's page stops reloading


@pytest.mark.django_db
def test_an_upload_that_is_not_xml_is_refused_in_the_form(alice_client):
    upload = SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")
    response = alice_client.post("/admin/ingest/importjob/add/", {"upload": upload})
    assert response.status_code == 200
    assert "notes.txt is not a .xml or .xml.gz file" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_the_job_list_and_page_show_state_progress_and_report(alice_client,
                                                              django_assert_max_num_queries):
    call_command("import_frus", str(FIXTURES / "missing-dates.xml"), foreground=True,
                 stdout=StringIO())
    for _ in range(5):
        ImportJob.objects.create(paths=["/nowhere.xml"])
    job = ImportJob.objects.filter(state=ImportJob.DONE).get()
    with django_assert_max_num_queries(12):
        listing = alice_client.get("/admin/ingest/importjob/")
    assert listing.status_code == 200
    assert "waiting for a worker" in listing.content.decode()
    with django_assert_max_num_queries(12):
        page = alice_client.get(f"/admin/ingest/importjob/{job.pk}/change/").content.decode()
    assert "frustest-missingdates" in page
    assert "frustest-missingdates/d1" in page  # undated documents are listed
    assert "date not understood" in page


@pytest.mark.django_db
def test_people_who_may_not_publish_cannot_import(bob, client):
    client.force_login(bob)
    assert client.get("/admin/ingest/importjob/").status_code == 403
    assert client.get("/admin/ingest/importjob/add/").status_code == 403
