#!/usr/bin/env bash
# CI stage: the kata on a Windows-style checkout, simulated on Linux. Git for
# Windows clones with core.autocrlf=true, which writes CRLF into every text file
# unless .gitattributes says otherwise. In such a clone of the committed HEAD:
#   1. no tracked text file has a CR (except the fixtures that keep CRLF on purpose);
#   2. npm ci, then npm run progress: every lesson "not started" on a fresh clone;
#   3. a starter saved with CRLF by an editor still counts as not edited;
#   4. npm test;
#   5. the local cluster script, as the Compose cluster service runs it
#      (sh scripts/redis-local.sh cluster), and npm run redis:up -- --local, both on
#      ports of their own, then stopped: never the shared 6379 and cluster.
# Run it after npm ci, on the project Node. The last line is the totals:
# "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/../.."
export NO_COLOR=1

passed=0 failed=0 skipped=0
ok() { echo "  ✓ $*"; passed=$((passed + 1)); }
bad() { echo "  ✗ $*"; failed=$((failed + 1)); }

work=$(mktemp -d)
clone="$work/cachelings"
# Moved ports for this stage only (CACHELINGS_CRLF_PORT_BASE moves them again).
base=${CACHELINGS_CRLF_PORT_BASE:-7340}
sh_ports="$base-$((base + 5))" node_ports="$((base + 10))-$((base + 15))" node_redis=$((base - 2))
cleanup() {
  if [ -d "$clone" ]; then
    (cd "$clone" && CLUSTER_PORTS="$sh_ports" REDIS_PORT=$((base - 1)) CACHELINGS_REDIS_DIR="$work/sh-redis" sh scripts/redis-local.sh down >/dev/null 2>&1)
    (cd "$clone" && CACHELINGS_REDIS_PORT=$node_redis CACHELINGS_CLUSTER_PORTS="$node_ports" npm run --silent redis:down >/dev/null 2>&1)
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== git clone -c core.autocrlf=true (as Git for Windows does)"
git clone --quiet -c core.autocrlf=true "$(pwd)" "$clone" || { echo "clone failed"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
cd "$clone" || exit 1
git config core.autocrlf true

with_cr=$(git ls-files -z | xargs -0 grep -lI $'\r' -- 2>/dev/null | grep -v '^test/08-best-practices/fixtures/' || true)
if [ -z "$with_cr" ]; then ok "no tracked text file has CRLF ($(git ls-files | wc -l) files)"; else bad "CRLF in: $with_cr"; fi

echo "== npm ci"
if ! npm ci --no-audit --no-fund --prefer-offline >"$work/npm-ci.log" 2>&1; then
  tail -n 20 "$work/npm-ci.log"
  bad "npm ci failed"
  echo "$passed passed, $failed failed, $skipped skipped"
  exit 1
fi

export CACHELINGS_STATE_DIR="$work/state"
progress_check() {
  local what=$1 out
  out=$(npm run --silent progress 2>&1)
  local started
  started=$(echo "$out" | grep -c '◐' || true)
  if [ "$started" -eq 0 ] && echo "$out" | grep -q 'not started'; then ok "npm run progress: every lesson not started ($what)"
  else echo "$out"; bad "npm run progress calls $started lesson(s) started ($what)"; fi
}
progress_check "fresh clone"

starter=$(git ls-files 'lessons/*.ts' | head -n 1)
sed -i 's/$/\r/' "$starter"
progress_check "$starter saved with CRLF"
git checkout --quiet -- "$starter"

echo "== npm test"
log="$work/npm-test.log"
npm test 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
if [ -n "$line" ]; then
  passed=$((passed + $(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')))
  failed=$((failed + $(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')))
  skipped=$((skipped + $(echo "$line" | grep -oE '[0-9]+ skipped' | grep -oE '[0-9]+' || echo 0)))
fi
[ "$rc" -eq 0 ] || [ -n "$line" ] || bad "npm test failed before it could count"

echo "== sh scripts/redis-local.sh cluster (the Compose cluster's entry point), on $sh_ports"
if ! command -v redis-server >/dev/null; then
  echo "  ○ skipped: no redis-server here"; skipped=$((skipped + 2))
else
  if CLUSTER_PORTS="$sh_ports" REDIS_PORT=$((base - 1)) CACHELINGS_REDIS_DIR="$work/sh-redis" sh scripts/redis-local.sh cluster \
    && CLUSTER_PORTS="$sh_ports" sh scripts/redis-local.sh cluster-check; then
    ok "the POSIX cluster script runs from the CRLF clone: cluster_state:ok on $sh_ports"
  else
    bad "sh scripts/redis-local.sh cluster failed in the CRLF clone"
  fi
  CLUSTER_PORTS="$sh_ports" REDIS_PORT=$((base - 1)) CACHELINGS_REDIS_DIR="$work/sh-redis" sh scripts/redis-local.sh down

  echo "== npm run redis:up -- --local (Node, no sh), on $node_redis and $node_ports"
  if CACHELINGS_REDIS_PORT=$node_redis CACHELINGS_CLUSTER_PORTS="$node_ports" npm run --silent redis:up -- --local; then
    ok "npm run redis:up -- --local from the CRLF clone"
  else
    bad "npm run redis:up -- --local failed in the CRLF clone"
  fi
  CACHELINGS_REDIS_PORT=$node_redis CACHELINGS_CLUSTER_PORTS="$node_ports" npm run --silent redis:down
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
