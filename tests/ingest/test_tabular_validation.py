"""`declassified import` checks every row first: every problem reported, nothing written."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from declassified.archive.models import Collection, Document, Person, SearchOutbox
from tests.factories import make_document

pytestmark = pytest.mark.django_db


def import_fails(path: Path) -> str:
    """The error message of an import that must fail, after checking it wrote nothing."""
    with pytest.raises(CommandError) as raised:
        call_command("import", str(path))
    assert Document.objects.count() == 0
    assert Person.objects.count() == Collection.objects.count() == 0
    assert SearchOutbox.objects.count() == 0
    return str(raised.value)


def csv_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "docs.csv"
    path.write_text(text, encoding="utf-8")
    return path


def jsonl_file(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("id,title,date\n1,A,1965-13-45\n", "row 2, field date: '1965-13-45' is not an EDTF date"),
        ("id,title,status\n1,A,public\n", "row 2, field status: unknown status 'public'"),
        ("id,title,language\n1,A,en|Chinese\n",
         "row 2, field language: 'Chinese' is not an ISO 639 language code"),
        ("id,title\nseven,A\n", "row 2, field id: 'seven' is not a whole number"),
        ("id,title\n1,A\n2,B\n1,C\n", "row 4, field id: 1 is also in row 2"),
        ("id,title,source_id\n1,A,x\n2,B,x\n", "row 3, field source_id: 'x' is also in row 2"),
        ("id,title\n1,\n", "row 2, field title: empty; every document needs a title"),
        ("id,date\n1,1965\n", "row 1, field title: the required column is missing"),
        ("id,title,langauge\n1,A,en\n",
         "row 1, field langauge: unknown column; did you mean 'language'"),
        ("id,title,title\n1,A,B\n", "row 1, field title: the column appears twice"),
        ("title,source_url\nA,javascript:alert(1)\n",
         "row 2, field source_url: 'javascript:alert(1)' is not a web address"),
        ("title,text,text_kind\nA,Some text,summary\n",
         "row 2, field text_kind: unknown kind 'summary'; use translation or transcript"),
        ("title,text,text_kind\nA,Some text,transcript\n",
         "row 2, field text_language: needed for a transcript"),
        ("title,type\nA,Cable,extra\n", "row 2: 3 cells but the header names 2 columns"),
        ("title\n\"unclosed\n", "row 2: not valid CSV"),
        ("title,type\nA," + "x" * 101 + "\n", "row 2, field type: longer than 100 characters"),
        ("id,title\n٣,A\n", "row 2, field id: '٣' is not a whole number"),
        ("title,date\nA,٣٣٣٣\n", "row 2, field date: '٣٣٣٣' is not an EDTF date: write it with "
         "the digits 0-9"),
        ('title,date\nA,"{1960,1961,1962,1963,1964,1965,1966,1967,1968}"\n',
         "row 2, field date: A set or list of dates may have at most 8 members (got 9)"),
    ],
    ids=[
        "bad-date", "unknown-status", "bad-language", "non-integer-id", "duplicate-id",
        "duplicate-source-id", "empty-title", "missing-title-column", "unknown-column",
        "duplicate-column", "bad-url", "bad-text-kind", "transcript-language", "extra-cells",
        "broken-csv", "too-long", "non-ascii-id", "non-ascii-year", "too-many-set-members",
    ],
)
def test_it_reports_a_csv_problem_with_row_and_field(tmp_path, body, expected):
    message = import_fails(csv_file(tmp_path, body))

    assert "nothing was imported" in message
    assert expected in message


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (['{"title": "A"}', '{"title": "B",}'], "row 2: invalid JSON"),
        (['["A"]'], "row 1: expected one JSON object"),
        (['{"title": "A", "people": "Zhou Enlai"}'],
         "row 1, field people: expected a list of strings"),
        (['{"title": "A", "id": 1.5}'], "row 1, field id: expected a whole number"),
        (['{"title": 42}'], "row 1, field title: expected a string"),
        (['{"id": 1}'], "row 1, field title: missing; every document needs a title"),
        (['{"title": "A", "summry": "x"}'], "row 1, field summry: unknown column; did you mean"),
        (['{"title": "A"}', "", '{"title": "B", "date": "someday"}'],
         "row 3, field date: 'someday' is not an EDTF date"),
        (['{"title": "A"}', '{"title": ' + "[" * 100_000 + "]" * 100_000 + "}"],
         "row 2: invalid JSON: nested too deeply"),
    ],
    ids=["invalid-json", "not-an-object", "string-for-list", "float-id", "number-title",
         "missing-title", "unknown-key", "line-numbers-count-blank-lines", "nested-too-deeply"],
)
def test_it_reports_a_json_lines_problem_with_line_and_field(tmp_path, lines, expected):
    assert expected in import_fails(jsonl_file(tmp_path, *lines))


def test_a_huge_edtf_set_is_a_row_error_within_a_second(tmp_path):
    huge = '"{' + ",".join(["1965-01-01"] * 400) + '}"'
    started = time.monotonic()

    message = import_fails(csv_file(tmp_path, f"title,date\nA,{huge}\n"))

    assert time.monotonic() - started < 1
    assert "row 2, field date: longer than 60 characters" in message


def test_it_reports_every_problem_not_just_the_first(tmp_path):
    path = csv_file(tmp_path, "id,title,date,status\n1,A,soon,draft\n2,,1965,gone\nx,C,1965,\n")

    message = import_fails(path)

    assert message.splitlines()[1:] == [
        "row 2, field date: 'soon' is not an EDTF date; write e.g. 1965-03-05, 1965-03, 1965, "
        "1965-03~ (circa) or 1964/1965 (a range).",
        "row 3, field status: unknown status 'gone'; use draft, published, withdrawn",
        "row 3, field title: empty; every document needs a title",
        "row 4, field id: 'x' is not a whole number",
    ]
    assert message.splitlines()[0] == "docs.csv: 4 problems; nothing was imported."


def test_a_bad_fiftieth_row_means_nothing_is_imported(tmp_path):
    rows = [f"{n},Cable {n},1965-03-05,Zhou Enlai" for n in range(1, 50)]
    rows.append("50,Cable 50,1965-02-30,Zhou Enlai")  # February 30th
    path = csv_file(tmp_path, "id,title,date,people\n" + "\n".join(rows) + "\n")

    message = import_fails(path)

    assert "row 51, field date: '1965-02-30'" in message


def test_it_refuses_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("title\nFirst\nChargé d'Affaires\n".encode("latin-1"))

    message = import_fails(path)

    assert message == (
        "line 3: the file is not UTF-8 (byte 0xe9); save it as UTF-8 and import again."
    )


@pytest.mark.parametrize("name", ["empty.csv", "empty.jsonl"])
def test_it_refuses_an_empty_file(tmp_path, name):
    path = tmp_path / name
    path.write_text("\n  \n", encoding="utf-8")

    assert import_fails(path).endswith("the file is empty.")


def test_it_refuses_a_missing_file_and_an_unknown_format(tmp_path):
    assert "no such file" in import_fails(tmp_path / "missing.csv")
    other = tmp_path / "documents.xlsx"
    other.write_bytes(b"PK")
    assert "cannot tell the format" in import_fails(other)


def test_it_refuses_a_source_id_that_belongs_to_another_document(tmp_path):
    owner = make_document(title="Owner", source_id="frus/d1")
    path = csv_file(tmp_path, f"id,title,source_id\n{owner.pk + 1},Thief,frus/d1\n")

    with pytest.raises(CommandError) as raised:
        call_command("import", str(path))

    assert f"row 2, field source_id: 'frus/d1' already belongs to document {owner.pk}" in str(
        raised.value
    )
    assert list(Document.objects.values_list("title", flat=True)) == ["Owner"]


def test_unknown_keys_are_reported_once_per_file(tmp_path):
    lines = [json.dumps({"title": f"T{n}", "colour": "red"}) for n in range(5)]

    message = import_fails(jsonl_file(tmp_path, *lines))

    assert message.count("field colour") == 1


def test_problems_before_a_broken_csv_row_are_reported_too(tmp_path):
    path = csv_file(tmp_path, 'title,date,langauge\nA,1965-13-01,en\n"unclosed\n')

    assert import_fails(path).splitlines()[1:] == [
        "row 1, field langauge: unknown column; did you mean 'language' or 'text_language'?",
        "row 2, field date: '1965-13-01' is not an EDTF date; write e.g. 1965-03-05, 1965-03, "
        "1965, 1965-03~ (circa) or 1964/1965 (a range).",
        "row 3: not valid CSV (unexpected end of data)",
    ]


def test_a_refused_title_is_reported_once(tmp_path):
    message = import_fails(jsonl_file(tmp_path, '{"title": 42}'))

    assert message.splitlines()[1:] == ["row 1, field title: expected a string, not 42"]
