"""Extract the FRUS sample documents from the shared corpus into samples/ (run by hand).

    .venv/bin/python scripts/frus_samples.py [--corpus ../shared/corpus/frus]

Reads the volumes named in SELECTION through the FRUS parser (declassified.ingest.frus, no
database), and writes:

- samples/frus-sino-soviet.jsonl: one row per chosen document in the tabular import format
  (docs/import-format.md), with its full text and footnotes as HTML, its FRUS source ID and
  address, number, participants, archive with call number, classification and the summary
  written for it below; `declassified load-samples` loads it like every other sample file.
- samples/collections.json: the entry of each volume the documents come from, as a
  documentary edition (series, volume, editors, publisher, year), from the volume's
  bibliography record. Other entries of the file are kept as they are.

The record IDs, summaries, subjects and extra collections are chosen here by hand; the rest
is the parser's. Running it again writes the same files.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from declassified.ingest.frus import parse_volume  # noqa: E402  (after the path is set)
from declassified.ingest.frus.body import PERSON_LINK  # noqa: E402
from declassified.ingest.frus.tei import local_name, plain_text  # noqa: E402
from declassified.ingest.frus.types import HSG, DocumentEntry, VolumeData  # noqa: E402

SAMPLES = ROOT / "samples"
OUTPUT = SAMPLES / "frus-sino-soviet.jsonl"
COLLECTIONS = SAMPLES / "collections.json"
COLLECTION = "Sino-Soviet Split in U.S. Government Records, 1960-1972"
BORDER = "Sino-Soviet Border Conflict, 1969"
RIGHTS = ("Public domain: a work of the United States Government (Foreign Relations of the "
          "United States, Office of the Historian).")
FIRST_ID = 101  # fixed record IDs 101, 102, … in SELECTION order (the seed's are 1–99)
SPLIT, BORDER_CLASH = "Sino-Soviet relations", "Sino-Soviet border"


@dataclass(frozen=True)
class Choice:
    source_id: str
    summary: str
    subjects: tuple[str, ...] = (SPLIT,)
    border: bool = False  # also in the collection on the 1969 border conflict
    document_type: str = ""  # where the parser finds none in the title


SELECTION: tuple[Choice, ...] = (
    Choice("frus1958-60v19/d336", "In Taipei, Eisenhower and Chiang Kai-shek talk about how the "
           "free world should face the Communist bloc, China's new treaty with Mongolia, and "
           "whether Moscow and Peking are heading for a split.", (SPLIT, "Taiwan")),
    Choice("frus1958-60v19/d344", "The intelligence community's estimate of where the alliance "
           "between the Soviet Union and an ever more assertive China will go in the next five "
           "years.", (SPLIT, "Intelligence estimates")),
    Choice("frus1958-60v19/d348", "State Department analysts find the rift between Moscow and "
           "Peking deeper since the Bucharest conference, with talk in Moscow of ending aid "
           "and recalling the Soviet technicians from China.", (SPLIT, "Economic aid")),
    Choice("frus1961-63v05/d6", "An estimate of the world situation as Kennedy takes office; "
           "the part printed here weighs Sino-Soviet relations and what their quarrel means "
           "for the future of communism.", (SPLIT, "Intelligence estimates")),
    Choice("frus1961-63v22/d49", "How far Moscow still commands the Communist world, with the "
           "Chinese challenge to Soviet authority at the heart of the estimate.",
           (SPLIT, "International communist movement", "Intelligence estimates")),
    Choice("frus1961-63v22/d62", "What Communist China could be as a world power ten years on; "
           "the estimate counts the Sino-Soviet dispute among the great unknowns.",
           (SPLIT, "Intelligence estimates")),
    Choice("frus1961-63v22/d80", "China's aims and likely moves in the Far East over the next "
           "two years, and how an open break with the Soviet Union would change them.",
           (SPLIT, "Intelligence estimates")),
    Choice("frus1961-63v22/d82", "A State Department aide recalls the Secretary's planning "
           "meeting on the paper \u201cThe Sino-Soviet Conflict and U.S. Policy\u201d and the views "
           "heard there on whether the United States should try to use the quarrel.",
           (SPLIT, "U.S. policy")),
    Choice("frus1961-63v05/d160", "The political scene in the USSR and the world Communist "
           "movement after the 22nd Party Congress, with the Sino-Soviet dispute as a main "
           "theme.", (SPLIT, "International communist movement", "Intelligence estimates")),
    Choice("frus1961-63v22/d99", "The editors describe the Policy Planning Council's paper of "
           "April 1962 on U.S. policy toward the Sino-Soviet conflict, and the intelligence "
           "estimate it rested on.", (SPLIT, "U.S. policy")),
    Choice("frus1961-63v22/d111", "The editors sum up the advice Kennedy received in May 1962 "
           "from Bohlen and from Kennan on where relations between China and the Soviet Union "
           "were heading.", (SPLIT, "U.S. policy")),
    Choice("frus1961-63v05/d244", "The CIA's weekly review notes that the Soviet Union has shut "
           "its last two consulates in China: one more sign of the steady decline in relations "
           "between the two governments.", (SPLIT, "Diplomatic relations"),
           document_type="Intelligence Review"),
    Choice("frus1961-63v22/d163", "The CIA's deputy director for intelligence sends a paper on "
           "the state of the Sino-Soviet dispute, which he finds both ideological and national "
           "and not likely to heal.", (SPLIT,)),
    Choice("frus1961-63v05/d298", "The Director of Central Intelligence doubts that his analysts "
           "judge the evidence of Sino-Soviet conflict objectively, and asks for a fresh "
           "appraisal.", (SPLIT, "Intelligence analysis")),
    Choice("frus1961-63v22/d181", "The National Security Council hears an estimate of a more "
           "militant Communist China; Kennedy and Rusk ask what the Sino-Soviet split has done "
           "to the military balance.", (SPLIT, "National Security Council")),
    Choice("frus1961-63v22/d186", "Chiang Ching-kuo brings Kennedy a request for aircraft and "
           "landing craft for raids on the mainland, and argues that the Sino-Soviet dispute is "
           "a chance to weaken the Chinese Communists.", (SPLIT, "Taiwan")),
    Choice("frus1961-63v05/d358", "Moscow and Peking wage open political warfare, each trying "
           "to discredit the other and win over the Communist parties abroad, both expecting "
           "a long conflict.", (SPLIT, "International communist movement"),
           document_type="Intelligence Review"),
    Choice("frus1961-63v22/d190", "The Bureau of Far Eastern Affairs asks for a new look at "
           "policy toward Communist China, given the deepening Sino-Soviet rift and a China "
           "close to the bomb.", (SPLIT, "U.S. policy", "Nuclear weapons")),
    Choice("frus1969-76v12/d22", "The editors set out what Kissinger told Nixon about the "
           "clash on the Sino-Soviet border of March 2, 1969, and the first American readings "
           "of it.", (SPLIT, BORDER_CLASH), border=True),
    Choice("frus1969-76v12/d64", "Nixon orders a study of the choices before the United States "
           "as the Sino-Soviet rivalry grows and Moscow tries to isolate China.",
           (SPLIT, "U.S. policy"), border=True),
    Choice("frus1969-76v12/d73", "After the armed clashes on the Ussuri in March, the "
           "intelligence community estimates how Sino-Soviet relations will develop over the "
           "next three years.", (SPLIT, BORDER_CLASH, "Intelligence estimates"), border=True),
    Choice("frus1969-76v12/d76", "A National Security Council staff member wants a much harder "
           "look at the two U.S. options drawn up for a major Sino-Soviet war.",
           (SPLIT, BORDER_CLASH, "U.S. policy"), border=True),
    Choice("frus1969-76v12/d79", "The editors follow the Washington Special Actions Group's "
           "work in September 1969 on U.S. policy toward the Sino-Soviet differences.",
           (SPLIT, BORDER_CLASH, "U.S. policy"), border=True),
    Choice("frus1969-76v12/d82", "Kissinger tells Nixon the little that is known of Kosygin's "
           "stop in Peking, and judges that the talks did not bring the two sides closer.",
           (SPLIT, BORDER_CLASH), border=True),
    Choice("frus1969-76v12/d88", "Kissinger reports that Soviet officials have been sounding "
           "out Americans on how the United States would take a Soviet strike on China's "
           "nuclear and missile sites.", (SPLIT, BORDER_CLASH, "Nuclear weapons"), border=True),
    Choice("frus1969-76v12/d101", "The editors describe the final answer to the study of "
           "Sino-Soviet differences ordered in July (NSSM 63), completed in November 1969.",
           (SPLIT, "U.S. policy")),
    Choice("frus1969-76v12/d111", "Kissinger passes on a CIA analysis: Peking feels forced into "
           "border talks and reads Soviet moves toward the West as preparation against China.",
           (SPLIT, BORDER_CLASH), border=True),
    Choice("frus1969-76v12/d200", "Haig forwards a follow-up to the concern the President's "
           "Foreign Intelligence Advisory Board raised about the Sino-Soviet conflict.",
           (SPLIT, "Intelligence analysis")),
    Choice("frus1969-76v12/d227", "An NSC staff member sums up a CIA study of the Soviet forces "
           "massed along the Chinese border, 37 to 41 divisions, and what they are meant for.",
           (SPLIT, BORDER_CLASH, "Military forces")),
    Choice("frus1969-76ve13/d146", "Late at night in Beijing, Zhou Enlai and Kissinger talk "
           "about the Soviet Union and its talks with China, the war in Vietnam and the "
           "American election campaign.", (SPLIT, "Sino-American relations")),
    Choice("frus1969-76ve13/d166", "In New York, Kissinger and Vice Foreign Minister Qiao "
           "Guanhua discuss a settlement in Vietnam, China's terms for its border talks with "
           "the Soviet Union, and their shared worries about the region.",
           (SPLIT, BORDER_CLASH, "Sino-American relations")),
)

# --- Documents ---------------------------------------------------------------------------------


def document_row(record_id: int, choice: Choice, entry: DocumentEntry,
                 volume: VolumeData, volume_title: str) -> dict:
    """One sample in the tabular import format (docs/import-format.md)."""
    names = {p.xml_id: person_name(p.source_key, p.name) for p in volume.persons}
    collections = [COLLECTION, volume_title] + ([BORDER] if choice.border else [])
    row = {
        "id": record_id, "source_id": entry.source_id, "source_url": entry.source_url,
        "title": entry.title, "date": entry.date, "date_detail": entry.date_detail[:100],
        "number": entry.number, "type": entry.document_type or choice.document_type,
        "classification": entry.classification, "summary": choice.summary,
        "language": ["en"], "collections": collections, "subjects": list(choice.subjects),
        "people": unique(names[p] for p in entry.person_ids if p in names),
        "authors": unique(names.get(p.person_id or "", p.name) for p in entry.senders),
        "places": [entry.place] if entry.place else [],
        "archive": entry.repository.name if entry.repository else "",
        "call_number": call_number(entry), "source": entry.source_note,
        "participants": "\n".join(participants(entry.body_html)), "rights": RIGHTS,
        "status": "published", "text": bare_names(entry.body_html),
        "text_kind": "transcript", "text_language": "en",
        "text_footnotes": bare_names(entry.footnotes_html),
    }
    return {key: value for key, value in row.items() if value not in ("", [])}


def unique(names) -> list[str]:
    seen: dict[str, None] = {}
    for name in names:
        seen.setdefault(name, None)
    return list(seen)


# One name per person across volumes (their lists spell a name differently), and the seed
# samples' spelling for those the seed names too: one person page, not two.
SEED_NAMES = {
    "frus:khrushchev|nikita": "Nikita Khrushchev", "frus:mao tse tung": "Mao Zedong",
    "frus:chou en lai": "Zhou Enlai", "frus:kosygin|aleksei": "Aleksei Kosygin",
    "frus:kosygin|alexei": "Aleksei Kosygin", "frus:ho chi minh": "Ho Chi Minh",
}
_NAME_BY_KEY: dict[str, str] = {}


def person_name(source_key: str, listed: str) -> str:
    """The name a sample gives the person the volume lists as `listed`."""
    return SEED_NAMES.get(source_key) or _NAME_BY_KEY.setdefault(source_key,
                                                                 reading_order(listed))


_TITLES = {"general", "ambassador", "admiral", "dr.", "mr.", "mrs.", "senator", "marshal",
           "brigadier", "colonel", "lt.", "major", "maj.", "gen.", "captain", "lieutenant",
           "commander", "prince"}


def reading_order(name: str) -> str:
    """'Abrams, General Creighton W., Jr.' → 'Creighton W. Abrams Jr.'; 'Aichi Kiichi' stays."""
    name = re.sub(r"\s*\([^)]*\)", "", name).strip(" ,")
    surname, comma, given = name.partition(",")
    if not comma:
        return name
    given_words = [w for w in given.replace(",", " ").split() if w.lower() not in _TITLES]
    suffix = [w for w in given_words if w in ("Jr.", "Sr.", "II", "III")]
    given_words = [w for w in given_words if w not in suffix]
    return " ".join([*given_words, surname.strip(), *suffix])


def bare_names(markup: str) -> str:
    """The parser's person placeholders as the bare name: sample records have no person
    pages of the volume to point to (the FRUS importer links them; see frus.write)."""
    return PERSON_LINK.sub(lambda match: match.group(3), markup)


def participants(body_html: str) -> list[str]:
    """The names of a memorandum's PARTICIPANTS list, one per person (group heads left out)."""
    if "list-participants" not in body_html:
        return []
    tree = lxml_html.fragment_fromstring(body_html, create_parent="div")
    found = []
    for listing in tree.xpath('//ul[contains(@class, "list-participants")]'):
        for item in listing.iter("li"):
            if item.find("ul") is None:
                found.append(re.sub(r"\s+", " ", item.text_content()).strip())
    return [name for name in found if name]


