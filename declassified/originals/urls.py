"""IIIF: /iiif/3/<page-id>/… (Image API 3.0) and /iiif/3/document/<id>/manifest.json,
/iiif/3/collection/<id>/collection.json (Presentation API 3.0). See docs/originals.md."""

from django.urls import path

from declassified.originals import image_views

app_name = "originals"

urlpatterns: list = [
    # Image API 3.0 (iiif_image)
    path("<int:page_id>", image_views.image_base, name="image-base"),
    path("<int:page_id>/info.json", image_views.info, name="info"),
    path("<int:page_id>/<str:region>/<str:size>/<str:rotation>/<str:quality>.<str:format>",
         image_views.image, name="image"),

    # Presentation API 3.0 (manifests)
]
