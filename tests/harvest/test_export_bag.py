"""`declassified export-bag`: everything public as a BagIt bag that the `bagit` library
validates, with SHA-256 manifests, JSON Lines and Dublin Core metadata, texts and originals;
never a draft or a withdrawn document."""

from __future__ import annotations

import io
import json
from pathlib import Path

import bagit
import pytest
import xmlschema
from django.core.management import CommandError, call_command

from declassified.archive import actions
from declassified.archive.models import Document
from tests.factories import (
    FACTORY,
    make_attachment,
    make_collection,
    make_document,
    make_person,
    make_text,
)
from tests.harvest.conftest import SCHEMAS, schema_errors


@pytest.fixture
def public_and_hidden(db):
    split = make_collection("Sino-Soviet Split")
    cable = make_document(title="Cable on the border talks", collections=[split],
                          people=[make_person("Zhou Enlai")], text="<p>The talks went on.</p>")
    make_text(cable, "<p>会谈继续进行。</p>", kind="transcript", language="zh")
    make_attachment(cable, "original scan.pdf", b"%PDF-1.4 the scanned original")
    draft = make_document(title="Secret draft memo", status=Document.DRAFT, collections=[split])
    make_attachment(draft, "draft.pdf", b"%PDF-1.4 DRAFT ORIGINAL")
    withdrawn = make_document(title="Withdrawn telegram", text="<p>Retracted words.</p>")
    actions.do_withdraw_document(withdrawn, **FACTORY)
    return cable


def export(destination: Path, *arguments: str) -> str:
    out = io.StringIO()
    call_command("export_bag", str(destination), *arguments, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_bag_validates_with_sha256_manifests_and_bag_info(public_and_hidden, tmp_path):
    output = export(tmp_path / "bag", "--organization", "Cold War Archive",
                    "--base-url", "https://archive.example.org")
    assert "validated: 1 documents, 2 texts, 1 original files" in output
    bag = bagit.Bag(str(tmp_path / "bag"))
    bag.validate()  # raises bagit.BagValidationError on any bad checksum or missing file
    assert bag.algorithms == ["sha256"]
    assert bag.info["Source-Organization"] == "Cold War Archive"
    assert bag.info["External-Identifier"] == "https://archive.example.org"
    assert bag.info["Bagging-Date"] and bag.info["Payload-Oxum"]
    assert (tmp_path / "bag" / "tagmanifest-sha256.txt").exists()


def test_the_payload_has_json_lines_dublin_core_texts_and_originals(public_and_hidden, tmp_path):
    export(tmp_path / "bag", "--base-url", "https://archive.example.org")
    data = tmp_path / "bag" / "data"
    [record] = [json.loads(line) for line in (data / "documents.jsonl").read_text().splitlines()]
    assert record["title"] == "Cable on the border talks"
    assert record["url"].startswith("https://archive.example.org/")
    folder = data / "documents" / str(public_and_hidden.pk)
    dublin_core = (folder / "dublin-core.xml").read_bytes()
    schema = xmlschema.XMLSchema(str(SCHEMAS / "oai_dc.xsd"), allow="local")
    assert schema_errors(schema, dublin_core) == []
    assert b"<dc:title>Cable on the border talks</dc:title>" in dublin_core
    texts = sorted(path.name for path in (folder / "texts").iterdir())
    assert [name.split("-", 1)[1] for name in texts] == ["translation-en.html", "transcript-zh.html"]
    [original] = (folder / "originals").iterdir()
    assert original.read_bytes() == b"%PDF-1.4 the scanned original"
    assert original.name.endswith("original_scan.pdf")


def test_drafts_and_withdrawn_documents_are_never_in_the_bag(public_and_hidden, tmp_path):
    export(tmp_path / "bag")
    everything = b"".join(path.read_bytes() for path in (tmp_path / "bag").rglob("*") if path.is_file())
    for hidden in (b"Secret draft memo", b"Withdrawn telegram", b"Retracted words", b"DRAFT ORIGINAL"):
        assert hidden not in everything
    folders = [path.name for path in (tmp_path / "bag" / "data" / "documents").iterdir()]
    assert folders == [str(public_and_hidden.pk)]


def test_an_existing_destination_is_refused_and_nothing_is_left_behind(public_and_hidden, tmp_path):
    (tmp_path / "bag").mkdir()
    with pytest.raises(CommandError, match="already exists"):
        export(tmp_path / "bag")
    assert not [path.name for path in tmp_path.iterdir() if ".partial-" in path.name]
    assert list((tmp_path / "bag").iterdir()) == []


def test_a_bad_base_url_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="must be an absolute http"):
        export(tmp_path / "bag", "--base-url", "archive.example.org")


def test_an_empty_archive_gives_an_empty_valid_bag(db, tmp_path):
    assert "0 documents" in export(tmp_path / "bag")
    bagit.Bag(str(tmp_path / "bag")).validate()


def test_a_folder_nobody_may_write_in_is_a_clear_error(db):
    with pytest.raises(CommandError, match=r"Cannot write in /proc: .+\."):
        call_command("export_bag", "/proc/declassified-bag")
