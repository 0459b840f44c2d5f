"""A local cluster on one machine (issue 18.6): `make cluster` / `make cluster-down`.

    python scripts/cluster.py up   [--dir .cluster] [--port 8100]
    python scripts/cluster.py down [--dir .cluster]

What `up` starts, each in its own processes, all on 127.0.0.1:

    HAProxy on PORT ──► node a: declassified serve --no-worker on PORT+1
                    └─► node b: declassified serve --no-worker on PORT+2
    workers 1 and 2: declassified worker (imports, page rendering, OCR: the task queue)
    PostgreSQL primary on PORT+10, a streaming replica on PORT+11 (scripts/pg_pair.py)
    an S3 server on PORT+12 (moto's standalone server): the bucket of every file

Each node has its own data directory (its own search index, following the change log in
the database) and reads anonymously from the replica; the workers share the task queue in
the primary. Every file (originals, page masters, uploads) is in the S3 bucket
(DECLASSIFIED_STORAGE_URL). The sample archive is loaded once. `cluster.json` in the folder
says where everything is; `down` stops it all and removes the folder.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DECLASSIFIED = str(Path(sys.executable).with_name("declassified"))
_spec = importlib.util.spec_from_file_location("pg_pair", ROOT / "scripts" / "pg_pair.py")
assert _spec and _spec.loader
pg_pair = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pg_pair)

NODES = ("a", "b")
WORKERS = ("1", "2")
BUCKET = "archive"
HAPROXY = """global
    maxconn 4000
defaults
    mode http
    timeout connect 1s
    timeout client 60s
    timeout server 60s
    # A node that refuses the connection or dies before answering: the request goes to the
    # other node (idempotent requests only, for the last two).
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout
frontend web
    bind 127.0.0.1:{port}
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk
    http-check send meth GET uri /robots.txt ver HTTP/1.1 hdr Host localhost
    # A check waits its turn behind the node's requests: give it time under load (a node
    # killed refuses the connection at once; requests sent to it meanwhile are redispatched).
    timeout check 5s
    default-server inter 1s fall 3 rise 2
{servers}
"""


def pg_folder(folder: Path) -> Path:
    """PostgreSQL's folder: under /tmp, which the postgres account can reach (a checkout
    under /root may not be)."""
    digest = hashlib.sha1(str(folder.resolve()).encode()).hexdigest()[:10]
    return Path("/tmp") / f"declassified-cluster-pg-{digest}"


def node_env(state: dict, name: str) -> dict:
    return {**os.environ, "DECLASSIFIED_DATA_DIR": state["nodes"][name]["data"],
            "DATABASE_URL": state["primary"], "DATABASE_REPLICA_URLS": state["replica"],
            "SECRET_KEY": state["secret_key"], "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DECLASSIFIED_STORAGE_URL": storage_url(state), "DEBUG": "0"}


def worker_env(state: dict, name: str) -> dict:
    """A worker writes: it needs the primary only. It keeps no search index (the nodes'
    indexes follow the change log)."""
    return {**os.environ, "DECLASSIFIED_DATA_DIR": state["workers"][name]["data"],
            "DATABASE_URL": state["primary"], "SECRET_KEY": state["secret_key"],
            "DECLASSIFIED_STORAGE_URL": storage_url(state), "DEBUG": "0",
            "DECLASSIFIED_JOBS_UPDATE_INDEX": "0"}


def storage_url(state: dict) -> str:
    s3 = state["s3"]
    return f"s3://{s3['key']}:{s3['secret']}@127.0.0.1:{s3['port']}/{BUCKET}?tls=0"


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def wait_for(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not answers(url):
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not answer within {seconds:.0f} s")
        time.sleep(0.2)


def start_node(state: dict, name: str) -> None:
    """Start (or restart) one node's `declassified serve` and wait until it answers."""
    node = state["nodes"][name]
    log = open(Path(node["data"]).parent / f"node-{name}.log", "a")
    server = subprocess.Popen([DECLASSIFIED, "serve", "--no-worker", "--port", str(node["port"])],
                              env=node_env(state, name), stdout=log, stderr=log,
                              start_new_session=True)
    node["pid"] = server.pid
    save(state)  # before anything else can fail: `down` must find this process
    wait_for(f"http://127.0.0.1:{node['port']}/robots.txt")


def start_worker(state: dict, name: str) -> None:
    """Start (or restart) one `declassified worker`."""
    worker = state["workers"][name]
    log = open(Path(worker["data"]).parent / f"worker-{name}.log", "a")
    process = subprocess.Popen([DECLASSIFIED, "worker"], env=worker_env(state, name),
                               stdout=log, stderr=log, start_new_session=True)
    worker["pid"] = process.pid
    save(state)


def kill_node(state: dict, name: str, sig: int = signal.SIGKILL) -> None:
    """Signal the node's whole process group (the server and its processes)."""
    _kill(state["nodes"][name], sig)


def kill_worker(state: dict, name: str, sig: int = signal.SIGKILL) -> None:
    _kill(state["workers"][name], sig)


def _kill(process: dict, sig: int) -> None:
    if "pid" not in process:
        return  # `up` failed before starting it
    try:
        os.killpg(process["pid"], sig)
    except ProcessLookupError:
        pass


