"""How an edition's documents are named and ordered: the short label of lists and <title>,
the volume named in full, and the order of document numbers."""

from __future__ import annotations

from declassified.archive.editions import (
    edition_full_title,
    edition_short_title,
    number_key,
    participant_lines,
)
from declassified.archive.models import Collection


def test_the_short_label_abbreviates_the_series_and_its_years():
    assert edition_short_title("Foreign Relations of the United States, 1964–1968", "XXX",
                               "China") == "FRUS 1964–68, vol. XXX"
    assert edition_short_title("Papers Relating to the Foreign Relations of the United States, "
                               "1914–1920", "I") == "FRUS 1914–20, vol. I"
    assert edition_short_title("Foreign Relations of the United States, 1969–1976", "E–13") == (
        "FRUS 1969–76, vol. E–13")


def test_a_volume_without_a_number_is_named_by_its_title():
    assert edition_short_title("Foreign Relations of the United States: Diplomatic Papers, 1943",
                               "", "China, 1943") == "FRUS 1943, China, 1943"


def test_an_edition_of_another_series_keeps_its_own_name():
    assert edition_short_title("The Diaries of Someone, 1950–1999", "2") == (
        "The Diaries of Someone, 1950–99, vol. 2")
    assert edition_short_title("", "", "", "Letters of 1962") == "Letters of 1962"


def test_the_volume_is_named_in_full_with_series_number_and_title():
    volume = Collection(title="x", series_title="Foreign Relations of the United States, "
                        "1964–1968", volume_number="XXX", volume_title="China")
    assert edition_full_title(volume) == (
        "Foreign Relations of the United States, 1964–1968, Volume XXX, China")
    assert edition_full_title(Collection(title="Just a collection")) == "Just a collection"


def test_numbers_sort_as_numbers_with_their_letters_after():
    assert sorted(["100", "72A", "9", "72", "73", "note"], key=number_key) == [
        "9", "72", "72A", "73", "100", "note"]


def test_participants_are_one_a_line_without_blank_lines():
    assert participant_lines("Zhou Enlai\n\n  Henry A. Kissinger \n") == [
        "Zhou Enlai", "Henry A. Kissinger"]
