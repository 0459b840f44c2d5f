"""BibTeX and RIS downloads, read back by a real BibTeX parser and by RIS's own rules."""

from __future__ import annotations

import re

import bibtexparser
import pytest

from tests.citations.conftest import CENTRAL_COMMITTEE
from tests.factories import make_document


def bibtex_entry(client, document):
    response = client.get(f"/document/{document.pk}/cite.bib")
    assert response.status_code == 200
    library = bibtexparser.parse_string(response.content.decode())
    assert not library.failed_blocks
    assert len(library.entries) == 1
    return library.entries[0], response


def ris_lines(client, document) -> list[str]:
    response = client.get(f"/document/{document.pk}/cite.ris")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    text = response.content.decode()
    assert text.endswith("ER  - \r\n")
    return text.split("\r\n")[:-1]


def ris_values(lines: list[str], tag: str) -> list[str]:
    return [line[6:] for line in lines if line.startswith(f"{tag}  - ")]


def test_the_bibtex_is_an_unpublished_entry_with_the_archive(client, cable):
    entry, response = bibtex_entry(client, cable)

    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert f'filename="declassified-{cable.pk}.bib"' in response["Content-Disposition"]
    assert entry.entry_type == "unpublished"
    assert entry.key == f"declassified_{cable.pk}"
    fields = {field.key: field.value for field in entry.fields}
    assert fields["archive"] == "Archive of the Ministry of Foreign Affairs of the PRC"
    assert fields["archive_location"] == "PRC FMA 109-03794-01, 1-4"
    assert fields["type"] == "Telegram"
    assert fields["year"] == "1965"
    assert fields["month"] == "mar"
    assert fields["date"] == "1965-03-05"
    assert fields["url"] == f"http://testserver{cable.get_absolute_url()}"
    assert fields["howpublished"] == "Declassified"
    assert fields["keywords"] == "Student demonstrations"
    assert fields["language"] == "zh"


def test_bibtex_keeps_each_author_whole_in_braces(client, cable):
    entry, _ = bibtex_entry(client, cable)

    author = next(field.value for field in entry.fields if field.key == "author")
    assert author == "{" + CENTRAL_COMMITTEE + "} and {Zhou Enlai}"


def test_bibtex_escapes_tex_specials_and_the_edtf_tilde(client, db):
    document = make_document(title="Costs of 50% & more: the #1 issue_{x}", date="1965-03~")

    entry, response = bibtex_entry(client, document)

    fields = {field.key: field.value for field in entry.fields}
    assert fields["title"] == r"Costs of 50\% \& more: the \#1 issue\_\{x\}"
    assert fields["note"] == r"Date: circa March 1965 (EDTF 1965-03{\textasciitilde})"
    assert fields["date"] == "1965-03"
    # No bare ~ anywhere: in TeX it would be a non-breaking space.
    assert "~" not in response.content.decode().replace(r"{\textasciitilde}", "")


def test_bibtex_dates_a_range_as_an_interval(client, db):
    entry, _ = bibtex_entry(client, make_document(date="1964/1965"))

    fields = {field.key: field.value for field in entry.fields}
    assert fields["year"] == "1964"
    assert "month" not in fields
    assert fields["date"] == "1964/1965"


def test_the_ris_is_a_manuscript_with_archive_and_location(client, cable):
    lines = ris_lines(client, cable)

    assert lines[0] == "TY  - MANSCPT"
    assert ris_values(lines, "AU") == [CENTRAL_COMMITTEE, "Zhou Enlai"]
    assert ris_values(lines, "DB") == ["Archive of the Ministry of Foreign Affairs of the PRC"]
    assert ris_values(lines, "AV") == ["PRC FMA 109-03794-01, 1-4"]
    assert ris_values(lines, "M3") == ["Telegram"]
    assert ris_values(lines, "PY") == ["1965"]
    assert ris_values(lines, "DA") == ["1965/03/05/"]
    assert ris_values(lines, "UR") == [f"http://testserver{cable.get_absolute_url()}"]
    assert ris_values(lines, "KW") == ["Student demonstrations"]
    assert ris_values(lines, "LA") == ["zh"]
    assert ris_values(lines, "N1") == ["Original classification: Top Secret"]
    assert lines[-1] == "ER  - "


