"""Other spellings of people's and places' names, generated when they are created or imported."""

from __future__ import annotations

import pytest

from declassified.archive import actions
from declassified.archive.bulk_actions import PersonInput, bulk_get_or_create_by_name, bulk_merge_people
from declassified.archive.models import Person, Place, Revision
from declassified.archive.name_variants import generated_variants
from declassified.archive.revisions import Actor
from tests.factories import FACTORY, make_person, make_place

PROGRAM = Actor(None, "test")


@pytest.mark.parametrize(("name", "expected"), [
    ("Chou En-lai", ["Zhou Enlai", "周恩来"]),
    ("Mao Tse-tung", ["Mao Zedong", "毛泽东"]),
    ("Zhou Enlai", ["Chou En-lai"]),
    ("Li Hsien-nien", ["Li Xiannian"]),  # by rule: not in the curated table
    ("Ch'en Ch'eng", ["Chen Cheng"]),
    ("Deng Xiaoping", ["Teng Hsiao-p'ing", "Teng Hsiao-ping"]),
    ("周恩来", ["周恩來", "Zhou Enlai", "Chou En-lai"]),
    ("Aleksei Kosygin", ["Алексей Косыгин"]),
    ("Khrushchev, Nikita Sergeyevich", ["Хрущев, Никита Сергеевич"]),
    ("Косыгин", ["Kosygin"]),
])
def test_a_person_gets_other_romanizations_and_scripts(name, expected):
    generated = generated_variants(name, "person")
    for spelling in expected:
        assert spelling in generated, (name, generated)


@pytest.mark.parametrize("name", [
    "Ball, George W.", "Rusk, Dean", "Martin, Edwin M.", "Chapin, Frank", "Halperin, Morton H.",
    "Begin, Menachem", "Kreisky, Bruno", "Trevelyan, Humphrey", "Christian, George",
    "Fukuda, Takeo", "Salinger, Pierre", "Chang, Myon", "Lin, Paul",
])
def test_an_ordinary_western_or_japanese_name_gets_no_chinese_or_russian_spelling(name):
    assert generated_variants(name, "person") == []


def test_a_name_leaving_out_wade_giles_apostrophes_is_not_guessed():
    # Teng Hsiao-ping read as written would be "Deng Xiaobing"; the curated table knows him.
    assert generated_variants("Tsai Wei-ping", "person") == []
    assert "Deng Xiaoping" in generated_variants("Teng Hsiao-ping", "person")


def test_places_get_curated_historic_names_but_no_romanization_guesses():
    assert generated_variants("Peking", "place") == ["Beijing", "Peiping", "Pei-ching", "北京"]
    assert "Guangzhou" in generated_variants("Canton", "place")
    assert "Leningrad" in generated_variants("Saint Petersburg", "place")
    assert generated_variants("Taiyuan", "place") == []  # reads as Wade–Giles, is pinyin
    assert generated_variants("Москва", "place")[:1] == ["Moscow"]


def test_generation_only_adds_and_keeps_an_editors_spellings():
    assert generated_variants("Peking", "place", ["beijing", "Pei ching"]) == ["Peiping", "北京"]


def test_organizations_get_only_curated_names():
    assert generated_variants("Li Hsien-nien", "organization") == []
    assert generated_variants("Embassy in Moscow", "organization") == []


@pytest.mark.django_db
def test_a_new_person_or_place_is_saved_with_its_variants_and_their_revision():
    person = make_person("Mao Tse-tung", variants=["Chairman Mao"])
    assert person.variants[0] == "Chairman Mao" and "Mao Zedong" in person.variants
    revision = Revision.objects.of_object(Revision.PERSON, person.pk).get()
    assert "Mao Zedong" in str(revision.changes)
    assert "北京" in make_place("Peking").variants


@pytest.mark.django_db
def test_an_edit_keeps_the_variants_an_editor_removed_unless_the_name_changes():
    person = make_person("Mao Tse-tung")
    person.variants = ["Chairman Mao"]
    actions.do_save_entity(person, **FACTORY)
    assert Person.objects.get(pk=person.pk).variants == ["Chairman Mao"]
    person.name = "Chou En-lai"
    actions.do_save_entity(person, **FACTORY)
    assert "Zhou Enlai" in Person.objects.get(pk=person.pk).variants


@pytest.mark.django_db
def test_bulk_imports_generate_variants_for_new_people_and_places():
    people = bulk_merge_people([PersonInput(source_key="frus:chou", name="Chou En-lai")],
                               actor=PROGRAM)
    assert "Zhou Enlai" in people["frus:chou"].variants
    places = bulk_get_or_create_by_name(Place, {"Peking"}, actor=PROGRAM)
    assert "Beijing" in Place.objects.get(pk=places["Peking"].pk).variants