def wait_until_gone(group: int, seconds: float = 30) -> None:
    """Wait for a node's graceful stop (it finishes requests in flight), so that its port
    is free when `down` returns; a node that does not stop in time is killed."""
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            try:
                os.waitpid(group, os.WNOHANG)  # reaped if this process started it
            except ChildProcessError:
                pass
            os.killpg(group, 0)
            time.sleep(0.1)
        os.killpg(group, signal.SIGKILL)
    except ProcessLookupError:
        pass


def up(folder: Path, port: int) -> dict:
    if shutil.which("haproxy") is None:
        subprocess.run(["bash", str(ROOT / "scripts" / "cluster-deps.sh")], check=True)
    folder.mkdir(parents=True, exist_ok=True)
    primary, replica = pg_pair.start(pg_folder(folder), port + 10)
    state = {"folder": str(folder), "port": port, "primary": primary, "replica": replica,
             "pg": str(pg_folder(folder)), "secret_key": secrets.token_urlsafe(50),
             "nodes": {name: {"port": port + 1 + n, "data": str(folder / f"node-{name}")}
                       for n, name in enumerate(NODES)},
             "workers": {name: {"data": str(folder / f"worker-{name}")} for name in WORKERS},
             "s3": {"port": port + 12, "key": "cluster", "secret": secrets.token_hex(16)}}
    save(state)  # before anything else can fail: `down` must find every process
    start_s3(state)
    subprocess.run([DECLASSIFIED, "setup"], env=node_env(state, "a"), check=True,
                   stdout=subprocess.DEVNULL)
    for name in WORKERS:
        start_worker(state, name)
    for name in NODES:
        start_node(state, name)
    servers = "\n".join(f"    server {name} 127.0.0.1:{state['nodes'][name]['port']} check"
                        for name in NODES)
    (folder / "haproxy.cfg").write_text(HAPROXY.format(port=port, servers=servers))
    subprocess.run(["haproxy", "-f", str(folder / "haproxy.cfg"), "-D",
                    "-p", str(folder / "haproxy.pid")], check=True)
    wait_for(f"http://127.0.0.1:{port}/")
    save(state)
    return state


def start_s3(state: dict) -> None:
    """moto's standalone S3 server (from the test dependencies) and the archive's bucket."""
    import boto3  # django-storages' S3 client, a dependency of the archive

    s3 = state["s3"]
    log = open(Path(state["folder"]) / "s3.log", "a")
    server = subprocess.Popen([str(Path(sys.executable).with_name("moto_server")), "-H",
                               "127.0.0.1", "-p", str(s3["port"])], stdout=log, stderr=log,
                              start_new_session=True)
    s3["pid"] = server.pid
    save(state)
    wait_for(f"http://127.0.0.1:{s3['port']}/moto-api/")
    boto3.client("s3", endpoint_url=f"http://127.0.0.1:{s3['port']}", region_name="us-east-1",
                 aws_access_key_id=s3["key"], aws_secret_access_key=s3["secret"],
                 ).create_bucket(Bucket=BUCKET)


def save(state: dict) -> None:
    (Path(state["folder"]) / "cluster.json").write_text(json.dumps(state, indent=2))


def down(folder: Path) -> None:
    try:
        state = json.loads((folder / "cluster.json").read_text())
    except FileNotFoundError:
        state = None
    if state:
        processes = [*state["nodes"].values(), *state.get("workers", {}).values(),
                     state.get("s3", {})]
        for process in processes:
            _kill(process, signal.SIGTERM)
        for process in processes:
            if "pid" in process:
                wait_until_gone(process["pid"])
    pid_file = folder / "haproxy.pid"
    if pid_file.exists():
        for pid in pid_file.read_text().split():
            try:
                os.kill(int(pid), signal.SIGTERM)
            except ProcessLookupError:
                pass
    pg_pair.stop(Path(state["pg"]) if state else pg_folder(folder))
    shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description="A local Declassified cluster.")
    parser.add_argument("command", choices=["up", "down"])
    parser.add_argument("--dir", default=str(ROOT / ".cluster"))
    parser.add_argument("--port", type=int, default=8100)
    args = parser.parse_args()
    folder = Path(args.dir)
    if args.command == "down":
        down(folder)
        print("The cluster is down.")
        return 0
    if (folder / "cluster.json").exists():
        raise SystemExit(f"A cluster is already up in {folder}; `make cluster-down` first.")
    try:
        state = up(folder, args.port)
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        down(folder)  # nothing half-started is left behind
        raise SystemExit(f"The cluster could not start: {error}") from None
    nodes = ", ".join(f"node {name} http://127.0.0.1:{node['port']}/"
                      for name, node in state["nodes"].items())
    print(f"The cluster is up: http://127.0.0.1:{args.port}/ (HAProxy) → {nodes}; "
          f"{len(state['workers'])} workers; "
          f"PostgreSQL {state['primary']} with a replica at {state['replica']}; "
          f"S3 at http://127.0.0.1:{state['s3']['port']}/ (bucket {BUCKET}). "
          "`make cluster-down` stops it.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
