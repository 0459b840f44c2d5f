"""The one place that reads EDTF date strings (Library of Congress Extended Date/Time Format).

A document stores one EDTF value; `parse_document_date` derives, once, when it is written,
the earliest and latest day it may denote and a human display. Sorting, filtering and pages
read those derived fields and never re-parse the string.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

import edtf
from edtf.parser.edtf_exceptions import EDTFParseException

MONTHS = [
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
]


class InvalidDate(ValueError):
    """The text is not an EDTF date we can store."""


@dataclass(frozen=True)
class DocumentDate:
    edtf: str
    earliest: dt.date | None
    latest: dt.date | None
    display: str


UNDATED = DocumentDate("", None, None, "Undated")

# The EDTF grammar (pyparsing) costs ~50 ms for each member of a set or list and grows
# faster than the length: a 4 KB set took 12–34 s. So the text is bounded before the
# library sees it: no stored date column is longer than MAX_EDTF_CHARS (Document.date),
# and a set or list of more than MAX_EDTF_MEMBERS dates is not a document's date.
MAX_EDTF_CHARS = 60
MAX_EDTF_MEMBERS = 8
# What EDTF is written with: ASCII digits and a few signs. Anything else (other scripts'
# digits such as '٣٣٣٣', control characters) is refused before any parsing.
_EDTF_ALPHABET = re.compile(r"[0-9A-Za-z\-+/.,:~?%{}\[\] ]*")
# The same bounds as a JSON Schema pattern (the OpenAPI document's, for date parameters and
# fields): that alphabet (with surrounding whitespace, which is stripped) and at most
# MAX_EDTF_MEMBERS - 1 commas. Only the grammar can tell whether such a text is a date.
_MEMBER = r"[0-9A-Za-z+/.:~?%{}\[\] \t\n\r-]*"
EDTF_SCHEMA_PATTERN = f"^{_MEMBER}(?:,{_MEMBER}){{0,{MAX_EDTF_MEMBERS - 1}}}$"


def _to_date(value) -> dt.date:
    return dt.date(value.tm_year, value.tm_mon, value.tm_mday)


# Plain calendar dates are most of what importers meet; the full EDTF grammar (pyparsing)
# costs ~20 ms a call, so these take a direct path with the same results.
PLAIN_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def _plain_bounds(text: str) -> tuple[dt.date, dt.date] | None:
    match = PLAIN_DATE.fullmatch(text)
    if not match:
        return None
    year = int(match.group(1))
    month, day = (int(g) if g else None for g in match.groups()[1:])
    try:
        if month is not None and day is not None:  # the pattern has no day without a month
            value = dt.date(year, month, day)
            return value, value
        if month is not None:
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, 1), dt.date(year, month, last)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except (ValueError, calendar.IllegalMonthError):
        return None  # let the full parser produce its message


def parse_document_date(text: str | None) -> DocumentDate:
    """Parse an EDTF string; empty means undated. Raises InvalidDate with a readable reason.

    Bounded cost: text past MAX_EDTF_CHARS, with more than MAX_EDTF_MEMBERS set members or
    outside EDTF's ASCII alphabet is refused before the grammar runs.
    """
    text = (text or "").strip()
    if not text:
        return UNDATED
    check_edtf_bounds(text)
    return _parse_cached(text)


def check_edtf_bounds(text: str) -> None:
    """Raise InvalidDate if `text` is too long, too many dates or not EDTF's alphabet."""
    if len(text) > MAX_EDTF_CHARS:
        raise InvalidDate(
            f"A date may be at most {MAX_EDTF_CHARS} characters long (got {len(text):,})."
        )
    if not _EDTF_ALPHABET.fullmatch(text):
        raise InvalidDate(
            f"{text!r} is not an EDTF date: write it with the digits 0-9, e.g. 1965-03-05."
        )
    members = text.count(",") + 1
    if members > MAX_EDTF_MEMBERS:
        raise InvalidDate(
            f"A set or list of dates may have at most {MAX_EDTF_MEMBERS} members (got {members})."
        )


@functools.lru_cache(maxsize=4096)
def _parse_cached(text: str) -> DocumentDate:
    plain = _plain_bounds(text)
    if plain is not None:
        return DocumentDate(text, plain[0], plain[1], display_edtf(text))
    try:
        parsed = edtf.parse_edtf(text)
    except (EDTFParseException, ValueError, TypeError):
        raise InvalidDate(
            f"{text!r} is not an EDTF date; write e.g. 1965-03-05, 1965-03, 1965, "
            "1965-03~ (circa) or 1964/1965 (a range)."
        ) from None
    try:
        earliest, latest = _to_date(parsed.lower_strict()), _to_date(parsed.upper_strict())
    except (ValueError, OverflowError, AttributeError):
        raise InvalidDate(f"{text!r} has no day range we can store (e.g. an open interval).") from None
    if earliest.year < 1 or latest < earliest:
        raise InvalidDate(f"{text!r} ends before it begins.")
    return DocumentDate(text, earliest, latest, display_edtf(text))


def display_edtf(text: str) -> str:
    """'1965-03-05' → 'March 5, 1965'; '1965-03~' → 'circa March 1965'; '1964/1965' → '1964–1965'."""
    text = (text or "").strip()
    if not text:
        return "Undated"
    if "/" in text:
        start, end = text.split("/", 1)
        start_text = _display_single(start) if start not in ("", "..") else "…"
        end_text = _display_single(end) if end not in ("", "..") else "…"
        return f"{start_text}–{end_text}"
    return _display_single(text)


def _display_single(text: str) -> str:
    qualifier = ""
    core = text
    if core.endswith("%"):
        qualifier, core = "circa {}?", core[:-1]
    elif core.endswith("~"):
        qualifier, core = "circa {}", core[:-1]
    elif core.endswith("?"):
        qualifier, core = "{}?", core[:-1]
    parts = core.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else None
        day = int(parts[2][:2]) if len(parts) > 2 else None
    except ValueError:
        return text  # an EDTF form we do not humanise (sets, unspecified digits): show it as is
    if month and month > 12:
        # EDTF seasons (21–24) and similar: keep the year, say it honestly
        plain = f"{year}"
    elif day and month is not None:  # a day always comes with a month
        plain = f"{MONTHS[month - 1]} {day}, {year}"
    elif month:
        plain = f"{MONTHS[month - 1]} {year}"
    else:
        plain = f"{year}"
    return qualifier.format(plain) if qualifier else plain


def iso_day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""
