"""Broken files and bad command lines: a clear message, and nothing from the file imported."""

from __future__ import annotations

import gzip
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from declassified.archive.models import Collection, Document, Person, Text
from declassified.ingest.models import ImportJob

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = FIXTURES / "broken"
pytestmark = pytest.mark.django_db


def import_frus(*paths, **options) -> str:
    out = StringIO()
    call_command("import_frus", *[str(p) for p in paths], foreground=True, stdout=out,
                 **options)
    return out.getvalue()


def assert_nothing_imported() -> None:
    assert not Document.objects.exists()
    assert not Collection.objects.exists()
    assert not Person.objects.exists()
    assert not Text.objects.exists()


@pytest.mark.parametrize("name, message", [
    ("not-xml.xml", "not-xml.xml, line 1: not well-formed XML"),
    ("truncated.xml", "truncated.xml, line 28: not well-formed XML: Premature end of data"),
    ("not-tei.xml", "not-tei.xml, line 2: not a TEI document: the root element is <volume>"),
    ("tei-without-documents.xml", "tei-without-documents.xml, line 2: no FRUS documents"),
])
def test_a_broken_file_is_refused_with_its_name_and_line_and_changes_nothing(name, message):
    with pytest.raises(CommandError) as error:
        import_frus(BROKEN / name)
    assert message in str(error.value)
    assert_nothing_imported()


def test_a_truncated_gzip_file_is_refused_with_the_line_where_it_ends(tmp_path):
    packed = gzip.compress((FIXTURES / "structure.xml").read_bytes())
    broken = tmp_path / "frustest-structure.xml.gz"
    broken.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(CommandError) as error:
        import_frus(broken)
    assert f"{broken}, line " in str(error.value)
    assert "gzip data is truncated or corrupt" in str(error.value)
    assert_nothing_imported()


def test_a_gzip_volume_imports_like_the_plain_file(tmp_path):
    packed = tmp_path / "structure.xml.gz"
    packed.write_bytes(gzip.compress((FIXTURES / "structure.xml").read_bytes()))
    import_frus(packed)
    assert sorted(Document.objects.values_list("source_id", flat=True)) == [
        "frustest-structure/d1", "frustest-structure/d2", "frustest-structure/d3"]


def test_good_volumes_are_imported_beside_a_broken_one_which_is_reported():
    with pytest.raises(CommandError) as error:
        import_frus(FIXTURES / "bom.xml", BROKEN / "not-xml.xml")
    assert "not-xml.xml, line 1" in str(error.value)
    assert list(Document.objects.values_list("source_id", flat=True)) == ["frustest-bom/d1"]


@pytest.mark.parametrize("arguments, message", [
    (["/no/such/volume.xml"], "no such file or folder: /no/such/volume.xml"),
    ([str(Path(__file__))], "is not a .xml or .xml.gz file"),
    ([str(Path(__file__).parent)], "no .xml or .xml.gz files in the folder"),
    ([str(FIXTURES / "bom.xml"), "--bibliography", "/no/such/dir"],
     "--bibliography: no such folder: /no/such/dir"),
])
def test_bad_command_lines_are_refused_with_a_clear_message(arguments, message):
    with pytest.raises(CommandError, match=message.replace(".", r"\.")):
        call_command("import_frus", *arguments, foreground=True, stdout=StringIO())
    assert_nothing_imported()
    assert not ImportJob.objects.exists()  # refused before any job was queued


def test_the_command_line_reports_errors_without_a_traceback(tmp_path):
    env = {"DECLASSIFIED_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin",
           "DATABASE_URL": f"sqlite:///{tmp_path}/cli.sqlite3"}
    script = Path(sys.executable).parent / "declassified"
    subprocess.run([str(script), "migrate", "-v0"], env=env, check=True, capture_output=True)
    result = subprocess.run([str(script), "import-frus", str(BROKEN / "not-tei.xml")], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "not a TEI document" in result.stderr
    assert "Traceback" not in result.stderr
