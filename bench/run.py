"""`make bench`: every benchmark, each printing its figures (see docs/performance.md).

    python bench/run.py                 # pages, search (100k), FRUS import
    python bench/run.py pages search    # a selection
Each benchmark is also runnable on its own with its own options.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = {
    "pages": ["pages_bench.py"],
    "search": ["search_bench.py", "--docs", "100000"],
    "frus": ["frus_bench.py"],
}


def main(selected: list[str]) -> int:
    unknown = [name for name in selected if name not in BENCHES]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHES)}")
        return 2
    failed = 0
    for name in selected or list(BENCHES):
        script, *args = BENCHES[name]
        if not (HERE / script).exists():
            print(f"== {name}: {script} missing")
            failed += 1
            continue
        print(f"== {name}", flush=True)
        failed += subprocess.call([sys.executable, str(HERE / script), *args]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
