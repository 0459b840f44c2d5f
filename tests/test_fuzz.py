"""Fuzzing every public GET surface and the API's write bodies with Hypothesis.

Each public route of tests/test_every_view.py (the URLconf, checked there to be complete)
gets generated query strings; every route pattern gets generated path segments; the API's
writes get generated JSON bodies. The values mix the inputs that once hurt: a 4 KB EDTF set
(12–34 s in the date grammar), control characters, digits of other scripts, very long
values. Every answer must come within REQUEST_SECONDS, be no server error and show no
traceback. Examples are few and derandomised, so the suite is deterministic and stays
within about a minute per database.
"""

from __future__ import annotations

import json
import re
import string
import time
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from declassified.api import tokens
from declassified.api.forms import body_fields
from tests.routes import named_routes
from tests.test_every_view import TRIOS, world  # noqa: F401 (world: the fixture, reused)

REQUEST_SECONDS = 2.0
EXAMPLES = settings(
    max_examples=6, deadline=None, database=None, derandomize=True,
    suppress_health_check=list(HealthCheck),
)
HUGE_EDTF_SET = "{" + ",".join(["1965-01-01"] * 400) + "}"
NASTY = [
    HUGE_EDTF_SET, "[" + ",".join(str(1900 + n) for n in range(200)) + "]",
    "{1965,1966,1967,1968,1969,1970,1971,1972,1973}", "1965-01-01/" * 50,
    "٣٣٣٣", "１９６５-０３", "1965-0٣", "٢", "\x00", "a\x07b", "\x1b[31mred", "\x7f", "\x85",
    "\u202eevil", "x" * 5000, "9" * 5000, "-1", "0", "1e9", "18446744073709551616",
    '"' * 300, "(" * 500, "a OR " * 400, "title:" * 300, "*" * 100, "-" * 100,
    "date:" + HUGE_EDTF_SET[:3000], "<script>alert(1)</script>", "'; DROP TABLE x; --",
    "%00", "../../etc/passwd", "=HYPERLINK(\"x\")", "",
]
# Text without lone surrogates: they cannot be URL-encoded at all, so no client sends them.
TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=40)
VALUES = st.one_of(st.sampled_from(NASTY), TEXT, st.integers().map(str),
                   st.text(string.digits + "-/.{},[]~?%X", max_size=80))
# Every parameter name a public route reads, and some no route reads.
PARAMETERS = [
    "q", "page", "page_size", "sort", "status", "date_from", "date_to", "date_match",
    "collection", "person", "place", "subject", "archive", "type", "language",
    "translation_language", "classification", "cursor", "limit", "source_id", "text", "style",
    "operation", "id", "verb", "metadataPrefix", "identifier", "from", "until", "set",
    "resumptionToken", "format", "unknown",
]
QUERIES = st.dictionaries(st.sampled_from(PARAMETERS), st.lists(VALUES, min_size=1, max_size=3),
                          max_size=5)
# Always sent, whatever Hypothesis draws: the reproductions of issue 13, on every route (one
# a request, since the first bad parameter can stop a view from reading the others).
WORST_QUERIES = [
    {"date_from": [HUGE_EDTF_SET]}, {"date_to": [HUGE_EDTF_SET]},
    {"q": ["date:" + HUGE_EDTF_SET[:3000]]}, {"from": [HUGE_EDTF_SET], "verb": ["ListRecords"]},
    {"date_from": ["٣٣٣٣"]}, {"page": ["٢"]}, {"type": ["\x07" * 400]}, {"cursor": ["\x00"]},
]
GET_ROUTES = sorted(name for name, trio in TRIOS.items() if trio.works.method == "GET")
TRACEBACK = re.compile(rb"Traceback \(most recent call last\)|File \"/")


def body_of(response) -> bytes:
    """The body, read whole also from a file response. Reading it to its end closes it the
    test client's way; a second close() would end the test's database connection."""
    if not response.streaming:
        return response.content
    return b"".join(response.streaming_content)


