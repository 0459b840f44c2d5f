"""IIIF: /iiif/3/<page-id>/… (Image API 3.0) and /iiif/3/document/<id>/manifest.json,
/iiif/3/collection/<id>/collection.json (Presentation API 3.0), /iiif/3/document/<id>/search/2
and …/search/1 with …/autocomplete/2 and …/1 (Content Search 2.0 and 1.0). See
docs/originals.md and docs/ocr.md."""

from django.urls import path

from declassified.originals import content_search_views, image_views, presentation_views

app_name = "originals"

urlpatterns: list = [
    # Image API 3.0 (iiif_image)
    path("<int:page_id>", image_views.image_base, name="image-base"),
    path("<int:page_id>/info.json", image_views.info, name="info"),
    path("<int:page_id>/<str:region>/<str:size>/<str:rotation>/<str:quality>.<str:format>",
         image_views.image, name="image"),

    # Presentation API 3.0 (manifests)
    path("document/<int:pk>/manifest.json", presentation_views.manifest, name="manifest"),
    path("collection/<int:pk>/collection.json", presentation_views.collection,
         name="collection"),

    # Content Search 2.0 and 1.0 inside a document, with autocomplete (content_search)
    path("document/<int:pk>/search/2", content_search_views.search2, name="search2"),
    path("document/<int:pk>/search/1", content_search_views.search1, name="search1"),
    path("document/<int:pk>/autocomplete/2", content_search_views.autocomplete2,
         name="autocomplete2"),
    path("document/<int:pk>/autocomplete/1", content_search_views.autocomplete1,
         name="autocomplete1"),
]
