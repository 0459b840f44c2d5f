"""The OpenAPI 3.1 document of the API, served at /api/v1/openapi.json.

It describes every route under /api/v1/ with its parameters, response schemas and every
status it answers. tests/api/test_openapi.py validates it and checks that it names every
route in declassified.api.urls (and the citation route); tests/api/test_schemathesis.py
checks the running API against it.
"""

from __future__ import annotations

from functools import cache

from django.http import HttpRequest, JsonResponse

from declassified.api.http import json_get, json_response
from declassified.api.openapi_schemas import INTEGER, component_schemas, ref
from declassified.api.pagination import CURSOR_PATTERN, DEFAULT_LIMIT, MAX_CURSOR_CHARS, MAX_LIMIT
from declassified.archive.dates import EDTF_SCHEMA_PATTERN, MAX_EDTF_CHARS
from declassified.search import (
    EXCLUDE_PREFIX,
    FACET_PAGE_SIZE,
    FILTERS,
    ID_FILTERS,
    MAX_FILTER_VALUE_CHARS,
    MAX_PAGE_SIZE,
    MAX_QUERY_PARAM_CHARS,
    MAX_RESULT_WINDOW,
    MAX_VALUE_QUERY_CHARS,
    MAX_VALUES_PER_FILTER,
    SORTS,
)

VERSION = "1.0.0"
DESCRIPTION = """\
The archive's documents, collections, people, places, subjects and repositories as JSON.

**Reading** needs no account. Everyone sees what the public pages show; drafts and withdrawn
documents appear only to accounts that may edit them (with a session or an API token).

**Harvesting**: lists are ordered by record ID and paginated with an opaque `cursor`;
follow `next` until it is null to visit every record once, even while records are added.

**Writing** needs an API token (`Authorization: Bearer <key>`); a session cookie never
authorizes a write. Contributors create and edit drafts; Editors also publish and withdraw.

**Errors** are JSON: `{"error": "…"}`, plus `"fields"` for an invalid request body.
A bad or revoked token is a 401 on any route. A method a route does not list is a 405 with
an `Allow` header. An unknown path under /api/ is a JSON 404.
"""

TAGS = [
    {"name": "documents", "description": "Documents: read, harvest, write."},
    {"name": "collections", "description": "Collections and their documents."},
    {"name": "entities", "description": "People and organizations, places, subjects, "
     "repositories."},
    {"name": "search", "description": "Full-text search with filters and facets."},
    {"name": "documentation", "description": "This document and its readable forms."},
]

READ_SECURITY: list[dict[str, list[str]]] = [{}, {"bearerAuth": []}]
WRITE_SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}]
ERRORS = {
    400: ("BadRequest", "A parameter or the request body is invalid; the message says which."),
    401: ("Unauthorized", "The Authorization header names no active token (or, for a "
          "write, there is none)."),
    403: ("Forbidden", "The token's account may not do this."),
    404: ("NotFound", "No such record, or one this reader may not see."),
    503: ("DatabaseBusy", "Another write (an import) held the database for longer than this "
          "write could wait; nothing was changed. Send it again after `Retry-After` seconds."),
}


