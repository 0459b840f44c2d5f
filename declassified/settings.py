"""Django settings, read from the environment (see docs/configuration.md).

DECLASSIFIED_DATA_DIR  where the SQLite database, uploads and the search index live (./data)
DATABASE_URL           sqlite:///… (default, WAL) or postgres://user@host:port/name
SECRET_KEY             generated once into the data dir when unset
DEBUG                  off unless set
ALLOWED_HOSTS          comma-separated; localhost names by default
PORT                   where `declassified serve` listens (8000)
"""

from __future__ import annotations

import sys
from pathlib import Path

from declassified import env

BASE_DIR = Path(__file__).resolve().parent

try:
    DATA_DIR = env.data_dir("DECLASSIFIED_DATA_DIR", "./data")
    SECRET_KEY = env.secret_key("SECRET_KEY", DATA_DIR)
    DEBUG = env.env_bool("DEBUG", False)
    ALLOWED_HOSTS = env.env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
    PORT = env.env_int("PORT", 8000, minimum=1, maximum=65535)
    # `declassified serve` (declassified/server.py, docs/performance.md "Serving").
    SERVER_PROCESSES = env.env_int("SERVER_PROCESSES", 2, minimum=1, maximum=64)
    SERVER_THREADS = env.env_int("SERVER_THREADS", 2, minimum=1, maximum=256)
    SERVER_CONNECTION_LIMIT = env.env_int("SERVER_CONNECTION_LIMIT", 1000, minimum=10,
                                          maximum=10_000)
    SERVER_CHANNEL_TIMEOUT = env.env_int("SERVER_CHANNEL_TIMEOUT", 30, minimum=1)
    # Bounded imports and writes that wait their turn (docs/configuration.md). A volume
    # file's size once decompressed, and a back-office upload's size: a 1 MB gzip of zeros
    # expands to 1 GB, so both are bounded.
    IMPORT_MAX_VOLUME_MB = env.env_int("IMPORT_MAX_VOLUME_MB", 200, minimum=1)
    IMPORT_MAX_UPLOAD_MB = env.env_int("IMPORT_MAX_UPLOAD_MB", 100, minimum=1)
    # Uploads past 2.5 MB stream to a temporary file (deleted after the request), never RAM.
    FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
    # How long a write waits for SQLite's write lock (seconds) before it gives up: the request
    # then answers 503 with Retry-After (archive/database.py). Readers never wait (WAL).
    DATABASE_LOCK_TIMEOUT = env.env_int("DATABASE_LOCK_TIMEOUT", 5, minimum=1, maximum=600)
    # Repeated anonymous public reads answered from a cache keyed by the archive's generation
    # (declassified/response_cache.py). Off only to measure or debug rendering.
    RESPONSE_CACHE = env.env_bool("RESPONSE_CACHE", True)
    # Originals (docs/originals.md): PDF pages are rendered at this resolution into masters.
    PAGE_RENDER_DPI = env.env_int("PAGE_RENDER_DPI", 300, minimum=300, maximum=600)
    # IIIF images made from masters (tiles, thumbnails) kept on disk up to this many MB, oldest
    # removed first (declassified/originals/iiif_image_cache.py); 0 turns the cache off.
    IIIF_CACHE_MB = env.env_int("IIIF_CACHE_MB", 1024, minimum=0)
    # OCR (docs/ocr.md): pages read this many at a time, each by one Tesseract process;
    # documents without a language of their own are read in these Tesseract languages.
    OCR_WORKERS = env.env_int("OCR_WORKERS", 2, minimum=1, maximum=64)
    OCR_DEFAULT_LANGUAGES = env.env_str("OCR_DEFAULT_LANGUAGES", "eng")
    OCR_PAGE_TIMEOUT_SECONDS = env.env_int("OCR_PAGE_TIMEOUT_SECONDS", 300, minimum=10)
    # Shared by the server's processes and kept across restarts: rendered citations are costly
    # (citeproc-py takes tens of milliseconds a style) and keyed by content, so never stale; public
    # pages and API reads (declassified/response_cache.py) are keyed by the archive's generation.
    # Files in the data dir, or Redis shared by every node of a cluster when CACHE_URL is set.
    CACHES = env.caches("CACHE_URL", DATA_DIR)
    # Sessions live in the database, which every node shares; with a shared cache they are
    # read from it first and written through to the database (survive a cache restart).
    SHARED_CACHE = CACHES["default"]["BACKEND"] == "declassified.cache.ForgivingRedisCache"
    SESSION_ENGINE = ("django.contrib.sessions.backends.cached_db" if SHARED_CACHE
                      else "django.contrib.sessions.backends.db")
    DATABASES = {"default": env.database("DATABASE_URL", DATA_DIR / "declassified.sqlite3",
                                         lock_timeout=DATABASE_LOCK_TIMEOUT)}
    # Streaming replicas of a PostgreSQL primary, for anonymous reads (declassified/replicas.py):
    # one skipped while it lags more than REPLICA_MAX_LAG_SECONDS or is down; a browser that
    # has just written reads the primary for READ_YOUR_WRITES_SECONDS.
    DATABASE_REPLICAS = env.database_replicas("DATABASE_REPLICA_URLS", DATABASES["default"])
    DATABASES.update(DATABASE_REPLICAS)
    REPLICA_MAX_LAG_SECONDS = env.env_int("REPLICA_MAX_LAG_SECONDS", 5, minimum=0, maximum=3600)
    READ_YOUR_WRITES_SECONDS = env.env_int("READ_YOUR_WRITES_SECONDS", 30, minimum=1,
                                           maximum=86_400)
    SEARCH_INDEX_DIR = DATA_DIR / "search-index"
    IIIF_CACHE_DIR = DATA_DIR / "iiif-cache"  # derived images; safe to delete at any time
    # A document's pages as one PDF (/document/<id>/pages.pdf), made once and kept, named by
    # its pages' masters (declassified/originals/downloads.py); safe to delete at any time.
    DOCUMENT_PDF_DIR = env.env_path("DOCUMENT_PDF_DIR", DATA_DIR / "document-pdfs")
    SEARCH_INDEXER_THREAD = env.env_bool("DECLASSIFIED_INDEXER_THREAD", True)
    # Jobs queued from the back office also start at once in a thread of the web process
    # (`runserver`, tests); `declassified serve` turns this off: its worker processes (or the
    # cluster's worker machines) take every job from the queue (declassified/ingest/jobs.py).
    JOBS_IN_WEB_PROCESS = env.env_bool("DECLASSIFIED_JOBS_IN_WEB_PROCESS", True)
    # A job (import, OCR) brings this data dir's search index up to date when it ends; off on
    # a worker machine apart from the web nodes, whose indexes follow the change log.
    JOBS_UPDATE_INDEX = env.env_bool("DECLASSIFIED_JOBS_UPDATE_INDEX", True)
    # Files (originals, page masters, collection images, uploads): the media folder, or a
    # bucket of an S3-compatible store that every node and worker shares.
    FILE_STORAGE = env.file_storage("DECLASSIFIED_STORAGE_URL")
    # Page masters read from a remote store are kept on this node's disk (they never change).
    MASTER_CACHE_DIR = DATA_DIR / "master-cache"
    MASTER_CACHE_MB = env.env_int("MASTER_CACHE_MB", 4096, minimum=0)
    # Every web node keeps its own index, following the change log in the database; the log is
    # pruned behind the slowest node heard from within this time (a node away longer rebuilds).
    SEARCH_NODE_TIMEOUT_SECONDS = env.env_int("SEARCH_NODE_TIMEOUT_SECONDS", 86_400, minimum=60)
    # Public address used in harvested records, dumps and feeds when no request is at hand.
    SITE_URL = env.env_url("SITE_URL", "")
    # Harvesting (docs/harvesting.md). Every harvest setting is declared here, and only here.
    OAI_ADMIN_EMAIL = env.env_email("OAI_ADMIN_EMAIL", "archive@example.org")
    OAI_REPOSITORY_IDENTIFIER = env.env_str("OAI_REPOSITORY_IDENTIFIER", "")  # "": request host
    OAI_PAGE_SIZE = env.env_int("OAI_PAGE_SIZE", 100, minimum=1, maximum=10_000)
    OAI_RESUMPTION_TOKEN_HOURS = env.env_int("OAI_RESUMPTION_TOKEN_HOURS", 24, minimum=1)
    SITEMAP_PART_SIZE = env.env_int("SITEMAP_PART_SIZE", 50_000, minimum=1, maximum=50_000)
    DUMPS_DIR = env.env_path("DUMPS_DIR", DATA_DIR / "dumps")
    DUMPS_REFRESH_ON_REQUEST = env.env_bool("DUMPS_REFRESH_ON_REQUEST", True)
    DATA_LICENCE = env.env_str("DATA_LICENCE", (
        "Documents from the Foreign Relations of the United States (FRUS) series are works of "
        "the United States Government and in the public domain. The archive's own metadata "
        "(titles, dates, summaries, tags) is dedicated to the public domain under CC0 1.0. "
        "Translations and other texts carry the rights statement given with each document."
    ))
