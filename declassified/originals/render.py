"""Render an attachment's file into its pages: masters in storage, then one transaction.

    render_attachment_pages(attachment, on_page=lambda done, total: ...)

Rendering takes seconds a page and happens outside any transaction; the pages are swapped
in at the end by archive.pages.do_set_attachment_pages, so a file that fails half-way
changes nothing: the masters this attempt wrote are removed again (masters that were
already there, perhaps pages of another copy of the same file, stay). One page is in memory
at a time; `on_page` is called after each (the pages job saves its progress and heartbeat
there, so a long file never looks like a dead worker).
"""

from __future__ import annotations

from collections.abc import Callable

import pyvips
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.storage import Storage, default_storage

from declassified.archive.models import Attachment
from declassified.archive.pages import PageImage, do_set_attachment_pages
from declassified.originals.masters import local_file, master_name, store_master
from declassified.originals.sources import UnreadableOriginal, page_count, page_images

ProgressCallback = Callable[[int, int], None]


def render_attachment_pages(attachment: Attachment, *, acting_user: User | None = None,
                            via: str = "pages",
                            on_page: ProgressCallback | None = None) -> list[PageImage]:
    """Render every page of the attachment's file (UnreadableOriginal if it can't be read)."""
    written: list[str] = []
    try:
        images = _render_masters(attachment, written, on_page)
        do_set_attachment_pages(attachment, images, acting_user=acting_user, via=via)
    except BaseException:
        _remove(written, default_storage)
        raise
    return images


def _render_masters(attachment: Attachment, written: list[str],
                    on_page: ProgressCallback | None) -> list[PageImage]:
    dpi = settings.PAGE_RENDER_DPI
    images: list[PageImage] = []
    with local_file(attachment.file.name, attachment.file.storage) as path:
        total = page_count(path)
        for number, image in page_images(path, dpi=dpi):
            fresh = not default_storage.exists(master_name(attachment.sha256, number, dpi))
            try:
                name, digest = store_master(image, source_sha256=attachment.sha256,
                                            number=number, dpi=dpi)
            except pyvips.Error as error:  # libvips decodes lazily: bad data shows up here
                reason = str(error).strip().splitlines()[0] if str(error).strip() else "error"
                raise UnreadableOriginal(
                    f"{path.name}, page {number}, cannot be read: {reason}") from None
            if fresh:
                written.append(name)
            images.append(PageImage(number_in_file=number, width=image.width,
                                    height=image.height, master=name, master_sha256=digest))
            del image  # the page's pixels go before the next page is decoded
            if on_page is not None:
                on_page(number, total)
    return images


def _remove(names: list[str], storage: Storage) -> None:
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # a master left behind is unused, and reused by the next attempt
            pass
