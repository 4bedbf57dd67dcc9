#!/usr/bin/env bash
# CI's container stage: the Docker paths of the README, run for real.
#
#   bash scripts/ci/container-stage.sh        (as root, from a clone after npm ci; .ci/run calls it)
#
# 1. installs a Docker engine and Compose from Debian's packages (docker.io,
#    docker-compose: the v1 command; Debian has no v2 plugin), and debootstrap;
# 2. starts a dockerd of its own: its own socket, data and state folders, with
#    --bridge=none --iptables=false --ip-forward=false, so the machine's network
#    settings stay as they were (the containers use the host network, on loopback);
# 3. builds a local Redis image without any registry (debootstrap, redis-server
#    from Debian, docker import), named cachelings-ci-redis:debian-<suite>;
# 4. the compose path: npm run redis:up through Compose on free ports (never
#    6379 or 7000-7005: the machine's Redis and cluster are left alone), the
#    services healthy, the cluster answering, npm run test:redis against them;
# 5. the container path: the Redis lessons with --redis container (testcontainers);
# 6. npm run redis:down, and on any exit: every container of its dockerd
#    removed, dockerd stopped, its folders and the image build folder deleted.
#
# If the engine cannot start, the stage fails and says why; it never passes by
# skipping. The last line is the totals of its test runs: "N passed, N failed, N skipped".
#
# The root file system of the image is cached between runs in
# /var/cache/cachelings-ci (root only), keyed by this recipe, checked against its
# sha256, and rebuilt after 7 days so Debian's security updates come in.
# CACHELINGS_CI_IMAGE_CACHE=0 turns the cache off.
set -uo pipefail
cd "$(dirname "$0")/../.."
export NO_COLOR=1
started_at=$SECONDS

say() { echo "[container stage $((SECONDS - started_at))s] $*"; }
passed=0 failed=0 skipped=0 status=0
totals() { echo "$passed passed, $failed failed, $skipped skipped"; }
# Ends the stage: the reason, counted as a failure; cleanup prints the totals.
die() {
  say "FAILED: $*"
  failed=$((failed + 1))
  exit 1
}

[ "$(id -u)" -eq 0 ] || { echo "[container stage] FAILED: needs root (it installs packages and starts dockerd)"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

# --- everything this stage starts or makes, removed on any exit ------------------------------
work=$(mktemp -d /var/tmp/cachelings-container-stage.XXXXXX)
export DOCKER_HOST="unix://$work/docker.sock"
dockerd_pid=""
redis_up=0

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ "$redis_up" -eq 1 ]; then npm run --silent redis:down >/dev/null 2>&1 || true; fi
  if [ -n "$dockerd_pid" ] && kill -0 "$dockerd_pid" 2>/dev/null; then
    local ids
    ids=$(docker ps -aq 2>/dev/null)
    # shellcheck disable=SC2086 # one argument per id
    [ -z "$ids" ] || docker rm -f $ids >/dev/null 2>&1 || true
    say "stopping dockerd"
    kill -TERM "$dockerd_pid" 2>/dev/null
    for _ in $(seq 1 150); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$dockerd_pid" 2>/dev/null || true
    wait "$dockerd_pid" 2>/dev/null
  fi
  # dockerd unmounts its layers when it stops; unmount anything left before deleting, deepest first,
  # and never delete across a mount.
  grep -o " $work/[^ ]*" /proc/mounts | sort -r | while read -r mnt; do umount -l "$mnt" 2>/dev/null; done
  rm -rf --one-file-system "$work"
  local left=""
  [ -e "$work" ] && left="$left $work"
  [ -n "$dockerd_pid" ] && kill -0 "$dockerd_pid" 2>/dev/null && left="$left dockerd($dockerd_pid)"
  if [ -n "$left" ]; then
    say "could not remove:$left"
    failed=$((failed + 1))
    [ "$rc" -ne 0 ] || rc=1
  else
    say "left behind: nothing (no container, no dockerd, no build folder of this stage)"
  fi
  say "wall time: $((SECONDS - started_at)) s"
  totals
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The project's Node (22 or newer), as every command of the kata needs.
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)' 2>/dev/null; then
  eval "$(bash scripts/project-node.sh 24)" || die "could not set up Node 24 (scripts/project-node.sh)"
fi