except env.ConfigurationError as error:
    sys.stderr.write(f"Configuration error: {error}\n")
    raise SystemExit(2) from None

INSTALLED_APPS = [
    "declassified.archive",
    "declassified.citations",  # before web: its citation includes override web's
    "declassified.web",
    "declassified.api",
    "declassified.ingest",
    "declassified.harvest",
    "declassified.originals",  # issue 14: page masters and IIIF (Image and Presentation API 3)
    "declassified.indexer",  # search: the indexer commands and the indexer thread
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "drf_spectacular_sidecar",  # Swagger UI's files for /api/v1/docs/swagger (no CDN)
    "declassified.backup",  # issue 13: `backup`, `restore` (whole site) and `export-bag` (public)
    "django_tasks",  # Django's task framework (backport for 5.2): imports, pages, OCR
    "django_tasks_db",  # … its queue in the database; `declassified worker` runs it
    "axes",  # issue 13: login throttling (its own AccessAttempt tables); last, as axes asks
]

# Background work (declassified/ingest/jobs.py) is a task queue in the database: any number of
# `declassified worker` processes, on any machine reaching the database, share it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

DATABASE_ROUTERS = ["declassified.replicas.ReplicaRouter"] if DATABASE_REPLICAS else []

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Anonymous reads to a replica when DATABASE_REPLICA_URLS is set (no-op otherwise); first,
    # so that the response cache's generation is read from the same database as the page.
    "declassified.replicas.ReplicaReadsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Repeated anonymous public reads from the cache, keyed by the archive's generation
    # (declassified/response_cache.py); before sessions and CSRF, which it never needs.
    "declassified.response_cache.ResponseCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "declassified.api.middleware.ApiMiddleware",  # bearer tokens, JSON errors under /api/
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",  # issue 13: Content-Security-Policy (settings below)
    "axes.middleware.AxesMiddleware",  # issue 13: turns a locked-out login into the lockout page
]

