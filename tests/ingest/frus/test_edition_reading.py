"""What the FRUS reader makes of real volumes for a documentary edition: the volume's
publication facts, each document's number, call number and participants, and summaries that
read as sentences. Parsing only (no database): the corpus at ../shared/corpus."""

from __future__ import annotations

import re
from functools import cache

import pytest

from declassified.ingest.frus import load_bibliography, parse_volume
from declassified.ingest.frus.edition import edition_values
from declassified.ingest.frus.source import recognise_call_number, sentences
from declassified.ingest.frus.summary import generated_summary
from tests.ingest.frus.test_corpus import VOLUMES, volume_file

BIBLIOGRAPHY = VOLUMES.parent / "bibliography"
pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not VOLUMES.is_dir(), reason=f"the FRUS corpus is not at {VOLUMES}"),
]


@cache
def volume(volume_id: str):
    return parse_volume(volume_file(volume_id))


def document(volume_id: str, number: str):
    return next(d for d in volume(volume_id).documents if d.number == number)


def edition(volume_id: str, *, with_bibliography: bool = True) -> dict:
    record = load_bibliography(BIBLIOGRAPHY, volume_id) if with_bibliography else None
    return edition_values(volume(volume_id), record)


# --- The volume as an edition --------------------------------------------------------------


def test_a_printed_volume_is_an_edition_with_series_years_number_title_editors_and_year():
    assert edition("frus1964-68v29p1") == {
        "is_edition": True,
        "series_title": "Foreign Relations of the United States, 1964–1968",
        "volume_number": "XXIX, Part 1", "volume_title": "Korea",
        "edition_editors": "Karen L. Gatz", "publisher": "Government Printing Office",
        "publisher_place": "Washington, DC", "published_year": "2000", "medium": "print",
        "source_url": "https://history.state.gov/historicaldocuments/frus1964-68v29p1",
    }


def test_old_series_titles_without_years_get_the_years_of_the_volume():
    assert edition("frus1914-20v01")["series_title"] == (
        "Papers Relating to the Foreign Relations of the United States, 1914–1920")
    china = edition("frus1943China")
    assert china["series_title"] == "Foreign Relations of the United States: Diplomatic Papers, 1943"
    assert (china["volume_number"], china["volume_title"]) == ("", "China, 1943")
    assert edition("frus1948v01p1")["series_title"] == "Foreign Relations of the United States, 1948"


def test_an_e_volume_is_published_online_by_the_office_of_the_historian():
    values = edition("frus1969-76ve13")
    assert (values["volume_number"], values["volume_title"]) == (
        "E–13", "Documents on China, 1969–1972")
    assert (values["medium"], values["publisher"]) == (
        "online", "Office of the Historian, U.S. Department of State")
    assert values["edition_editors"] == "Steven E. Phillips"  # the primary editor only


def test_the_microfiche_supplement_keeps_its_volume_numbers_and_says_what_it_is():
    values = edition("frus1961-63v07-09mSupp")
    assert values["volume_number"] == "VII/VIII/IX"
    assert values["volume_title"] == (
        "Arms Control; National Security; Foreign Economic Policy, Microfiche Supplement")
    assert values["medium"] == "microfiche"
    assert values["edition_editors"].splitlines()[0] == "Evans Gerakas"


def test_without_the_bibliography_the_header_names_series_number_title_and_editors():
    values = edition("frus1964-68v29p1", with_bibliography=False)
    assert values["series_title"] == "Foreign Relations of the United States, 1964–1968"
    assert (values["volume_number"], values["volume_title"]) == ("XXIX, Part 1", "Korea")
    assert values["edition_editors"] == "Karen L. Gatz"
    assert values["published_year"] == ""


# --- Documents -------------------------------------------------------------------------------


def test_the_number_is_the_document_s_own_and_the_title_does_not_repeat_it():
    memo = document("frus1964-68v29p1", "28")
    assert memo.title == "Memorandum of Conversation"
    assert [d.number for d in volume("frus1964-68v29p1").documents[:3]] == ["1", "2", "3"]


def test_the_call_number_is_the_file_after_the_archive_never_the_classification():
    assert document("frus1964-68v29p1", "303").call_number == (
        "RG 59, Central Files 1967–69, POL 33–6 KOR N–US")
    assert document("frus1964-68v29p1", "2").call_number == (
        "National Security File, Country File, Korea, Memos, Vol. I")
    assert document("frus1943China", "461").call_number == "893.24/1665"


