"""Public pages. Stable URLs: /document/<id>/ and /collection/<id>/ always work."""

from django.urls import path

from declassified.web.views import documents, entities, pages, search

app_name = "web"

urlpatterns = [
    path("", pages.home, name="home"),
    path("collections/", pages.collections_index, name="collections"),
    path("collection/<int:pk>/", pages.collection_detail, name="collection"),
    path("collection/<int:pk>/<str:slug>/", pages.collection_detail, name="collection-slug"),
    path("document/<int:pk>/", documents.document_detail, name="document"),
    path("document/<int:pk>/<str:slug>/", documents.document_detail, name="document-slug"),
    path(
        "document/<int:pk>/files/<int:attachment_id>/",
        documents.attachment_download,
        name="attachment",
    ),
    # Links between imported documents point here, so they work once the target is imported.
    path("source/<path:source_id>", documents.by_source_id, name="by-source"),
    path("person/<int:pk>/", entities.person_detail, name="person"),
    path("person/<int:pk>/<str:slug>/", entities.person_detail, name="person-slug"),
    path("place/<int:pk>/", entities.place_detail, name="place"),
    path("place/<int:pk>/<str:slug>/", entities.place_detail, name="place-slug"),
    path("subject/<int:pk>/", entities.subject_detail, name="subject"),
    path("subject/<int:pk>/<str:slug>/", entities.subject_detail, name="subject-slug"),
    path("repository/<int:pk>/", entities.repository_detail, name="repository"),
    path("repository/<int:pk>/<str:slug>/", entities.repository_detail, name="repository-slug"),
    path("media/collections/<path:name>", pages.collection_image, name="collection-image"),
    path("search/", search.search_page, name="search"),
    path("search/help/", search.search_help, name="search-help"),
    path("search/facet/<str:name>/", search.facet_values_page, name="search-facet"),
]
