"""IIIF: /iiif/3/<page-id>/… (Image API 3.0) and /iiif/3/document/<id>/manifest.json,
/iiif/3/collection/<id>/collection.json (Presentation API 3.0). See docs/originals.md."""

from django.urls import path  # noqa: F401  (routes are added below by each IIIF part)

app_name = "originals"

urlpatterns: list = [
    # Image API 3.0 (iiif_image)

    # Presentation API 3.0 (manifests)
]
