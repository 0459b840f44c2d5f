import datetime as dt

import pytest

from declassified.archive.dates import InvalidDate, display_edtf, parse_document_date


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "display"),
    [
        ("1965-03-05", "1965-03-05", "1965-03-05", "March 5, 1965"),
        ("1965-03", "1965-03-01", "1965-03-31", "March 1965"),
        ("1965", "1965-01-01", "1965-12-31", "1965"),
        ("1965-03~", "1965-03-01", "1965-03-31", "circa March 1965"),
        ("1965?", "1965-01-01", "1965-12-31", "1965?"),
        ("1964/1965", "1964-01-01", "1965-12-31", "1964–1965"),
        ("1964-02/1964-03-05", "1964-02-01", "1964-03-05", "February 1964–March 5, 1964"),
        ("1964-02-29", "1964-02-29", "1964-02-29", "February 29, 1964"),
    ],
)
def test_it_derives_bounds_and_display_from_edtf(text, earliest, latest, display):
    parsed = parse_document_date(text)
    assert parsed.edtf == text
    assert parsed.earliest == dt.date.fromisoformat(earliest)
    assert parsed.latest == dt.date.fromisoformat(latest)
    assert parsed.display == display


def test_empty_is_undated():
    parsed = parse_document_date("  ")
    assert (parsed.edtf, parsed.earliest, parsed.latest, parsed.display) == ("", None, None, "Undated")


@pytest.mark.parametrize("text", ["March 1965", "1965-13-45", "65-03", "1965-02-30", "'; drop"])
def test_it_rejects_what_is_not_edtf_with_an_example(text):
    with pytest.raises(InvalidDate, match="EDTF|day range|ends before"):
        parse_document_date(text)


def test_ordering_by_earliest_day_puts_month_before_its_days():
    dates = ["1965-03-05", "1965-03", "1964/1965", "1965"]
    ordered = sorted(dates, key=lambda d: parse_document_date(d).earliest)
    assert ordered == ["1964/1965", "1965", "1965-03", "1965-03-05"]


def test_display_of_an_open_interval_marks_the_open_end():
    assert display_edtf("1965/..") == "1965–…"


@pytest.mark.parametrize(("text", "reason"), [
    ("{" + ",".join(["1965-01-01"] * 400) + "}", "at most 60 characters"),
    ("[" + ",".join(str(1960 + n) for n in range(9)) + "]", "at most 8 members"),
    ("٣٣٣٣", "digits 0-9"),
    ("１９６５", "digits 0-9"),
    ("1965-0\u0663", "digits 0-9"),
    ("1965\x07", "digits 0-9"),
])
def test_it_refuses_before_parsing_what_would_be_slow_or_is_not_ascii(text, reason):
    with pytest.raises(InvalidDate, match=reason):
        parse_document_date(text)


def test_a_short_set_is_still_parsed():
    parsed = parse_document_date("{1964,1966}")

    assert (parsed.earliest, parsed.latest) == (dt.date(1964, 1, 1), dt.date(1966, 12, 31))
