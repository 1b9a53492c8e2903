#!/usr/bin/env bash
# Installs what is missing, builds the web UI and a release binary, and starts the server
# on http://127.0.0.1:8080 with local storage under ./storage. With no account yet it prints the
# first-run URL (or set CUTROOM_ADMIN_EMAIL and CUTROOM_ADMIN_PASSWORD to create the admin).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
web/build.sh
swift build -c release --product cutroom
exec .build/release/cutroom serve