# --- 1. the engine, Compose and debootstrap from Debian's packages ----------------------------
packages=(docker.io docker-compose iptables debootstrap)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]} from Debian's packages"
  apt-get update -qq >"$work/apt.log" 2>&1 || { tail -5 "$work/apt.log"; die "apt-get update failed"; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$work/apt.log" 2>&1 ||
    { tail -15 "$work/apt.log"; die "apt-get install ${missing[*]} failed"; }
else
  say "docker.io, docker-compose, iptables and debootstrap are installed"
fi

# --- 2. a dockerd of our own -----------------------------------------------------------------
say "starting dockerd (bridge none, no iptables, no ip forwarding)"
echo '{}' >"$work/daemon.json"
/usr/sbin/dockerd --config-file "$work/daemon.json" -H "$DOCKER_HOST" \
  --data-root "$work/data" --exec-root "$work/exec" --pidfile "$work/dockerd.pid" \
  --bridge=none --iptables=false --ip-forward=false --ip-masq=false --log-level=warn \
  >"$work/dockerd.log" 2>&1 &
dockerd_pid=$!
for _ in $(seq 1 150); do
  docker info --format '{{.ServerVersion}}' >/dev/null 2>&1 && break
  kill -0 "$dockerd_pid" 2>/dev/null || break
  sleep 0.2
done
if ! docker info --format '{{.ServerVersion}}' >/dev/null 2>&1; then
  echo "--- dockerd's last lines:"
  tail -n 15 "$work/dockerd.log"
  if kill -0 "$dockerd_pid" 2>/dev/null; then
    reason="no answer on $DOCKER_HOST within 30 s"
  else
    wait "$dockerd_pid"
    reason="dockerd exited with status $?: $(grep -v '^\s*$' "$work/dockerd.log" | grep -iE 'fatal|error|failed|unknown' | tail -n 1)"
    dockerd_pid=""
  fi
  die "the Docker engine did not start: $reason"
fi
say "dockerd $(docker info --format '{{.ServerVersion}} ({{.Driver}}, cgroup v{{.CgroupVersion}})') answers on $DOCKER_HOST"

# --- 3. a Redis image with no registry: debootstrap + Debian's redis-server + docker import ---
suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
mirror=${CACHELINGS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
image="cachelings-ci-redis:debian-$suite"
recipe="v1 minbase $suite $mirror redis-server redis-tools +updates +security"
key=$(echo "$recipe" | sha256sum | cut -c1-12)
cache_dir=/var/cache/cachelings-ci
cached="$cache_dir/redis-rootfs-$suite-$key.tar"

cache_fresh() {
  [ "${CACHELINGS_CI_IMAGE_CACHE:-1}" != 0 ] && [ -f "$cached" ] && [ -f "$cached.sha256" ] &&
    [ -n "$(find "$cached" -mtime -7 2>/dev/null)" ] &&
    (cd "$cache_dir" && sha256sum --check --status "$cached.sha256")
}

build_rootfs() {
  local rootfs="$work/rootfs"
  say "debootstrap --variant=minbase $suite (no cached root file system)"
  debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -5 "$work/debootstrap.log"; return 1; }
  # Debian's redis-server would start itself on install, on the host's network: forbid that.
  printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d" && chmod +x "$rootfs/usr/sbin/policy-rc.d"
  local security=${mirror%/debian}/debian-security
  printf 'deb %s %s main\ndeb %s %s-updates main\ndeb %s %s-security main\n' \
    "$mirror" "$suite" "$mirror" "$suite" "$security" "$suite" >"$rootfs/etc/apt/sources.list"
  say "installing redis-server and redis-tools in it"
  chroot "$rootfs" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server redis-tools && apt-get clean' \
    >"$work/chroot-apt.log" 2>&1 || { tail -5 "$work/chroot-apt.log"; return 1; }
  rm -rf "$rootfs/var/lib/apt/lists/"* "$rootfs/usr/sbin/policy-rc.d"
  tar -C "$rootfs" -cf "$work/rootfs.tar" . || return 1
  rm -rf --one-file-system "$rootfs"
  if [ "${CACHELINGS_CI_IMAGE_CACHE:-1}" != 0 ]; then
    # Written whole, then renamed, so an interrupted run never leaves half a tar to trust.
    install -d -m 700 "$cache_dir" && rm -f "$cache_dir"/redis-rootfs-* &&
      cp "$work/rootfs.tar" "$cached.tmp" && mv "$cached.tmp" "$cached" &&
      (cd "$cache_dir" && sha256sum "$(basename "$cached")" >"$cached.sha256")
  fi
}

tarball="$work/rootfs.tar"
if cache_fresh; then
  say "root file system from the cache ($cached, checksum good, under 7 days old)"
  tarball=$cached
else
  build_rootfs || die "could not build the Redis image's root file system (see the lines above)"
fi
docker import -c 'CMD ["redis-server"]' -m "cachelings CI: Debian $suite minbase + redis-server" \
  "$tarball" "$image" >/dev/null || die "docker import failed"
rm -f "$work/rootfs.tar"
say "image $image: $(docker run --rm --network host "$image" redis-server --version | cut -d' ' -f1-3)"

# --- ports nobody uses: the machine's Redis (6379) and cluster (7000-7005) stay untouched ----
free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
redis_port=""
for p in 6390 6391 6392 6393 6394 6395; do free "$p" && { redis_port=$p; break; }; done
cluster_first=""
for first in 7100 7200 7300 7400 7500 7600; do
  ok=1
  for i in 0 1 2 3 4 5; do free $((first + i)) && free $((first + i + 10000)) || ok=0; done
  [ "$ok" -eq 1 ] && { cluster_first=$first; break; }
done
[ -n "$redis_port" ] && [ -n "$cluster_first" ] || die "no free ports for the stage's Redis (6390-6395) or cluster (7100-7605)"
export CACHELINGS_REDIS_PORT=$redis_port CACHELINGS_CLUSTER_PORTS="$cluster_first-$((cluster_first + 5))"
export CACHELINGS_REDIS_IMAGE=$image
# testcontainers' reaper image cannot be pulled here; the stage removes its containers itself.
export TESTCONTAINERS_RYUK_DISABLED=true
unset REDIS_URL REDIS_CLUSTER_NODES

# Runs a test command, shows it, adds its "N passed, N failed, N skipped" line to the stage's totals.
count() {
  local label=$1 log=$work/$2.log
  shift 2
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]} line
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  if [ -n "$line" ]; then
    passed=$((passed + $(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')))
    failed=$((failed + $(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')))
    skipped=$((skipped + $(echo "$line" | grep -oE '[0-9]+ skipped' | grep -oE '[0-9]+' || echo 0)))
  else
    failed=$((failed + 1))
  fi
  [ "$rc" -eq 0 ] || status=1
  say "$label: ${line:-no counts (exit $rc)}"
}

# --- 4. the compose path ---------------------------------------------------------------------
say "compose path: npm run redis:up (Redis on $CACHELINGS_REDIS_PORT, cluster on $CACHELINGS_CLUSTER_PORTS)"
redis_up=1
npm run --silent redis:up 2>&1 | tee "$work/redis-up.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || die "npm run redis:up failed"
grep -q '^Using docker' "$work/redis-up.log" || die "npm run redis:up did not go through Compose"

healthy=""
for _ in $(seq 1 60); do
  healthy=$(docker ps --filter health=healthy --format '{{.Names}}' | sort | tr '\n' ' ')
  [ "$(echo "$healthy" | wc -w)" -eq 2 ] && break
  sleep 0.5
done
docker ps --format 'table {{.Names}}\t{{.Image}}\t{{.Status}}'
[ "$(echo "$healthy" | wc -w)" -eq 2 ] || die "the compose services are not both healthy: $healthy"
say "compose services healthy: 2/2 ($healthy)"

cluster_container=$(docker ps --filter name=redis-cluster --format '{{.Names}}' | head -n 1)
info=$(docker exec "$cluster_container" redis-cli -p "$cluster_first" cluster info | tr -d '\r')
state=$(echo "$info" | grep -oE 'cluster_state:[a-z]+')
nodes=$(echo "$info" | grep -oE 'cluster_known_nodes:[0-9]+')
slots=$(echo "$info" | grep -oE 'cluster_slots_ok:[0-9]+')
[ "$state" = cluster_state:ok ] || die "the cluster profile does not answer ok: ${state:-no answer}"
say "cluster profile answering: $state $nodes $slots on 127.0.0.1:$CACHELINGS_CLUSTER_PORTS"

count "npm run test:redis on the compose services" test-redis npm run --silent test:redis
grep -q '+ cluster' "$work/test-redis.log" || { say "test:redis did not use the compose cluster"; status=1; failed=$((failed + 1)); }

# --- 5. the container path: the Redis lessons with --redis container --------------------------
say "container path: npm test -- --redis container (testcontainers; the cluster specs use the compose cluster)"
count "--redis container" container npm test --silent -- --redis container
grep -q 'a testcontainers Redis' "$work/container.log" || { say "the run did not use a testcontainers Redis"; status=1; failed=$((failed + 1)); }

# --- 6. down, and nothing left ----------------------------------------------------------------
npm run --silent redis:down || { say "npm run redis:down failed"; status=1; }
redis_up=0
left=$(docker ps -aq | wc -l)
[ "$left" -eq 0 ] || { say "$left container(s) still there after redis:down"; status=1; failed=$((failed + 1)); }
say "redis:down removed the compose services; containers left: $left"

exit "$status" # cleanup stops dockerd and prints the totals
