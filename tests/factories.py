"""Factories that create archive rows through the same actions the application uses.

They act as a program (no user), recorded in the revisions as via="factory".
"""

from __future__ import annotations

import io
import itertools

from django.core.files.base import ContentFile

from declassified.archive import actions
from declassified.archive.models import (
    Attachment,
    Collection,
    CollectionMembership,
    Document,
    Language,
    Person,
    Place,
    Repository,
    Subject,
)

_counter = itertools.count(1)
FACTORY = {"acting_user": None, "via": "factory"}


def make_document(*, status: str = Document.PUBLISHED, date: str = "1965-03-05",
                  title: str | None = None, collections=(), people=(), places=(), subjects=(),
                  authors=(), text: str | None = None, **fields) -> Document:
    n = next(_counter)
    document = Document(
        title=title or f"Cable number {n}", date=date, status=status,
        summary=fields.pop("summary", f"Summary of cable {n}."), **fields,
    )
    actions.do_save_document(document, **FACTORY)
    for collection in collections:
        actions.do_save_membership(
            CollectionMembership(document=document, collection=collection), **FACTORY
        )
    tags = {"people": people, "places": places, "subjects": subjects, "authors": authors}
    if any(tags.values()):
        actions.do_set_document_tags(document, tags, **FACTORY)
    if text is not None:
        english, _ = Language.objects.get_or_create(code="en", defaults={"name": "English"})
        actions.do_save_text(
            document.texts.model(document=document, kind="translation", language=english, body=text),
            **FACTORY,
        )
    return document


def make_collection(title: str | None = None, **fields) -> Collection:
    collection = Collection(title=title or f"Collection {next(_counter)}", **fields)
    return actions.do_save_collection(collection, **FACTORY)


def make_person(name: str = "Zhou Enlai", **fields) -> Person:
    return actions.do_save_entity(Person(name=name, **fields), **FACTORY)


def make_place(name: str = "Moscow", **fields) -> Place:
    return actions.do_save_entity(Place(name=name, **fields), **FACTORY)


def make_subject(name: str = "Student demonstrations", **fields) -> Subject:
    return actions.do_save_entity(Subject(name=name, **fields), **FACTORY)


# --- Added for the public pages and their JSON twins (tests/web, tests/api) -------------


def make_language(code: str = "en", name: str = "English") -> Language:
    language, _ = Language.objects.get_or_create(code=code, defaults={"name": name})
    return language


def make_repository(name: str = "Archive of the Ministry of Foreign Affairs of the PRC", **fields):
    return actions.do_save_entity(Repository(name=name, **fields), **FACTORY)


def make_text(document: Document, body: str = "<p>Text.</p>", *, kind: str = "translation",
              language: str = "en", **fields):
    names = {"en": "English", "zh": "Chinese", "ru": "Russian"}
    text = document.texts.model(
        document=document, kind=kind, body=body,
        language=make_language(language, names.get(language, language)), **fields,
    )
    return actions.do_save_text(text, **FACTORY)


def make_attachment(document: Document, name: str = "scan.pdf", content: bytes = b"%PDF-1.4 scan",
                    **fields):
    attachment = Attachment(document=document, **fields)
    attachment.file.save(name, ContentFile(content), save=False)
    return actions.do_save_attachment(attachment, **FACTORY)


def scan_bytes(width: int = 600, height: int = 800, *, text: str = "A typed page",
               kind: str = "JPEG") -> bytes:
    """A small page image (a grey rectangle with a line of text), encoded as `kind`."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (width, height), (236, 232, 220))
    ImageDraw.Draw(picture).text((40, 40), text, fill=(20, 20, 20))
    out = io.BytesIO()
    picture.save(out, kind)
    return out.getvalue()


def make_document_with_pages(pages: int = 2, *, name: str = "scan.pdf", **fields):
    """A document whose attachment (a PDF of `pages` page images) is rendered into pages."""
    from PIL import Image

    from declassified.originals.render import render_attachment_pages

    document = make_document(**fields)
    frames = [Image.open(io.BytesIO(scan_bytes(text=f"Page {n}"))) for n in range(1, pages + 1)]
    out = io.BytesIO()
    frames[0].save(out, "PDF", save_all=True, append_images=frames[1:], resolution=100)
    attachment = make_attachment(document, name, out.getvalue())
    render_attachment_pages(attachment)
    return document


def typed_page_bytes(lines: list[str], *, width: int = 1700, height: int = 2200,
                     kind: str = "PNG") -> bytes:
    """A page Tesseract reads: `lines` in a 48 px sans-serif on pale paper (about 200 dpi)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=48)
    picture = Image.new("RGB", (width, height), (245, 243, 236))
    draw = ImageDraw.Draw(picture)
    for number, line in enumerate(lines):
        draw.text((150, 200 + 90 * number), line, fill=(25, 25, 25), font=font)
    out = io.BytesIO()
    picture.save(out, kind)
    return out.getvalue()


def make_document_with_typed_pages(pages: list[list[str]], *, name: str = "scan.tif",
                                   read: bool = True, **fields):
    """A document whose attachment (a multi-page TIFF of `pages`, each a list of lines) is
    rendered into pages and, with `read`, read by OCR (real Tesseract, ~1 s a page)."""
    from PIL import Image

    from declassified.ingest.ocr_pages import ocr_languages, read_and_record
    from declassified.originals.render import render_attachment_pages

    document = make_document(**fields)
    frames = [Image.open(io.BytesIO(typed_page_bytes(lines))) for lines in pages]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:], compression="jpeg")
    render_attachment_pages(make_attachment(document, name, out.getvalue()))
    if read:
        languages = ocr_languages(document)
        for page in document.pages.order_by("position"):
            read_and_record(page, languages=languages, via="tests")
    return document
