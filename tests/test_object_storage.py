"""DECLASSIFIED_STORAGE_URL: originals, page masters and collection images in an S3 bucket
that every node and worker shares (issue 18.4; docs/deployment.md).

The store is a real S3 server in its own process: moto's standalone server (`moto_server`,
from the test dependencies), on a free port. The archive runs as `declassified` commands and
servers in their own processes, each node with its own data dir, as on separate machines.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
import requests

from tests.servers import DECLASSIFIED, free_port, shared_database, start_server

MOTO_SERVER = str(Path(sys.executable).with_name("moto_server"))
BUCKET, PREFIX, SECRET = "archive", "site", "not-so-secret"
IDS = """
from declassified.archive.models import Attachment, Page
page = Page.objects.filter(document__status="published").order_by("pk").first()
attachment = Attachment.objects.filter(document=page.document).order_by("pk").first()
print(page.pk, attachment.document_id, attachment.pk, attachment.file.name)
"""


@pytest.fixture(scope="module")
def s3():
    port = free_port()
    server = subprocess.Popen([MOTO_SERVER, "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                          aws_access_key_id="archive", aws_secret_access_key=SECRET)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                client.create_bucket(Bucket=BUCKET)
                break
            except Exception:  # not listening yet
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        yield port, client
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def site(s3, tmp_path_factory):
    """The sample archive set up with its files in the bucket: (environment of node a,
    folder of the nodes' data dirs)."""
    port, _ = s3
    folder = tmp_path_factory.mktemp("object-storage")
    with shared_database(folder) as database_url:
        env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0",
               "DECLASSIFIED_DATA_DIR": str(folder / "a"),
               "DECLASSIFIED_STORAGE_URL":
                   f"s3://archive:{SECRET}@127.0.0.1:{port}/{BUCKET}/{PREFIX}?tls=0"}
        subprocess.run([DECLASSIFIED, "setup"], env=env, check=True, timeout=600,
                       stdout=subprocess.DEVNULL)
        yield env, folder


def stored(client, prefix: str = PREFIX) -> dict[str, int]:
    """Name → size of every object under the prefix."""
    listing = client.list_objects_v2(Bucket=BUCKET, Prefix=f"{prefix}/")
    return {item["Key"].removeprefix(f"{prefix}/"): item["Size"]
            for item in listing.get("Contents", [])}


