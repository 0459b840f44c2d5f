"""Error pages: plain, helpful, and never revealing whether a hidden document exists."""

import sys

from django.core.exceptions import BadRequest
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from declassified.archive.database import is_lock_timeout, retry_after_seconds


def not_found(request, exception=None):
    return render(request, "web/errors/404.html", status=404)


def bad_request(request, exception=None):
    # Only our own BadRequest messages are written for readers; other 400s (suspicious
    # requests) may carry internals, so they get the generic text.
    message = str(exception) if type(exception) is BadRequest else ""
    return render(request, "web/errors/400.html", {"message": message}, status=400)


def server_error(request):
    """Rendered without the request or the database: those may be what failed. A write that
    waited its turn for the database in vain is a 503 saying when to try again."""
    if is_lock_timeout(sys.exc_info()[1]):
        seconds = retry_after_seconds()
        page = loader.get_template("web/errors/503.html").render({"seconds": seconds})
        response = HttpResponse(page, status=503)
        response["Retry-After"] = str(seconds)
        return response
    return HttpResponseServerError(loader.get_template("web/errors/500.html").render({}))
