"""JSON API v1: read for everyone (same access rules as the pages), write with a token.

Documented in docs/api.md and by the OpenAPI document at /api/v1/openapi.json.
"""

from django.urls import path

from declassified.api import (
    docs,
    documents,
    entities,
    entity_writes,
    openapi,
    records,
    search,
    writes,
)
from declassified.api.http import dispatch

app_name = "api"

urlpatterns = [
    path("collections", records.collection_list, name="collections"),
    path("collections/<int:pk>", records.collection_detail, name="collection"),
    path("documents", dispatch(get=documents.document_list, post=writes.create_document),
         name="documents"),
    path("documents/<int:pk>",
         dispatch(get=records.document_detail, patch=writes.update_document), name="document"),
    path("documents/<int:pk>/publish", dispatch(post=writes.publish_document),
         name="document-publish"),
    path("documents/<int:pk>/withdraw", dispatch(post=writes.withdraw_document),
         name="document-withdraw"),
    path("people", entities.person_list, name="people"),
    path("people/<int:pk>", dispatch(get=entities.person_detail, patch=entity_writes.update_person),
         name="person"),
    path("places", entities.place_list, name="places"),
    path("places/<int:pk>", dispatch(get=entities.place_detail, patch=entity_writes.update_place),
         name="place"),
    path("subjects", entities.subject_list, name="subjects"),
    path("subjects/<int:pk>", entities.subject_detail, name="subject"),
    path("repositories", entities.repository_list, name="repositories"),
    path("repositories/<int:pk>", entities.repository_detail, name="repository"),
    # Wrapped so that other methods get a JSON 405 rather than the CSRF check's 403.
    path("search", dispatch(get=search.search_api, head=None), name="search"),
    path("search/facet-values", dispatch(get=search.facet_values_api, head=None),
         name="search-facet-values"),
    path("openapi.json", openapi.openapi_json, name="openapi"),
    path("docs", docs.reference, name="docs"),
    path("docs/try", docs.try_operation, name="docs-try"),
    path("docs/swagger", docs.swagger_ui, name="docs-swagger"),
]
