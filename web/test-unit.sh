#!/usr/bin/env bash
# Unit tests of the timeline model and edit engine: each tests/*.test.ts is bundled by
# esbuild for node (ESM) into a temp folder and run with node's built-in test runner.
set -euo pipefail
cd "$(dirname "$0")"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for f in tests/*.test.ts; do
  esbuild "$f" --bundle --platform=node --format=esm --target=node18 --outfile="$out/$(basename "${f%.ts}").mjs" --log-level=warning
done
node --test "$out"/*.mjs