def test_call_numbers_written_in_prose_are_read_without_their_markings():
    assert recognise_call_number(
        "Department of State, Central Files, DEF 1 CHINAT-US. Top Secret; Exdis; Specat; "
        "Exclusive.") == "Central Files, DEF 1 CHINAT-US"
    # A marking run on without its full stop (frus1961-63v04)
    assert recognise_call_number(
        "Department of State, Central Files, POL 26 S VIET Top Secret; Immediate; Eyes Only."
    ) == "Central Files, POL 26 S VIET"
    assert recognise_call_number("740.00119 PW/4–2749: Circular airgram") == "740.00119 PW/4–2749"
    assert recognise_call_number("S/S–NSC files, lot 63 D 351, NSC 135 Series") == (
        "S/S–NSC files, lot 63 D 351, NSC 135 Series")
    assert recognise_call_number("Top Secret; Nodis.") == ""
    assert recognise_call_number("Two attachments provide background material. Yale "
                                 "University Library, Bowles Papers.") == ""


def test_every_call_number_of_a_volume_is_free_of_classification_markings():
    markings = re.compile(r"\b(Top Secret|Secret|Confidential|Eyes Only|Nodis|Exdis)\s*(;|$)")
    numbers = [d.call_number for d in volume("frus1961-63v04").documents if d.call_number]
    assert len(numbers) > 300
    assert [n for n in numbers if markings.search(n)] == []


def test_participants_of_a_memorandum_of_conversation_are_one_a_line():
    assert document("frus1964-68v29p1", "28").participants == [
        "President Pak Chong-hui", "Ambassador Winthrop G. Brown",
        "Mr. Yi Hu-rak, Secretary to the President", "Colonel Cho Sang-ho, Interpreter"]
    assert document("frus1969-76ve13", "1").participants == [
        "Agha Hilaly, Ambassador of Pakistan", "Henry A. Kissinger", "Harold H. Saunders"]


def test_participants_in_a_1940s_table_are_read_row_by_row():
    participants = document("frus1948v05p1", "2").participants
    assert participants[0] == ("Messrs. [James] Terry Duce and [Philip C.] Kidd, Arabian "
                               "American Oil Company")
    assert "Mr. Breakey, PED" in participants


def test_the_dateline_place_is_read():
    assert document("frus1964-68v29p1", "28").place == "Seoul"


# --- Generated summaries ---------------------------------------------------------------------


def test_sentences_do_not_end_after_an_initial_or_an_abbreviation():
    assert sentences("He saw Allen W. Dulles and Gen. Taylor at 3 p.m. They left. The U.S. "
                     "Government agreed.") == [
        "He saw Allen W. Dulles and Gen. Taylor at 3 p.m. They left.",
        "The U.S. Government agreed."]
    assert sentences("From Adler to Secretary [of] Treasury. Next.") == [
        "From Adler to Secretary [of] Treasury.", "Next."]


def test_generated_summaries_of_a_volume_never_end_inside_a_name():
    # frus1943China d17 ended "…the conversation related below. Dr." and d71 "…General Joseph W."
    summaries = {d.number: d.summary for d in volume("frus1943China").documents
                 if d.summary_generated}
    assert summaries["17"] == ("Mr. Rice was introduced to Dr. Hsü, by Mr. Chu, at a small "
                               "social function during the course of which they had the "
                               "conversation related below.")
    initial = re.compile(r"(?<!\.)\b([A-Z]|Mr|Dr|Gen)\.$")  # not "…for C.N.A.C."
    assert [n for n, s in summaries.items() if initial.search(s)] == []


def test_routing_and_references_to_earlier_telegrams_are_not_a_summary():
    # frus1943China d41 was "Embassy’s 782, May 25, 7 p.m.", d379 "From Adler to Secretary [of]
    # Treasury." and d303 of frus1964-68v29p1 "Subj: Summary of…"
    assert document("frus1943China", "41").summary.startswith(
        "It is disturbing to all of us here")
    assert document("frus1964-68v29p1", "303").summary.startswith("Summary of Fourteenth")
    boilerplate = re.compile(r"^(Deliver following|Following is|Eyes only|Refs?[:.]|Reference:|"
                             r"Subj(ect)?:|Your \d|Embassy’s \d)", re.IGNORECASE)
    generated = [d for d in volume("frus1943China").documents if d.summary_generated]
    assert [d.number for d in generated if boilerplate.match(d.summary)] == []


def test_a_body_of_nothing_but_routing_is_summarised_by_its_title():
    summary = document("frus1943China", "379")
    assert summary.summary_generated
    assert summary.summary == summary.title


def test_the_lead_in_of_a_message_is_dropped_and_the_message_kept():
    text = ("Deliver following message from the Secretary to Foreign Minister: I have received "
            "your letter of June 3 and welcome the proposals it makes for talks in Geneva.")
    assert generated_summary([text], "Telegram") == (
        "I have received your letter of June 3 and welcome the proposals it makes for talks in "
        "Geneva.")
    assert generated_summary(["Eyes only for Ambassador from Secretary.", "Ref: Deptel 1234.",
                              "Please see the Prime Minister today and tell him we agree."],
                             "Telegram") == "Please see the Prime Minister today and tell him we agree."
