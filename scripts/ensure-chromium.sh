#!/usr/bin/env bash
# Browser tests drive Debian's Chromium. Install it when it is missing and we may (root with apt-get);
# otherwise say why the browser tests will be skipped.
set -u
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
    || echo "WARNING: could not install chromium; the browser tests will be skipped."
else
  echo "NOTE: /usr/bin/chromium is missing and cannot be installed here (needs root and apt-get);"
  echo "      the browser tests will be skipped. Install it with: apt-get install chromium"
fi
exit 0
