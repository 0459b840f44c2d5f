"""Control characters never reach a stored text: refused by the back office (a message
naming the field; the API: tests/api/test_control_characters.py), stripped by the bulk
importers (CSV/JSON Lines, FRUS TEI)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from declassified.archive.models import Document, Person, Text
from tests.admin.formdata import document_form
from tests.factories import make_person

pytestmark = pytest.mark.django_db
FRUS_FIXTURE = Path(__file__).parents[1] / "ingest" / "frus" / "fixtures" / "no-declaration.xml"


def test_the_back_office_form_refuses_a_control_character(alice_client):
    response = alice_client.post("/admin/archive/document/add/",
                                 document_form(title="Cable\x1b[31m from Moscow"))

    assert response.status_code == 200
    assert "Remove the control character U+001B" in response.content.decode()
    assert not Document.objects.exists()


def test_the_back_office_refuses_control_characters_in_a_person_and_a_text(alice_client):
    person = make_person("Zhou Enlai")
    response = alice_client.post(f"/admin/archive/person/{person.pk}/change/", {
        "name": "Zhou\x07 Enlai", "kind": "person", "variants": "周恩来\x7f", "description": "",
        "life_dates": "", "wikidata_id": "", "_save": "Save",
    })

    assert response.status_code == 200
    assert response.content.decode().count("Remove the control character") == 2
    assert Person.objects.get().name == "Zhou Enlai"


def test_csv_import_strips_control_characters(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text("title,summary,people,text\n"
                    "Cable\x07 from\x85 Moscow,On\x1b the talks,Zhou\x7f Enlai,Hello\x0b world\n",
                    encoding="utf-8")

    call_command("import", str(path), stdout=StringIO())

    document = Document.objects.get()
    assert (document.title, document.summary) == ("Cable from Moscow", "On the talks")
    assert list(document.people.values_list("name", flat=True)) == ["Zhou Enlai"]
    assert Text.objects.get().body == "<p>Hello world</p>"


def test_json_lines_import_strips_escaped_control_characters(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text('{"title": "Cable\\u0007 to Beijing", "subjects": ["Bor\\u009bder"]}\n',
                    encoding="utf-8")

    call_command("import", str(path), stdout=StringIO())

    document = Document.objects.get()
    assert document.title == "Cable to Beijing"
    assert list(document.subjects.values_list("name", flat=True)) == ["Border"]


def test_tei_import_strips_the_controls_xml_allows(tmp_path):
    volume = tmp_path / "volume.xml"
    volume.write_text(
        FRUS_FIXTURE.read_text(encoding="utf-8-sig")
        .replace("1. Letter From", "1. Letter&#x7f; From")
        .replace("Elections are near.", "Elections&#x85; are&#x9f; near."),
        encoding="utf-8",
    )

    call_command("import_frus", str(volume), foreground=True, stdout=StringIO())

    document = Document.objects.get()
    assert "\x7f" not in document.title and document.title.startswith("Letter From")
    body = Text.objects.get(document=document).body
    assert "Elections are near." in body
