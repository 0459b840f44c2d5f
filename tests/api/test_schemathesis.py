"""Schemathesis against /api/v1/openapi.json: no server errors, no undocumented answers.

Each operation gets a bounded number of generated requests (valid and invalid ones),
sent to Django as a WSGI app inside the test's transaction, with an editor's token.
"""

from __future__ import annotations

import re

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from declassified.api import tokens
from declassified.api.openapi import openapi_document
from tests.factories import (
    make_collection,
    make_document,
    make_person,
    make_place,
    make_repository,
    make_subject,
)

# What no schema can say, so a schema-valid request may still be refused with a 400 for it:
# whether a text is valid EDTF (only the grammar knows), whether a record ID, a language
# code or a slug exists or is already taken, whether a URL is one Django's validator takes,
# how two parameters relate (date_from after date_to, page × page_size past the window, an
# operation with a path ID but no `id`), how many pages of a filter's values there are. Any
# other 400 for a schema-valid request is a finding: the OpenAPI document allows something
# the API refuses.
ONLY_THE_DATA_CAN_REFUSE = re.compile(
    r"is not an EDTF date|has no day range|ends before it begins|Select a valid choice"
    r"|already exists|Enter a valid URL|date_from is after date_to|Only the first 10,000"
    r"|id must be a record ID|past the last page of values"
)


def assert_accepted_unless_only_the_data_can_refuse(response, case) -> None:
    """positive_data_acceptance, less the refusals listed in ONLY_THE_DATA_CAN_REFUSE."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    if response.status_code < 400 or response.status_code in (401, 403, 404, 409):
        return
    messages = [f"status {response.status_code}"]
    if response.status_code == 400:
        body = response.json()
        messages = [body["error"]] if not body.get("fields") else [
            message for messages in body["fields"].values() for message in messages]
    refused = [m for m in messages if not ONLY_THE_DATA_CAN_REFUSE.search(m)]
    assert not refused, f"A schema-valid request was refused: {refused}"


OPERATIONS = [(path, method.upper()) for path, item in openapi_document()["paths"].items()
              for method in item]
EXAMPLES_PER_OPERATION = 40  # the run takes 10-30 s per database here


@pytest.fixture
def wsgi_app(db):
    """Django as a WSGI app that keeps the test's database transaction open (Django's test
    client does the same: by default each request's end closes the connection)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def editor_key(alice):
    """An editor's token, and an archive with one of everything to find."""
    collection = make_collection("Sino-Soviet Split")
    make_document(collections=[collection], people=[make_person()], places=[make_place()],
                  subjects=[make_subject()], repository=make_repository())
    make_document(status="draft")
    return tokens.do_create_token(alice, "schemathesis")[1]


@pytest.mark.parametrize("path, method", OPERATIONS)
def test_the_api_answers_as_documented(wsgi_app, editor_key, path, method):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    operation = schema[path][method]
    headers = {"Authorization": f"Bearer {editor_key}"}
    # All of schemathesis's checks run (server errors, status codes, content types, response
    # schemas, schema-violating requests refused, other methods, auth), with two changes:
    # - positive_data_acceptance (schema-valid requests succeed) is replaced by
    #   assert_accepted_unless_only_the_data_can_refuse, which also allows the 400s no
    #   schema can foresee (ONLY_THE_DATA_CAN_REFUSE);
    # - for search and its facet values, no negative_data_rejection: the search parameters'
    #   parser is lenient by design (issue 3: a blank value means the default, malformed
    #   input never errors), so `status=` is not refused.
    excluded = [positive_data_acceptance]
    if path in ("/api/v1/search", "/api/v1/search/facet-values"):
        excluded.append(negative_data_rejection)

    # Requests that fit the schema, and requests that break it (wrong types, out-of-range
    # numbers, unknown body fields…), which must be refused with a documented 4xx.
    cases = (operation.as_strategy(GenerationMode.POSITIVE)
             | operation.as_strategy(GenerationMode.NEGATIVE))

    @given(case=cases)
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def answers_as_documented(case):
        response = case.call_and_validate(headers=headers, excluded_checks=excluded)
        assert_accepted_unless_only_the_data_can_refuse(response, case)

    answers_as_documented()
