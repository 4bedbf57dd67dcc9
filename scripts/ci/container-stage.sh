#!/usr/bin/env bash
# CI's container stage: the Docker paths of the README, run for real.
#
#   bash scripts/ci/container-stage.sh        (as root, from a clone after npm ci; .ci/run calls it)
#
# It installs a Docker engine and Compose from Debian's packages (docker.io;
# docker-compose, the v1 command: Debian has no v2 plugin) and debootstrap, and
# builds a Redis image with no registry (debootstrap, Debian's redis-server,
# docker import), named cachelings-ci-redis:debian-<suite>. Then, in network
# namespaces of its own (one per part), so that the machine's network settings, its Redis on
# 6379 and its cluster on 7300-7305 are never touched and every connection stays
# inside this machine:
#
#   part 1, an engine without a bridge network (dockerd --bridge=none):
#     npm run redis:up through Compose with docker-compose.host.yml on ports
#     moved by CACHELINGS_REDIS_PORT and CACHELINGS_CLUSTER_PORTS, the services
#     healthy, the cluster profile answering, the Redis lessons with
#     --redis container (a host-network container), npm run redis:down;
#   part 2, a usual engine (bridge network, published ports), as on a laptop:
#     the same with docker-compose.yml on the default ports 6379 and 7300-7305,
#     plus npm run test:redis on the compose services; --redis container is
#     the stock RedisContainer on a published port.
#
# On any exit it removes every container of its dockerd, stops dockerd, deletes
# the namespaces and its folders. If the engine cannot start, the stage fails and
# says why; it never passes by skipping. The last line is the totals of its test
# runs: "N passed, N failed, N skipped".
#
# The root file system of the image is cached between runs in
# /var/cache/cachelings-ci (root only), keyed by this recipe, checked against its
# sha256 before use, and rebuilt after 7 days so Debian's security updates come
# in. CACHELINGS_CI_IMAGE_CACHE=0 turns the cache off.
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
# A check that failed without ending the stage.
flunk() {
  say "FAILED: $*"
  failed=$((failed + 1))
  status=1
}

if [ "$(id -u)" -ne 0 ]; then
  echo "[container stage] FAILED: needs root (it installs packages, starts dockerd and makes a network namespace)"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

# --- everything this stage starts or makes, removed on any exit ------------------------------
work=$(mktemp -d /var/tmp/cachelings-container-stage.XXXXXX)
netns=""         # the namespace of the current part
namespaces=()    # every namespace this stage made
dockerd_pid=""
export DOCKER_HOST="unix://$work/docker.sock"
# Its own record of what redis:up started, apart from the clone's .cachelings/.
export CACHELINGS_STATE_DIR="$work/state"

in_ns() { nsenter --net="/run/netns/$netns" -- "$@"; }

unmount_under() {
  grep -o " $1/[^ ]*" /proc/mounts | sort -r | while read -r mnt; do umount -l "$mnt" 2>/dev/null; done
}

# Removes every container of our dockerd, then stops it.
stop_engine() {
  [ -n "$dockerd_pid" ] || return 0
  if kill -0 "$dockerd_pid" 2>/dev/null; then
    local ids
    ids=$(docker ps -aq 2>/dev/null)
    # shellcheck disable=SC2086 # one argument per id
    [ -z "$ids" ] || docker rm -f $ids >/dev/null 2>&1 || true
    local since=$SECONDS
    kill -TERM "$dockerd_pid" 2>/dev/null
    for _ in $(seq 1 150); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$dockerd_pid" 2>/dev/null && say "dockerd did not stop within 30 s: killed"
    say "dockerd stopped ($((SECONDS - since)) s)"
  fi
  wait "$dockerd_pid" 2>/dev/null
  dockerd_pid=""
  unmount_under "$work/exec"
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_engine
  # Anything still running from our folder (a dockerd, containerd or shim that missed the signal), by its pid.
  local stray
  stray=$(pgrep -f -- "$work/" | tr '\n' ' ')
  if [ -n "$stray" ]; then
    say "stopping what is left of this stage's engine: pids $stray"
    # shellcheck disable=SC2086 # one argument per pid
    kill -KILL $stray 2>/dev/null
    sleep 1
  fi
  # dockerd unmounts its layers when it stops; unmount anything left, deepest first, and never delete across a mount.
  unmount_under "$work"
  local ns
  for ns in "${namespaces[@]}"; do ip netns delete "$ns" 2>/dev/null; done
  rm -rf --one-file-system "$work"
  say "removed the network namespaces and $work"
  local left=""
  [ -e "$work" ] && left="$left $work"
  stray=$(pgrep -f -- "$work/" | tr '\n' ' ')
  [ -z "$stray" ] || left="$left processes($stray)"
  for ns in "${namespaces[@]}"; do ip netns list 2>/dev/null | grep -q "^$ns\b" && left="$left netns($ns)"; done
  if [ -n "$left" ]; then
    say "could not remove:$left"
    failed=$((failed + 1))
    [ "$rc" -ne 0 ] || rc=1
  else
    say "left behind: nothing (no container, no dockerd, no network namespace, no build folder of this stage)"
  fi
  say "wall time: $((SECONDS - started_at)) s"
  totals
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The project's Node (22 or newer), as every command of the kata needs.
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)' 2>/dev/null; then
  eval "$(bash scripts/project-node.sh 26)" || die "could not set up Node 26 (scripts/project-node.sh)"
