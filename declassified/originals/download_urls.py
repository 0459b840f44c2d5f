"""Downloads of a document's originals: the whole document as one PDF, one page as JPEG."""

from django.urls import path

from declassified.originals import download_views

app_name = "downloads"

urlpatterns: list = [
    path("document/<int:pk>/pages.pdf", download_views.whole_document_pdf, name="document-pdf"),
    path("document/<int:pk>/page/<int:number>.jpg", download_views.page_as_jpeg,
         name="page-jpeg"),
]
