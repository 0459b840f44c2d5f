"""Control characters in text input: the one definition, refused or stripped on the way in.

C0 controls other than tab, newline and carriage return, DEL, and the C1 controls
(U+0080–U+009F, nearly always mis-decoded Windows-1252) have no business in a title, a name
or a text: they are invisible on the page and break RIS, BibTeX and XML (OAI-PMH) output.

Where they are met:
- the back office and the API write bodies (one form, see archive.admin.forms) refuse them
  with a message naming the field, so the person typing can fix it;
- the bulk importers (CSV/JSON Lines, FRUS TEI) and the HTML sanitiser strip them, since a
  file from another system often carries a stray one and a whole import should not fail
  for an invisible character (docs/import-format.md says so).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


_ASCII_CONTROLS = bytes([*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f])


def strip_control_characters(text: str) -> str:
    """`text` without control characters (tab, newline and carriage return are kept)."""
    if text.isascii():  # most text: two C passes, a sixth of the regular expression's time
        data = text.encode()
        if len(data.translate(None, _ASCII_CONTROLS)) == len(data):
            return text
    return CONTROL_CHARACTERS.sub("", text)


def refuse_control_characters(value: object) -> None:
    """A form validator: raises ValidationError naming the first control character."""
    texts = value if isinstance(value, list | tuple) else [value]
    for text in texts:
        if isinstance(text, str) and (found := CONTROL_CHARACTERS.search(text)):
            raise ValidationError(
                "Remove the control character U+%(code)04X (invisible; often pasted from "
                "another program).",
                code="control_character", params={"code": ord(found.group())},
            )
