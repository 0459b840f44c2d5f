"""Security classification markings and handling caveats, as they appear in source notes
("Top Secret; Exdis; Specat; Exclusive."). A citation never names them outside the
document's title: they say how a document was handled, not where it is kept."""

from __future__ import annotations

import re

# The U.S. levels and the State/Defense caveats found in FRUS source notes, plus the
# common foreign-document equivalents; whole words only, so "Secretary" is no marking.
MARKINGS = (
    "top secret", "secret", "confidential", "restricted", "unclassified",
    "limited official use", "official use only", "eyes only", "exdis", "limdis", "nodis",
    "specat", "noforn", "sensitive", "strictly confidential", "personal and confidential",
)
_MARKING = re.compile(
    r"\b(?:" + "|".join(re.escape(m).replace(r"\ ", r"\s+") for m in MARKINGS) + r")\b",
    re.IGNORECASE,
)


def has_classification_marking(text: str) -> bool:
    return _MARKING.search(text) is not None


def classification_markings(text: str) -> list[str]:
    """The markings in `text`, as written there."""
    return [match.group(0) for match in _MARKING.finditer(text)]
