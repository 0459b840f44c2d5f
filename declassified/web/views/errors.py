"""Error pages: plain, helpful, and never revealing whether a hidden document exists."""

from django.core.exceptions import BadRequest
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def not_found(request, exception=None):
    return render(request, "web/errors/404.html", status=404)


def bad_request(request, exception=None):
    # Only our own BadRequest messages are written for readers; other 400s (suspicious
    # requests) may carry internals, so they get the generic text.
    message = str(exception) if type(exception) is BadRequest else ""
    return render(request, "web/errors/400.html", {"message": message}, status=400)


def server_error(request):
    """Rendered without the request or the database: those may be what failed."""
    return HttpResponseServerError(loader.get_template("web/errors/500.html").render({}))
