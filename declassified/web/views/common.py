"""Small helpers every public view shares: slugged URLs, whole numbers from the query string."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.urls import reverse


def slugged_path(obj, route: str) -> str:
    """The current URL of an object: with its slug when it has one."""
    if obj.slug:
        return reverse(f"web:{route}-slug", args=[obj.pk, obj.slug])
    return reverse(f"web:{route}", args=[obj.pk])


def redirect_to_current_slug(
    request: HttpRequest, obj, route: str, slug: str | None
) -> HttpResponsePermanentRedirect | None:
    """A 301 to the current slugged URL when the slug in the URL is stale; None when it is current.

    The bare `/<route>/<id>/` form is stable and renders directly (no redirect). Call this only
    after deciding the user may see the object, so a redirect never reveals a hidden one.
    """
    if slug is None or slug == obj.slug:
        return None
    target = slugged_path(obj, route)
    if request.META.get("QUERY_STRING"):
        target = f"{target}?{request.META['QUERY_STRING']}"
    return HttpResponsePermanentRedirect(target)


def positive_int(raw: str | None) -> int | None:
    """A query parameter as a positive integer, or None when absent or malformed."""
    if raw is None or not raw.isascii() or not raw.isdigit():
        return None
    value = int(raw)
    return value if 0 < value < 2**31 else None
