"""The API's middleware: bearer tokens, and JSON for every error under /api/.

Under /api/ only:
- An `Authorization` header must name an active token (else 401, whatever the method);
  the request then acts as the token's user, so token holders with rights read drafts as
  staff do. `request.api_token` is the token, or None: writes require it, so a session
  cookie alone never authorizes a write (which keeps CSRF out of the picture).
- A write that could not get the database's write lock in time (archive.database) is a
  JSON 503 with `Retry-After`, not a 500.
- An error answered in HTML by Django itself (no route matched: 404; a CSRF refusal: 403;
  `require_GET`: 405) is turned into the API's JSON error with the same status.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from declassified.api.http import json_error
from declassified.api.models import ApiToken
from declassified.api.tokens import InvalidToken, authenticate_header
from declassified.archive.database import is_lock_timeout, retry_after_seconds

API_PREFIX = "/api/"

GENERIC_MESSAGES = {
    400: "Bad request.",
    403: "Forbidden.",
    404: "Nothing here; /api/v1/docs lists the API's routes.",
    405: "That method is not allowed here.",
}


def unauthorized(message: str) -> HttpResponse:
    return json_error(
        message, 401, WWW_Authenticate='Bearer realm="api", error="invalid_token"'
    )


class ApiRequest(HttpRequest):
    """A request under /api/ as the views see it, ApiMiddleware having set `api_token` (a type
    for the checker only: Django makes the request, the middleware adds the attribute)."""

    api_token: ApiToken | None


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: ApiRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        request.api_token = None
        header = request.headers.get("Authorization")
        if header is not None:
            try:
                credentials = authenticate_header(header)
            except InvalidToken as error:
                return unauthorized(str(error))
            request.user = credentials.user
            request.api_token = credentials.token
        return as_json_error(self.get_response(request))

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A write that waited its turn for the database in vain: a JSON 503 saying when to
        try again, not a 500 (other exceptions go on to Django's handling)."""
        if request.path_info.startswith(API_PREFIX) and is_lock_timeout(exception):
            return database_busy()
        return None


def database_busy() -> HttpResponse:
    seconds = retry_after_seconds()
    return json_error(
        f"The database is busy with another write (an import, perhaps); nothing was changed. "
        f"Try again in {seconds} s.", 503, Retry_After=str(seconds))


def as_json_error(response: HttpResponse) -> HttpResponse:
    """Replace a non-JSON error response (Django's own pages) by a JSON one."""
    content_type = response.get("Content-Type", "")
    if response.status_code < 400 or content_type.startswith("application/json"):
        return response
    if response.status_code == 503 and response.has_header("Retry-After"):
        return database_busy()  # web.views.errors answered a lock timeout outside a view
    message = GENERIC_MESSAGES.get(response.status_code, "The request failed.")
    replacement = json_error(message, response.status_code)
    if response.has_header("Allow"):
        replacement["Allow"] = response["Allow"]
    return replacement
