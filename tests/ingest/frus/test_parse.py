"""Reading a volume is plain Python: no database, no Django (a second process parses ahead)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from declassified.ingest.frus import FrusFormatError, parse_or_error, parse_volume

FIXTURES = Path(__file__).parent / "fixtures"

READ_WITHOUT_DJANGO = """
import sys
from declassified.ingest.frus import parse_volume
volume = parse_volume(sys.argv[1])
print(len(volume.documents), volume.volume_id)
print(sorted(m for m in sys.modules if m.startswith(("django.db", "declassified.archive.models"))))
"""


def test_the_package_reads_a_volume_in_a_process_without_django_settings():
    environment = {"PATH": "/usr/bin:/bin"}  # no DJANGO_SETTINGS_MODULE, no database
    result = subprocess.run([sys.executable, "-c", READ_WITHOUT_DJANGO, str(FIXTURES / "structure.xml")],
                            env=environment, capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == ["3 frustest-structure", "[]"]


def test_a_volume_becomes_plain_data_with_its_chapters_persons_terms_and_documents():
    volume = parse_volume(FIXTURES / "structure.xml")
    assert [c.source_id for c in volume.chapters] == [
        "frustest-structure/comp1", "frustest-structure/ch1", "frustest-structure/ch2",
        "frustest-structure/ch2sub1"]
    assert {p.source_key for p in volume.persons} >= {"frus:rusk|dean"}
    assert [(t.xml_id, t.term) for t in volume.terms] == [("t_NSC1", "NSC"), ("t_USUN1", "USUN")]
    first = volume.documents[0]
    assert (first.source_id, first.date, first.chapters) == (
        "frustest-structure/d1", "1961-01-12", ["frustest-structure/comp1", "frustest-structure/ch1"])
    assert 'href="frus-person/' in first.body_html  # linked to the person's page when written


def test_parse_or_error_hands_the_format_error_back_instead_of_raising():
    outcome = parse_or_error(FIXTURES / "broken" / "not-tei.xml")
    assert isinstance(outcome, FrusFormatError)
    assert (outcome.line, outcome.path) == (2, str(FIXTURES / "broken" / "not-tei.xml"))
