#!/usr/bin/env bash
# Browser tests drive Debian's Chromium through Playwright (a browser download fails here).
# Installs the Debian package when it is missing and we may (root); otherwise says what to do.
set -u
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || { echo "Could not install chromium; browser tests will fail." >&2; exit 1; }
  exit 0
fi
echo "Browser tests need /usr/bin/chromium: run 'sudo apt-get install chromium'." >&2
exit 1
