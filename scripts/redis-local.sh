#!/bin/sh
# Local Redis servers for cachelings, from the redis-server and redis-cli binaries
# (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis).
#
#   sh scripts/redis-local.sh redis     a Redis on 6379, unless one already answers there
#   sh scripts/redis-local.sh cluster   a 6-node Redis Cluster (3 masters, 3 replicas) on 7300-7305
#   sh scripts/redis-local.sh down      stops what this script started on these ports, and nothing else
#   sh scripts/redis-local.sh cluster-foreground   the cluster, then wait (docker-compose.yml runs this)
#   sh scripts/redis-local.sh cluster-check        exits 0 when the cluster's first node says cluster_state:ok
#
# REDIS_PORT and CLUSTER_PORTS (a list, or a range such as 7100-7105) move them;
# npm run redis:up sets both from CACHELINGS_REDIS_PORT and CACHELINGS_CLUSTER_PORTS.
#
# The Compose cluster service runs it inside its Linux container (cluster-foreground,
# cluster-check). `npm run redis:up` without Docker does the same from Node
# (scripts/lib/redis-local.ts, no sh: it runs on Windows too), with the same
# folders, so either one stops what the other started. LF line endings are
# guaranteed by .gitattributes (a CRLF copy fails with "set: Illegal option -").
# Nothing is kept on disk (--save '' --appendonly no): these are caches for exercises.
set -eu

REDIS_PORT=${REDIS_PORT:-6379}
CLUSTER_PORTS=${CLUSTER_PORTS:-"7300 7301 7302 7303 7304 7305"}
case "$CLUSTER_PORTS" in
  *-*) CLUSTER_PORTS=$(seq -s ' ' "${CLUSTER_PORTS%-*}" "${CLUSTER_PORTS#*-}") ;; # 7100-7105 → 7100 7101 … 7105
esac
BIND=${BIND:-127.0.0.1}
ANNOUNCE_IP=${ANNOUNCE_IP:-127.0.0.1}
STATE_DIR=${CACHELINGS_REDIS_DIR:-"$(cd "$(dirname "$0")/.." && pwd)/.cachelings/redis"}

need() {
  command -v "$1" >/dev/null 2>&1 || {
    echo "cachelings: $1 is not installed. Install Redis (apt-get install redis-server, or brew install redis), or use Docker: docker compose up -d" >&2
    exit 127
  }
}

answers() { redis-cli -h 127.0.0.1 -p "$1" ping >/dev/null 2>&1; }

# start PORT [extra redis-server args...]: a daemon whose pid file marks it as ours
start() {
  port=$1; shift
  dir="$STATE_DIR/$port"
  rm -rf "$dir" && mkdir -p "$dir"
  redis-server --port "$port" --bind "$BIND" --protected-mode no --daemonize yes \
    --save '' --appendonly no --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" "$@"
  i=0
  until answers "$port"; do
    i=$((i + 1))
    [ "$i" -gt 100 ] && { echo "cachelings: redis-server on $port did not start; see $dir/redis.log" >&2; exit 1; }
    sleep 0.05
  done
}

cluster_ok() { redis-cli -p "$1" cluster info 2>/dev/null | grep -q 'cluster_state:ok'; }

up_redis() {
  need redis-server; need redis-cli
  if answers "$REDIS_PORT"; then
    echo "Redis already answers on $REDIS_PORT: left as it is."
    return
  fi
  start "$REDIS_PORT"
  echo "Redis started on $REDIS_PORT."
}

up_cluster() {
  need redis-server; need redis-cli
  first=${CLUSTER_PORTS%% *}
  if cluster_ok "$first"; then
    echo "A Redis Cluster already answers on $first: left as it is."
    return
  fi
  nodes=""
  for port in $CLUSTER_PORTS; do
    if answers "$port"; then
      echo "cachelings: something already answers on $port, but it is not a healthy cluster; stop it first (npm run redis:down)." >&2
      exit 1
    fi
    start "$port" --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000 \
      --cluster-announce-ip "$ANNOUNCE_IP"
    nodes="$nodes $ANNOUNCE_IP:$port"
  done
  # shellcheck disable=SC2086 # one argument per node
  redis-cli --cluster create $nodes --cluster-replicas 1 --cluster-yes >"$STATE_DIR/cluster-create.log" 2>&1 || {
    cat "$STATE_DIR/cluster-create.log" >&2; exit 1;
  }
  i=0
  for port in $CLUSTER_PORTS; do
    until cluster_ok "$port"; do
      i=$((i + 1))
      [ "$i" -gt 200 ] && { echo "cachelings: the cluster did not become ok; see $STATE_DIR/cluster-create.log" >&2; exit 1; }
      sleep 0.05
    done
  done
  echo "Redis Cluster started on $(echo $CLUSTER_PORTS | tr ' ' ','): 3 masters, 3 replicas."
}

# Only the servers on this run's ports (REDIS_PORT, CLUSTER_PORTS): a second set on moved ports is left alone.
down() {
  stopped=0
  for port in $REDIS_PORT $CLUSTER_PORTS; do
    pidfile="$STATE_DIR/$port/redis.pid"
    [ -f "$pidfile" ] || continue
    redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -rf "$(dirname "$pidfile")"
    stopped=$((stopped + 1))
  done
  echo "Stopped $stopped local Redis server(s) started by cachelings."
}

case "${1:-}" in
  redis) up_redis ;;
  cluster) up_cluster ;;
  down) down ;;
  cluster-check) cluster_ok "${CLUSTER_PORTS%% *}" ;;
  cluster-foreground)
    up_cluster
    trap down INT TERM
    while :; do sleep 3600 & wait $!; done
    ;;
  *) echo "usage: sh scripts/redis-local.sh redis|cluster|down|cluster-foreground|cluster-check" >&2; exit 2 ;;
esac
