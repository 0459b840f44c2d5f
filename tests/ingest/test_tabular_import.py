"""`declassified import`: CSV and JSON Lines happy paths, idempotence, linking by name."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from declassified.archive.models import Collection, Document, Person, Place, Revision
from tests.factories import make_collection, make_document, make_person, make_place

pytestmark = pytest.mark.django_db(transaction=False)


def write_csv(path: Path, rows: list[dict]) -> Path:
    columns = list(dict.fromkeys(name for row in rows for name in row))
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def run_import(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("import", str(path), *args, stdout=out)
    return out.getvalue().strip()


CABLE = {
    "id": "7",
    "title": "Cable from the Chinese Embassy in the Soviet Union",
    "date": "1965-03-05",
    "summary": "The embassy reports on the demonstration.",
    "type": "Cable",
    "classification": "Secret",
    "language": "zh|ru",
    "collections": "Sino-Soviet Split, 1960-1984",
    "subjects": "Student demonstrations|Vietnam War",
    "people": "Zhou Enlai|Pan Zili",
    "authors": "Chinese Embassy in the Soviet Union",
    "contributors": "Example Foundation",
    "places": "Moscow",
    "source": "PRC FMA 109-03957-05",
    "archive": "Archive of the Ministry of Foreign Affairs of the PRC",
    "rights": "Reproduced with permission.",
    "funding": "Example Foundation",
    "status": "published",
    "source_id": "example/7",
    "source_url": "https://example.org/document/7",
    "date_detail": "evening",
    "number": "72A",
    "participants": "Zhou Enlai\nPan Zili, Ambassador",
    "call_number": "109-03957-05",
    "text": "First paragraph.\n\nSecond <paragraph> & more.",
    "translator": "A. Translator",
}


def test_it_imports_a_csv_row_with_every_column(tmp_path):
    output = run_import(write_csv(tmp_path / "docs.csv", [CABLE]))

    assert output == "1 created, 0 updated, 0 unchanged"
    document = Document.objects.get(pk=7)
    assert document.title == CABLE["title"]
    assert (document.date, document.display_date) == ("1965-03-05", "March 5, 1965")
    assert document.document_type == "Cable"
    assert document.classification == "Secret"
    assert document.status == Document.PUBLISHED and document.published_at is not None
    assert document.source_citation == "PRC FMA 109-03957-05"
    assert document.repository.name == CABLE["archive"]
    assert (document.source_id, document.source_url) == ("example/7", CABLE["source_url"])
    assert document.date_detail == "evening"
    assert (document.number, document.call_number) == ("72A", "109-03957-05")
    assert document.participants.splitlines() == ["Zhou Enlai", "Pan Zili, Ambassador"]
    assert sorted(document.languages.values_list("code", flat=True)) == ["ru", "zh"]
    assert sorted(p.name for p in document.people.all()) == ["Pan Zili", "Zhou Enlai"]
    assert [p.name for p in document.authors.all()] == ["Chinese Embassy in the Soviet Union"]
    assert [p.name for p in document.contributors.all()] == ["Example Foundation"]
    assert [c.title for c in document.collections.all()] == ["Sino-Soviet Split, 1960-1984"]
    assert [p.name for p in document.places.all()] == ["Moscow"]
    text = document.texts.get()
    assert (text.kind, text.language_id, text.translator) == ("translation", "en", "A. Translator")
    assert text.body == "<p>First paragraph.</p>\n<p>Second &lt;paragraph&gt; &amp; more.</p>"


def test_it_imports_json_lines_with_lists(tmp_path):
    rows = [
        {"id": 3, "title": "Minutes of a conversation", "date": "1965-02~",
         "people": ["Mao Zedong", "Aleksei Kosygin"], "language": ["ru"], "status": "draft",
         "text": "<p>Mao: ...</p>", "text_kind": "transcript"},
        {"title": "An undated note", "date": None, "places": []},
    ]
    output = run_import(write_jsonl(tmp_path / "docs.jsonl", rows))

    assert output == "2 created, 0 updated, 0 unchanged"
    minutes = Document.objects.get(pk=3)
    assert minutes.display_date == "circa February 1965"
    assert minutes.status == Document.DRAFT
    assert minutes.texts.get().language_id == "ru"  # a transcript is in the original language
    assert minutes.texts.get().body == "<p>Mao: ...</p>"
    note = Document.objects.exclude(pk=3).get()
    assert (note.date, note.display_date, note.status) == ("", "Undated", Document.DRAFT)


def test_reimporting_a_file_changes_nothing_and_creates_no_duplicates(tmp_path):
    path = write_csv(tmp_path / "docs.csv", [CABLE, {**CABLE, "id": "8", "source_id": "ex/8"}])
    run_import(path)
    ids = sorted(Document.objects.values_list("pk", flat=True))
    revisions = Revision.objects.count()

    assert run_import(path) == "0 created, 0 updated, 2 unchanged"
    assert sorted(Document.objects.values_list("pk", flat=True)) == ids == [7, 8]
    assert Person.objects.filter(name="Zhou Enlai").count() == 1
    assert Revision.objects.count() == revisions  # an unchanged row leaves no trace


def test_reimporting_with_an_edit_updates_in_place(tmp_path):
    run_import(write_csv(tmp_path / "a.csv", [CABLE]))

    output = run_import(write_csv(tmp_path / "b.csv", [{**CABLE, "title": "Retitled"}]))

    assert output == "0 created, 1 updated, 0 unchanged"
    assert list(Document.objects.values_list("pk", "title")) == [(7, "Retitled")]
    assert Document.objects.get(pk=7).texts.count() == 1


def test_a_row_without_id_after_explicit_ids_gets_a_fresh_id(tmp_path):
    run_import(write_csv(tmp_path / "a.csv", [{"id": "500", "title": "Explicit"}]))

    run_import(write_csv(tmp_path / "b.csv", [{"id": "", "title": "Fresh"}]))

    assert Document.objects.get(title="Fresh").pk > 500
    make_document(title="Made in the back office")  # the sequence moved on for every writer
    assert Document.objects.get(title="Made in the back office").pk > 500


def test_a_row_without_id_is_matched_by_source_id(tmp_path):
    run_import(write_jsonl(tmp_path / "a.jsonl", [{"title": "First", "source_id": "frus/d1"}]))
    pk = Document.objects.get().pk

    run_import(write_jsonl(tmp_path / "b.jsonl", [{"title": "Second", "source_id": "frus/d1"}]))

    assert list(Document.objects.values_list("pk", "title")) == [(pk, "Second")]


def test_names_link_existing_entities_ignoring_case(tmp_path):
    person, place = make_person("Zhou Enlai"), make_place("Moscow")
    collection = make_collection("Sino-Soviet Split, 1960-1984")

    run_import(write_csv(tmp_path / "docs.csv", [{
        "title": "A cable", "people": "zhou enlai", "places": "MOSCOW",
        "collections": "sino-soviet split, 1960-1984",
    }]))

    document = Document.objects.get()
    assert list(document.people.all()) == [person]
    assert list(document.places.all()) == [place]
    assert list(document.collections.all()) == [collection]
    assert (Person.objects.count(), Place.objects.count(), Collection.objects.count()) == (1, 1, 1)


def test_absent_columns_leave_existing_fields_and_tags_alone(tmp_path):
    run_import(write_csv(tmp_path / "full.csv", [CABLE]))

    run_import(write_csv(tmp_path / "titles.csv", [{"id": "7", "title": "Only the title"}]))

    document = Document.objects.get(pk=7)
    assert document.title == "Only the title"
    assert (document.summary, document.status) == (CABLE["summary"], Document.PUBLISHED)
    assert document.people.count() == 2 and document.texts.count() == 1
    assert document.repository is not None


def test_empty_cells_clear_fields_but_an_empty_text_keeps_the_texts(tmp_path):
    run_import(write_csv(tmp_path / "full.csv", [CABLE]))
    cleared = {name: "" for name in CABLE if name not in ("id", "title")}

    run_import(write_csv(tmp_path / "cleared.csv", [{**cleared, "id": "7", "title": "T"}]))

    document = Document.objects.get(pk=7)
    assert (document.summary, document.date, document.repository) == ("", "", None)
    assert document.people.count() == 0 and document.languages.count() == 0
    assert document.status == Document.PUBLISHED  # an empty status never unpublishes
    assert document.texts.count() == 1


def test_a_dry_run_writes_nothing_and_says_what_would_change(tmp_path):
    make_document(title="Existing")
    existing = Document.objects.get()
    path = write_csv(tmp_path / "docs.csv", [
        {"id": str(existing.pk), "title": "Changed"}, {"id": "", "title": "New"},
    ])

    output = run_import(path, "--dry-run")

    assert output == "dry run, nothing written: 1 created, 1 updated, 0 unchanged"
    assert list(Document.objects.values_list("title", flat=True)) == ["Existing"]


def test_the_format_option_overrides_the_file_name(tmp_path):
    path = tmp_path / "documents.txt"
    path.write_text('{"title": "From a .txt file"}\n', encoding="utf-8")

    assert run_import(path, "--format", "jsonl") == "1 created, 0 updated, 0 unchanged"
    assert list(Document.objects.values_list("title", flat=True)) == ["From a .txt file"]


def test_it_reads_csv_with_a_byte_order_mark_and_crlf_line_ends(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffID,Title ,places\r\n1,Saved by a spreadsheet,Moscow|Hanoi\r\n"
                     .encode("utf-8"))

    run_import(path)

    document = Document.objects.get(pk=1)
    assert document.title == "Saved by a spreadsheet"
    assert sorted(p.name for p in document.places.all()) == ["Hanoi", "Moscow"]


def test_the_command_is_called_import_on_the_command_line():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "declassified"), "import", "--help"],
        capture_output=True, text=True, check=True,
    )
    assert result.stdout.startswith("usage: declassified import") and "--dry-run" in result.stdout


def test_number_participants_and_call_number_are_updated_and_recorded(tmp_path):
    run_import(write_jsonl(tmp_path / "docs.jsonl", [{"id": 5, "title": "Memorandum"}]))

    output = run_import(write_jsonl(tmp_path / "docs.jsonl", [{
        "id": 5, "title": "Memorandum", "number": "12", "participants": "Rusk\nGromyko",
        "call_number": "Central Files, POL CHICOM-USSR"}]))

    assert output == "0 created, 1 updated, 0 unchanged"
    document = Document.objects.get(pk=5)
    assert (document.number, document.participants, document.call_number) == (
        "12", "Rusk\nGromyko", "Central Files, POL CHICOM-USSR")
    changes = Revision.objects.filter(object_id="5").latest("pk").changes
    assert {"number", "participants", "call_number"} <= set(changes)
