"""The summary made for a FRUS document that has none of its own (`summary_generated`).

The first sentences of its text, cut at sentence ends (never after an initial or an
abbreviation: source.sentences), leaving out what every telegram and letter opens with —
routing ("Deliver following message…", "Eyes only for…"), references to earlier telegrams
("Ref: Deptel 1234", "Your 782, May 25, 7 p.m."), subject lines, salutations and markings.
A document whose text is all of that is summarised by its head (the title).
"""

from __future__ import annotations

import re

from declassified.ingest.frus import source

LIMIT = 320
_MIN_PROSE = 40  # a shorter paragraph is a heading, a signature or a telegram number…
_NUMBERED = re.compile(r"^\d+\.\s+")
_TELEGRAM_WORDS = (
    r"(?:re\s*|reference\s+|see\s+)?(?:your|our|my|embassy['’]s|department['’]s|legation['’]s|consulate['’]s|"
    r"deptel|depcirtel|embtel|urtel|mytel|ourtel|reurtel|conseltel|legtel|circtel|cirtel)"
)
_BOILERPLATE = re.compile(
    r"^\W*(?:"
    r"(?:please\s+)?deliver\b|(?:please\s+)?pass\b|(?:the\s+)?following\s+(?:is|message|"
    r"telegram|letter|text|for|from|to)\b|(?:literally\s+|exclusively\s+)?eyes\s+only\b|"
    r"refs?\b\s*[:.(a-z]|references?\s*:|subj(?:ect)?\s*:|participants?\s*:|date\s+and\s+place\b|"
    r"memorandum\s+of\s+conversation\b|verbatim\s+text\b|text\s+of\b|to\s*:|from\s*:|"
    r"for\s+[^.]{1,80}\bfrom\b[^.]{1,80}\.?$|from\s+[^.]{1,60}\bto\b[^.]{1,60}\.?$|"
    + _TELEGRAM_WORDS + r"\b.{0,40}?\d"
    r")",
    re.IGNORECASE,
)
_SALUTATION = re.compile(
    r"^(?:(?:my\s+)?dear\s+[^:]{1,60}|sir|madam|(?:your\s+)?excellency|mr\.\s+(?:president|"
    r"secretary|ambassador))\s*:\s*", re.IGNORECASE)


def is_boilerplate(sentence: str) -> bool:
    """Routing, a reference, a subject line or a marking: no part of what a document says."""
    if _BOILERPLATE.match(sentence):
        return True
    return bool(source.recognise_classification(sentence)) and len(sentence) < 80


def generated_summary(paragraphs: list[str], title: str = "", limit: int = LIMIT) -> str:
    """The first sentences of the text's prose (at most `limit` characters, cut at a word
    with '…' only when one sentence is longer); the title when there is no prose."""
    chosen: list[str] = []
    length = 0
    for sentence in _prose_sentences(paragraphs):
        if length and length + len(sentence) > limit:
            break
        chosen.append(sentence)
        length += len(sentence) + 1
        if length >= limit * 0.6:
            break
    if not chosen:
        return _cut(title, limit)
    return _cut(" ".join(chosen), limit)


def _prose_sentences(paragraphs: list[str]):
    texts = [_NUMBERED.sub("", p).strip() for p in paragraphs]
    prose = [t for t in texts if len(t) >= _MIN_PROSE and t.upper() != t]
    if not prose:  # a short message ("Please inform Chiang at once.") is its own summary
        prose = [t for t in texts if any(c.islower() for c in t)][:1]
    for text in prose:
        for sentence in source.sentences(text):
            sentence = _without_lead_in(_SALUTATION.sub("", sentence))
            if sentence:
                yield sentence


def _without_lead_in(sentence: str) -> str:
    """'' for a boilerplate sentence; 'Deliver following message to Foreign Minister: I have
    received…' keeps what follows the colon."""
    if not is_boilerplate(sentence):
        return sentence
    _, colon, rest = sentence.partition(":")
    rest = _SALUTATION.sub("", rest.strip(" “”\"'"))
    if colon and len(rest) >= _MIN_PROSE and not is_boilerplate(rest):
        return rest
    return ""


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
