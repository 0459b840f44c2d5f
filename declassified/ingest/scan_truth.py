"""Documents from the scan corpus's truth files (`<slug>.truth.json`), for the invented Russian
and Chinese memoranda that have no FRUS volume to import them from.

    rows = truth_rows([Path("invented-ru-r01.truth.json"), ...])   # InvalidImport, ImportFileError
    import_rows(rows, acting_user=None, via="import-scan-truth")   # the tabular import's write

Each truth file becomes one row of the tabular import (docs/import-format.md), checked by the
same code as a CSV or JSON Lines row, so the document is matched by its `source_id` and a second
run changes nothing. A row of that format carries one text; a truth file has two (the typed
paragraphs, and their English translation), so both are added to the checked row here: the
original as a transcript in its language, the translation as an English translation.
"""

from __future__ import annotations

import json
from pathlib import Path

from declassified.archive.upsert import TextInput
from declassified.ingest.tabular import (
    ImportFileError,
    ImportRow,
    InvalidImport,
    Problem,
    RawRow,
    check_row,
    text_to_html,
)

COLLECTION = "Invented memoranda (scan test corpus)"
INVENTED_NOTE = ("Invented for the scan test corpus (fictional officials, original wording): "
                 "not a historical record.")


def truth_files(paths: list[Path]) -> list[Path]:
    """The truth files to read: files as given; in a folder, those of invented documents."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.glob("*.truth.json")) if _is_invented(p))
        elif path.is_file():
            found.append(path)
        else:
            raise ImportFileError(f"no such file or folder: {path}")
    if not found:
        raise ImportFileError("no truth files of invented documents found")
    return found


def truth_rows(paths: list[Path]) -> list[ImportRow]:
    """One checked import row per truth file; InvalidImport lists every problem (row = the
    file's place in the list, 1-based, and its name)."""
    rows, problems = [], []
    for number, path in enumerate(paths, start=1):
        try:
            truth = json.loads(path.read_text(encoding="utf-8"))
            cells = _cells(truth)
        except (OSError, ValueError, KeyError, TypeError) as error:
            problems.append(Problem(number, None, f"{path.name}: not a truth file ({error})"))
            continue
        data, row_problems = check_row(RawRow(number, cells))
        problems.extend(Problem(p.row, p.field, f"{path.name}: {p.message}") for p in row_problems)
        data.texts = _texts(truth)
        rows.append(ImportRow(number, data))
    if problems:
        raise InvalidImport(problems)
    return rows


def _cells(truth: dict) -> dict[str, str | list[str]]:
    language = str(truth["language"])
    original_title = str(truth["title"])
    title = str(truth.get("title_translation") or original_title)
    summary = [INVENTED_NOTE] if truth.get("invented") else []
    if title != original_title:
        summary.insert(0, f"Original title: {original_title}")
    return {
        "title": title,
        "source_id": str(truth["source_id"]),
        "date": str(truth.get("date") or ""),
        "classification": str(truth.get("classification") or ""),
        "language": [language],
        "type": "Memorandum of Conversation",
        "summary": " ".join(summary),
        "collections": [COLLECTION] if truth.get("invented") else [],
        "status": "published",
    }


def _texts(truth: dict) -> list[TextInput]:
    language = str(truth["language"])
    texts = [TextInput("transcript", language, _html(truth["paragraphs"]))]
    if truth.get("translation") and language != "en":
        texts.append(TextInput("translation", "en", _html(truth["translation"])))
    return texts


def _html(paragraphs: list[str]) -> str:
    return text_to_html("\n\n".join(str(p) for p in paragraphs))


def _is_invented(path: Path) -> bool:
    try:
        return bool(json.loads(path.read_text(encoding="utf-8")).get("invented"))
    except (OSError, ValueError):
        return True  # read again by truth_rows, which reports it
