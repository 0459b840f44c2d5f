"""The OpenAPI document: valid, complete, and readable at /api/v1/docs with no outside assets."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, get_resolver
from openapi_spec_validator import validate

from declassified.api.openapi import openapi_document

METHODS = {"get", "post", "patch", "put", "delete"}


def api_routes() -> dict[str, set[str]]:
    """Every route under /api/v1/ with the methods its view answers (HEAD aside)."""
    routes: dict[str, set[str]] = {}

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLPattern):
                if route.startswith("api/v1/"):
                    path = "/" + re.sub(r"<int:pk>", "{id}", route)
                    allowed = getattr(pattern.callback, "allowed_methods", ["GET"])
                    routes[path] = {m.lower() for m in allowed} - {"head"}
            else:
                walk(pattern.url_patterns, route)

    walk(get_resolver().url_patterns)
    return routes


def test_the_document_is_valid_openapi_3_1(client, db):
    served = client.get("/api/v1/openapi.json")

    assert served.status_code == 200 and served["Content-Type"] == "application/json"
    validate(served.json())
    assert served.json()["openapi"] == "3.1.0"


def test_every_api_route_and_method_is_documented():
    documented = {path: set(item) & METHODS for path, item in openapi_document()["paths"].items()}

    assert documented == api_routes()
    assert "/api/v1/documents/{id}/citation" in documented  # the citations app's route


def test_every_operation_documents_the_errors_it_can_answer():
    document = openapi_document()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            statuses = set(operation["responses"])
            parameters = [document["components"]["parameters"][p["$ref"].rsplit("/", 1)[1]]
                          if "$ref" in p else p for p in operation.get("parameters", [])]
            writes = operation["security"] == [{"bearerAuth": []}]
            assert "401" in statuses, (method, path)  # a bad token, anywhere
            assert ("404" in statuses) == ("{id}" in path or path == "/api/v1/documents"
                                           and method == "get"), (method, path)
            assert ("400" in statuses) == (any(p["in"] == "query" for p in parameters)
                                           or "requestBody" in operation), (method, path)
            assert ("403" in statuses) == writes, (method, path)


def test_the_reference_page_lists_every_operation_and_works_without_javascript(
    client, db, django_assert_max_num_queries
):
    with django_assert_max_num_queries(0):
        page = client.get("/api/v1/docs").content.decode()

    for path, item in openapi_document()["paths"].items():
        for method, operation in item.items():
            assert f'id="{operation["operationId"]}"' in page, (method, path)
    assert "<script" not in page
    assert page.count('action="/api/v1/docs/try"') == sum(
        "get" in item for item in openapi_document()["paths"].values())


def test_the_try_it_form_redirects_to_the_operation(client, db):
    detail = client.get("/api/v1/docs/try", {"operation": "get_person", "id": "7"})
    listing = client.get("/api/v1/docs/try?operation=search&q=border&type=Cable&type=Letter"
                         "&page=&colour=red")

    assert detail.status_code == 302 and detail["Location"] == "/api/v1/people/7"
    assert listing["Location"] == "/api/v1/search?q=border&type=Cable&type=Letter"


@pytest.mark.parametrize("query", ["", "operation=create_document", "operation=nope",
                                   "operation=get_person", "operation=get_person&id=x"])
def test_the_try_it_form_explains_what_is_missing(client, db, query):
    response = client.get(f"/api/v1/docs/try?{query}")

    assert response.status_code == 400 and response.json()["error"]


def test_swagger_ui_is_served_by_the_site_itself(client, db):
    page = client.get("/api/v1/docs/swagger").content.decode()

    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert len(assets) == 5 and "http" not in page  # nothing from another host
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        b"".join(response.streaming_content) if response.streaming else response.content
    assert 'data-spec-url="/api/v1/openapi.json"' in page
