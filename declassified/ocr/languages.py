"""Which Tesseract languages read a document: from its own languages (ISO 639 codes).

    tesseract_languages(["ru", "en"], default="eng")   # "rus+eng"
"""

from __future__ import annotations

import functools
import subprocess
from collections.abc import Iterable

# ISO 639 code (as archive.Language keeps it, lower-cased) -> Tesseract's traineddata name.
# Chinese without a script is read as simplified: the archive's Chinese originals mostly are.
TESSERACT_LANGUAGES = {
    "en": "eng", "ru": "rus", "uk": "ukr", "zh": "chi_sim", "zh-hans": "chi_sim",
    "zh-hant": "chi_tra", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "pl": "pol",
    "cs": "ces", "hu": "hun", "ro": "ron", "bg": "bul", "sr": "srp", "hr": "hrv",
    "vi": "vie", "ko": "kor", "ja": "jpn", "pt": "por", "nl": "nld", "sv": "swe",
    "fi": "fin", "tr": "tur", "sq": "sqi", "mn": "mon", "ar": "ara", "fa": "fas", "he": "heb",
}


def tesseract_languages(codes: Iterable[str], *, default: str = "eng") -> str:
    """The languages joined by "+", the document's first and English last (Tesseract leans
    on the first); languages this machine has no model for are left out, and with none
    left the `default` (a setting) is used."""
    installed = installed_languages()
    wanted: list[str] = []
    for code in codes:
        name = TESSERACT_LANGUAGES.get(code.lower())
        if name and name in installed and name not in wanted:
            wanted.append(name)
    wanted.sort(key=lambda name: name == "eng")
    return "+".join(wanted) if wanted else default


@functools.cache
def installed_languages() -> frozenset[str]:
    """The traineddata Tesseract finds here (`tesseract --list-langs`); empty without it."""
    try:
        listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True,
                                timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in listed.splitlines()[1:] if line.strip())
