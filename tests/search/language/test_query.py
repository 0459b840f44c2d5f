"""The query parser: what each construct means, and that no input makes it fail."""

from hypothesis import given, settings
from hypothesis import strategies as st

from declassified.search import parse_query


def test_words_are_anded_and_phrases_kept_together():
    parsed = parse_query('Kosygin "Soviet assistance"')
    assert [[item.text for item in clause] for clause in parsed.clauses] == [
        ["Kosygin"], ["Soviet assistance"]
    ]
    assert parsed.clauses[1][0].terms == ((0, "soviet"), (1, "assist"))
    assert not parsed.notices


def test_or_joins_neighbours_and_minus_excludes():
    parsed = parse_query("Kosygin OR Brezhnev Vietnam -Laos")
    assert [[i.text for i in clause] for clause in parsed.clauses] == [
        ["Kosygin", "Brezhnev"], ["Vietnam"]
    ]
    assert [item.text for item in parsed.excluded] == ["Laos"]


def test_fields_prefixes_and_dates_are_read():
    parsed = parse_query('person:"Zhou Enlai" title:cable negotiat* date:1962..1965')
    person, title, prefix = (clause[0] for clause in parsed.clauses)
    assert (person.field, person.terms) == ("person", ((0, "zhou"), (1, "enlai")))
    assert (title.field, prefix.prefix) == ("title", "negotiat")
    first, last = parsed.date_range
    assert (first.edtf, last.edtf) == ("1962", "1965")


def test_a_single_date_is_a_range_of_itself():
    first, last = parse_query("date:1965-03").date_range
    assert first.earliest.isoformat() == "1965-03-01" and last.latest.isoformat() == "1965-03-31"


def test_a_bad_date_is_ignored_with_a_notice():
    parsed = parse_query("Kosygin date:1965-13")
    assert parsed.date_range is None
    assert "not a date" in parsed.notices[0]
    assert [c[0].text for c in parsed.clauses] == ["Kosygin"]


MALFORMED = [
    '"Soviet assistance', "Kosygin OR", "OR Kosygin", "Kosygin OR OR Mao", "- Kosygin",
    "(Kosygin AND Mao)", "title:", "Kosygin^2", "foo:bar", "*", "Kos*gin", "a\x00b",
    "Kosygin " * 300, "[1965 TO 1966]", "title:(x)", "\\", "a OR -b",
]


def test_malformed_queries_become_plain_words_with_a_notice():
    for text in MALFORMED:
        parsed = parse_query(text)
        assert parsed.plain_words, text
        assert parsed.notices and "plain words" in parsed.notices[0], text


def test_long_queries_are_cut_to_a_bounded_number_of_words():
    parsed = parse_query("word " * 500)
    assert len(parsed.clauses) == 32
    assert any("first 32 words" in notice for notice in parsed.notices)


def test_mixed_scripts_are_ordinary_words():
    parsed = parse_query("Косыгин Kosygin 柯西金")
    assert not parsed.notices
    assert [c[0].terms for c in parsed.clauses] == [
        ((0, "косыгин"),), ((0, "kosygin"),), ((0, "柯"), (1, "西"), (2, "金")),
    ]  # Chinese: one character a word, so a run is a phrase of its characters


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_any_string_parses_without_error(text):
    parsed = parse_query(text)
    for item in [*parsed.positive_items(), *parsed.excluded]:
        assert item.terms or item.prefix


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(
    ['"', "OR", "-", "*", ":", "title:", "date:", "..", "(", "word", "слово", "词语", " ", "\x07"]
), max_size=12))
def test_any_mix_of_syntax_parses_without_error(parts):
    parse_query("".join(parts))
    parse_query(" ".join(parts))


def test_open_ended_date_ranges():
    first, last = parse_query("date:1962..").date_range
    assert (first.edtf, last) == ("1962", None)
    first, last = parse_query("date:..1950").date_range
    assert (first, last.edtf) == (None, "1950")
