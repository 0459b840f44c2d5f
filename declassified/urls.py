from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("declassified.api.urls")),
    path("iiif/3/", include("declassified.originals.urls")),  # IIIF Image and Presentation 3
    path("", include("declassified.originals.download_urls")),  # a document's pages as PDF, JPEG
    path("", include("declassified.harvest.urls")),  # OAI-PMH, feeds, sitemaps, robots.txt
    path("", include("declassified.citations.urls")),  # citation downloads
    path("", include("declassified.web.urls")),
]

handler404 = "declassified.web.views.errors.not_found"
handler500 = "declassified.web.views.errors.server_error"
handler400 = "declassified.web.views.errors.bad_request"
