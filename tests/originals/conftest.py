"""Fixtures of originals: the scan corpus's documents, made the documented way."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

SCANS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "scans"


@pytest.fixture
def invented_documents(db):
    """The scan corpus's 12 invented Russian and Chinese memoranda, created from their truth
    files with their English translations by `declassified import-scan-truth`."""
    from declassified.archive.models import Document

    if not (SCANS / "manifest.csv").exists():
        pytest.skip("the scan corpus (../shared/corpus/scans) is not here")
    call_command("import_scan_truth", str(SCANS), stdout=StringIO())
    return list(Document.objects.filter(source_id__startswith="invented/").order_by("source_id"))
