#!/usr/bin/env bash
# Holds openapi.yaml to what the server does: schemathesis sends generated requests (valid and
# invalid) to every operation of a live server on 127.0.0.1, signed in as its admin, and fails on
# any 5xx and on any status, content type, header or body the document does not describe.
# Usage: scripts/schemathesis.sh [path/to/cutroom]   (default .build/debug/cutroom)
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/debug/cutroom}
# Bounded: a few cases per operation, and a budget for the whole run (CI runs on 2 cores).
max_examples=${SCHEMATHESIS_MAX_EXAMPLES:-10}
max_time=${SCHEMATHESIS_MAX_TIME:-180}

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
email=fuzz-admin@example.test
password="cutroom schemathesis admin password"
CUTROOM_ADMIN_EMAIL=$email CUTROOM_ADMIN_PASSWORD=$password CUTROOM_PORT=$port CUTROOM_STORAGE_DIR="$work/storage" \
  CUTROOM_WEB_DIR="$work/web" "$binary" serve >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port/api/v1"
for _ in $(seq 1 100); do
  curl -fsS "$base/health" >/dev/null 2>&1 && break
  sleep 0.2
done

# A session secret (not an API token): tokens, users and the password need a session.
token=$(curl -fsS -H 'Content-Type: application/json' \
  -d "{\"email\": \"$email\", \"password\": \"$password\"}" "$base/auth/login" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["token"])')

# Excluded, because fuzzing them would end the run's own sign-in:
# - POST /auth/logout ends the session every other request is signed in with;
# - POST /me/password signs out every other session (and changes the password) if a case ever
#   sent the right current password.
# And GET /metrics: it lives at the root (its own `servers` entry), but --url puts every path under
# /api/v1, where nothing is; it is off in this run anyway, and Tests/AppTests/MetricsTests.swift
# checks it (token, separate listener, what it counts).
# Every check runs (schemathesis's default, as with --checks all); per-operation settings (the
# /events stream, the one check JSON Schema cannot serve for documents and files) are in
# schemathesis.toml: on the command line, --checks would override them.
status=0
st --config-file scripts/schemathesis.toml run "$base/openapi.yaml" --url "$base" \
  -H "Authorization: Bearer $token" \
  --exclude-path /auth/logout --exclude-path /me/password --exclude-path /metrics \
  --max-examples "$max_examples" --max-time "$max_time" \
  --request-timeout 20 --workers 2 --seed 1 \
  --report junit --report-dir "$work/report" || status=$?
if ((status != 0)); then
  echo "--- server log (errors, and a crash's frames in this code) ---" >&2
  grep -E "level=error| error |Fatal error|crashed| at /.*/(Sources|Tests)/" "$work/server.log" | tail -40 >&2 || true
fi
exit $status
