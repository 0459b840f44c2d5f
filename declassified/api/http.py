"""The one way every endpoint under /api/ answers: JSON responses, errors and methods.

- Bodies are UTF-8 JSON with non-ASCII characters as they are (`ensure_ascii=False`), so
  "Zhōu Ēnlái" is sent as written, never as `\\u` escapes; the content type is always
  `application/json` (JSON is UTF-8 by definition, RFC 8259, so it carries no charset).
- Errors are always `{"error": message}`, with `"fields": {name: [messages]}` when a request
  body failed validation.
- A method a route does not take is a JSON 405 with an `Allow` header.

declassified.api.middleware turns Django's own error pages under /api/ into the same shape,
and tests/api/test_json_responses.py walks every API route to check all of this.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

JSON_CONTENT_TYPE = "application/json"
JSON_PARAMS = {"ensure_ascii": False}


def json_response(data: Mapping[str, Any], status: int = 200, **headers: str) -> JsonResponse:
    """`data` as the API's JSON; each keyword is a header (`WWW_Authenticate` →
    `WWW-Authenticate`)."""
    response = JsonResponse(data, status=status, json_dumps_params=JSON_PARAMS,
                            content_type=JSON_CONTENT_TYPE)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def json_error(message: str, status: int, fields: Mapping[str, list[str]] | None = None,
               **headers: str) -> JsonResponse:
    body: dict[str, Any] = {"error": message}
    if fields:
        body["fields"] = dict(fields)
    return json_response(body, status, **headers)


def method_not_allowed(request: HttpRequest, allowed: list[str]) -> JsonResponse:
    """A 405 naming the methods to use (HEAD goes without saying where GET is allowed)."""
    named = [m for m in allowed if not (m == "HEAD" and "GET" in allowed)]
    choices = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} or {named[-1]}"
    return json_error(
        f"{request.method} is not allowed here; use {choices}.", 405,
        Allow=", ".join(allowed),
    )


class MethodView:
    """One view per URL that hands each method to its handler; any other method gets the
    JSON 405. `allowed_methods` names the methods it answers (the OpenAPI tests read it).

    CSRF checks are off (`csrf_exempt`, read by Django's CsrfViewMiddleware): reads change
    nothing, and writes are authorized by a bearer token only, never by the session cookie a
    forged cross-site request would carry. (With the check on, a wrong method would get the
    CSRF refusal instead of the 405.)
    """

    csrf_exempt = True

    def __init__(self, table: Mapping[str, Callable[..., HttpResponse]]) -> None:
        self.table = dict(table)
        self.allowed_methods = [m for m in ("GET", "HEAD", "POST", "PATCH") if m in self.table]

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        handler = self.table.get(request.method or "")
        if handler is None:
            return method_not_allowed(request, self.allowed_methods)
        return handler(request, *args, **kwargs)


def dispatch(**handlers: Callable[..., HttpResponse] | None) -> MethodView:
    """The view of a URL whose methods go to these handlers (GET also answers HEAD, unless
    `head=None`); see MethodView."""
    table = {method.upper(): view for method, view in handlers.items()}
    if "GET" in table:
        table.setdefault("HEAD", table["GET"])
    return MethodView({method: view for method, view in table.items() if view is not None})


def json_get(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A read-only view: GET and HEAD, anything else a JSON 405."""
    return wraps(view)(dispatch(get=view))
