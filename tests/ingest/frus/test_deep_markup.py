"""Markup nested hundreds deep: the volume fails with its file and line, the others import
(issue 13.6: 330 nested elements raised a RecursionError that failed the whole job)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from declassified.archive.models import Collection, Document
from declassified.ingest.models import ImportJob

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.django_db


def write_deep_volume(path: Path, depth: int = 330) -> int:
    """A small volume whose one document nests `depth` <hi> elements; returns the line of
    the innermost ones."""
    nested = "<hi rend='italic'>" * depth + "deep" + "</hi>" * depth
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="frustest-deep">
    <teiHeader><fileDesc><titleStmt><title type="complete">Deep</title></titleStmt></fileDesc></teiHeader>
    <text><body>
        <div type="chapter" xml:id="ch1"><head>Only Chapter</head>
            <div type="document" xml:id="d1" n="1">
                <head>1. Telegram From the Embassy in France</head>
                <dateline><date when="1961-01-05">January 5, 1961</date></dateline>
                <p>Before
{nested}</p>
            </div>
        </div>
    </body></text>
</TEI>
""")
    return 10


def import_frus(*paths) -> str:
    out = StringIO()
    call_command("import_frus", *[str(p) for p in paths], foreground=True, stdout=out)
    return out.getvalue()


def test_a_deeply_nested_volume_fails_with_file_and_line_and_a_good_one_is_imported(tmp_path):
    deep = tmp_path / "deep.xml"
    line = write_deep_volume(deep)
    with pytest.raises(CommandError) as error:
        import_frus(deep, FIXTURES / "bom.xml")
    assert f"{deep}, line {line}: markup nested more than 100 elements deep" in str(error.value)
    assert "RecursionError" not in str(error.value)
    job = ImportJob.objects.get()
    assert job.state == ImportJob.FAILED
    assert [(v["file"], v["status"]) for v in job.report["volumes"]] == [
        (str(deep), "failed"), (str(FIXTURES / "bom.xml"), "imported")]
    assert list(Document.objects.values_list("source_id", flat=True)) == ["frustest-bom/d1"]
    assert not Collection.objects.filter(source_id__startswith="frustest-deep").exists()


def test_parsed_ahead_in_another_process_the_deep_volume_fails_alone(tmp_path):
    """With three files or more a second process parses ahead (ingest.jobs)."""
    deep = tmp_path / "deep.xml"
    write_deep_volume(deep, depth=1000)
    with pytest.raises(CommandError) as error:
        import_frus(FIXTURES / "bom.xml", deep, FIXTURES / "crlf.xml")
    assert f"{deep}, line 10: markup nested" in str(error.value)
    assert sorted(Document.objects.values_list("source_id", flat=True)) == [
        "frustest-bom/d1", "frustest-crlf/d1"]


def test_markup_nested_within_the_limit_is_imported(tmp_path):
    nested = tmp_path / "nested.xml"
    write_deep_volume(nested, depth=90)  # the document itself sits 6 deep
    import_frus(nested)
    document = Document.objects.get(source_id="frustest-deep/d1")
    assert "deep" in document.texts.get().body


def test_the_job_page_lists_each_volume_as_imported_or_failed_with_its_reason(tmp_path,
                                                                              alice_client):
    deep = tmp_path / "deep.xml"
    write_deep_volume(deep)
    with pytest.raises(CommandError):
        import_frus(deep, FIXTURES / "bom.xml")
    job = ImportJob.objects.get()
    page = alice_client.get(f"/admin/ingest/importjob/{job.pk}/change/").content.decode()
    assert "markup nested more than 100 elements deep" in page
    assert "frustest-bom" in page
