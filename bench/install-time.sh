#!/usr/bin/env bash
# Install time of the packed tarball: without install scripts (what users get with npm's script gating, and
# what test/install runs) vs with them (compile at install: portscope's addon and better-sqlite3 via
# node-gyp), and the README's fresh-clone command. Warm npm cache (--prefer-offline) for both installs.
# Usage: bash bench/install-time.sh   (from the repository root; prints one line per measurement)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
secs() { local s=$SECONDS; "$@" >"$work/last.log" 2>&1; echo $((SECONDS - s)); }

tarball="$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -n 1)"
flags=(--global --prefer-offline --no-audit --no-fund --loglevel=info)
t1="$(secs npm install "${flags[@]}" --prefix "$work/no-scripts" --ignore-scripts "$work/$tarball")"
echo "install --ignore-scripts: ${t1} s (compiler lines in the log: $(grep -cE '^npm info run |^gyp info|C(C|XX)\(target\)' "$work/last.log" || true))"
t2="$(secs npm install "${flags[@]}" --prefix "$work/scripts" "$work/$tarball")"
echo "install with scripts (compile at install): ${t2} s (compiler lines in the log: $(grep -cE '^npm info run |^gyp info|C(C|XX)\(target\)' "$work/last.log" || true))"
git clone -q "$root" "$work/clone"
t3="$(cd "$work/clone" && secs bash -c 'npm ci && npm run build')"
echo "fresh clone, README line 1 (npm ci && npm run build): ${t3} s"
