"""The writes of a document's pages: each in one transaction, like every archive write.

Pages are rendered outside any transaction (declassified.originals: seconds a page), then
handed here as plain values, so a failed rendering changes nothing and the transaction that
swaps them in is short.

    do_set_attachment_pages(attachment, [PageImage(...), ...], acting_user=None, via="pages")
    do_reorder_pages(document, [page_id, ...], acting_user=editor)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max

from declassified.archive.actions import enqueue_reindex
from declassified.archive.models import Attachment, Document, Page
from declassified.archive.revisions import Actor, revision_for


@dataclass(frozen=True)
class PageImage:
    """A rendered page: its master (already in storage) and its size in pixels."""

    number_in_file: int
    width: int
    height: int
    master: str
    master_sha256: str


class PageOrderError(ValueError):
    """The page IDs given are not exactly the document's pages."""


@transaction.atomic
def do_set_attachment_pages(attachment: Attachment, images: Sequence[PageImage], *,
                            acting_user: User | None, via: str = "") -> bool:
    """Make `images` the pages of `attachment`; returns False when they already are.

    Idempotent: rendering the same file again gives the same masters, and nothing is written.
    New pages go after the document's existing pages (an editor's page order is kept); the
    revision records the file's page count and masters, never pixels.
    """
    current = list(attachment.pages.order_by("number_in_file")
                   .values_list("number_in_file", "master_sha256"))
    wanted = [(image.number_in_file, image.master_sha256) for image in images]
    if current == wanted:
        return False
    old_count = len(current)
    kept_positions = dict(attachment.pages.values_list("number_in_file", "position"))
    attachment.pages.all().delete()
    after = Page.objects.filter(document_id=attachment.document_id).aggregate(m=Max("position"))["m"]
    next_position = 0 if after is None else after + 1
    rows = []
    for image in images:
        position = kept_positions.get(image.number_in_file)
        if position is None:
            position, next_position = next_position, next_position + 1
        rows.append(Page(document_id=attachment.document_id, attachment=attachment,
                         number_in_file=image.number_in_file, position=position,
                         width=image.width, height=image.height, master=image.master,
                         master_sha256=image.master_sha256))
    Page.objects.bulk_create(rows)
    changes = {"pages": {"old": old_count, "new": len(rows)}}
    revision_for(attachment, "edit", changes, Actor(acting_user, via)).save()
    enqueue_reindex([attachment.document_id])
    return True


@transaction.atomic
def do_reorder_pages(document: Document, page_ids: Sequence[int], *,
                     acting_user: User | None, via: str = "") -> None:
    """Put the document's pages in this order; every page of the document, each once."""
    pages = {page.pk: page for page in Page.objects.filter(document=document)}
    if sorted(page_ids) != sorted(pages):
        raise PageOrderError("Give every page of this document exactly once.")
    old = [page.pk for page in sorted(pages.values(), key=lambda p: (p.position, p.pk))]
    if old == list(page_ids):
        return
    for position, page_id in enumerate(page_ids):
        pages[page_id].position = position
    Page.objects.bulk_update(pages.values(), ["position"])
    revision_for(document, "edit", {"page order": {"old": old, "new": list(page_ids)}},
                 Actor(acting_user, via)).save()
    enqueue_reindex([document.pk])
