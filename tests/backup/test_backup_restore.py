"""`declassified backup` → an empty machine (new data directory, new database) → `declassified
restore` gives back the same archive: documents, texts, collections with their hierarchy,
people, history, users, tokens, timestamps, OAI datestamps, and a search index without drift.

The backup runs in this process against the test database while it is open (as on a running
site); the restore and every look at the restored site run as separate `declassified` processes
with their own DECLASSIFIED_DATA_DIR and DATABASE_URL, as on a new machine.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image

from declassified import search
from declassified.api.tokens import do_create_token
from declassified.archive import actions
from declassified.archive.models import Document
from tests.factories import FACTORY, make_attachment, make_collection, make_document, make_person

pytestmark = pytest.mark.django_db(transaction=True)

CLI = str(Path(sys.executable).parent / "declassified")
# Everything an archive is, as Django's dumpdata writes it; not the search change log, which
# says how far each machine's index has got (a restored machine rebuilds or follows its own).
DUMPED = ["archive", "auth.user", "auth.group", "api", "ingest", "--exclude", "archive.searchoutbox",
          "--exclude", "archive.searchloghead", "--exclude", "archive.searchindexnode"]
OAI_LIST = "/oai?verb=ListRecords&metadataPrefix=oai_dc"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (40, 80, 120)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def archive(alice):
    """A small archive with everything a restore must bring back."""
    cold_war = make_collection("Cold War", description="<p>The whole period.</p>")
    split = make_collection("Sino-Soviet Split", parent=cold_war, short_description="1960–1984")
    split.image.save("split.png", ContentFile(png()), save=False)
    actions.do_save_collection(split, **FACTORY)
    zhou = make_person("Zhou Enlai", description="Premier of the People's Republic of China.")
    cable = make_document(title="Cable on the border talks", collections=[split], people=[zhou],
                          text="<p>The talks in Beijing went on.</p>")
    make_attachment(cable, "original.pdf", b"%PDF-1.4 the scanned original")
    cable.summary = "An edited summary."  # a second revision: history to keep
    actions.do_save_document(cable, acting_user=alice, via="admin")
    make_document(title="A draft memo", status=Document.DRAFT)
    do_create_token(alice, "import script")
    search.apply_pending()
    return cable


def dumped_here() -> list[dict]:
    out = io.StringIO()
    call_command("dumpdata", *DUMPED, "--natural-foreign", stdout=out)
    return sorted(json.loads(out.getvalue()), key=lambda row: (row["model"], row["pk"]))


def oai_here(client) -> str:
    return without_response_date(client.get(OAI_LIST).content.decode())


def without_response_date(xml: str) -> str:
    return re.sub(r"<responseDate>[^<]*</responseDate>", "", xml)


class NewMachine:
    """Another data directory and database; `declassified` commands run there as processes."""

    def __init__(self, root: Path):
        self.data_dir = root / "restored-data"
        self.data_dir.mkdir()
        self.database_name = ""
        if connection.vendor == "sqlite":
            self.database_url = f"sqlite:///{root / 'restored.sqlite3'}"
        else:
            self.database_name = f"{connection.settings_dict['NAME']}_restored"[:63]
            self.drop_database()
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{self.database_name}"')
            base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
            self.database_url = f"{base}/{self.database_name}"

    def drop_database(self) -> None:
        if self.database_name:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.database_name}" WITH (FORCE)')

    def run(self, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
        env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
        env |= {"DECLASSIFIED_DATA_DIR": str(self.data_dir), "DATABASE_URL": self.database_url,
                "DECLASSIFIED_INDEXER_THREAD": "0", "DUMPS_REFRESH_ON_REQUEST": "0"}
        done = subprocess.run([CLI, *arguments], env=env, capture_output=True, text=True, timeout=300,
                              check=False)
        if check:
            assert done.returncode == 0, done.stderr
        return done

    def dumped(self) -> list[dict]:
        rows = json.loads(self.run("dumpdata", *DUMPED, "--natural-foreign").stdout)
        return sorted(rows, key=lambda row: (row["model"], row["pk"]))

    def oai(self) -> str:
        code = ("from django.test import Client; import sys; "
                f"sys.stdout.write(Client().get({OAI_LIST!r}).content.decode())")
        return without_response_date(self.run("shell", "--no-imports", "-c", code).stdout)


@pytest.fixture
def new_machine(tmp_path):
    machine = NewMachine(tmp_path)
    yield machine
    machine.drop_database()


@pytest.mark.parametrize("with_index", [False, True], ids=["index-rebuilt", "index-copied"])
def test_a_backup_restored_on_an_empty_machine_is_the_same_archive(
        archive, client, tmp_path, new_machine, with_index):
    before, oai_before = dumped_here(), oai_here(client)
    assert "Cable on the border talks" in oai_before and "A draft memo" not in oai_before
    out = io.StringIO()
    call_command("backup", str(tmp_path / "backup"), *(["--with-index"] if with_index else []), stdout=out)
    assert "Backup written to" in out.getvalue()

    restored = new_machine.run("restore", str(tmp_path / "backup"))
    assert ("restored from the backup" if with_index else "rebuilt from the database") in restored.stdout

    after = new_machine.dumped()
    assert after == before
    assert {row["model"] for row in after} >= {
        "archive.document", "archive.text", "archive.collection", "archive.person", "archive.revision",
        "archive.attachment", "auth.user", "api.apitoken"}
    assert new_machine.oai() == oai_before
    check = new_machine.run("check-index")
    assert "The search index matches the database." in check.stdout
    media = new_machine.data_dir / "media"
    attachment = archive.attachments.get()
    assert (media / attachment.file.name).read_bytes() == b"%PDF-1.4 the scanned original"
    assert len(list((media / "collections").iterdir())) == 1
    assert (new_machine.data_dir / "secret_key").read_text() == settings.SECRET_KEY


def test_a_restore_refuses_a_database_that_holds_an_archive_unless_forced(archive, tmp_path, new_machine):
    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="already holds an archive.*--force"):
        call_command("restore", str(tmp_path / "backup"))  # this test's own database
    assert Document.objects.count() == 2

    new_machine.run("restore", str(tmp_path / "backup"))
    again = new_machine.run("restore", str(tmp_path / "backup"), check=False)
    assert again.returncode != 0 and "already holds an archive" in again.stderr
    forced = new_machine.run("restore", str(tmp_path / "backup"), "--force")
    assert "Restored from" in forced.stdout


def test_a_damaged_backup_is_refused_before_anything_changes(archive, tmp_path):
    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    original = next((tmp_path / "backup" / "media" / "attachments").rglob("*.pdf"))
    original.write_bytes(b"%PDF-1.4 tampered")
    with pytest.raises(CommandError, match=r"damaged \(1 file\(s\)\): media/attachments/.* SHA-256"):
        call_command("restore", str(tmp_path / "backup"), "--force")
    assert Document.objects.filter(title="A draft memo").exists()


def test_the_manifest_names_versions_vendor_time_and_every_file(archive, tmp_path):
    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == connection.vendor
    assert set(manifest["versions"]) == {"declassified", "django", "python"}
    assert manifest["created_at"].endswith("Z") and manifest["search_index"] is None
    files = set(manifest["files"])
    assert {"secret_key", manifest["database"]["file"]} <= files
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"].values())
    assert oct((tmp_path / "backup").stat().st_mode & 0o777) == "0o700"


def test_a_backup_never_overwrites_a_folder_with_files(db, tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    with pytest.raises(CommandError, match="already exists and is not an empty folder"):
        call_command("backup", str(tmp_path / "taken"))
    assert [path.name for path in tmp_path.iterdir()] == ["taken"]  # no partial folder left


def test_a_folder_without_a_manifest_is_not_a_backup(db, tmp_path):
    with pytest.raises(CommandError, match="no manifest.json"):
        call_command("restore", str(tmp_path))


def test_without_pg_dump_the_backup_says_what_to_install(db, tmp_path, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite needs no external tool")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match="pg_dump is not installed.*postgresql-client"):
        call_command("backup", str(tmp_path / "backup"))


def test_a_folder_nobody_may_write_in_is_a_clear_error(db):
    # /proc refuses new folders even to root: the message names the folder and the reason.
    with pytest.raises(CommandError, match=r"Cannot write in /proc: .+\."):
        call_command("backup", "/proc/declassified-backup")
