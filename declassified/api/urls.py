"""JSON API v1 (read); same access rules as the pages."""

from django.urls import path

from declassified.api import records, search

app_name = "api"

urlpatterns = [
    path("collections", records.collection_list, name="collections"),
    path("collections/<int:pk>", records.collection_detail, name="collection"),
    path("documents", records.document_list, name="documents"),
    path("documents/<int:pk>", records.document_detail, name="document"),
    path("search", search.search_api, name="search"),
]
