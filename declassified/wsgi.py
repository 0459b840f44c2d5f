"""WSGI entry point (`declassified serve` runs it in declassified/server.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "declassified.settings")
application = get_wsgi_application()