fi

# --- 1. the engine, Compose and debootstrap from Debian's packages ----------------------------
packages=(docker.io docker-compose iptables debootstrap iproute2)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]} from Debian's packages"
  apt-get update -qq >"$work/apt.log" 2>&1 || { tail -5 "$work/apt.log"; die "apt-get update failed"; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$work/apt.log" 2>&1 ||
    { tail -15 "$work/apt.log"; die "apt-get install ${missing[*]} failed"; }
else
  say "${packages[*]} are installed"
fi

# --- 2. a Redis image with no registry: debootstrap + Debian's redis-server + docker import ---
suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
mirror=${CACHELINGS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
image="cachelings-ci-redis:debian-$suite"
export CACHELINGS_REDIS_IMAGE=$image
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

# --- 3. a network namespace and a dockerd of our own in it ------------------------------------
# new_namespace NAME: a network namespace with only loopback, where the next engine and the specs run.
# Each part has its own: the bridge of part 1 would otherwise still be there for part 2's engine.
new_namespace() {
  netns="cachelings-ci-$$-$1"
  ip netns add "$netns" || die "could not make a network namespace (ip netns add): the stage needs one to keep off the machine's ports"
  namespaces+=("$netns")
  in_ns ip link set lo up || die "could not bring up loopback in the network namespace"
}

# start_engine DESCRIPTION [dockerd flags…]: a dockerd in the current namespace (only its network: the
# cgroups and mounts stay the host's), with the image loaded (once: both engines share one data folder).
start_engine() {
  local what=$1
  shift
  echo '{}' >"$work/daemon.json"
  # nsenter itself, not a shell function, so that $! is dockerd's pid (nsenter execs it).
  nsenter --net="/run/netns/$netns" -- /usr/sbin/dockerd --config-file "$work/daemon.json" -H "$DOCKER_HOST" \
    --data-root "$work/data" --exec-root "$work/exec" --pidfile "$work/dockerd.pid" --log-level=warn "$@" \
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
    local reason="no answer on $DOCKER_HOST within 30 s"
    if ! kill -0 "$dockerd_pid" 2>/dev/null; then
      wait "$dockerd_pid"
      reason="dockerd exited with status $?: $(grep -iE 'fatal|error|failed|unknown' "$work/dockerd.log" | tail -n 1)"
      dockerd_pid=""
    fi
    die "the Docker engine did not start ($what): $reason"
  fi
  say "dockerd $(docker info --format '{{.ServerVersion}} ({{.Driver}}, cgroup v{{.CgroupVersion}})') answers: $what"
  if ! docker image inspect "$image" >/dev/null 2>&1; then
    docker import -c 'CMD ["redis-server"]' -m "cachelings CI: Debian $suite minbase + redis-server" \
      "$tarball" "$image" >/dev/null || die "docker import failed"
  fi
  say "image $image: $(docker run --rm --network none "$image" redis-server --version | cut -d' ' -f1-3)"
}

# testcontainers' reaper image cannot be pulled here; the stage removes its containers itself.
export TESTCONTAINERS_RYUK_DISABLED=true
unset REDIS_URL REDIS_CLUSTER_NODES CACHELINGS_REDIS_PORT CACHELINGS_CLUSTER_PORTS

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

# compose_up FILE: npm run redis:up through Compose with FILE, the services healthy, the cluster answering.
compose_up() {
  local file=$1 first=${CACHELINGS_CLUSTER_PORTS:-7300-7305}
  first=${first%-*}
  say "npm run redis:up (Redis on ${CACHELINGS_REDIS_PORT:-6379}, cluster on ${CACHELINGS_CLUSTER_PORTS:-7300-7305})"
  in_ns npm run --silent redis:up 2>&1 | tee "$work/redis-up.log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || die "npm run redis:up failed"
  grep -q "^Using docker-compose .* with $file" "$work/redis-up.log" || die "npm run redis:up did not go through Compose with $file"
  local healthy=""
  for _ in $(seq 1 60); do
    healthy=$(docker ps --filter health=healthy --format '{{.Names}}' | sort | tr '\n' ' ')
    [ "$(echo "$healthy" | wc -w)" -eq 2 ] && break
    sleep 0.5
  done
  docker ps --format 'table {{.Names}}\t{{.Image}}\t{{.Status}}\t{{.Ports}}'
  [ "$(echo "$healthy" | wc -w)" -eq 2 ] || die "the compose services are not both healthy: $healthy"
  say "compose services healthy: 2/2 (${healthy% })"
  local container info state nodes slots
  container=$(docker ps --filter name=redis-cluster --format '{{.Names}}' | head -n 1)
  info=$(docker exec "$container" redis-cli -p "$first" cluster info | tr -d '\r')
  state=$(echo "$info" | grep -oE 'cluster_state:[a-z]+')
  nodes=$(echo "$info" | grep -oE 'cluster_known_nodes:[0-9]+')
  slots=$(echo "$info" | grep -oE 'cluster_slots_ok:[0-9]+')
  [ "$state" = cluster_state:ok ] || die "the cluster profile does not answer ok: ${state:-no answer}"
  say "cluster profile answering: $state $nodes $slots (ports ${CACHELINGS_CLUSTER_PORTS:-7300-7305})"
}

compose_down() {
  in_ns npm run --silent redis:down || flunk "npm run redis:down failed"
  local left
  left=$(docker ps -aq | wc -l)
  [ "$left" -eq 0 ] || flunk "$left container(s) still there after redis:down"
  say "npm run redis:down: containers left: $left"
}

# The Redis lessons (and the kata's own specs) on a testcontainers Redis; the cluster specs use the compose cluster.
container_run() {
  count "--redis container ($1)" "container-$1" in_ns npm test --silent -- --redis container
  grep -q "a testcontainers Redis ($2" "$work/container-$1.log" || flunk "the run did not use a testcontainers Redis ($2)"
  grep -q '+ cluster' "$work/container-$1.log" || flunk "the run did not use the compose cluster"
}

# Part 1 goes first because of the shared data folder: an engine with a bridge would leave its
# bridge network there for the one started with --bridge=none.
# --- part 1: an engine without a bridge network: host networking, moved ports ------------------
new_namespace host
say "part 1: an engine without a bridge network (dockerd --bridge=none), ports moved, in network namespace $netns"
start_engine "--bridge=none: containers on the host network of the namespace" --bridge=none --iptables=false --ip-forward=false --ip-masq=false
export CACHELINGS_REDIS_PORT=6390 CACHELINGS_CLUSTER_PORTS=7100-7105
compose_up docker-compose.host.yml
container_run host "$image, host network)"
compose_down
stop_engine
unset CACHELINGS_REDIS_PORT CACHELINGS_CLUSTER_PORTS

# --- part 2: a usual engine, with a bridge network and published ports, on the default ports ----
new_namespace bridge
say "part 2: a usual engine (bridge network, published ports, default ports) in network namespace $netns"
start_engine "bridge network, iptables and forwarding inside the namespace only"
compose_up docker-compose.yml
count "npm run test:redis on the compose services" test-redis in_ns npm run --silent test:redis
grep -q '+ cluster' "$work/test-redis.log" || flunk "test:redis did not use the compose cluster"
container_run bridge "$image)"
compose_down
stop_engine

exit "$status" # cleanup stops dockerd and prints the totals
