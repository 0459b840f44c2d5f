"""Recognising facts FRUS states in prose: classification and archive in a source note,
the type of a document from its title, a date written in a title, and a person's
identity across volumes.

Every function is pure (text in, value out) so the rules are easy to test and to extend.
"""

from __future__ import annotations

import re
import unicodedata

from declassified.ingest.frus.types import RepositoryInfo

MONTHS = [
    "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december",
]

# --- Classification --------------------------------------------------------------------

_MARKINGS = (
    r"top secret|secret|confidential|strictly confidential|unclassified|restricted|"
    r"limited official use|official use only|for official use only|no classification marking|"
    r"classification unknown|personal and confidential|eyes only|not classified"
)
# A classification sentence is a marking optionally followed by handling caveats:
# "Secret; Priority; Limit Distribution." — never a longer sentence that merely starts
# with "Secret" or "Confidential".
_CLASSIFICATION = re.compile(
    rf"^(?:{_MARKINGS})\b(?:\s*[;,]\s*[^.;,]{{1,60}})*\.?$", re.IGNORECASE
)
_SENTENCE_SPLIT = re.compile(r"(?<=[.\]])\s+(?=[A-Z\[(“\"‘])")
# Words whose full stop does not end a sentence: titles before a name, references before a
# number ("No. 12", "Vol. I"), and the times of telegrams ("7 p.m. The Ambassador…" splits
# wrongly once in a while; "…President and Mr." as a summary's last words is worse).
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "messrs", "mme", "dr", "gen", "adm", "col", "lt", "maj", "capt", "cdr",
    "sgt", "sen", "sens", "rep", "gov", "amb", "rev", "st", "prof", "hon", "no", "nos", "vol",
    "vols", "nr", "p", "pp", "para", "paras", "dept", "art", "arts", "sec", "fig", "cf", "viz",
    "ca", "approx", "gens", "brig", "cmdr", "comdr", "supt", "asst", "atty", "msgr", "ft",
})
_LAST_WORD = re.compile(r"([\w.’'-]+)\.$")
# An editor's insertion inside a sentence: "to Secretary [of] Treasury", "Mr. [John] Smith".
_INSERTION = re.compile(r"\w\s*\[[^\].]{1,30}\]$")


def ends_in_abbreviation(text: str) -> bool:
    """Whether `text` ends with an initial ('Allen W.'), a dotted abbreviation ('U.S.',
    'p.m.') or a title ('Gen.', 'No.'): a full stop that does not end a sentence."""
    match = _LAST_WORD.search(text.rstrip())
    if not match:
        return False
    word = match.group(1)
    return (len(word) == 1 and word.isalpha()) or "." in word or word.lower() in _ABBREVIATIONS


def sentences(text: str) -> list[str]:
    """Split prose into sentences at a full stop followed by a capital, never after an
    initial or an abbreviation ("Allen W. Dulles", "Gen. Taylor", "the U.S. Government")."""
    found: list[str] = []
    for piece in _SENTENCE_SPLIT.split(text):
        piece = piece.strip()
        if not piece:
            continue
        if found and (ends_in_abbreviation(found[-1]) or _INSERTION.search(found[-1])):
            found[-1] = f"{found[-1]} {piece}"
        else:
            found.append(piece)
    return found


def recognise_classification(note: str) -> str:
    """'Source: …, 793.00/2-361. Secret; Nodis. Drafted by …' → 'Secret; Nodis'; '' if none."""
    for sentence in sentences(note)[:12]:
        if len(sentence) <= 200 and _CLASSIFICATION.match(sentence):
            return sentence.rstrip(". ")
    return ""


# --- Repository (the archive holding the original) -------------------------------------


