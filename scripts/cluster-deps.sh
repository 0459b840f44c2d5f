#!/usr/bin/env bash
# The local cluster (`make cluster`) balances its web nodes with Debian's HAProxy and runs
# PostgreSQL's server programs (Debian's postgresql package). Installs what is missing when
# we may (root with apt-get); otherwise says what to do.
set -u
need=""
command -v haproxy >/dev/null 2>&1 || need="$need haproxy"
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need="$need postgresql"
[ -z "$need" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing$need for the local cluster…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null) \
    || { echo "Could not install$need; the local cluster cannot start." >&2; exit 1; }
  exit 0
fi
echo "The local cluster needs$need: run 'sudo apt-get install$need'." >&2
exit 1
