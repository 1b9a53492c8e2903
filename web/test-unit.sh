#!/usr/bin/env bash
# Unit tests of the web UI's pure logic (timeline model, edit engine, routes, formatting):
# web/src is type-checked first (tsc --strict), then each tests/*.test.ts is bundled by
# esbuild for node (ESM) into a temp folder and run with node's built-in test runner.
set -euo pipefail
cd "$(dirname "$0")"
export NODE_PATH=/usr/share/nodejs
tsc --noEmit -p tsconfig.json
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for f in tests/*.test.ts; do
  esbuild "$f" --bundle --platform=node --format=esm --target=node18 --outfile="$out/$(basename "${f%.ts}").mjs" --log-level=warning
done
node --test "$out"/*.mjs
