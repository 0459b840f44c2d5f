#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 for the PostgreSQL test run.
# Uses DATABASE_URL when it is set; otherwise starts the machine's local cluster if it is down.
set -u
if [ -n "${DATABASE_URL:-}" ]; then exit 0; fi
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then exit 0; fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && exit 0
    sleep 1
  done
fi
echo "PostgreSQL is not answering on 127.0.0.1:5432 (user postgres)." >&2
echo "Start it, or set DATABASE_URL=postgres://user@host:port/name for the PostgreSQL test run." >&2
exit 1