_STATE = RepositoryInfo("Department of State", "DOS", "Washington, D.C.")
_NARA = RepositoryInfo(
    "National Archives and Records Administration", "NARA", "College Park, Maryland"
)
# Checked in order against the citation (the first sentence of the note); the first hit wins,
# so more specific names come before the general ones they contain.
_REPOSITORIES: list[tuple[re.Pattern, RepositoryInfo]] = [
    (re.compile(p, re.IGNORECASE), info)
    for p, info in [
        (r"Washington National Records Center",
         RepositoryInfo("Washington National Records Center", "WNRC", "Suitland, Maryland")),
        (r"National Archives", _NARA),
        (r"Nixon (Presidential|Library)",
         RepositoryInfo("Richard Nixon Library", "", "Yorba Linda, California")),
        (r"Johnson Library", RepositoryInfo("Lyndon Baines Johnson Library", "LBJL", "Austin, Texas")),
        (r"Kennedy Library", RepositoryInfo("John F. Kennedy Library", "JFKL", "Boston, Massachusetts")),
        (r"Eisenhower Library",
         RepositoryInfo("Dwight D. Eisenhower Library", "DDEL", "Abilene, Kansas")),
        (r"Truman Library",
         RepositoryInfo("Harry S. Truman Library", "HSTL", "Independence, Missouri")),
        (r"Roosevelt Library",
         RepositoryInfo("Franklin D. Roosevelt Library", "FDRL", "Hyde Park, New York")),
        (r"Ford Library", RepositoryInfo("Gerald R. Ford Library", "GRFL", "Ann Arbor, Michigan")),
        (r"Carter Library", RepositoryInfo("Jimmy Carter Library", "JCL", "Atlanta, Georgia")),
        (r"Reagan Library",
         RepositoryInfo("Ronald Reagan Library", "RRL", "Simi Valley, California")),
        (r"Hoover Institution",
         RepositoryInfo("Hoover Institution Archives", "", "Stanford, California")),
        (r"Central Intelligence Agency", RepositoryInfo("Central Intelligence Agency", "CIA")),
        (r"Library of Congress",
         RepositoryInfo("Library of Congress, Manuscript Division", "LC", "Washington, D.C.")),
        (r"National Defense University",
         RepositoryInfo("National Defense University", "NDU", "Washington, D.C.")),
        (r"Center of Military History",
         RepositoryInfo("U.S. Army Center of Military History", "CMH", "Washington, D.C.")),
        (r"Naval Historical Center|Naval History",
         RepositoryInfo("Naval Historical Center", "NHC", "Washington, D.C.")),
        (r"Department of State|\b(IO|USUN|PPS|NAC|S/S|S/P|S/S–NSC|S/P–NSC|INR)\b.{0,12}files",
         _STATE),
    ]
]
# Older volumes give only the Department of State's decimal file number: "763.72111/34¾".
_DECIMAL_FILE = re.compile(r"^\s*\d{3}[0-9A-Za-z]*\.[0-9A-Za-z]")


def recognise_repository(note: str) -> RepositoryInfo | None:
    """The archive a source note names, or None when it names none we know."""
    citation = (sentences(note) or [""])[0][:300]
    for pattern, info in _REPOSITORIES:
        if pattern.search(citation):
            return info
    if _DECIMAL_FILE.match(citation):
        return _STATE
    return None


# --- Call number (where the archive keeps the original) ---------------------------------

_STOPS = re.compile(r"\.\s+")
_TYPE_SUFFIX = re.compile(r":\s*(?:Circular\s+)?(?:Telegram|Airgram|Despatch|Dispatch|"
                          r"Instruction|Memorandum|Note|Letter)\s*$", re.IGNORECASE)
_RUN_ON_MARKING = re.compile(rf"(?:[.;,]\s*|\s+)(?:{_MARKINGS})\s*(?:[;.]|$)", re.IGNORECASE)
_SOURCE_LABEL = re.compile(r"^\W*source\s*[:;]\s*", re.IGNORECASE)
_MAX_CALL_NUMBER = 250  # a longer "designation" is prose the rules misread


