#!/usr/bin/env bash
# A 100-row batch of a 10 s 720p template: renders per minute, whether another user's single render
# submitted during the batch starts within one render's time, and server RSS (see bench/batch.py).
# Usage: bench/batch.sh [rows=100] [concurrency=2]
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -n ${CUTROOM_BIN:-} ]] || swift build -c release --product cutroom >/dev/null
exec python3 bench/batch.py "$@"
