"""Readable forms of the OpenAPI document, served by this site with no outside assets.

- /api/v1/docs: a server-rendered reference of every operation, its parameters, body
  fields and responses, with a try-it form for each GET operation that works without
  JavaScript (through /api/v1/docs/try, which fills the path and redirects).
- /api/v1/docs/swagger: Swagger UI, from the drf-spectacular-sidecar package's static
  files (no CDN), for trying writes with a token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from declassified.api.http import json_error, json_get
from declassified.api.openapi import openapi_document
from declassified.archive.queries import MAX_ID

METHODS = ("get", "post", "patch")
_STRONG = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`(.+?)`")


def inline_markdown(text: str) -> SafeString:
    """The document's descriptions use **bold** and `code` only; render those, escape the rest."""
    html = _CODE.sub(r"<code>\1</code>", _STRONG.sub(r"<strong>\1</strong>", escape(text)))
    return mark_safe(html)  # built from escaped text


@dataclass
class Operation:
    method: str
    path: str
    spec: dict
    parameters: list[dict] = field(default_factory=list)
    body_fields: list[dict] = field(default_factory=list)
    responses: list[tuple[str, str]] = field(default_factory=list)

    @property
    def operation_id(self) -> str:
        return self.spec["operationId"]

    @property
    def description_html(self) -> SafeString:
        return inline_markdown(self.spec.get("description", ""))

    @property
    def needs_token(self) -> bool:
        return self.spec["security"] == [{"bearerAuth": []}]


def resolve(document: dict, node: dict) -> dict:
    """Follow a local $ref ("#/components/…") to what it names."""
    while "$ref" in node:
        target = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def type_label(schema: dict) -> str:
    kind = schema.get("type", "")
    if kind == "array":
        return f"list of {type_label(schema.get('items', {}))}"
    if isinstance(kind, list):
        return " or ".join(kind)
    return str(kind)


def operations() -> list[Operation]:
    """Every operation of the OpenAPI document, in its order, with references resolved."""
    document = openapi_document()
    found = []
    for path, item in document["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            spec = item[method]
            op = Operation(method.upper(), path, spec)
            for parameter in spec.get("parameters", []):
                parameter = resolve(document, parameter)
                op.parameters.append(parameter | {"type": type_label(parameter["schema"])})
            if "requestBody" in spec:
                body = resolve(document, spec["requestBody"]["content"]["application/json"]
                               ["schema"])
                required = set(body.get("required", []))
                op.body_fields = [
                    {"name": name, "type": type_label(schema), "required": name in required,
                     "description": schema.get("description", "")}
                    for name, schema in body["properties"].items()
                ]
            op.responses = [(status, resolve(document, response)["description"])
                            for status, response in spec["responses"].items()]
            found.append(op)
    return found


@json_get
def reference(request: HttpRequest) -> HttpResponse:
    document = openapi_document()
    return render(request, "api/reference.html", {
        "info": document["info"],
        "operations": operations(),
        "description_paragraphs": [
            inline_markdown(p) for p in document["info"]["description"].split("\n\n")],
    })


@json_get
def swagger_ui(request: HttpRequest) -> HttpResponse:
    return render(request, "api/swagger.html")


@json_get
def try_operation(request: HttpRequest) -> HttpResponse:
    """Redirect the reference page's try-it form to the URL of the GET operation it names."""
    wanted = request.GET.get("operation", "")
    op = next((o for o in operations() if o.method == "GET" and o.operation_id == wanted), None)
    if op is None:
        return json_error("operation must name a GET operation of /api/v1/openapi.json.", 400)
    path = op.path
    if "{id}" in path:
        raw = request.GET.get("id", "").strip()
        if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) <= MAX_ID:
            return json_error("id must be a record ID, a whole number from 1.", 400)
        path = path.replace("{id}", str(int(raw)))
    names = {p["name"] for p in op.parameters if p["in"] == "query"}
    items = [(name, value) for name, values in request.GET.lists() if name in names
             for value in values if value.strip()]
    return HttpResponseRedirect(path + (f"?{urlencode(items)}" if items else ""))