def call_number(entry: DocumentEntry) -> str:
    """Where the archive files the original, read from the source note: what follows the
    archive's name up to the classification ('Department of State, Central Files,
    661.93/8–2660. Secret. …' → 'Central Files, 661.93/8–2660')."""
    note = entry.source_note
    if not note or entry.repository is None:
        return ""
    end = note.find(f". {entry.classification}") if entry.classification else -1
    first = note[:end] if end > 0 else re.split(r"(?<!\b[A-Z][a-z])(?<!\bVol)(?<!\bNo)\.\s",
                                                note, maxsplit=1)[0]
    parts = re.split(r"[,:]\s", first, maxsplit=1)  # the archive's name, then the rest
    return parts[1].strip().rstrip(".")[:300] if len(parts) == 2 else ""


# --- Volumes -----------------------------------------------------------------------------------


def edition_entry(volume: VolumeData, bibliography: Path, documents: list[dict]) -> dict:
    """The volume as a documentary edition in collections.json, from its bibliography record."""
    root = etree.parse(str(bibliography / f"{volume.volume_id}.xml")).getroot()
    fields = {}
    for element in root:
        name = local_name(element)
        if name == "title":
            fields[element.get("type")] = plain_text(element)
        elif name in ("published-year", "coverage"):
            fields[f"{name}-{element.get('type', '')}"] = plain_text(element)
    editors = [plain_text(e) for e in root if local_name(e) == "editor"
               and e.get("role") == "primary"]
    volume_number = fields["volumenumber"].removeprefix("Volume ").strip()
    online = volume_number.startswith("E")
    count = len(documents)
    return {
        "title": fields["complete"], "source_id": volume.volume_id,
        "date_span": f"{fields['coverage-from']}/{fields['coverage-to']}",
        "short_description": f"A volume of the State Department's documentary history of U.S. "
                             f"foreign policy; {count} of its documents are in this archive as "
                             f"samples.",
        "description": f"<p>{fields['complete']}, edited by {', '.join(editors)} and published "
                       f"by the Office of the Historian of the U.S. Department of State "
                       f"({fields['published-year-']}"
                       f"{', online only' if online else ''}). The archive holds {count} of its "
                       f"documents, chosen for the collection <a href=\"collection:{COLLECTION}"
                       f"\">{COLLECTION}</a>; the whole volume is at "
                       f"<a href=\"{HSG}{volume.volume_id}\">history.state.gov</a>.</p>",
        "is_edition": True, "series_title": fields["sub-series"],
        "volume_number": volume_number, "volume_title": fields["volume"],
        "edition_editors": editors, "publisher": "Government Printing Office",
        "publisher_place": "Washington, DC", "published_year": fields["published-year-"],
        "medium": "online" if online else "print", "source_url": f"{HSG}{volume.volume_id}",
        "related": [COLLECTION],
    }


