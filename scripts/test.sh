#!/usr/bin/env bash
# Runs every test: Swift suites (engine, store, HTTP), then the browser end-to-end test
# against a live server on 127.0.0.1 with real media.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
# The web UI: tsc --strict type-checks all of web/src (web/build.sh), then the node unit
# tests of the timeline model and edit engine.
web/build.sh
web/test-unit.sh
# The binary embeds openapi.yaml and its JSON copy: they must be what the file says.
scripts/openapi.py --check
swift build --build-tests
swift build --product cutroom
# At most 3 tests at once: many of them start servers that render, and unbounded on 2 cores a
# live response could stay silent past HummingbirdTesting's fixed 20 s client timeout.
swift test --skip-build --experimental-maximum-parallelization-width 3

# Browser end-to-end: a fresh server with its own storage on a free port, its first admin
# made at start from CUTROOM_ADMIN_EMAIL / CUTROOM_ADMIN_PASSWORD (the tests sign in with
# them), and a second one with no account yet for the first-run setup page.
work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
setup_port=$(free_port)
export CUTROOM_ADMIN_EMAIL=admin@example.test
export CUTROOM_ADMIN_PASSWORD="cutroom e2e admin password, long enough"
CUTROOM_PORT=$port CUTROOM_STORAGE_DIR="$work/storage" .build/debug/cutroom serve >"$work/server.log" 2>&1 &
server=$!
env -u CUTROOM_ADMIN_EMAIL -u CUTROOM_ADMIN_PASSWORD CUTROOM_PORT=$setup_port CUTROOM_STORAGE_DIR="$work/setup-storage" \
  .build/debug/cutroom serve >"$work/setup-server.log" 2>&1 &
setup_server=$!
trap 'kill $server $setup_server 2>/dev/null || true; wait $server $setup_server 2>/dev/null || true; rm -rf "$work"' EXIT
for p in $port $setup_port; do
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$p/api/v1/health" >/dev/null 2>&1 && break
    sleep 0.2
  done
done
if ! CUTROOM_URL="http://127.0.0.1:$port" CUTROOM_SETUP_URL="http://127.0.0.1:$setup_port" python3 -m pytest -q -s Tests/e2e; then
  echo "--- server log ---" >&2
  tail -50 "$work/server.log" >&2
  echo "--- setup server log ---" >&2
  tail -20 "$work/setup-server.log" >&2
  exit 1
fi

# openapi.yaml against a fresh live server: no 5xx, and every answer as the document describes.
scripts/schemathesis.sh .build/debug/cutroom