def note_citation(note: str) -> str:
    """The citation a source note opens with: everything before its classification sentence
    ('…, Vol. I. Secret; Nodis.' → '…, Vol. I'), else its first sentence."""
    for stop in _STOPS.finditer(note):
        following = note[stop.end():]
        marking = _STOPS.split(following, maxsplit=1)[0]
        if _CLASSIFICATION.match(marking.rstrip(". ") + "."):
            return note[:stop.start()].strip()
    if _CLASSIFICATION.match(note.strip()):
        return ""
    return (sentences(note) or [""])[0].rstrip(". ")


def recognise_call_number(note: str) -> str:
    """The file designation a source note gives after the archive's name: 'Department of
    State, Central Files, DEF 1 CHINAT-US. Top Secret; Exdis.' → 'Central Files, DEF 1
    CHINAT-US'; an older volume's decimal file '893.24/1665: Telegram' → '893.24/1665'.
    Never the classification; '' when the note does not open with an archive we know."""
    citation = note_citation(_SOURCE_LABEL.sub("", note))  # ".Source:", "source;" typos
    if not citation:
        return ""
    if _DECIMAL_FILE.match(citation):
        found = _TYPE_SUFFIX.sub("", citation)
    else:
        matches = [m for m in (p.search(citation) for p, _info in _REPOSITORIES) if m]
        first = min(matches, key=lambda m: m.start(), default=None)
        if first is None or first.start() > 5:  # the archive must lead: its file follows
            return ""
        if first.group().lower().endswith("files"):  # an office's files: "S/S–NSC files, lot…"
            found = citation[first.start():]
        else:
            comma = citation.find(",", first.end())
            found = citation[comma + 1:] if comma >= 0 else ""
    # A marking run on without its full stop ('POL 26 S VIET Top Secret; Eyes Only') ends it.
    found = _RUN_ON_MARKING.split(found, maxsplit=1)[0].strip(" ,;:.")
    return found if 1 < len(found) <= _MAX_CALL_NUMBER else ""


# --- Document type from the title --------------------------------------------------------

_TYPES = [
    (r"editorial note", "Editorial Note"),
    (r"(memorandum|transcript|record|notes?) of (a )?telephone conversation|"
     r"telephone conversation", "Telephone Conversation"),
    (r"memorandum of (a )?conversation", "Memorandum of Conversation"),
    (r"memorandum for the record", "Memorandum for the Record"),
    (r"memorandum of (a )?discussion", "Memorandum of Discussion"),
    (r"national security action memorandum", "National Security Action Memorandum"),
    (r"national security (study|decision) memorandum", "National Security Memorandum"),
    (r"(special )?national intelligence estimate", "National Intelligence Estimate"),
    (r"intelligence (memorandum|note|report|information cable|brief)", "Intelligence Report"),
    (r"(circular )?telegram|cable", "Telegram"),
    (r"airgram", "Airgram"),
    (r"despatch|dispatch", "Despatch"),
    (r"backchannel message|message", "Message"),
    (r"letter", "Letter"),
    (r"minutes", "Minutes"),
    (r"record of actions?", "Record of Action"),
    (r"(notes|record|summary) of (a |the )?(meeting|conversation|conference|discussion)",
     "Meeting Notes"),
    (r"memorandum", "Memorandum"),
    (r"(position |policy |working |discussion |briefing |talking )?paper", "Paper"),
    (r"study|estimate|analysis", "Study"),
    (r"report", "Report"),
    (r"instruction", "Instruction"),
    (r"diary entry|diary", "Diary Entry"),
    (r"aide-m[ée]moire", "Aide-Mémoire"),
    (r"note", "Diplomatic Note"),
    (r"press release|press statement|statement|communiqu[ée]", "Statement"),
    (r"address|speech|remarks", "Speech"),
    (r"agreement|treaty|protocol|convention", "Agreement"),
    (r"resolution", "Resolution"),
    (r"directive", "Directive"),
    (r"summary", "Summary"),
]
_TYPE_PATTERNS = [(re.compile(rf"\b(?:{p})\b", re.IGNORECASE), name) for p, name in _TYPES]
_TYPE_WINDOW = 60  # the type word comes first in FRUS titles: "Telegram From …", "Letter From …"
_NOTE_TYPE = re.compile(r":\s*(Telegram|Airgram|Despatch|Instruction|Circular telegram)\s*$", re.I)


