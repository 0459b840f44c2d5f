"""The login throttle (django-axes) of the back office: its authentication backend, and which
address a login comes from.

Which address:

`declassified serve` listens on 127.0.0.1, so a request from a loopback address came through
the reverse proxy in front (nginx, Caddy), which appends the address it saw to
X-Forwarded-For: the last entry is the visitor's, and one a visitor wrote into the header
themselves comes before it. From any other address the connection's own address counts, and
the header (which anyone can send) is ignored.
"""

from __future__ import annotations

import ipaddress

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class ThrottledLoginBackend(AxesStandaloneBackend):
    """Axes' backend, except that a login without a request (Django's test client.login, a
    script calling authenticate()) is left to the next backend instead of raising: only a
    request can come from a guesser on the network, and every web login passes one."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def client_address(request: HttpRequest) -> str | None:
    peer = request.META.get("REMOTE_ADDR") or None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if peer is None or not forwarded or not _is_loopback(peer):
        return peer
    last = forwarded.rsplit(",", 1)[-1].strip()
    return last if _is_address(last) else peer


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
