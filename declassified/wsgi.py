"""WSGI entry point for gunicorn (`declassified serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "declassified.settings")
application = get_wsgi_application()
