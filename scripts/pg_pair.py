"""A PostgreSQL primary and a streaming replica of it, made from scratch in one folder, for
the replica tests and the local cluster (issue 18).

    python scripts/pg_pair.py start FOLDER [PORT]   # prints the two URLs; PORT, PORT+1
    python scripts/pg_pair.py stop FOLDER

The primary is a new cluster (initdb) with trust authentication on 127.0.0.1 only; the
replica is a copy of it made by pg_basebackup -R, which then follows it by streaming
replication. Both run under the `postgres` account when this runs as root (PostgreSQL
refuses root), from the server binaries of Debian's postgresql package.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
import time
from pathlib import Path

DATABASE = "declassified"


def bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise SystemExit("PostgreSQL's server programs are not installed (Debian: postgresql)")
    return Path(found[-1]).parent


def _as_owner(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, **kwargs)
    if done.returncode:
        raise RuntimeError(f"{' '.join(argv)} failed: {done.stderr.strip() or done.stdout}")
    return done


def _own(path: Path) -> None:
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(path, account.pw_uid, account.pw_gid)


def start(folder: Path, port: int) -> tuple[str, str]:
    """Start both servers (making them the first time); the primary's and the replica's URL."""
    folder.mkdir(parents=True, exist_ok=True)
    _own(folder)
    os.chmod(folder, 0o755)
    tools = bin_dir()
    primary, replica = folder / "primary", folder / "replica"
    if not primary.exists():
        _as_owner([str(tools / "initdb"), "-D", str(primary), "-U", "postgres",
                   "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write(f"\nport = {port}\nlisten_addresses = '127.0.0.1'\n"
                       f"unix_socket_directories = '{folder}'\nwal_level = replica\n"
                       "max_wal_senders = 5\nhot_standby = on\nfsync = off\n")
        with open(primary / "pg_hba.conf", "a") as hba:
            hba.write("\nhost replication postgres 127.0.0.1/32 trust\n")
    _pg_ctl(primary, "start")
    url = f"postgres://postgres@127.0.0.1:{port}"
    if not replica.exists():
        _as_owner(["psql", f"{url}/postgres", "-qc", f"CREATE DATABASE {DATABASE}"])
        _as_owner([str(tools / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(port),
                   "-U", "postgres", "-D", str(replica), "-R", "-X", "stream",
                   "--checkpoint=fast", "--no-sync"])
        with open(replica / "postgresql.conf", "a") as conf:
            conf.write(f"\nport = {port + 1}\n")
    _pg_ctl(replica, "start")
    return f"{url}/{DATABASE}", f"postgres://postgres@127.0.0.1:{port + 1}/{DATABASE}"


def _pg_ctl(data: Path, action: str) -> None:
    if action == "start" and (data / "postmaster.pid").exists():
        return
    log = data.parent / f"{data.name}.log"
    try:
        _as_owner([str(bin_dir() / "pg_ctl"), "-D", str(data), "-w", "-t", "60", "-l", str(log),
                   action, *(["-m", "fast"] if action == "stop" else [])])
    except RuntimeError as error:
        said = log.read_text(errors="replace").strip().splitlines()[-3:] if log.exists() else []
        raise RuntimeError(f"PostgreSQL in {data} did not {action}: "
                           + (" / ".join(said) or str(error))) from None


def stop_replica(folder: Path) -> None:
    _pg_ctl(folder / "replica", "stop")


def start_replica(folder: Path) -> None:
    _pg_ctl(folder / "replica", "start")


def stop(folder: Path, *, remove: bool = True) -> None:
    for name in ("replica", "primary"):
        if (folder / name / "postmaster.pid").exists():
            _pg_ctl(folder / name, "stop")
    if remove:
        shutil.rmtree(folder, ignore_errors=True)


def wait_replayed(primary_url: str, replica_url: str, timeout: float = 30) -> None:
    """Until the replica has replayed everything the primary has written so far."""
    import psycopg

    with psycopg.connect(primary_url, autocommit=True) as connection:
        target = connection.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
    deadline = time.monotonic() + timeout
    with psycopg.connect(replica_url, autocommit=True) as connection:
        while True:
            done = connection.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn",
                                      [target]).fetchone()[0]
            if done:
                return
            if time.monotonic() > deadline:
                raise TimeoutError("the replica did not catch up")
            time.sleep(0.05)


if __name__ == "__main__":
    command, where = sys.argv[1], Path(sys.argv[2])
    if command == "start":
        print(*start(where, int(sys.argv[3]) if len(sys.argv) > 3 else 55432))
    elif command == "stop":
        stop(where)
    else:
        raise SystemExit("usage: pg_pair.py start|stop FOLDER [PORT]")
