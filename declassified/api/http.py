"""JSON responses and method handling shared by the API's views.

Errors are always `{"error": message}`, with `"fields": {name: [messages]}` when a request
body failed validation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

JSON_PARAMS = {"ensure_ascii": False}


def json_response(data, status: int = 200, **headers: str) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params=JSON_PARAMS)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def json_error(message: str, status: int, fields: Mapping[str, list[str]] | None = None,
               **headers: str) -> JsonResponse:
    body: dict = {"error": message}
    if fields:
        body["fields"] = dict(fields)
    return json_response(body, status, **headers)


def method_not_allowed(request: HttpRequest, allowed: list[str]) -> JsonResponse:
    choices = allowed[0] if len(allowed) == 1 else f"{', '.join(allowed[:-1])} or {allowed[-1]}"
    return json_error(
        f"{request.method} is not allowed here; use {choices}.", 405,
        Allow=", ".join(allowed),
    )


def dispatch(**handlers: Callable[..., HttpResponse] | None) -> Callable[..., HttpResponse]:
    """One view per URL that hands each method to its handler (GET also answers HEAD,
    unless `head=None`).

    CSRF checks are off: reads change nothing, and writes are authorized by a bearer token
    only, never by the session cookie a forged cross-site request would carry.
    """
    table = {method.upper(): view for method, view in handlers.items()}
    if "GET" in table:
        table.setdefault("HEAD", table["GET"])
    table = {method: view for method, view in table.items() if view is not None}
    allowed: list[str] = [m for m in ("GET", "HEAD", "POST", "PATCH") if m in table]

    @csrf_exempt
    def view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        handler = table.get(request.method or "")
        if handler is None:
            return method_not_allowed(request, allowed)
        return handler(request, *args, **kwargs)

    view.allowed_methods = allowed
    return view


def json_get(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A read-only view: GET and HEAD, anything else a JSON 405."""
    return wraps(view)(dispatch(get=view))
