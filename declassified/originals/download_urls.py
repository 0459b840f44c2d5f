"""Downloads of a document's originals: the whole document as one PDF, one page as JPEG;
its OCR as ALTO XML and plain text, a page's or the whole document's."""

from django.urls import path

from declassified.originals import download_views, ocr_download_views

app_name = "downloads"

urlpatterns: list = [
    path("document/<int:pk>/pages.pdf", download_views.whole_document_pdf, name="document-pdf"),
    path("document/<int:pk>/page/<int:number>.jpg", download_views.page_as_jpeg,
         name="page-jpeg"),
    path("document/<int:pk>/page/<int:number>.alto.xml", ocr_download_views.page_as_alto,
         name="page-alto"),
    path("document/<int:pk>/page/<int:number>.txt", ocr_download_views.page_as_text,
         name="page-text"),
    path("document/<int:pk>/ocr.txt", ocr_download_views.document_as_text, name="document-text"),
]
