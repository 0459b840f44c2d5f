"""One-page PDFs joined into one PDF, written as they come: memory stays one page's worth.

    with open(out, "wb") as stream:
        joiner = PdfJoiner(stream)
        for path in one_page_pdfs:
            joiner.add_page_of(path)
        joiner.finish()

Why not pikepdf's pages.extend: qpdf copies a foreign page's streams (the page's JPEG) into
memory until the joined file is saved, so a 300-page document would hold every picture at
once (measured: +41 MB for 120 typed pages, growing with the document). Here each page's
objects are read from its file, renumbered and written out at once, then forgotten; only
the byte offsets (for the cross-reference table) and the page numbers are kept.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

import pikepdf

CATALOG, PAGES = 1, 2  # object numbers kept for the catalog and page tree, written last


class PdfJoiner:
    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._offsets: dict[int, int] = {}
        self._pages: list[int] = []
        self._next = PAGES + 1
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def add_page_of(self, path: Path) -> None:
        """Append the first page of the PDF at `path` (its own resources and fonts)."""
        with pikepdf.open(path) as source:
            page = source.pages[0].obj
            numbers: dict[tuple[int, int], int] = {}
            pending: list[Any] = []

            def reference(obj: Any) -> bytes:
                if obj.objgen not in numbers:
                    numbers[obj.objgen] = self._new_number()
                    pending.append(obj)
                return b"%d 0 R" % numbers[obj.objgen]

            page_number = self._new_number()
            body = _serialize(page, reference, page_level=True)
            self._write(page_number, body.replace(b"/Parent null", b"/Parent %d 0 R" % PAGES))
            while pending:
                obj = pending.pop()
                self._write_object(numbers[obj.objgen], obj, reference)
            self._pages.append(page_number)

    def finish(self) -> None:
        """The page tree, the catalog, the cross-reference table and the trailer."""
        kids = b" ".join(b"%d 0 R" % number for number in self._pages)
        self._write(PAGES, b"<< /Type /Pages /Kids [ %s ] /Count %d >>" % (kids, len(self._pages)))
        self._write(CATALOG, b"<< /Type /Catalog /Pages %d 0 R >>" % PAGES)
        start = self._out.tell()
        lines = [b"xref\n0 %d\n" % self._next, b"0000000000 65535 f \n"]
        lines += [b"%010d 00000 n \n" % self._offsets[number]
                  for number in range(1, self._next)]
        self._out.write(b"".join(lines))
        self._out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                        % (self._next, CATALOG, start))

    def _new_number(self) -> int:
        self._next += 1
        return self._next - 1

    def _write(self, number: int, body: bytes) -> None:
        self._offsets[number] = self._out.tell()
        self._out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    def _write_object(self, number: int, obj: Any, reference) -> None:
        if not isinstance(obj, pikepdf.Stream):
            self._write(number, _serialize(obj, reference, top=True))
            return
        data = obj.read_raw_bytes()  # as stored (still compressed): one stream at a time
        header = _serialize(obj.stream_dict, reference, top=True, length=len(data))
        self._offsets[number] = self._out.tell()
        self._out.write(b"%d 0 obj\n%s\nstream\n" % (number, header))
        self._out.write(data)
        self._out.write(b"\nendstream\nendobj\n")


def _serialize(obj: Any, reference, *, top: bool = False, page_level: bool = False,
               length: int | None = None) -> bytes:
    """PDF syntax of `obj`, its indirect children written as references (renumbered)."""
    if not top and not page_level and isinstance(obj, pikepdf.Object) and obj.is_indirect:
        return reference(obj)
    if isinstance(obj, pikepdf.Dictionary):
        parts = []
        for key, value in obj.items():
            if key == "/Parent" and page_level:
                parts.append(b"/Parent null")  # pointed at the joined page tree when written
            elif key == "/Length" and length is not None:
                parts.append(b"/Length %d" % length)
            else:
                parts.append(_name(key) + b" " + _serialize(value, reference))
        return b"<< " + b" ".join(parts) + b" >>"
    if isinstance(obj, pikepdf.Array):
        return b"[ " + b" ".join(_serialize(item, reference) for item in obj) + b" ]"
    return _scalar(obj)


def _name(key: str) -> bytes:
    return pikepdf.Name(key).unparse()


def _scalar(value: Any) -> bytes:
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, int):
        return b"%d" % value
    if isinstance(value, Decimal | float):
        return f"{value:f}".encode()
    if value is None:
        return b"null"
    return value.unparse()
