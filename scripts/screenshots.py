"""Regenerate docs/screenshots/*.png (`make screenshots`).

Builds a fresh archive in a temporary data directory — the sample collection, plus a few
real FRUS volumes from ../shared/corpus when it and `import-frus` are there — serves it
with `declassified serve` (as in production) on a free port, and photographs the
collection, a document and a filtered search at 375, 768 and 1280 px with Debian's Chromium.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
SEED_COLLECTION = "Sino-Soviet Split, 1960-1984"
FRUS_DIR = ROOT.parent / "shared" / "corpus" / "frus"
# Volumes on China and the Sino-Soviet relationship, small enough to import in seconds.
FRUS_VOLUMES = ["frus1961-63v22.xml.gz", "frus1969-76ve13.xml.gz"]
# Phone, tablet and laptop viewports: the part of each page a reader first sees.
VIEWPORTS = {375: 812, 768: 1024, 1280: 900}


def run(env: dict, *args: str) -> str:
    print("$ declassified", " ".join(args), flush=True)
    result = subprocess.run([str(BIN / "declassified"), *args], env=env, cwd=ROOT,
                            capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"declassified {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def build_archive(env: dict) -> bool:
    """Migrate, load the samples, import FRUS volumes if possible; True when FRUS is in."""
    run(env, "migrate", "--noinput")
    run(env, "load-samples")
    volumes = [FRUS_DIR / "volumes" / name for name in FRUS_VOLUMES]
    with_frus = "import-frus" in run(env, "--help") and all(v.exists() for v in volumes)
    if with_frus:
        bibliography = FRUS_DIR / "bibliography"
        extra = ["--bibliography", str(bibliography)] if bibliography.is_dir() else []
        run(env, "import-frus", "--foreground", *extra, *map(str, volumes))
    else:
        print("FRUS volumes or import-frus not available: showing a sample document.")
    run(env, "reindex")
    return with_frus


def page_urls(env: dict, with_frus: bool) -> dict[str, str]:
    """{screenshot name: path} read from the archive just built."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "declassified.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from declassified.archive.models import Collection, Document

    seed = Collection.objects.get(title=SEED_COLLECTION)
    published = Document.objects.filter(status=Document.PUBLISHED)
    document = None
    if with_frus:  # a FRUS document of readable length with footnotes
        candidates = published.filter(source_id__startswith="frus1961-63v22/").order_by("pk")
        document = next((d for d in candidates.prefetch_related("texts")[:400] if any(
            t.footnotes and 2_500 < len(t.body) < 9_000 for t in d.texts.all())), None)
    document = document or seed.documents.order_by("date_earliest", "pk")[2]
    search = f"/search/?q=Soviet&collection={seed.pk}&sort=date"
    if with_frus:
        search = "/search/?q=Sino-Soviet&date_from=1960&date_to=1969&sort=date"
    return {"collection": seed.get_absolute_url(), "document": document.get_absolute_url(),
            "search": search}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(url: str, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("declassified serve stopped before it answered.")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"declassified serve did not answer at {url} within {seconds:.0f} s.")


def photograph(base_url: str, urls: dict[str, str]) -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for width, height in VIEWPORTS.items():
            context = browser.new_context(viewport={"width": width, "height": height},
                                          base_url=base_url)
            tab = context.new_page()
            for name, url in urls.items():
                response = tab.goto(url)
                if response is None or not response.ok:
                    sys.exit(f"{url} answered {response and response.status}")
                if name == "search":  # the chips show the filters; the results come first
                    tab.evaluate("() => document.querySelectorAll('details[open]')"
                                 ".forEach(panel => { panel.open = false; })")
                path = OUT / f"{name}-{width}.png"
                tab.screenshot(path=path)
                print(f"wrote {path.relative_to(ROOT)}  ({url})")
            context.close()
        browser.close()


def main() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="declassified-screenshots-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG")}
    env.update(DECLASSIFIED_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
    server = None
    try:
        urls = page_urls(env, build_archive(env))
        port = free_port()
        server = subprocess.Popen(
            [str(BIN / "declassified"), "serve", "--port", str(port), "--workers", "1"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        base_url = f"http://127.0.0.1:{port}"
        wait_until_serving(base_url + "/", server)
        photograph(base_url, urls)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=15)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
