"""docs/api.md documents every route, field and body field the API has."""

from __future__ import annotations

import re
from pathlib import Path

from declassified.api.forms import body_fields
from declassified.api.openapi import openapi_document

API_MD = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text()


def test_every_route_is_documented():
    for path in openapi_document()["paths"]:
        assert f"{path}`" in API_MD or f"{path}?" in API_MD or f"{path}," in API_MD, path


def test_every_response_field_is_documented():
    schemas = openapi_document()["components"]["schemas"]
    for name in ("Document", "DocumentDetail", "Collection", "CollectionSummary", "Person",
                 "Place", "Subject", "Repository"):
        for field in schemas[name]["properties"]:
            assert re.search(rf"`{field}`|{field}[,}}]", API_MD), (name, field)


def test_every_writable_field_is_documented():
    for field in body_fields():
        assert f"`{field}`" in API_MD, field


def test_the_token_commands_are_documented():
    for command in ("api-token create", "api-token list", "api-token revoke"):
        assert f"declassified {command}" in API_MD