ROOT_URLCONF = "declassified.urls"
WSGI_APPLICATION = "declassified.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "declassified.web.context.site",
            ],
        },
    },
]

DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every start when it is missing
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": FILE_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# OpenSeadragon, the deep-zoom viewer of the Original tab, comes from npm (package.json; `make
# run` runs `npm ci`) and is served as /static/vendor/openseadragon/ like our own files: no CDN.
STATICFILES_DIRS = [
    ("vendor/openseadragon", BASE_DIR.parent / "node_modules" / "openseadragon" / "build" / "openseadragon"),
]
# Serve static files straight from the app directories too, so a missing collectstatic
# never leaves the site unstyled.
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "/admin/login/"
SITE_NAME = "Declassified"
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}


# --- Hardening (issue 13): login throttling, HTTPS-only headers and cookies, CSP --------------
# One block, so it is easy to review and merge; every value is documented in
# docs/configuration.md ("Security"). HTTPS protections default on exactly when SITE_URL is https.
from datetime import timedelta  # noqa: E402  (kept inside this block on purpose)

from csp.constants import NONE, SELF  # noqa: E402

try:
    # django-axes: its backend refuses a locked-out login before the password is checked.
    AUTHENTICATION_BACKENDS = [
        "declassified.archive.admin.login_throttle.ThrottledLoginBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    AXES_FAILURE_LIMIT = env.env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1, maximum=1000)
    AXES_COOLOFF_TIME = timedelta(minutes=env.env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
    # Username and address together: a guesser is stopped on that account from that address,
    # while the editor (another address) still logs in and a shared office address does not lock
    # out colleagues with other usernames.
    AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
    # The visitor's address behind the local reverse proxy (X-Forwarded-For's last hop).
    AXES_CLIENT_IP_CALLABLE = "declassified.archive.admin.login_throttle.client_address"
    AXES_RESET_ON_SUCCESS = True
    AXES_LOCKOUT_TEMPLATE = "admin/login_locked.html"
    AXES_VERBOSE = False  # no log line per attempt; the AccessAttempt rows are the record

    SITE_IS_HTTPS = SITE_URL.startswith("https://")
    # Behind a TLS proxy Django sees plain http; the proxy's X-Forwarded-Proto tells it otherwise.
    # Only trust it when a proxy sets it (the server binds to 127.0.0.1, so with an https
    # SITE_URL one is in front); "off" turns it off.
    _proxy_header = env.env_str("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto" if SITE_IS_HTTPS else "off")
    SECURE_PROXY_SSL_HEADER = env.proxy_ssl_header("SECURE_PROXY_SSL_HEADER", _proxy_header)
    SECURE_HSTS_SECONDS = env.env_int("SECURE_HSTS_SECONDS", 31_536_000 if SITE_IS_HTTPS else 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env.env_bool("SECURE_HSTS_PRELOAD", False)
    SECURE_SSL_REDIRECT = env.env_bool("SECURE_SSL_REDIRECT", False)
    SESSION_COOKIE_SECURE = env.env_bool("SESSION_COOKIE_SECURE", SITE_IS_HTTPS)
    CSRF_COOKIE_SECURE = env.env_bool("CSRF_COOKIE_SECURE", SITE_IS_HTTPS)
    _csp_report_only = env.env_bool("CSP_REPORT_ONLY", False)
except env.ConfigurationError as error:
    sys.stderr.write(f"Configuration error: {error}\n")
    raise SystemExit(2) from None

# django-csp: only this site's own scripts, styles and images (data: for Swagger UI's icons);
# no inline script or style anywhere (templates load static files instead).
_CSP_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
CONTENT_SECURITY_POLICY = None if _csp_report_only else _CSP_POLICY
CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP_POLICY if _csp_report_only else None
