"""Helpers for tests that run the archive in processes of its own, as a deployment does:
servers (`declassified runserver`), commands, and the scripts under scripts/ (pg_pair.py,
cluster.py) loaded as modules."""

from __future__ import annotations

import importlib.util
import subprocess
import time
from pathlib import Path
from types import ModuleType

import requests

from tests.api.test_database_busy import DECLASSIFIED, SETUP, free_port

ROOT = Path(__file__).resolve().parent.parent
__all__ = ["DECLASSIFIED", "SETUP", "check_index_settled", "free_port", "script",
           "start_server"]


def script(name: str) -> ModuleType:
    """scripts/<name>.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def start_server(env: dict) -> tuple[str, subprocess.Popen]:
    """`declassified runserver` on a free port with `env`, once it answers /: (base URL,
    process). The first request also starts its indexer thread."""
    port = free_port()
    server = subprocess.Popen([DECLASSIFIED, "runserver", f"127.0.0.1:{port}", "--noreload"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(base + "/", timeout=10)
            return base, server
        except requests.ConnectionError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise
            time.sleep(0.2)


def check_index_settled(env: dict, seconds: float = 60) -> subprocess.CompletedProcess:
    """`declassified check-index` for the node of `env`, once its indexer has applied what
    is waiting (or `seconds` have passed)."""
    deadline = time.monotonic() + seconds
    while True:
        checked = subprocess.run([DECLASSIFIED, "check-index"], env=env, text=True,
                                 capture_output=True, timeout=120)
        if "waiting index tasks: 0" in checked.stdout or time.monotonic() > deadline:
            return checked
        time.sleep(0.5)
