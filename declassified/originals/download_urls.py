"""Downloads of a document's originals: the whole document as one PDF, one page as JPEG."""

from django.urls import path  # noqa: F401  (routes added with the download views)

app_name = "downloads"

urlpatterns: list = []
