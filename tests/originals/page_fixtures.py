"""Documents with pages, made fast: one scan is rendered for real, and further pages reuse
its master (a master is only a stored picture; the rows are what manifests and downloads
read), so an archive of dozens of documents with pages costs one rendering."""

from __future__ import annotations

from declassified.archive.models import Document, Page
from declassified.archive.pages import PageImage, do_set_attachment_pages
from declassified.originals.render import render_attachment_pages
from tests.factories import make_attachment, scan_bytes


def rendered_page(document: Document, *, width: int = 600, height: int = 800,
                  text: str = "A typed page") -> Page:
    """A real page: a JPEG scan attached to the document and rendered into a master."""
    attachment = make_attachment(document, "page.jpg", scan_bytes(width, height, text=text))
    render_attachment_pages(attachment)
    return attachment.pages.get()


def add_pages(document: Document, count: int, like: Page) -> list[Page]:
    """`count` more pages for the document, each showing `like`'s picture."""
    attachment = make_attachment(document, "more.pdf")
    images = [PageImage(number_in_file=n, width=like.width, height=like.height,
                        master=like.master, master_sha256=like.master_sha256)
              for n in range(1, count + 1)]
    do_set_attachment_pages(attachment, images, acting_user=None, via="factory")
    return list(attachment.pages.order_by("number_in_file"))
