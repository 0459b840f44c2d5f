"""kill -9 of an import and of the job worker, then the same commands again: every document
once, no partial volume, no process left behind, and a search index without drift."""

from __future__ import annotations

import re
import time

import pytest

from tests.faults.conftest import (
    PATHS,
    corpus_needed,
    kill_group,
    kill_only,
    live_processes_in_group,
    wait_for,
)

pytestmark = corpus_needed
ENQUEUE = "from declassified.ingest import jobs; print(jobs.enqueue_frus_import({paths!r}).pk)"


def volume_sizes(report: str) -> dict[str, int]:
    """Documents per volume, as the import's own report states them."""
    return {volume: int(count)
            for volume, count in re.findall(r"^  (\S+): (\d+) documents", report, re.M)}


def assert_whole_and_clean(archive, expected: dict[str, int]) -> None:
    facts = archive.facts()
    assert facts["volumes"] == expected  # no partial volume, none lost
    assert facts["documents"] == facts["source_ids"] == sum(expected.values())  # no duplicate
    assert all(state == "done" for state in facts["jobs"]), facts["jobs"]
    check = archive.run("check-index")
    assert "The search index matches the database" in check.stdout


def kill_while_parsing_ahead(process, kill) -> None:
    """Wait for the parse-ahead child and for some writing, then kill -9."""
    wait_for(lambda: len(live_processes_in_group(process.pid)) >= 2, 60,
             "the parse-ahead process")
    time.sleep(0.7)
    assert process.poll() is None, "the import finished before it could be killed"
    kill(process)


def test_killing_an_import_leaves_no_orphan_and_running_it_again_completes(archive):
    importing = archive.start("import-frus", *PATHS)
    kill_while_parsing_ahead(importing, kill_only)  # the command alone, as kill -9 PID does
    wait_for(lambda: not live_processes_in_group(importing.pid), 5,
             "the parse-ahead process to die with its parent")

    again = archive.run("import-frus", *PATHS)
    expected = volume_sizes(again.stdout)
    assert len(expected) == 3
    resumed = archive.run("worker", "--once")  # the killed command's job, its worker dead
    assert "Queued again" in resumed.stdout
    assert_whole_and_clean(archive, expected)


def test_killing_the_worker_and_starting_it_again_finishes_the_job(archive):
    archive.run("shell", "-c", ENQUEUE.format(paths=PATHS))
    worker = archive.start("worker")
    kill_while_parsing_ahead(worker, kill_group)

    resumed = archive.run("worker", "--once")
    assert "Queued again" in resumed.stdout
    facts = archive.facts()
    assert facts["jobs"] == ["done"]
    report = archive.run("shell", "-c", (
        "from declassified.ingest.models import ImportJob; "
        "print('\\n'.join(f\"  {v['file'].split('/')[-1].split('.')[0]}: {v['documents']} documents\" "
        "for v in ImportJob.objects.get().report['volumes']))"
    )).stdout
    expected = volume_sizes(report)
    assert len(expected) == 3
    assert_whole_and_clean(archive, expected)


@pytest.fixture(autouse=True)
def _no_process_left(archive):
    yield
    for process in archive.started:
        assert not live_processes_in_group(process.pid), "a process outlived the test"