def recognise_document_type(title: str, source_note: str = "") -> str:
    """'Telegram From the Embassy in Japan…' → 'Telegram'; '' when the title does not say.

    Older volumes title documents by sender and recipient only ("The Secretary of State to the
    Ambassador in China"); their source note may end with the type ("893.00/1–1052: Telegram").
    """
    head = title[:_TYPE_WINDOW]
    best: tuple[int, int, str] | None = None
    for pattern, name in _TYPE_PATTERNS:
        match = pattern.search(head)
        if match and (best is None or (match.start(), -len(match.group())) < best[:2]):
            best = (match.start(), -len(match.group()), name)
    if best is not None and best[0] <= 25:
        return best[2]
    hint = _NOTE_TYPE.search(source_note.strip())
    if hint:
        return "Telegram" if "telegram" in hint.group(1).lower() else hint.group(1).title()
    return best[2] if best else ""


# --- Dates written in prose --------------------------------------------------------------

_MONTH_NAMES = "|".join(m.capitalize() for m in MONTHS)
_PROSE_DATE = re.compile(rf"\b({_MONTH_NAMES})\s+(\d{{1,2}})(?:,\s*(\d{{4}}))?\b")
_MONTH_YEAR = re.compile(rf"^\s*({_MONTH_NAMES})\s+(\d{{4}})\s*$")


def date_from_prose(text: str, context_heading: str = "") -> str:
    """An EDTF day from 'December 19, 1969' in a title; the year may come from a chapter
    heading such as 'January 1961' (microfiche supplements). '' when nothing is certain."""
    match = _PROSE_DATE.search(text)
    if not match:
        return ""
    month = MONTHS.index(match.group(1).lower()) + 1
    year = match.group(3)
    if year is None:
        heading = _MONTH_YEAR.match(context_heading or "")
        if not heading or MONTHS.index(heading.group(1).lower()) + 1 != month:
            return ""
        year = heading.group(2)
    day = int(match.group(2))
    if not 1 <= day <= 31:
        return ""
    return f"{int(year):04d}-{month:02d}-{day:02d}"


# --- People across volumes -----------------------------------------------------------------

_HONORIFICS = {
    "general", "gen", "admiral", "adm", "colonel", "col", "lt", "lieutenant", "major", "maj",
    "captain", "capt", "brigadier", "field", "marshal", "air", "vice", "rear", "commander",
    "sir", "dr", "mr", "mrs", "ms", "ambassador", "senator", "sen", "judge", "bishop",
    "father", "rev", "reverend", "prince", "princess", "king", "queen", "sheikh", "shaikh",
    "lord", "lady", "count", "baron", "chief", "sergeant", "sgt", "governor", "gov",
}
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}


def fold(text: str) -> str:
    """Lowercase ASCII-ish form: accents dropped, punctuation to spaces, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[’'`´]", "", text)
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def person_source_key(name: str) -> str:
    """A key that recognises one person across volumes' lists of persons.

    'Abrams, General Creighton W., Jr.', 'Abrams, Creighton W.' → 'frus:abrams|creighton';
    'Ackley, H. Gardner' and 'Ackley, Gardner' → 'frus:ackley|gardner'. Surname plus the first
    given name that is not an initial, rank or suffix: middle initials vary between volumes.
    """
    name = re.sub(r"\([^)]*\)", " ", name)
    surname, _, given = name.partition(",")
    tokens = [t for t in fold(given).split() if t not in _HONORIFICS and t not in _SUFFIXES]
    full = [t for t in tokens if len(t) > 1]
    first = full[0] if full else "".join(tokens)
    surname_key = fold(surname)
    return f"frus:{surname_key}|{first}" if first else f"frus:{surname_key}"


def organization_source_key(name: str) -> str:
    """'the Department of State' and 'Department of State' are one sender."""
    folded = fold(name)
    return "frus-org:" + re.sub(r"^the ", "", folded)
