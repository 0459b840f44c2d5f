"""`declassified import-frus` on small TEI fixtures, one per oddity of the real corpus."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from declassified.archive.models import Collection, Document, GlossaryTerm, Person, Text

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.django_db


def import_frus(*names: str, **options) -> str:
    out = StringIO()
    call_command("import_frus", *[str(FIXTURES / n) for n in names], foreground=True,
                 stdout=out, **options)
    return out.getvalue()


def doc(source_id: str) -> Document:
    return Document.objects.get(source_id=source_id)


def transcript(source_id: str) -> Text:
    return doc(source_id).texts.get(kind=Text.TRANSCRIPT)


def test_it_imports_a_volume_as_a_collection_with_its_chapters_in_order():
    import_frus("structure.xml")
    volume = Collection.objects.get(source_id="frustest-structure")
    assert volume.title == "Foreign Relations of the United States, 1961–1963, Test Volume, Structure"
    assert volume.parent is None
    assert volume.date_span == "1961/1963"
    assert volume.editors == "Ann Editor, Bob Compiler (editors); Carl General (general editor)"
    compilation = volume.children.get()
    assert (compilation.source_id, compilation.title) == ("frustest-structure/comp1", "China")
    chapters = list(compilation.children.order_by("position"))
    assert [c.title for c in chapters] == ["Policy Review, January–June 1961", "Later Developments"]
    assert [c.source_id for c in chapters[1].children.all()] == ["frustest-structure/ch2sub1"]
    assert chapters[0].date_span == "1961"
    assert set(volume.documents.values_list("source_id", flat=True)) == {
        "frustest-structure/d1", "frustest-structure/d2", "frustest-structure/d3"}
    assert list(chapters[0].documents.order_by("id").values_list("source_id", flat=True)) == [
        "frustest-structure/d1", "frustest-structure/d2"]


def test_it_maps_title_date_place_type_classification_and_archive():
    import_frus("structure.xml")
    first = doc("frustest-structure/d1")
    assert first.title == "Telegram From the Department of State to the Mission to the United Nations"
    assert (first.date, first.date_detail, first.display_date) == ("1961-01-12", "20:40",
                                                                  "January 12, 1961")
    assert first.place_of_origin.name == "Washington"
    assert first.document_type == "Telegram"
    assert first.classification == "Secret; Priority"
    assert first.repository.name == "Department of State"
    assert first.source_citation.startswith("Department of State, Central Files, 793.00/1-1261.")
    second = doc("frustest-structure/d2")
    assert (second.document_type, second.classification) == ("Memorandum of Conversation",
                                                             "Top Secret; Eyes Only")
    assert second.repository.name == "John F. Kennedy Library"
    assert (second.date_detail, second.place_of_origin.name) == ("15:10–15:40", "New York")


def test_documents_are_published_in_english_with_their_canonical_link():
    import_frus("structure.xml")
    first = doc("frustest-structure/d1")
    assert first.status == Document.PUBLISHED and first.published_at is not None
    assert first.source_url == "https://history.state.gov/historicaldocuments/frustest-structure/d1"
    assert list(first.languages.values_list("code", flat=True)) == ["en"]
    assert "Public domain" in first.rights


def test_sender_becomes_author_and_recipient_a_person_of_the_document():
    import_frus("structure.xml")
    letter = doc("frustest-structure/d3")
    assert [p.name for p in letter.authors.all()] == ["Kennedy, John F."]
    recipient = letter.people.get(kind=Person.ORGANIZATION)
    assert recipient.name == "Embassy in the Republic of China"
    telegram = doc("frustest-structure/d1")
    assert [p.name for p in telegram.authors.all()] == ["Department of State"]


def test_the_persons_list_becomes_people_linked_where_persname_points_to_them():
    import_frus("structure.xml")
    rusk = Person.objects.get(name="Rusk, Dean")
    assert rusk.description == "Secretary of State"
    assert rusk.source_key == "frus:rusk|dean"
    assert "Dean Rusk" in rusk.variants
    first = doc("frustest-structure/d1")
    assert {p.name for p in first.people.all()} >= {"Rusk, Dean", "Kennedy, John F.",
                                                   "Zhou Enlai"}
    body = transcript("frustest-structure/d1").body
    assert f'<a class="person" href="/person/{rusk.pk}/"' in body


def test_the_terms_list_becomes_the_volume_glossary_and_abbreviations_are_explained():
    import_frus("structure.xml")
    terms = GlossaryTerm.objects.filter(collection__source_id="frustest-structure")
    assert [(t.term_id, t.term, t.expansion) for t in terms] == [
        ("t_NSC1", "NSC", "National Security Council"),
        ("t_USUN1", "USUN", "United States Mission to the United Nations"),
    ]
    assert '<abbr title="National Security Council">NSC</abbr>' in transcript(
        "frustest-structure/d1").body


def test_the_body_is_structured_html_and_footnotes_are_kept_apart():
    import_frus("structure.xml")
    text = transcript("frustest-structure/d1")
    body = text.body
    assert '<p class="list-head"><strong>SUBJECT</strong></p><ul class="list-subject">' in body
    assert '<li><span class="label">(1)</span> first point;</li>' in body
    assert "<caption>Votes</caption>" in body and '<td colspan="2">42</td>' in body
    assert "<th>Year</th>" in body
    assert "<blockquote><p>“We stand by our commitments.”</p></blockquote>" in body
    assert '<div class="closer"><p class="signed">' in body
    assert '<div class="postscript"><p>P.S. Repeat to Taipei.</p></div>' in body
    assert '<section class="attachment"><h3>Attachment</h3>' in body
    assert "Telegram 390" not in body  # footnotes are not body text
    assert "Source:" not in body and "Drafted by" not in body  # nor is the source note
    assert '<sup class="fn-ref" id="ref-d1fn1"><a href="#d1fn1"' in body
    assert '<li id="d1fn1"><span class="fn-label">1.</span> <p>Telegram 390' in text.footnotes
    assert 'href="#ref-d1fn1"' in text.footnotes


def test_page_breaks_become_page_markers_and_refs_link_through_source_ids():
    import_frus("footnotes-pages-refs.xml")
    text = transcript("frustest-notes/d1")
    assert '<span class="pb" data-page="2">[Page 2]</span>' in text.body
    notes = text.footnotes
    assert 'href="/source/frustest-notes/d2"' in notes
    assert 'href="/source/frustest-notes/d2#d2fn3"' in notes
    assert 'href="/source/frus1958-60v19/d77"' in notes
    assert 'href="https://history.state.gov/historicaldocuments/frustest-notes/pg_396"' in notes
    assert 'href="https://history.state.gov/historicaldocuments/frus1870"' in notes
    assert 'href="https://example.org/report"' in notes
    assert "[A note inside a note.]" in notes
    # a footnote of the title is listed first, without a link back into the body
    assert re.search(r'<li id="d1fn1">.*?Henry B\. Day.*?</li>', notes)
    assert 'href="#ref-d1fn1"' not in notes


def test_older_volumes_source_note_and_marking_in_the_text_are_recognised():
    import_frus("footnotes-pages-refs.xml")
    document = doc("frustest-notes/d1")
    assert document.title == "The Chargé in Burma to the Department of State"
    assert document.source_citation == "793.00/1–1052: Telegram"
    assert document.document_type == "Telegram"
    assert document.classification == "Confidential"
    assert document.repository.name == "Department of State"


def test_summaries_come_from_the_summary_note_or_are_generated_and_marked():
    import_frus("evolume.xml", "structure.xml")
    summarised = doc("frustest-ve13/d1")
    assert summarised.summary.startswith("The Pakistani Ambassador and Kissinger")
    assert not summarised.summary_generated
    in_source_note = doc("frustest-ve13/d2")
    assert in_source_note.summary == "The record notes a second approach through Romania."
    assert in_source_note.source_citation == "Central Intelligence Agency, Job 80B01086A. Top Secret."
    generated = doc("frustest-structure/d1")
    assert generated.summary.startswith("The NSC discussed the Sino-Soviet dispute")
    assert generated.summary_generated


def test_e_volume_dates_are_read_from_the_head_when_there_is_no_dateline():
    import_frus("evolume.xml")
    document = doc("frustest-ve13/d2")
    assert document.title == "Memorandum for the Record, Washington, March 10, 1970"
    assert (document.date, document.date_detail) == ("1970-03-10", "date taken from the title")


@pytest.mark.parametrize("name, source_id, title", [
    ("bom.xml", "frustest-bom/d1",
     "Telegram From the Embassy in France to the Department of State"),
    ("crlf.xml", "frustest-crlf/d1", "Memorandum From the Secretary of State to the President"),
    ("other-namespace.xml", "frustest-othernamespace/d1", "Paper Prepared in the Department of State"),
    ("no-declaration.xml", "frustest-nodeclaration/d1",
     "Letter From the Ambassador in Chile to the Assistant Secretary"),
])
def test_it_reads_files_with_each_encoding_oddity(name, source_id, title):
    import_frus(name)
    assert doc(source_id).title == title


def test_crlf_line_endings_do_not_reach_the_text():
    import_frus("crlf.xml")
    body = transcript("frustest-crlf/d1").body
    assert "\r" not in body and "memorandum continues on a second line" in body


def test_the_other_namespace_keeps_its_attachments_and_finds_the_id_in_the_header():
    import_frus("other-namespace.xml")
    assert Collection.objects.filter(source_id="frustest-othernamespace").exists()
    assert '<section class="attachment"><h3>Annex</h3>' in transcript(
        "frustest-othernamespace/d1").body


def test_microfiche_abstracts_become_documents_without_their_image_lists():
    import_frus("microfiche.xml")
    record = doc("frustest-mSupp/d1")
    assert record.title == "Record of Actions, 474th NSC Meeting, January 12"
    assert (record.classification, record.date) == ("Top Secret", "1961-01-12")
    assert record.source_citation == "Department of State, S/S–NSC (Miscellaneous) Files: Lot 66 D 95."
    assert record.summary == "NSC Actions 2374–2377 on the Polaris program and nuclear testing policy."
    body = transcript("frustest-mSupp/d1").body
    assert "microfiche (2 pages)" in body and "TIF" not in body and "check the fiche" not in body
    lettered = doc("frustest-mSupp/d72a")
    assert (lettered.title, lettered.date) == ("Letter from Fisk to McCloy", "")


def test_undated_documents_are_flagged_in_the_report():
    output = import_frus("missing-dates.xml")
    assert "3 undated" in output
    assert "frustest-missingdates/d1" in output
    assert "date not understood ('1961-13-45'" in output
    for source_id in ("frustest-missingdates/d1", "frustest-missingdates/d2",
                      "frustest-missingdates/d3"):
        assert (doc(source_id).date, doc(source_id).display_date) == ("", "Undated")


def test_gaps_in_numbering_keep_the_original_ids():
    import_frus("numbering-gaps.xml")
    assert sorted(Document.objects.values_list("source_id", flat=True)) == [
        "frustest-gaps/d1", "frustest-gaps/d4", "frustest-gaps/d9"]
    assert doc("frustest-gaps/d9").source_url.endswith("/frustest-gaps/d9")


def test_date_ranges_date_times_and_months_become_edtf():
    import_frus("date-ranges.xml")
    days = doc("frustest-ranges/d1")
    assert (days.date, days.display_date) == ("1962-07-21/1962-07-23", "July 21, 1962–July 23, 1962")
    assert (days.date_earliest.isoformat(), days.date_latest.isoformat()) == ("1962-07-21",
                                                                             "1962-07-23")
    morning = doc("frustest-ranges/d2")
    assert (morning.date, morning.date_detail) == ("1962-08-01", "10:00–11:30")
    zulu = doc("frustest-ranges/d3")
    assert (zulu.date, zulu.date_detail) == ("1962-10-27", "14:05 UTC")
    month = doc("frustest-ranges/d4")
    assert (month.date, month.display_date) == ("1963-01", "January 1963")


def test_the_newer_encoding_dates_documents_from_doc_datetime_attributes():
    import_frus("doc-datetime.xml")
    exact = doc("frustest-datetime/d1")
    assert (exact.date, exact.date_detail) == ("1977-03-09", "14:00 UTC−05:00")
    assert exact.place_of_origin.name == "Washington"
    placed = doc("frustest-datetime/d2")
    assert placed.date == "1977-04-01/1977-04-30"


def test_a_folder_imports_all_its_volumes_and_the_report_counts_them():
    output = import_frus(".")
    assert "Imported 13 volume(s)" in output
    assert Collection.objects.filter(parent=None).count() == 13


def test_bibliography_records_describe_the_volume_collection():
    import_frus("structure.xml", bibliography=str(FIXTURES / "bibliography"))
    volume = Collection.objects.get(source_id="frustest-structure")
    assert volume.date_span == "1961/1962"
    assert volume.short_description == "This test volume documents a review of China policy."
    assert volume.description.startswith("<p>This test volume documents")
    assert "A second paragraph with emphasis." in volume.description


def test_the_volume_is_an_edition_and_a_re_import_without_bibliography_keeps_its_year():
    import_frus("structure.xml", bibliography=str(FIXTURES / "bibliography"))
    volume = Collection.objects.get(source_id="frustest-structure")
    assert volume.is_edition and volume.published_year == "1996"
    assert volume.edition_editors == "Ann Editor"  # the record's primary editor
    assert volume.source_url == "https://history.state.gov/historicaldocuments/frustest-structure"
    import_frus("structure.xml")
    volume.refresh_from_db()
    assert volume.published_year == "1996"
    assert volume.edition_editors == "Ann Editor\nBob Compiler"  # the header's, then
    assert all(doc.number for doc in Document.objects.filter(source_id__startswith="frustest-s"))
