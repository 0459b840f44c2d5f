"""Two `declassified worker` processes share the task queue (issue 18.3): one is killed with
kill -9 in the middle of an import; the other finishes the job, and nothing is imported twice.

Real processes on one database of their own (a SQLite file, or a PostgreSQL database made for
this module on the PostgreSQL pass), real FRUS volumes from ../shared/corpus.
"""

from __future__ import annotations

import os
import signal
import subprocess

import pytest

from tests.servers import (
    DECLASSIFIED,
    FRUS_VOLUMES,
    assert_imported_once,
    kill_a_worker_mid_import,
    query,
    shared_database,
)

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not FRUS_VOLUMES.is_dir(), reason=f"the FRUS corpus is not at {FRUS_VOLUMES}"),
]


def test_a_worker_killed_mid_import_leaves_the_job_to_the_other_which_imports_nothing_twice(
        tmp_path):
    with shared_database(tmp_path) as database_url:
        # Workers apart from the web nodes: they keep no search index.
        common = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0",
                  "DECLASSIFIED_INDEXER_THREAD": "0", "DECLASSIFIED_JOBS_UPDATE_INDEX": "0"}
        envs = [{**common, "DECLASSIFIED_DATA_DIR": str(tmp_path / name)} for name in "ab"]
        subprocess.run([DECLASSIFIED, "migrate", "-v0"], env=envs[0], check=True, timeout=300)
        workers = {name: subprocess.Popen([DECLASSIFIED, "worker"], env=env,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                   for name, env in zip("ab", envs, strict=True)}
        try:
            finished, victim = kill_a_worker_mid_import(
                database_url, envs[0], {name: w.pid for name, w in workers.items()},
                lambda name: workers[name].send_signal(signal.SIGKILL))
            survivor = workers["b" if victim == "a" else "a"]
            assert finished["worker"].endswith(f":{survivor.pid}")
            assert finished["attempts"] == 2
            assert_imported_once(database_url, finished)
            # The dead worker's task was closed, and the job ran again as a new task.
            tasks = query(database_url, "SELECT COUNT(*), SUM(CASE WHEN status = 'FAILED' "
                                        "THEN 1 ELSE 0 END) FROM django_tasks_database_dbtaskresult")
            assert tuple(tasks) == (2, 1)
            assert not [p for name in "ab" for p in (tmp_path / name).glob("search-index/*")]
        finally:
            for worker in workers.values():
                worker.kill()
                worker.wait(timeout=30)