def test_the_ris_has_no_stray_numbered_line_and_only_tag_lines(client, cable):
    lines = ris_lines(client, cable)

    assert "1." not in lines
    assert all(len(line) >= 6 and line[:2].isalnum() and line[2:6] == "  - " for line in lines)


@pytest.mark.parametrize(("edtf", "date_lines"), [
    ("1965-03", ["1965/03//"]),
    ("1965~", ["1965///circa"]),
    ("", []),
])
def test_ris_dates_keep_their_precision_and_say_circa(client, db, edtf, date_lines):
    lines = ris_lines(client, make_document(date=edtf))

    assert ris_values(lines, "DA") == date_lines


def test_downloads_cost_a_bounded_number_of_queries(
        client, cable, django_assert_max_num_queries):
    for suffix in ("bib", "ris", "json"):
        with django_assert_max_num_queries(6):
            response = client.get(f"/document/{cable.pk}/cite.{suffix}")
        assert response.status_code == 200, suffix
        assert "Soviet Reactions" in response.content.decode(), suffix


@pytest.mark.django_db
def test_control_characters_stored_before_input_refused_them_are_not_cited(client):
    # The factory writes through the actions, past the forms that now refuse these.
    # (no NUL: PostgreSQL stores none)
    document = make_document(title="Cable\x07 from\x1b[31m Moscow\x85", summary="a\x08b")

    _, response = bibtex_entry(client, document)
    ris = client.get(f"/document/{document.pk}/cite.ris").content.decode()

    assert "Cable from[31m Moscow" in ris
    for text in (response.content.decode(), ris):
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text)


def test_an_edition_document_is_an_incollection_entry_naming_its_volume(client, db):
    from tests.citations.test_expected_notes import regular_volume

    document = regular_volume()
    entry, _response = bibtex_entry(client, document)

    assert entry.entry_type == "incollection"
    fields = {field.key: field.value for field in entry.fields}
    assert fields["booktitle"] == "China"
    assert fields["series"] == "Foreign Relations of the United States, 1964–1968"
    assert fields["volume"] == "30"
    assert fields["editor"] == "Schwar, Harriet Dashiell"
    assert fields["publisher"] == "Government Printing Office"
    assert fields["address"] == "Washington, DC"
    assert fields["year"] == "1998"
    assert fields["number"] == "doc. 100"
    assert fields["archive_location"] == "Central Files, DEF 1 CHINAT-US"
    assert "Document dated 1965-09-15" in fields["note"]
    assert "Declassified" not in fields.get("howpublished", "")


def test_an_edition_document_is_a_ris_book_section_with_both_urls(client, db):
    from tests.citations.test_expected_notes import regular_volume

    document = regular_volume()
    lines = ris_lines(client, document)

    assert lines[0] == "TY  - CHAP"
    assert ris_values(lines, "T2") == ["China"]
    assert ris_values(lines, "T3") == ["Foreign Relations of the United States, 1964–1968"]
    assert ris_values(lines, "VL") == ["30"]
    assert ris_values(lines, "ED") == ["Schwar, Harriet Dashiell"]
    assert ris_values(lines, "PB") == ["Government Printing Office"]
    assert ris_values(lines, "CY") == ["Washington, DC"]
    assert ris_values(lines, "PY") == ["1998"]
    assert ris_values(lines, "SE") == ["doc. 100"]
    assert ris_values(lines, "UR") == [
        "https://history.state.gov/historicaldocuments/frus1964-68v30/d100",
        f"http://testserver{document.get_absolute_url()}"]
    assert ris_values(lines, "AV") == ["Central Files, DEF 1 CHINAT-US"]


def test_a_translated_archival_document_names_its_translator(client, db):
    from tests.citations.test_expected_notes import translated_conversation

    document = translated_conversation()
    entry, _response = bibtex_entry(client, document)
    lines = ris_lines(client, document)

    assert {f.key: f.value for f in entry.fields}["translator"] == "{Neil Silver}"
    assert ris_values(lines, "A4") == ["Neil Silver"]
    assert lines[0] == "TY  - MANSCPT"