def assert_answered_well(response, seconds: float, what: object) -> None:
    body = body_of(response)
    assert response.status_code < 500, (what, response.status_code, body[:300])
    assert seconds < REQUEST_SECONDS, (what, f"{seconds:.2f} s")
    assert not TRACEBACK.search(body), (what, body[:300])


def timed(send, *args, **kwargs):
    started = time.monotonic()
    response = send(*args, **kwargs)
    return response, time.monotonic() - started


@pytest.mark.parametrize("name", GET_ROUTES)
def test_every_public_get_route_answers_any_query_string_quickly(world, name):  # noqa: F811
    path = TRIOS[name].works.path.format(**world).split("?")[0]
    client = Client()
    body_of(client.get(path))  # the first request of a route compiles its templates: untimed

    @given(query=QUERIES)
    @EXAMPLES
    def answers(query):
        response, seconds = timed(client.get, path, query)
        assert_answered_well(response, seconds, (path, query))

    for query in WORST_QUERIES:
        answers = example(query=query)(answers)
    answers()


# A route's converters (<int:pk>, <slug:slug>, <str:name>…) filled with generated segments.
_CONVERTER = re.compile(r"<(?:\w+:)?\w+>")
SEGMENTS = st.one_of(st.sampled_from(NASTY), TEXT, st.integers().map(str)).map(
    lambda text: quote(text, safe="") or "x"
)


@pytest.mark.parametrize("route", sorted({
    route for route in named_routes().values() if _CONVERTER.search(route)}))
def test_every_route_pattern_answers_any_path_quickly(world, route):  # noqa: F811
    client = Client()
    holes = len(_CONVERTER.findall(route))

    @given(segments=st.lists(SEGMENTS, min_size=holes, max_size=holes))
    @EXAMPLES
    def answers(segments):
        parts = iter(segments)
        path = "/" + _CONVERTER.sub(lambda _: next(parts), route)
        response, seconds = timed(client.get, path)
        assert_answered_well(response, seconds, path)

    answers()


JSON_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.sampled_from(NASTY),
    TEXT, st.lists(st.integers(min_value=-5, max_value=2**40), max_size=4),
    st.lists(st.sampled_from(NASTY[:12]), max_size=3),
)


def write_bodies() -> st.SearchStrategy:
    fields = st.sampled_from([*body_fields(), "status", "id", "unknown"])
    objects = st.dictionaries(fields, JSON_VALUES, max_size=6).map(
        lambda body: json.dumps(body, ensure_ascii=False).encode())
    return st.one_of(objects, st.binary(max_size=200), st.sampled_from(
        [b"", b"[]", b"null", b'{"title": "x"' + b" " * 10_000, b'{"title": "a"}' * 50,
         b"[" * 100_000, b'{"title": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"]))


@pytest.mark.parametrize("method, path", [
    ("POST", "/api/v1/documents"), ("PATCH", "/api/v1/documents/{doc}"),
    ("PATCH", "/api/v1/documents/{draft}"), ("POST", "/api/v1/documents/{draft}/publish"),
])
def test_api_writes_answer_any_body_quickly_in_json(world, method, path):  # noqa: F811
    key = tokens.do_create_token(world["personas"]["alice"], "fuzz")[1]
    client = Client(headers={"Authorization": f"Bearer {key}"})
    path = path.format(**world)

    @given(body=write_bodies())
    @example(body=json.dumps({"title": "\x1b[31m", "date": HUGE_EDTF_SET}).encode())
    @example(body=json.dumps({"title": "x", "date": "٣٣٣٣", "summary": "\x00"}).encode())
    @settings(EXAMPLES, max_examples=25)
    def answers(body):
        response, seconds = timed(client.generic, method, path, body,
                                  content_type="application/json")
        assert_answered_well(response, seconds, (method, path, body[:200]))
        assert response["Content-Type"] == "application/json", (method, path, body[:200])

    answers()


@pytest.fixture(autouse=True)
def _public_reads_may_come_from_the_response_cache(response_cache):
    """As in production: what the public reads may be answered from the response cache,
    so these tests also prove that it never answers with what has changed since."""
