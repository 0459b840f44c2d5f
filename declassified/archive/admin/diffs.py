"""Revisions and restore plans made readable: one row per changed field, old and new value,
and for rich texts (a text's body and footnotes, a collection's description) a line-by-line
diff of their words with the HTML tags stripped, changed words marked <del>/<ins>.

Everything an editor typed is escaped here (format_html, escape); the only markup in the
output is this module's own.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from difflib import SequenceMatcher
from html import unescape
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from declassified.archive.models import Revision
from declassified.archive.restore import RestorePlan
from declassified.archive.revisions import in_field_order

RICH_TEXT_FIELDS = frozenset({"body", "footnotes", "description"})
# Plain texts diffed line by line like rich ones: a page's corrected OCR text. None there
# means no correction (the page shows the machine's reading).
PLAIN_TEXT_FIELDS = frozenset({"corrected text"})
MACHINE_TEXT = "(the machine's reading)"
DIFF_CONTEXT = 1  # unchanged lines shown around a change
DIFF_MAX_LINES = 300  # a diff longer than this is cut, saying how much is left out
LINE_BREAKS = re.compile(
    r"<br\s*/?>|</(?:p|div|li|h[1-6]|blockquote|tr|table|ul|ol|dd|dt|pre)\s*>", re.IGNORECASE
)
TAGS = re.compile(r"<[^>]*>")
WORDS = re.compile(r"\s+|[^\s]+")
TIME_FIELDS = frozenset({"published_at"})  # recorded as ISO 8601, shown to the minute


@dataclass
class ChangeRow:
    """One changed field: `old` and `new` as plain text (escaped by the template), or a
    `diff` (already safe) for rich texts."""

    name: str
    old: str = ""
    new: str = ""
    diff: SafeString | None = None
    recorded: bool = True


def revision_rows(revision: Revision) -> list[ChangeRow]:
    rows = []
    for name in in_field_order(revision.kind, revision.changes):
        change = revision.changes[name]
        label = name.replace("_", " ")
        if "old" not in change and "new" not in change:
            rows.append(ChangeRow(label, recorded=False))
        else:
            rows.append(change_row(label, name, change.get("old"), change.get("new")))
    return rows


def plan_rows(plan: RestorePlan) -> list[ChangeRow]:
    """What a restore would change, as (now → then) rows."""
    changed = plan.fields | plan.tags
    rows = [change_row(name.replace("_", " "), name, *changed[name])
            for name in in_field_order(Revision.DOCUMENT, changed)]
    for text in plan.texts_removed:
        rows.append(ChangeRow(f"text {text}", old="present", new="removed"))
    for then in plan.texts_restored:
        label = f"text {then['kind']} ({then['language']['id']})"
        rows.append(ChangeRow(label, old="absent", new="back"))
        rows.append(change_row(f"{label}: body", "body", "", then["body"]))
    for text, changed in plan.texts_changed:
        rows += [change_row(f"text {text}: {name}", name, now, then)
                 for name, (now, then) in changed.items()]
    for reference in plan.collections_removed:
        rows.append(ChangeRow(f"collection {reference['name']}", old="member", new="removed"))
    for reference in plan.collections_added:
        rows.append(ChangeRow(f"collection {reference['name']}", old="", new="member again"))
    return rows


def change_row(label: str, name: str, old: Any, new: Any) -> ChangeRow:
    if name in PLAIN_TEXT_FIELDS:
        return plain_text_row(label, old, new)
    if name in RICH_TEXT_FIELDS and (old or new):
        return ChangeRow(label, diff=text_diff(old or "", new or ""))
    if name in TIME_FIELDS:
        return ChangeRow(label, old=readable_time(old), new=readable_time(new))
    return ChangeRow(label, old=readable(old), new=readable(new))


def plain_text_row(label: str, old: str | None, new: str | None) -> ChangeRow:
    """Two corrections as a diff; a correction made or dropped as the text beside the
    machine's reading (which the revision does not record)."""
    if old is not None and new is not None:
        return ChangeRow(label, diff=text_diff(escape(old), escape(new)))
    return ChangeRow(label, old=MACHINE_TEXT if old is None else old,
                     new=MACHINE_TEXT if new is None else new)


def readable_time(value: str | None) -> str:
    if not value:
        return "—"
    return datetime.fromisoformat(value).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def readable(value: Any) -> str:
    """A recorded value as an editor reads it: names of related rows, yes/no, '—' for none."""
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict) and "id" in value and "name" in value:
        return str(value["name"] or f"record {value['id']}")
    if isinstance(value, list):
        return "; ".join(readable(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def readable_lines(html: str) -> list[str]:
    """The text of rich HTML, one line per paragraph (or line break), tags stripped."""
    text = unescape(TAGS.sub("", LINE_BREAKS.sub("\n", html)))
    return [line for line in (" ".join(part.split()) for part in text.split("\n")) if line]


def text_diff(old_html: str, new_html: str) -> SafeString:
    """An <ol> of the changed paragraphs with a little context; changed words marked."""
    old, new = readable_lines(old_html), readable_lines(new_html)
    items: list[str] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for number, group in enumerate(matcher.get_grouped_opcodes(DIFF_CONTEXT)):
        if number:
            items.append('<li class="diff-gap">…</li>')
        for tag, i1, i2, j1, j2 in group:
            items += diff_items(tag, old[i1:i2], new[j1:j2])
    if len(items) > DIFF_MAX_LINES:
        left_out = len(items) - DIFF_MAX_LINES
        items = items[:DIFF_MAX_LINES] + [f'<li class="diff-gap">… {left_out} more lines</li>']
    if not items:
        return format_html('<p class="diff-none">{}</p>', "The text is the same.")
    # Safe: every item above was built with format_html or escape.
    return mark_safe('<ol class="text-diff">' + "".join(items) + "</ol>")


def diff_items(tag: str, old: list[str], new: list[str]) -> list[str]:
    if tag == "equal":
        return [format_html('<li class="diff-same">{}</li>', line) for line in old]
    if tag == "replace" and len(old) == len(new):
        return [f'<li class="diff-changed">{word_diff(a, b)}</li>' for a, b in zip(old, new, strict=True)]
    removed: list[str] = [format_html('<li class="diff-removed"><del>{}</del></li>', line)
                          for line in old]
    return removed + [format_html('<li class="diff-added"><ins>{}</ins></li>', line) for line in new]


def word_diff(old: str, new: str) -> str:
    """One paragraph with the words that went in <del> and the words that came in <ins>."""
    a, b = WORDS.findall(old), WORDS.findall(new)
    parts: list[str] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return "".join(parts)
