#!/usr/bin/env bash
# CI stage: the workshop room in a real browser (npm run test:room).
# Installs Debian's chromium where it is missing (as root, with apt-get), then
# runs the end-to-end test; it starts its own redis-server on a free port.
# Run it after `npm ci`, on the project Node. Its last line is the totals:
# "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/../.."

chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "== chromium is missing: apt-get install chromium"
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "cannot install chromium here (needs root and apt-get); install it or set CHROMIUM_PATH"
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
  fi
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; } >/tmp/cachelings-chromium-install.log 2>&1 || {
    tail -n 20 /tmp/cachelings-chromium-install.log
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
  }
fi
echo "== npm run test:room ($("$chromium" --version 2>/dev/null || echo chromium))"
npm run --silent test:room
