"""The query parser: what each construct means, and that no input makes it fail."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from declassified.search import parse_query


def test_words_are_anded_and_phrases_kept_together():
    parsed = parse_query('Kosygin "Soviet assistance"')
    assert parsed.describe() == 'Kosygin AND "Soviet assistance"'
    assert parsed.items()[1].terms == ((0, "soviet"), (1, "assist"))
    assert not parsed.notices


def test_or_joins_neighbours_and_minus_excludes():
    parsed = parse_query("Kosygin OR Brezhnev Vietnam -Laos")
    assert parsed.describe() == "(Kosygin OR Brezhnev) AND Vietnam AND NOT Laos"
    assert [item.text for item in parsed.positive_items()] == ["Kosygin", "Brezhnev", "Vietnam"]


@pytest.mark.parametrize("text, reading", [
    ("(Kosygin OR Mao) AND NOT Vietnam", "(Kosygin OR Mao) AND NOT Vietnam"),
    ("Vietnam NOT Kosygin", "Vietnam AND NOT Kosygin"),
    ("Vietnam -Kosygin", "Vietnam AND NOT Kosygin"),
    # NOT binds tightest, then AND, then OR; a space is the loosest AND.
    ("Kosygin OR Mao AND Vietnam", "Kosygin OR (Mao AND Vietnam)"),
    ("Kosygin AND Mao OR Vietnam", "(Kosygin AND Mao) OR Vietnam"),
    ("Kosygin OR Mao Vietnam", "(Kosygin OR Mao) AND Vietnam"),
    ("NOT Kosygin OR Mao", "NOT Kosygin OR Mao"),
    ("NOT (Kosygin OR Mao)", "NOT (Kosygin OR Mao)"),
    ("NOT NOT Kosygin", "Kosygin"),
    ("((Kosygin OR (Mao AND -Zhou)) Hanoi)", "(Kosygin OR (Mao AND NOT Zhou)) AND Hanoi"),
    ('NOT "Soviet aid" OR -title:cable', 'NOT "Soviet aid" OR NOT title:cable'),
    ("Kosygin -(Mao OR Zhou)", "Kosygin AND NOT (Mao OR Zhou)"),
    ("NOT Kosygin", "NOT Kosygin"),
])
def test_and_or_not_and_parentheses_nest_with_their_precedence(text, reading):
    parsed = parse_query(text)
    assert not parsed.notices, text
    assert parsed.describe() == reading


def test_only_capitals_are_operators():
    assert parse_query("war and peace").describe() == "war AND and AND peace"
    assert parse_query("Kosygin or not Mao").describe() == "Kosygin AND or AND not AND Mao"
    assert parse_query("-OR Kosygin").describe() == "NOT OR AND Kosygin"  # -OR: the word


def test_negated_words_are_not_positive_items():
    parsed = parse_query("(Kosygin OR Mao) AND NOT (Vietnam OR Laos) -Hanoi")
    assert [item.text for item in parsed.positive_items()] == ["Kosygin", "Mao"]
    assert len(parsed.items()) == 5


def test_a_date_filter_stands_beside_a_boolean_query():
    parsed = parse_query("(Kosygin OR Mao) date:1965 AND Vietnam")
    assert parsed.describe() == "(Kosygin OR Mao) AND Vietnam"
    assert parsed.date_text == "1965"


def test_fields_prefixes_and_dates_are_read():
    parsed = parse_query('person:"Zhou Enlai" title:cable negotiat* date:1962..1965')
    person, title, prefix = parsed.items()
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
    assert parsed.describe() == "Kosygin"


MALFORMED = [
    '"Soviet assistance', "Kosygin OR", "OR Kosygin", "Kosygin OR OR Mao", "- Kosygin",
    "title:", "Kosygin^2", "foo:bar", "*", "Kos*gin", "a\x00b",
    "Kosygin " * 300, "[1965 TO 1966]", "title:(x)", "\\", "(Kosygin OR", "AND", "Mao OR",
    ")(", "NOT", "()", "Kosygin AND", "Kosygin NOT", "(Kosygin", "Kosygin)", "-)",
    "(" * 9 + "Kosygin" + ")" * 9, "date:1965 OR Mao", "-date:1965", "NOT (Mao date:1965)",
    " OR ".join(f"w{n}" for n in range(33)),
]


def test_malformed_queries_become_plain_words_with_a_notice():
    for text in MALFORMED:
        parsed = parse_query(text)
        assert parsed.plain_words, text
        assert parsed.notices and "plain words" in parsed.notices[0], text


@pytest.mark.parametrize("text, reason, ignored, words", [
    ("(Kosygin OR", "OR needs a word on each side", "“OR”, “(”", "Kosygin"),
    ("Mao OR", "OR needs a word on each side", "“OR”", "Mao"),
    (")(", "a closing parenthesis has no opening one", "“(”, “)”", ""),
    ("NOT", "NOT needs a word after it", None, "NOT"),  # nothing else to search: the word
    ("AND", "AND needs a word on each side", None, "AND"),
    ("(Kosygin Mao", "a parenthesis is not closed", "“(”", "Kosygin AND Mao"),
    ("(" * 9 + "Kosygin" + ")" * 9, "parentheses are nested more than 8 deep", "“(”, “)”",
     "Kosygin"),
])
def test_a_malformed_query_says_why_and_what_was_ignored(text, reason, ignored, words):
    parsed = parse_query(text)
    assert parsed.notices[0] == f"Your search was read as plain words because {reason}."
    if ignored:
        assert parsed.notices[1] == f"Ignored: {ignored}."
    else:
        assert len(parsed.notices) == 1
    assert parsed.describe() == words


def test_long_queries_are_cut_to_a_bounded_number_of_words():
    parsed = parse_query("word " * 500)
    assert len(parsed.items()) == 32
    assert any("first 32 words" in notice for notice in parsed.notices)


def test_mixed_scripts_are_ordinary_words():
    parsed = parse_query("Косыгин Kosygin 柯西金")
    assert not parsed.notices
    assert [item.terms for item in parsed.items()] == [
        ((0, "косыгин"),), ((0, "kosygin"),), ((0, "柯"), (1, "西"), (2, "金")),
    ]  # Chinese: one character a word, so a run is a phrase of its characters


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_any_string_parses_without_error(text):
    parsed = parse_query(text)
    for item in parsed.items():
        assert item.terms or item.prefix


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(
    ['"', "OR", "AND", "NOT", "-", "*", ":", "title:", "date:", "..", "(", ")", "word", "слово",
     "词语", " ", "\x07"]
), max_size=12))
def test_any_mix_of_syntax_parses_without_error(parts):
    parse_query("".join(parts))
    parse_query(" ".join(parts))


def test_open_ended_date_ranges():
    first, last = parse_query("date:1962..").date_range
    assert (first.edtf, last) == ("1962", None)
    first, last = parse_query("date:..1950").date_range
    assert (first, last.edtf) == (None, "1950")
