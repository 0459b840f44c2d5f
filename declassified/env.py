"""Small readers for settings taken from the environment.

Each one fails loudly with a message naming the variable, so a bad value stops the
process at start instead of surfacing later as a strange error.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import dj_database_url
from dj_database_url import DBConfig


class ConfigurationError(Exception):
    """A setting in the environment has a value we cannot use."""


def env_str(name: str, default: str) -> str:
    """The variable's text; unset or empty means the default, as for every reader here."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no or on/off.")


def env_int(name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" and {maximum}" if maximum is not None else ""
        raise ConfigurationError(f"{name}={raw!r} must be between {minimum}{upper}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    """An absolute path (~ expanded), or the default; not created here."""
    raw = os.environ.get(name, "").strip()
    return Path(raw).expanduser().resolve() if raw else default


def data_dir(name: str, default: str) -> Path:
    """The directory holding the SQLite database, uploads and the search index; created if missing."""
    path = Path(os.environ.get(name) or default).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigurationError(f"{name}={str(path)!r} cannot be created: {error.strerror}.") from None
    if not os.access(path, os.W_OK):
        raise ConfigurationError(f"{name}={str(path)!r} is not writable.")
    return path


def secret_key(name: str, directory: Path) -> str:
    """SECRET_KEY from the environment, or one generated once and kept in the data directory."""
    value = os.environ.get(name)
    if value:
        if len(value) < 32:
            raise ConfigurationError(f"{name} must be at least 32 characters long.")
        return value
    key_file = directory / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    generated = secrets.token_urlsafe(50)
    key_file.write_text(generated)
    key_file.chmod(0o600)
    return generated


def database(name: str, sqlite_path: Path, *, lock_timeout: int = 5) -> DBConfig:
    """Django DATABASES['default'] from DATABASE_URL; SQLite (WAL) in the data dir by default.
    On SQLite a write waits up to `lock_timeout` seconds for the write lock."""
    url = os.environ.get(name) or f"sqlite:///{sqlite_path}"
    if not url.startswith(("sqlite:", "postgres:", "postgresql:", "pgsql:")):
        raise ConfigurationError(
            f"{name}={url!r}: only sqlite:///path and postgres://user@host:port/name are supported."
        )
    try:
        # Health checks: a kept connection is tried before a request reuses it, so a database
        # restarted meanwhile costs a reconnect, not that request (PostgreSQL; SQLite has none).
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as error:  # dj-database-url raises plain ValueError/KeyError variants
        raise ConfigurationError(f"{name}={url!r} is not a valid database URL: {error}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # WAL lets readers go on while one writer writes (switching to WAL when it already
            # is takes no lock); IMMEDIATE makes a writing transaction take the lock at BEGIN,
            # waiting its turn there, instead of failing half-way with "locked".
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            # Seconds a write waits for its turn; then "database is locked", answered as a 503
            # with Retry-After. Short, so that writers stuck behind an import do not hold
            # every web worker (a page read waited 26 s behind four such writes).
            "timeout": lock_timeout,
        }
    return config


def database_replicas(name: str, primary: DBConfig) -> dict[str, DBConfig]:
    """DATABASES entries "replica1", "replica2"… from a comma-separated list of PostgreSQL
    URLs (streaming replicas of the primary). Each gives up connecting after a second, so a
    replica that is down costs a reader at most that (declassified/replicas.py)."""
    urls = env_list(name, [])
    if urls and primary["ENGINE"] != "django.db.backends.postgresql":
        raise ConfigurationError(f"{name} needs a PostgreSQL primary (DATABASE_URL).")
    replicas: dict[str, DBConfig] = {}
    for number, url in enumerate(urls, start=1):
        if not url.startswith(("postgres:", "postgresql:", "pgsql:")):
            raise ConfigurationError(f"{name}: {url!r} is not a postgres://… URL.")
        try:
            config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        except Exception as error:  # as in database(): ValueError/KeyError variants
            raise ConfigurationError(f"{name}: {url!r} is not a valid database URL: {error}") from None
        config["OPTIONS"] = {**config.get("OPTIONS", {}), "connect_timeout": 1}
        config["TEST"] = {"MIRROR": "default"}  # tests read the primary through it
        replicas[f"replica{number}"] = config
    return replicas


def caches(name: str, data_dir: Path) -> dict[str, dict[str, Any]]:
    """Django CACHES: the server's file caches in the data dir (one machine), or, when the
    variable holds a redis:// (rediss://, unix://) URL, Django's Redis cache, which every
    web node of a cluster shares (docs/deployment.md)."""
    url = os.environ.get(name, "").strip()
    if not url:
        return {
            "default": {
                # Django's file cache, minus a listing of the whole directory on every write.
                "BACKEND": "declassified.cache.SparselyCulledFileCache",
                "LOCATION": data_dir / "cache",
                "OPTIONS": {"MAX_ENTRIES": 200_000},
            },
            "responses": {
                "BACKEND": "declassified.cache.SparselyCulledFileCache",
                "LOCATION": data_dir / "response-cache",
                "TIMEOUT": RESPONSE_SECONDS,
                "OPTIONS": {"MAX_ENTRIES": 20_000},
            },
        }
    parsed = urlsplit(url)
    if parsed.scheme not in ("redis", "rediss", "unix") or not (parsed.hostname or parsed.path):
        raise ConfigurationError(
            f"{name}={url!r}: use redis://host:port/db (rediss:// with TLS, unix:///path.sock),"
            " or leave it unset for the file cache in the data dir.")
    # Redis bounds itself (its maxmemory policy); the key prefixes keep the two apart. A
    # Redis that is down is a miss (cache.ForgivingRedisCache), found out within a second.
    redis = {"BACKEND": "declassified.cache.ForgivingRedisCache", "LOCATION": url,
             "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}
    return {"default": {**redis, "KEY_PREFIX": "declassified"},
            "responses": {**redis, "KEY_PREFIX": "declassified-responses",
                          "TIMEOUT": RESPONSE_SECONDS}}


RESPONSE_SECONDS = 24 * 60 * 60  # an answer of an older archive generation is never asked again


def file_storage(name: str) -> dict[str, Any]:
    """Django's default storage (originals, page masters, collection images, uploads): the
    media folder in the data dir, or, when the variable holds
    s3://KEY:SECRET@HOST[:PORT]/BUCKET[/PREFIX][?region=R&tls=0], a bucket on any
    S3-compatible store through django-storages (docs/deployment.md)."""
    url = os.environ.get(name, "").strip()
    if not url:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    parsed = urlsplit(url)
    bucket, _, prefix = parsed.path.lstrip("/").partition("/")
    query = dict(parse_qsl(parsed.query))
    unknown = set(query) - {"region", "tls"}
    try:
        port = f":{parsed.port}" if parsed.port else ""
    except ValueError:  # not a number, or out of range
        port = None
    if (parsed.scheme != "s3" or not parsed.hostname or not bucket or not parsed.username
            or not parsed.password or unknown or query.get("tls", "1") not in ("0", "1")
            or port is None):
        raise ConfigurationError(
            f"{name}: use s3://KEY:SECRET@HOST[:PORT]/BUCKET[/PREFIX][?region=R&tls=0] "
            f"(tls=0 for a store on plain http), or leave it unset for the media folder"
            + (f"; unknown parameter(s): {', '.join(sorted(unknown))}" if unknown else "") + ".")
    scheme = "http" if query.get("tls") == "0" else "https"
    return {"BACKEND": "declassified.object_storage.ArchiveS3Storage", "OPTIONS": {
        "endpoint_url": f"{scheme}://{parsed.hostname}{port}", "bucket_name": bucket,
        "location": prefix.strip("/"), "access_key": unquote(parsed.username),
        "secret_key": unquote(parsed.password), "region_name": query.get("region", "us-east-1"),
        "addressing_style": "path",  # works with every store (MinIO, moto, Ceph), not only AWS
        "file_overwrite": False,  # a new file never replaces another of the same name
        "default_acl": None, "querystring_auth": False,
    }}


def env_url(name: str, default: str) -> str:
    """An absolute http(s) URL without a trailing slash, or the default (may be empty)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.startswith(("http://", "https://")) or " " in raw:
        raise ConfigurationError(f"{name}={raw!r} must be an absolute http:// or https:// URL.")
    return raw.rstrip("/")


def env_email(name: str, default: str) -> str:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    local, _, domain = raw.partition("@")
    if not local or "." not in domain or " " in raw:
        raise ConfigurationError(f"{name}={raw!r} is not an email address.")
    return raw


def proxy_ssl_header(name: str, raw: str) -> tuple[str, str] | None:
    """Django's SECURE_PROXY_SSL_HEADER from a header name ("X-Forwarded-Proto"), or None for "off"."""
    value = raw.strip()
    if value.lower() in {"off", "none", "0", "no", "false"}:
        return None
    if not value or not all(part.isalnum() for part in value.split("-")):
        raise ConfigurationError(f"{name}={raw!r} must be a header name like X-Forwarded-Proto, or off.")
    return ("HTTP_" + value.upper().replace("-", "_"), "https")
