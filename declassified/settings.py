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
    SERVER_THREADS = env.env_int("SERVER_THREADS", 4, minimum=1, maximum=256)
    SERVER_CONNECTION_LIMIT = env.env_int("SERVER_CONNECTION_LIMIT", 1000, minimum=10,
                                          maximum=10_000)
    SERVER_CHANNEL_TIMEOUT = env.env_int("SERVER_CHANNEL_TIMEOUT", 30, minimum=1)
    DATABASES = {"default": env.database("DATABASE_URL", DATA_DIR / "declassified.sqlite3")}
    SEARCH_INDEX_DIR = DATA_DIR / "search-index"
    SEARCH_INDEXER_THREAD = env.env_bool("DECLASSIFIED_INDEXER_THREAD", True)
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
    "declassified.indexer",  # search: the indexer commands and the indexer thread
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "drf_spectacular_sidecar",  # Swagger UI's files for /api/v1/docs/swagger (no CDN)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "declassified.api.middleware.ApiMiddleware",  # bearer tokens, JSON errors under /api/
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve static files straight from the app directories too, so a missing collectstatic
# never leaves the site unstyled.
WHITENOISE_USE_FINDERS = True

# Shared by the server's processes and kept across restarts: rendered citations are costly
# (citeproc-py takes tens of milliseconds a style) and keyed by content, so never stale.
CACHES = {
    "default": {
        # Django's file cache, minus a listing of the whole directory on every write.
        "BACKEND": "declassified.cache.SparselyCulledFileCache",
        "LOCATION": DATA_DIR / "cache",
        "OPTIONS": {"MAX_ENTRIES": 200_000},
    }
}

LOGIN_URL = "/admin/login/"
SITE_NAME = "Declassified"
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
