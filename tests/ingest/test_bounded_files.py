"""Bounded imports: a gzip bomb, an oversized upload and a failed upload's file (issue 13.5)."""

from __future__ import annotations

import gzip
import time
import tracemalloc
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from declassified.archive.models import Document
from declassified.ingest.frus.parse import read_volume_bytes
from declassified.ingest.models import ImportJob
from tests.ingest.test_jobs import wait_for

FIXTURES = Path(__file__).parent / "frus" / "fixtures"
MB = 1024 * 1024


def write_gzip_bomb(path: Path, expanded_mb: int = 1024) -> None:
    """~1 MB of gzip that expands to `expanded_mb` MB of zeros: one compressed megabyte of
    zeros repeated as gzip members (a valid gzip file), written without holding it whole."""
    member = gzip.compress(b"\0" * MB, compresslevel=9)
    with path.open("wb") as handle:
        handle.write(gzip.compress(b'<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">'))
        for _ in range(expanded_mb):
            handle.write(member)


def test_several_gzip_members_decompress_like_gzip_itself(tmp_path):
    data = (FIXTURES / "structure.xml").read_bytes()
    packed = tmp_path / "two-members.xml.gz"
    packed.write_bytes(gzip.compress(data[:500]) + gzip.compress(data[500:]))
    assert read_volume_bytes(packed) == data


@pytest.mark.django_db
def test_a_gzip_bomb_fails_its_job_quickly_in_bounded_memory(tmp_path, settings):
    settings.IMPORT_MAX_VOLUME_MB = 20
    bomb = tmp_path / "frusbomb.xml.gz"
    write_gzip_bomb(bomb)
    assert bomb.stat().st_size < 2 * MB
    started = time.monotonic()
    tracemalloc.start()
    try:
        with pytest.raises(CommandError) as error:
            call_command("import_frus", str(bomb), str(FIXTURES / "bom.xml"), foreground=True,
                         stdout=StringIO())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 20
    assert peak < 100 * MB  # a bounded multiple of the 20 MB limit, not the gigabyte
    assert f"{bomb}: decompresses to more than 20 MB" in str(error.value)
    assert "IMPORT_MAX_VOLUME_MB" in str(error.value)
    job = ImportJob.objects.get()
    assert [v["status"] for v in job.report["volumes"]] == ["failed", "imported"]
    assert Document.objects.filter(source_id="frustest-bom/d1").exists()


@pytest.mark.django_db
def test_an_upload_past_the_size_limit_is_refused_with_a_message(alice_client, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    upload = SimpleUploadedFile("big.xml", b"<TEI/>" + b" " * (MB + MB // 2),
                                content_type="application/xml")
    response = alice_client.post("/admin/ingest/importjob/add/", {"upload": upload})
    assert response.status_code == 200
    assert "big.xml is 1.5 MB; an upload may be at most 1 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_uploaded_file_of_a_failed_job_is_deleted(alice_client):
    upload = SimpleUploadedFile("not-tei.xml", (FIXTURES / "broken" / "not-tei.xml").read_bytes(),
                                content_type="application/xml")
    alice_client.post("/admin/ingest/importjob/add/", {"upload": upload})
    job = ImportJob.objects.get()
    stored = Path(job.upload.path)
    job = wait_for(job)
    assert job.state == ImportJob.FAILED
    assert "not a TEI document" in job.error
    assert not stored.exists() and not job.upload
    assert job.report["volumes"][0]["file"] == str(stored)  # the report still names it
    page = alice_client.get(f"/admin/ingest/importjob/{job.pk}/change/")
    assert page.status_code == 200 and "not a TEI document" in page.content.decode()
    response = alice_client.post("/admin/ingest/importjob/", {
        "action": "run_again", "_selected_action": [job.pk]}, follow=True)
    assert "upload the file again" in response.content.decode()
    job.refresh_from_db()
    assert job.state == ImportJob.FAILED


@pytest.mark.django_db(transaction=True)
def test_deleting_a_finished_job_deletes_its_uploaded_file(alice_client):
    upload = SimpleUploadedFile("structure.xml", (FIXTURES / "structure.xml").read_bytes(),
                                content_type="application/xml")
    alice_client.post("/admin/ingest/importjob/add/", {"upload": upload})
    job = wait_for(ImportJob.objects.get())
    assert job.state == ImportJob.DONE, job.error
    stored = Path(job.upload.path)
    assert stored.exists()  # a done job keeps its file: the source of what it imported
    response = alice_client.post(f"/admin/ingest/importjob/{job.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not ImportJob.objects.exists() and not stored.exists()
