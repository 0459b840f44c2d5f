"""Citation downloads and the citation API, included at the site root.

The API route lives here rather than in declassified.api so the citations app owns all of
its URLs; it cannot collide with /api/v1/documents/<id>, which matches whole paths only.
"""

from django.urls import path

from declassified.citations import views

app_name = "citations"

urlpatterns = [
    path("document/<int:pk>/cite.bib", views.bibtex, name="bibtex"),
    path("document/<int:pk>/cite.ris", views.ris, name="ris"),
    path("document/<int:pk>/cite.json", views.csl_json, name="csl-json"),
    path("api/v1/documents/<int:pk>/citation", views.citation_api, name="api"),
]
