"""Render an attachment's file into its pages: masters in storage, then one transaction.

    render_attachment_pages(attachment, on_page=lambda done, total: ...)

Rendering takes seconds a page and happens outside any transaction; the pages are swapped
in at the end by archive.pages.do_set_attachment_pages, so a file that fails half-way
changes nothing (masters already written stay as unused files, and are reused on a retry).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import User

from declassified.archive.models import Attachment
from declassified.archive.pages import PageImage, do_set_attachment_pages
from declassified.originals.masters import local_file, store_master
from declassified.originals.sources import page_count, page_images

ProgressCallback = Callable[[int, int], None]


def render_attachment_pages(attachment: Attachment, *, acting_user: User | None = None,
                            via: str = "pages",
                            on_page: ProgressCallback | None = None) -> list[PageImage]:
    """Render every page of the attachment's file (UnreadableOriginal if it can't be read)."""
    dpi = settings.PAGE_RENDER_DPI
    with local_file(attachment.file.name, attachment.file.storage) as path:
        total = page_count(path)
        images: list[PageImage] = []
        for number, image in page_images(path, dpi=dpi):
            name, digest = store_master(image, source_sha256=attachment.sha256, number=number,
                                        dpi=dpi)
            images.append(PageImage(number_in_file=number, width=image.width,
                                    height=image.height, master=name, master_sha256=digest))
            if on_page is not None:
                on_page(number, total)
    do_set_attachment_pages(attachment, images, acting_user=acting_user, via=via)
    return images
