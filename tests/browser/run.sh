#!/usr/bin/env bash
# Runs the browser tests: a real headless Chromium (Debian's, never a downloaded one) against
# `knit demo` on a free loopback port with a fresh data directory. Exits with the tests' status.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [ ! -x /usr/bin/chromium ]; then
  echo "run.sh: /usr/bin/chromium is missing; installing Debian's chromium" >&2
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then as_root=(sudo); fi
  "${as_root[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y chromium
fi

cd "$here"
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi

cd "$root"
cargo build --bin knit
knit_bin="${CARGO_TARGET_DIR:-$root/target}/debug/knit"

port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
data_dir="$(mktemp -d -t knit-browser-XXXXXX)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
  rm -rf "$data_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

KNIT_DATA_DIR="$data_dir" "$knit_bin" demo --bind "127.0.0.1:$port" >"$data_dir/server.log" 2>&1 &
server_pid=$!

base="http://127.0.0.1:$port"
answered=""
for _ in $(seq 1 120); do
  if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
  if node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "$base/"; then
    answered=yes
    break
  fi
  sleep 0.5
done
if [ -z "$answered" ]; then
  echo "run.sh: knit demo did not answer at $base; its log:" >&2
  cat "$data_dir/server.log" >&2
  exit 1
fi

cd "$here"
status=0
# One file at a time: the files sign in as the same demo staff, and a two-factor code works
# once, so files running side by side took each other's codes.
KNIT_BASE_URL="$base" node --test --test-concurrency=1 || status=$?
if [ "$status" -ne 0 ]; then
  echo "run.sh: tests failed; the server's log is below" >&2
  tail -n 50 "$data_dir/server.log" >&2
fi
exit "$status"
