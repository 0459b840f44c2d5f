"""Generated facsimiles for a few sample documents, so that `make run` shows originals.

The samples have no scans, so these are drawn here, from each sample's catalogue text
(title, date, type, summary, people, places, subjects), as typewritten-looking pages. They
are labelled honestly, on every page and in the attachment's title: they are NOT scans of
the originals. samples/facsimiles.json names the documents and their page counts.

    attached = attach_sample_facsimiles(rows, directory)  # inside load_samples' transaction
    render_sample_facsimiles(attached)                     # after it: a few small pages

The ledger is the revision history, as for the samples (ingest.samples): a document counts
as given its facsimile once the samples attached a file to it, so an editor who deleted the
facsimile does not get it back at the next start. The bytes are deterministic: the same
sample text and font always give the same file (and SHA-256).
"""

from __future__ import annotations

import io
import json
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.db.models import Max
from PIL import Image, ImageDraw, ImageFont

from declassified.archive import actions
from declassified.archive.models import Attachment, Document, Revision
from declassified.archive.upsert import DocumentInput
from declassified.originals.render import render_attachment_pages

FACSIMILES_FILE = "facsimiles.json"
NOTE = ("[Typed out by Declassified from this sample's catalogue record so that the viewer "
        "has pages to show. It is not the document itself.]")
LABEL = "Generated facsimile — not a scan of the original"
PAGE_SIZE = (850, 1100)  # US Letter at 100 dpi: small pages, rendered in a fraction of a second
MARGIN = 70
FONT_SIZE = 20
LINE_HEIGHT = 28
COLUMNS = 60  # characters per typed line at FONT_SIZE in a monospaced face
MONOSPACED = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")  # Debian fonts-dejavu-core


@dataclass(frozen=True)
class FacsimileEntry:
    source_id: str
    pages: int


def read_facsimile_entries(directory: Path) -> list[FacsimileEntry]:
    """The entries of samples/facsimiles.json (none when the file is absent); ValueError
    with a message when it is malformed."""
    path = directory / FACSIMILES_FILE
    if not path.exists():
        return []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        entries = [FacsimileEntry(str(item["source_id"]), int(item["pages"])) for item in raw]
    except (OSError, ValueError, TypeError, KeyError) as error:
        raise ValueError(f"{path}: expected a list of {{source_id, pages}} ({error})") from None
    if bad := [e.source_id for e in entries if not 1 <= e.pages <= 5]:
        raise ValueError(f"{path}: pages must be 1 to 5 ({', '.join(bad)})")
    return entries


def typewriter_font(size: int = FONT_SIZE) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans Mono when Debian's fonts-dejavu-core is there, else Pillow's built-in
    font: the samples never depend on a font installed by hand."""
    if MONOSPACED.exists():
        return ImageFont.truetype(str(MONOSPACED), size)
    return ImageFont.load_default(size=size)


def page_texts(sample: DocumentInput, pages: int) -> list[list[str]]:
    """The typed lines of each page: heading and title first, then the summary, then the
    index of names; spread over `pages` pages."""
    wrap = textwrap.TextWrapper(width=COLUMNS, break_long_words=True)
    heading = [
        (sample.fields.get("document_type") or "Document").upper(),
        f"Date: {sample.fields.get('date') or 'undated'}",
        "", *wrap.wrap(f"SUBJECT: {sample.title}"), "",
        *wrap.wrap(NOTE), "",
    ]
    summary = wrap.wrap(sample.fields.get("summary") or "") or ["(No summary.)"]
    names = []
    for label, values in (("People", sample.people), ("Places", sample.places),
                          ("Subjects", sample.subjects)):
        if values:
            names += [*wrap.wrap(f"{label}: {'; '.join(values)}"), ""]
    reference = [f"Sample record {sample.source_id}"]
    if pages == 1:
        return [heading + summary + [""] + names + reference]
    if pages == 2:
        return [heading + summary, names + reference]
    parts = [heading, summary, names + reference]
    return parts + [["(This page is intentionally blank.)"]] * (pages - 3)


def draw_page(lines: Sequence[str], number: int, total: int) -> Image.Image:
    """One greyscale page: the label above and below the typed lines, and the page number."""
    font = typewriter_font()
    small = typewriter_font(16)
    page = Image.new("L", PAGE_SIZE, 246)  # off-white paper
    draw = ImageDraw.Draw(page)
    width, height = PAGE_SIZE
    for top in (24, height - 56):
        draw.rectangle((MARGIN - 10, top, width - MARGIN + 10, top + 32), outline=40, width=2)
        draw.text((width // 2, top + 16), LABEL.upper(), font=small, fill=20, anchor="mm")
    y = 110
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=35)
        y += LINE_HEIGHT
    draw.text((width // 2, height - 90), f"- {number} of {total} -", font=font, fill=35,
              anchor="mm")
    return page


def facsimile_file(sample: DocumentInput, pages: int) -> tuple[str, bytes]:
    """(file name, bytes): a PNG for one page, a multi-page TIFF for more."""
    images = [draw_page(lines, number, pages)
              for number, lines in enumerate(page_texts(sample, pages), start=1)]
    out = io.BytesIO()
    stem = (sample.source_id or "sample").rsplit("/", 1)[-1]
    if len(images) == 1:
        images[0].save(out, "PNG", optimize=False)
        return f"generated-facsimile-{stem}.png", out.getvalue()
    images[0].save(out, "TIFF", save_all=True, append_images=images[1:],
                   compression="tiff_deflate")
    return f"generated-facsimile-{stem}.tif", out.getvalue()


def attach_sample_facsimiles(samples: Sequence[DocumentInput], directory: Path, *,
                             via: str) -> tuple[list[Attachment], int]:
    """Attach the facsimile of every listed sample document that exists (by its source_id)
    and was never given one by the samples. Returns (attachments made, how many had been
    given theirs before). Three queries, then the writes."""
    entries = read_facsimile_entries(directory)
    by_source = {sample.source_id: sample for sample in samples}
    documents = {document.source_id: document for document in Document.objects.filter(
        source_id__in=[entry.source_id for entry in entries])}
    given = set(Revision.objects.filter(
        kind=Revision.ATTACHMENT, via=via, action="create",
        document_id__in=[document.pk for document in documents.values()],
    ).values_list("document_id", flat=True))
    last = dict(Attachment.objects.filter(document__in=documents.values())
                .values("document_id").annotate(last=Max("position"))
                .values_list("document_id", "last"))
    made = []
    for entry in entries:
        document, sample = documents.get(entry.source_id), by_source.get(entry.source_id)
        if document is None or sample is None or document.pk in given:
            continue
        name, content = facsimile_file(sample, entry.pages)
        attachment = Attachment(document=document, title=LABEL,
                                position=last.get(document.pk, -1) + 1)
        attachment.file.save(name, ContentFile(content), save=False)
        made.append(actions.do_save_attachment(attachment, acting_user=None, via=via))
    return made, len(given)


def render_sample_facsimiles(attachments: Sequence[Attachment], *, via: str) -> int:
    """Render the facsimiles' pages now (a few small pages): `make run` shows them at once.
    Returns how many pages were rendered."""
    return sum(len(render_attachment_pages(attachment, via=via)) for attachment in attachments)
