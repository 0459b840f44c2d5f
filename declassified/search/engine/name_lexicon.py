"""The names lexicon of an index generation, saved beside it: every spelling of each person
and place that has several (Chou En-lai, Zhou Enlai, 周恩来), so that a search for one also
finds the others (searching/expansion.py).

Written by the indexer (indexing/name_lexicon.py) when people or places changed, read by every
search: loaded once per change of the file (one stat a search).
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from declassified.search.language.analysis import query_terms

NAMES_FILE = "names.json"
MAX_KEY_TERMS = 8  # a longer spelling is not looked for in queries


@dataclass(frozen=True)
class Lexicon:
    """{spelling key: the groups of spellings it belongs to}; a key is the spelling's index
    terms joined by spaces, as a query's words would give them."""

    groups: tuple[tuple[str, ...], ...] = ()
    keys: dict[str, tuple[int, ...]] = field(default_factory=dict)
    fingerprint: object = None

    def spellings(self, key: str) -> list[str]:
        """Every spelling of the names whose spelling gives `key`, in order, each once."""
        return list(dict.fromkeys(s for group in self.keys.get(key, ()) for s in self.groups[group]))


EMPTY = Lexicon()
_loaded: dict[str, tuple[tuple[int, int, int], Lexicon]] = {}
_lock = threading.Lock()


def spelling_key(spelling: str) -> str:
    return " ".join(term for _, term in query_terms(spelling))


def save_lexicon(path: Path, groups: list[list[str]], fingerprint: object) -> None:
    """Write the groups of spellings (and their keys) for `path`'s generation, atomically."""
    keys: dict[str, list[int]] = {}
    for number, group in enumerate(groups):
        for spelling in group:
            key = spelling_key(spelling)
            if key and key.count(" ") < MAX_KEY_TERMS and number not in keys.get(key, []):
                keys.setdefault(key, []).append(number)
    temporary = path / f".{NAMES_FILE}.{os.getpid()}.{threading.get_ident()}"
    temporary.write_text(json.dumps({"fingerprint": fingerprint, "groups": groups, "keys": keys},
                                    ensure_ascii=False))
    os.replace(temporary, path / NAMES_FILE)


def saved_fingerprint(path: Path) -> object:
    """The fingerprint the generation's lexicon was written with (None: no lexicon)."""
    return load_lexicon(path).fingerprint


def load_lexicon(path: Path) -> Lexicon:
    """The generation's lexicon (EMPTY when there is none); read again only when the file
    changed."""
    file = path / NAMES_FILE
    try:
        stat = file.stat()
    except OSError:
        return EMPTY
    stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    with _lock:
        known = _loaded.get(str(path))
        if known is not None and known[0] == stamp:
            return known[1]
    try:
        data = json.loads(file.read_text())
        lexicon = Lexicon(tuple(map(tuple, data["groups"])),
                          {key: tuple(groups) for key, groups in data["keys"].items()},
                          data.get("fingerprint"))
    except (OSError, ValueError, KeyError, TypeError):
        return EMPTY
    with _lock:
        if len(_loaded) > 4:  # old generations
            _loaded.clear()
        _loaded[str(path)] = (stamp, lexicon)
    return lexicon