def test_originals_and_page_masters_are_written_to_the_bucket_not_the_data_dir(s3, site):
    env, folder = site
    names = stored(s3[1])
    assert any(name.startswith("attachments/") for name in names)
    assert sum(name.startswith("pages/") for name in names) >= 7  # the samples' 7 pages
    media = folder / "a" / "media"
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def test_another_node_serves_the_pages_and_originals_from_the_bucket(s3, site):
    env, folder = site
    page, document, attachment, name = subprocess.run(
        [DECLASSIFIED, "shell", "-c", IDS], env=env, check=True, capture_output=True,
        text=True, timeout=120).stdout.split()[-4:]
    node_b = {**env, "DECLASSIFIED_DATA_DIR": str(folder / "b")}  # nothing of a's on disk
    base, server = start_server(node_b)
    try:
        tile = requests.get(f"{base}/iiif/3/{page}/0,0,256,256/256,/0/default.jpg", timeout=30)
        assert tile.status_code == 200, tile.text
        assert tile.headers["Content-Type"] == "image/jpeg" and tile.content[:2] == b"\xff\xd8"
        # The master was fetched once and kept on node b, for the next tiles.
        assert [p for p in (folder / "b" / "master-cache").rglob("*.tif")]
        again = requests.get(f"{base}/iiif/3/{page}/256,0,256,256/256,/0/default.jpg",
                             timeout=30)
        assert again.status_code == 200
        original = requests.get(f"{base}/document/{document}/files/{attachment}/", timeout=30)
        assert original.status_code == 200
        in_bucket = s3[1].get_object(Bucket=BUCKET, Key=f"{PREFIX}/{name}")["Body"].read()
        assert original.content == in_bucket
        missing = requests.get(f"{base}/media/collections/none-such.jpg", timeout=30)
        assert missing.status_code == 404
    finally:
        server.terminate()
        server.wait(timeout=30)
    # The tiles node b made are shared through the bucket: node c serves the same bytes
    # without fetching the master.
    assert sum(name.startswith("iiif-cache/") for name in stored(s3[1])) == 2
    base, server = start_server({**env, "DECLASSIFIED_DATA_DIR": str(folder / "c")})
    try:
        same = requests.get(f"{base}/iiif/3/{page}/0,0,256,256/256,/0/default.jpg", timeout=30)
        assert same.status_code == 200 and same.content == tile.content
        assert not (folder / "c" / "master-cache").exists()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_backup_holds_every_file_of_the_bucket_and_a_restore_puts_them_back(s3, site, tmp_path):
    env, _ = site
    backup = tmp_path / "backup"
    made = subprocess.run([DECLASSIFIED, "backup", str(backup)], env=env, capture_output=True,
                          text=True, timeout=600)
    assert made.returncode == 0, made.stderr
    names = {name: size for name, size in stored(s3[1]).items()
             if not name.startswith("iiif-cache/")}  # derived images are not backed up
    copied = {p.relative_to(backup / "media").as_posix(): p.stat().st_size
              for p in (backup / "media").rglob("*") if p.is_file()}
    assert copied == names

    # … and a restore onto another database and another place in the bucket puts every
    # file back under its own name.
    with shared_database(tmp_path) as database_url:
        target = {**env, "DATABASE_URL": database_url,
                  "DECLASSIFIED_DATA_DIR": str(tmp_path / "restored"),
                  "DECLASSIFIED_STORAGE_URL": env["DECLASSIFIED_STORAGE_URL"].replace(
                      f"/{PREFIX}?", "/restored?")}
        restored = subprocess.run([DECLASSIFIED, "restore", str(backup)], env=target,
                                  capture_output=True, text=True, timeout=600)
        assert restored.returncode == 0, restored.stderr
    assert stored(s3[1], "restored") == names


@pytest.mark.parametrize("url", [
    "s3://archive",                                        # no keys, no bucket
    f"s3://archive:{SECRET}@127.0.0.1:9000",               # no bucket
    f"http://archive:{SECRET}@127.0.0.1:9000/bucket",      # not s3://
    f"s3://archive:{SECRET}@127.0.0.1:9000/bucket?tls=no",  # tls is 0 or 1
    f"s3://archive:{SECRET}@127.0.0.1:9000/bucket?regoin=x",  # a misspelt parameter
    f"s3://archive:{SECRET}@127.0.0.1:90000/bucket",        # no such port
    f"s3://archive:{SECRET}@127.0.0.1:http/bucket",         # not a port
])
def test_a_storage_url_it_cannot_use_stops_the_process_with_a_message(tmp_path, url):
    started = subprocess.run([DECLASSIFIED, "check"], capture_output=True, text=True,
                             timeout=120, env={**os.environ, "DECLASSIFIED_STORAGE_URL": url,
                                               "DECLASSIFIED_DATA_DIR": str(tmp_path)})
    assert started.returncode != 0
    assert "Configuration error: DECLASSIFIED_STORAGE_URL: use s3://KEY:SECRET@HOST" in \
        started.stderr
    assert "Traceback" not in started.stderr and SECRET not in started.stderr


def test_a_bucket_that_is_missing_stops_check_and_setup_with_a_message(s3, tmp_path):
    port, _ = s3
    env = {**os.environ, "DECLASSIFIED_DATA_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path}/archive.sqlite3",
           "DECLASSIFIED_STORAGE_URL": f"s3://archive:{SECRET}@127.0.0.1:{port}/none-such?tls=0"}
    for command in ("check", "setup"):
        started = subprocess.run([DECLASSIFIED, command], capture_output=True, text=True,
                                 timeout=120, env=env)
        assert started.returncode != 0
        assert "DECLASSIFIED_STORAGE_URL: the bucket 'none-such'" in started.stderr
        assert "Create the bucket" in started.stderr and "Traceback" not in started.stderr