def json_content(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def operation(operation_id: str, summary: str, tag: str, ok: tuple[int, str, dict | None],
              errors: tuple[int, ...] = (), parameters: tuple[dict, ...] = (), *,
              description: str = "", body: dict | None = None, write: bool = False) -> dict:
    """One operation; every one may answer 401 (a bad token is refused everywhere)."""
    status, ok_description, schema = ok
    success: dict = {"description": ok_description}
    if schema is not None:
        success["content"] = schema if "text/html" in schema else json_content(schema)
    responses = {str(status): success}
    # Any write may find the database busy (archive.database): a 503 with Retry-After.
    for code in sorted({*errors, 401, *((503,) if write else ())}):
        responses[str(code)] = {"$ref": f"#/components/responses/{ERRORS[code][0]}"}
    result = {
        "operationId": operation_id, "summary": summary, "tags": [tag],
        "security": WRITE_SECURITY if write else READ_SECURITY, "responses": responses,
    }
    if description:
        result["description"] = description
    if parameters:
        result["parameters"] = list(parameters)
    if body is not None:
        result["requestBody"] = {"required": True, "content": json_content(body)}
    return result


def query(name: str, schema: dict, description: str, *, required: bool = False,
          **extra) -> dict:
    return {"name": name, "in": "query", "required": required, "schema": schema,
            "description": description, **extra}


# Python's str.strip() also takes U+001C–U+001F and U+0085 for spaces; \s may not.
NOT_BLANK = {"type": "string", "pattern": "[^\\s\\x1c-\\x1f\\x85]"}
# What the date parser reads before the EDTF grammar runs (archive.dates.check_edtf_bounds);
# whether the text is a valid EDTF date only the grammar can say (a documented 400).
EDTF = {"type": "string", "maxLength": MAX_EDTF_CHARS, "pattern": EDTF_SCHEMA_PATTERN}
ID = {"$ref": "#/components/parameters/Id"}
CURSOR = {"$ref": "#/components/parameters/Cursor"}
LIMIT = {"$ref": "#/components/parameters/Limit"}
HTML = {"text/html": {"schema": {"type": "string"}}}


def entity_paths(plural: str, singular: str, schema: str, *, writable: bool = False) -> dict:
    detail = {"get": operation(
        f"get_{singular}", f"One {singular.replace('_', ' ')}", "entities",
        (200, f"The {singular} and how many documents the reader may see.", ref(schema)),
        (404,), (ID,),
    )}
    if writable:
        detail["patch"] = operation(
            f"update_{singular}", f"Change a {singular}'s names and description", "entities",
            (200, f"The changed {singular}.", ref(schema)), (400, 403, 404), (ID,),
            body=ref(f"{schema}Change"), write=True,
            description="Only the fields given change; `variants` replaces the whole list. "
            "A renamed record gets the generated spellings of its new name added "
            "(docs/search.md, names in all their spellings).",
        )
    return {
        f"/api/v1/{plural}": {"get": operation(
            f"list_{plural}", f"List {plural}", "entities",
            (200, f"A page of {plural}, by record ID.", ref(f"{schema}Page")), (400,),
            (CURSOR, LIMIT),
        )},
        f"/api/v1/{plural}/{{id}}": detail,
    }


def status_change(verb: str, state: str) -> dict:
    return {"post": operation(
        f"{verb}_document", f"{verb.capitalize()} a document (Editors)", "documents",
        (200, f"The document, now {state}.", ref("Document")), (403, 404), (ID,), write=True,
    )}


def document_paths() -> dict:
    filters = tuple(
        query(name, {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
              f"Only documents of this {name} (record ID).")
        for name in ("collection", "person", "place", "subject", "repository")
    )
    source_id = query("source_id", NOT_BLANK,
                      "Look one document up by its source identifier, e.g. "
                      "frus1964-68v30/d1 (404 when none is visible). Paging does not apply.")
    return {
        "/api/v1/documents": {
            "get": operation(
                "list_documents", "Harvest documents", "documents",
                (200, "A page of full document records.", ref("DocumentPage")), (400, 404),
                (CURSOR, LIMIT, *filters, source_id),
                description="Every document the reader may see, full records in record-ID "
                "order. Filters combine with AND.",
            ),
            "post": operation(
                "create_document", "Create a draft document", "documents",
                (201, "The new document (a draft); Location names it.", ref("Document")),
                (400, 403), body=ref("DocumentCreate"), write=True,
                description="Validated as the back office validates; tag lists and "
                "collections are record IDs, languages ISO 639 codes.",
            ),
        },
        "/api/v1/documents/{id}": {
            "get": operation("get_document", "One document", "documents",
                             (200, "The document, with its machine transcript.",
                              ref("DocumentDetail")), (404,), (ID,)),
            "patch": operation(
                "update_document", "Change a document's fields and tags", "documents",
                (200, "The changed document.", ref("Document")), (400, 403, 404), (ID,),
                body=ref("DocumentChange"), write=True,
                description="Only the fields given change; a list replaces the whole list. "
                "Contributors may change drafts only.",
            ),
        },
        "/api/v1/documents/{id}/publish": status_change("publish", "published"),
        "/api/v1/documents/{id}/withdraw": status_change("withdraw", "withdrawn"),
        "/api/v1/documents/{id}/citation": {"get": operation(
            "cite_document", "Cite a document", "documents",
            (200, "The citation rendered by citeproc-py from the document's CSL-JSON.",
             ref("Citation")), (400, 404),
            (ID, query("style", {"type": "string", "enum": ["chicago", "mla", "apa"],
                                 "default": "chicago"}, "Citation style.")),
        )},
    }


def filter_parameters() -> tuple[dict, ...]:
    """Each filter, and its `not_` twin that leaves out documents with any of its values."""
    def values(name: str) -> dict:
        return {"type": "array", "maxItems": MAX_VALUES_PER_FILTER, "items": (
            {"type": "string", "pattern": "^\\s*([0-9]{1,18})?\\s*$"} if name in ID_FILTERS
            else {"type": "string", "maxLength": MAX_FILTER_VALUE_CHARS})}

    kind = {name: "; record IDs)." if name in ID_FILTERS else ")." for name in FILTERS}
    return tuple(parameter for name in FILTERS for parameter in (
        query(name, values(name), "Filter (repeatable; values of one filter combine with OR"
              + kind[name], style="form", explode=True),
        query(EXCLUDE_PREFIX + name, values(name),
              f"Leave out documents with any of these values of {name} (repeatable"
              + kind[name], style="form", explode=True),
    ))


def search_parameters() -> tuple[dict, ...]:
    """What a search reads to choose its matches (the results page aside)."""
    return (
        query("q", {"type": "string", "maxLength": MAX_QUERY_PARAM_CHARS},
              "Query: words, \"phrases\", OR, -word, prefix*, field:value."),
        *filter_parameters(),
        query("date_from", EDTF, "EDTF, e.g. 1962 or 1965-03 (at most 60 characters, "
              "8 members in a set)."),
        query("date_to", EDTF, "EDTF."),
        query("date_match", {"type": "string", "enum": ["within", "overlap"]},
              "How uncertain dates meet the range."),
        query("status", {"type": "string", "enum": ["published", "draft", "withdrawn", "all"]},
              "For editors only; everyone else always searches published documents."),
        query("literal", {"type": "string", "enum": ["0", "1"]},
              "1: only the words typed. By default a name in the query also matches its "
              "other spellings (Chou En-lai, Zhou Enlai, 周恩来), listed in `expanded`."),
    )


def search_paths() -> dict:
    parameters = (
        *search_parameters(),
        query("sort", {"type": "string", "enum": list(SORTS)}, "Result order."),
        query("page", {"type": "integer", "minimum": 1, "maximum": MAX_RESULT_WINDOW},
              "Page number (page × page_size may not pass 10,000)."),
        query("page_size", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
              "Results a page (20 by default)."),
    )
    values = (
        query("facet", {"type": "string", "enum": list(FILTERS)}, "The filter whose values "
              "to list.", required=True),
        query("q_value", {"type": "string", "maxLength": MAX_VALUE_QUERY_CHARS},
              "Only values whose label contains this (case and accents ignored)."),
        query("page", {"type": "integer", "minimum": 1},
              f"Page of values ({FACET_PAGE_SIZE} a page, most documents first)."),
        *search_parameters(),
    )
    return {
        "/api/v1/search": {"get": operation(
            "search", "Search documents", "search",
            (200, "Hits, total and facet counts.", ref("SearchResult")), (400,), parameters,
        )},
        "/api/v1/search/facet-values": {"get": operation(
            "search_facet_values", "Every value of one filter under a search", "search",
            (200, "A page of the filter's values with their counts under the search.",
             ref("FacetValues")), (400,), values,
            description="The search's facets show each filter's most frequent values; this "
            "lists all of them, a page at a time, and finds values by their label. Counts "
            "leave out the filter's own chosen values (as the search's facets do), so its "
            "other values keep their counts. A page past the last is a 400.",
        )},
    }


def documentation_paths() -> dict:
    return {
        "/api/v1/openapi.json": {"get": operation(
            "openapi", "This OpenAPI document", "documentation",
            (200, "OpenAPI 3.1.", {"type": "object"}),
        )},
        "/api/v1/docs": {"get": operation(
            "docs", "The API reference as a web page (works without JavaScript)",
            "documentation", (200, "HTML.", HTML),
        )},
        "/api/v1/docs/try": {"get": operation(
            "docs_try", "Send the reference page's try-it form on to the API", "documentation",
            (302, "Redirects to the operation's URL with the form's parameters.", None), (400,),
            (query("operation", {"type": "string", "enum": []},  # filled in: openapi_document
                   "An operationId of a GET operation.", required=True),),
            description="Other query parameters are the operation's own; `id` fills its path.",
        )},
        "/api/v1/docs/swagger": {"get": operation(
            "docs_swagger", "Interactive documentation (Swagger UI, served by this site)",
            "documentation", (200, "HTML.", HTML),
        )},
    }


@cache
def openapi_document() -> dict:
    paths = {
        **document_paths(),
        "/api/v1/collections": {"get": operation(
            "list_collections", "List every collection", "collections",
            (200, "Every collection, A–Z, with its published-document count.",
             ref("CollectionList")),
        )},
        "/api/v1/collections/{id}": {"get": operation(
            "get_collection", "One collection with its documents", "collections",
            (200, "The collection and the documents the reader may see, oldest first.",
             ref("Collection")), (404,), (ID,),
        )},
        **entity_paths("people", "person", "Person", writable=True),
        **entity_paths("places", "place", "Place", writable=True),
        **entity_paths("subjects", "subject", "Subject"),
        **entity_paths("repositories", "repository", "Repository"),
        **search_paths(),
        **documentation_paths(),
    }
    try_it = paths["/api/v1/docs/try"]["get"]["parameters"][0]["schema"]
    try_it["enum"] = [item["get"]["operationId"] for item in paths.values() if "get" in item]
    return {
        "openapi": "3.1.0",
        "info": {"title": "Declassified API", "version": VERSION, "description": DESCRIPTION,
                 "license": {"name": "MIT", "identifier": "MIT"}},
        "tags": TAGS,
        "paths": paths,
        "components": {
            "schemas": component_schemas(),
            "parameters": {
                "Id": {"name": "id", "in": "path", "required": True, "description": "Record ID.",
                       "schema": {**INTEGER, "minimum": 1, "maximum": 2**31 - 1}},
                "Cursor": query("cursor", {"type": "string", "maxLength": MAX_CURSOR_CHARS,
                                           "pattern": CURSOR_PATTERN},
                                "Opaque; copy it from `next`."),
                "Limit": query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT,
                                         "default": DEFAULT_LIMIT}, "Records a page."),
            },
            "responses": {
                name: {"description": text, "content": json_content(ref("Error"))}
                for name, text in ERRORS.values()
            } | {"DatabaseBusy": {
                "description": ERRORS[503][1], "content": json_content(ref("Error")),
                "headers": {"Retry-After": {"description": "Seconds to wait before retrying.",
                                            "schema": {"type": "integer", "minimum": 1}}},
            }},
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "An API token: `declassified api-token create USERNAME --name N`, "
                "or the back office's API tokens page.",
            }},
        },
    }


@json_get
def openapi_json(request: HttpRequest) -> JsonResponse:
    return json_response(openapi_document())
