"""Issuing, revoking and checking API tokens (`Authorization: Bearer <key>`).

A key is "dcl_" followed by 43 URL-safe characters (256 random bits). The database keeps
its first 12 characters, to tell tokens apart, and its SHA-256; the key itself is returned
once by `do_issue_token` and cannot be recovered.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import OperationalError, transaction
from django.utils import timezone

from declassified.api.models import ApiToken
from declassified.archive.database import is_lock_timeout, without_waiting

log = logging.getLogger(__name__)

KEY_PREFIX = "dcl_"
PREFIX_LENGTH = 12
# last_used_at is refreshed at most this often, so reading with a token seldom writes; and
# that write never waits for another writer (see mark_used).
LAST_USED_RESOLUTION = timedelta(minutes=5)


class InvalidToken(Exception):
    """The Authorization header is malformed, or names no active token; says which."""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


@transaction.atomic
def do_issue_token(token: ApiToken) -> str:
    """Give an unsaved token (user and name set) a fresh key, save it, return the key."""
    key = new_key()
    token.prefix = key[:PREFIX_LENGTH]
    token.key_hash = hash_key(key)
    token.revoked_at = None
    token.save()
    return key


def do_create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it and its key (shown once)."""
    token = ApiToken(user=user, name=name)
    return token, do_issue_token(token)


@transaction.atomic
def do_rename_token(token: ApiToken) -> None:
    """Save a token's new name (the only thing about a token that changes after it is issued,
    besides its revocation and last use)."""
    token.save(update_fields=["name"])


@transaction.atomic
def do_revoke_token(token: ApiToken) -> bool:
    """Revoke a token for good; False when it already was."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return True


@dataclass(frozen=True)
class BearerCredentials:
    token: ApiToken
    user: User


def authenticate_header(header: str) -> BearerCredentials:
    """The token and user an `Authorization` header value names (one query).

    Raises InvalidToken when the header is not `Bearer <key>`, the key is unknown or
    revoked, or its user is inactive.
    """
    scheme, _, key = header.strip().partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        raise InvalidToken("Give the token as `Authorization: Bearer <key>`.")
    if not key.isascii() or len(key) > 200:
        raise InvalidToken("That API token is not valid.")
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
    if token is None:
        raise InvalidToken("That API token is not valid.")
    if token.revoked_at is not None:
        raise InvalidToken("That API token has been revoked.")
    if not token.user.is_active:
        raise InvalidToken("The account of that API token is disabled.")
    mark_used(token)
    return BearerCredentials(token=token, user=token.user)


def mark_used(token: ApiToken) -> None:
    """Record the token's use, at most every LAST_USED_RESOLUTION, best effort: when another
    connection holds SQLite's write lock (an import) the update is skipped rather than waited
    for, so a request with a token never fails or waits for its bookkeeping (it did: a 30-s
    import made every token read a 500)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    try:
        with without_waiting():
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    except OperationalError as error:
        if not is_lock_timeout(error):
            raise
        log.info("API token %s: last use not recorded, the database is busy", token.pk)
        return
    token.last_used_at = now
