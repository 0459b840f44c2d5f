"""Small helpers every public view shares: pagination, slugged URLs, canonical links."""

from __future__ import annotations

import re

from django.core.exceptions import BadRequest
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect
from django.urls import reverse

PAGE_SIZE = 50
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,30}")


def paginate(request: HttpRequest, items: QuerySet, per_page: int = PAGE_SIZE) -> Page:
    """The page `?page=N` asks for (two queries: count and slice).

    A page number that is not a whole number is a 400 saying so; one past the end is a 404.
    """
    raw = request.GET.get("page", "1")
    # ASCII digits only: int() would also take '٣', ' 3', '+3' and '3_0'.
    if not _WHOLE_NUMBER.fullmatch(raw):
        raise BadRequest("The page number must be a whole number, e.g. ?page=2.")
    number = int(raw)
    try:
        return Paginator(items, per_page).page(number)
    except InvalidPage:
        raise Http404("No such page.") from None


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


def canonical_url(request: HttpRequest, path: str, page: Page | None = None) -> str:
    """The absolute canonical URL; later pages of a listing keep their ?page=N."""
    if page is not None and page.number > 1:
        path = f"{path}?page={page.number}"
    return request.build_absolute_uri(path)


def positive_int(raw: str | None) -> int | None:
    """A query parameter as a positive integer, or None when absent or malformed."""
    if raw is None or not raw.isascii() or not raw.isdigit():
        return None
    value = int(raw)
    return value if 0 < value < 2**31 else None