def extract(corpus: Path) -> tuple[list[dict], list[dict]]:
    """(document rows, edition entries) for SELECTION, in SELECTION's order."""
    wanted: dict[str, list[str]] = {}
    for choice in SELECTION:
        volume_id, _, xml_id = choice.source_id.partition("/")
        wanted.setdefault(volume_id, []).append(xml_id)
    volumes = {v: parse_volume(corpus / "volumes" / f"{v}.xml.gz") for v in wanted}
    rows_by_volume: dict[str, list[dict]] = {v: [] for v in wanted}
    titles = {v: edition_title(corpus, v) for v in wanted}
    rows = []
    for number, choice in enumerate(SELECTION):
        volume_id = choice.source_id.partition("/")[0]
        volume = volumes[volume_id]
        entry = next(d for d in volume.documents if d.source_id == choice.source_id)
        row = document_row(FIRST_ID + number, choice, entry, volume, titles[volume_id])
        rows.append(row)
        rows_by_volume[volume_id].append(row)
    editions = [edition_entry(volumes[v], corpus / "bibliography", rows_by_volume[v])
                for v in wanted]
    return rows, editions


def edition_title(corpus: Path, volume_id: str) -> str:
    root = etree.parse(str(corpus / "bibliography" / f"{volume_id}.xml")).getroot()
    return next(plain_text(e) for e in root
                if local_name(e) == "title" and e.get("type") == "complete")


def write(rows: list[dict], editions: list[dict]) -> None:
    OUTPUT.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows),
                      encoding="utf-8")
    entries = json.loads(COLLECTIONS.read_text(encoding="utf-8"))
    ours = {edition["title"] for edition in editions}
    kept = [entry for entry in entries if entry["title"] not in ours]
    COLLECTIONS.write_text(json.dumps(kept + editions, ensure_ascii=False, indent=2) + "\n",
                           encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/frus")
    arguments = parser.parse_args()
    rows, editions = extract(arguments.corpus)
    write(rows, editions)
    print(f"{OUTPUT.relative_to(ROOT)}: {len(rows)} documents; {COLLECTIONS.relative_to(ROOT)}: "
          f"{len(editions)} volumes")


if __name__ == "__main__":
    main()
