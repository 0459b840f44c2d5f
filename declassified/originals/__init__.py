"""Originals: the pages of a document's scans and PDFs, as tiled masters served over IIIF.

    sources.py   the pages of a PDF, TIFF, JPEG or PNG file, one image at a time
    masters.py   tiled pyramidal TIFF masters, kept through Django's storage API
    render.py    an attachment's file → its pages (archive.pages writes them)
    urls.py      /iiif/3/… (Image API 3 and Presentation API 3)

Pages themselves (archive.models.Page) are archive content; this package makes and serves
their pictures. See docs/originals.md.
"""
