"""Cursor pagination for harvesting whole lists: `?cursor=<opaque>&limit=N`.

Lists are ordered by record ID, and a cursor says "after ID n". IDs are never reused and
new records get larger ones, so following `next` from the first page to the last visits
every record that existed when the harvest began exactly once, even while records are
added (those appear on later pages or not at all, never twice).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest

from declassified.archive.queries import MAX_ID

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
_CURSOR_LABEL = "after:"

M = TypeVar("M", bound=Model)


class BadPageRequest(ValueError):
    """`cursor` or `limit` is malformed; the message says which and why."""


# Exactly the cursors decode_cursor takes (the OpenAPI document gives it as the parameter's
# pattern): base64url of "after:" (YWZ0ZXI6) and 1 to 24 ASCII digits, unpadded. Each group
# of three digits (bytes 0x30-0x39) encodes to one of these four-character groups; one or
# two digits left over end the cursor with two or three characters.
_DIGITS3 = "(?:[MN][DTjz]|O[DT])[AEIMQUYcgk][w-z0-5]"
_DIGITS1 = "(?:[MN][AQgw]|O[AQ])"
_DIGITS2 = "(?:[MN][DTjz]|O[DT])[AEIMQUYcgk]"
# An empty cursor is the first page.
CURSOR_PATTERN = f"^(?:YWZ0ZXI6(?:{_DIGITS3}){{0,7}}(?:{_DIGITS3}|{_DIGITS1}|{_DIGITS2}))?$"
MAX_CURSOR_CHARS = 40


def encode_cursor(after_id: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_LABEL}{after_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The record ID a cursor continues after; raises BadPageRequest for anything else."""
    bad = BadPageRequest("cursor is not one this API gave out; start again without it.")
    if not cursor.isascii() or len(cursor) > MAX_CURSOR_CHARS:
        raise bad
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, ValueError):
        raise bad from None
    number = text.removeprefix(_CURSOR_LABEL)
    if not text.startswith(_CURSOR_LABEL) or not number.isdigit():
        raise bad
    # Past the last possible ID is a well-formed cursor to an empty page, not an error.
    return min(int(number), MAX_ID)


@dataclass(frozen=True)
class PageRequest:
    after_id: int
    limit: int


def page_request(request: HttpRequest) -> PageRequest:
    """Read `cursor` and `limit` (1..100, default 50); raises BadPageRequest."""
    cursor = request.GET.get("cursor", "")
    after_id = decode_cursor(cursor) if cursor else 0
    if "limit" not in request.GET:
        return PageRequest(after_id, DEFAULT_LIMIT)
    raw_limit = request.GET["limit"]
    if not (raw_limit.isascii() and raw_limit.isdigit()) or not 1 <= int(raw_limit) <= MAX_LIMIT:
        raise BadPageRequest(f"limit must be a whole number from 1 to {MAX_LIMIT}.")
    return PageRequest(after_id, int(raw_limit))


@dataclass(frozen=True)
class Page(Generic[M]):
    rows: list[M]
    next_url: str | None


def cursor_page(request: HttpRequest, rows: QuerySet[M], page: PageRequest) -> Page[M]:
    """One page of `rows` in ID order, and the URL of the next page (one query plus the
    queryset's prefetches). The next URL keeps every other query parameter."""
    found = list(rows.filter(pk__gt=page.after_id).order_by("pk")[: page.limit + 1])
    if len(found) <= page.limit:
        return Page(found, None)
    found = found[: page.limit]
    params = request.GET.copy()
    params["cursor"] = encode_cursor(found[-1].pk)
    return Page(found, request.build_absolute_uri(f"{request.path}?{params.urlencode()}"))


def page_json(page: Page[M], results: list) -> dict:
    return {"results": results, "next": page.next_url}
