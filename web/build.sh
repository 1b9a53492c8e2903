#!/usr/bin/env bash
# Builds the web UI into web/dist: type-check with tsc, bundle with esbuild, copy static files.
set -euo pipefail
cd "$(dirname "$0")"

export NODE_PATH=/usr/share/nodejs

tsc --noEmit -p tsconfig.json

rm -rf dist
mkdir -p dist
esbuild src/main.tsx --bundle --minify --jsx=automatic --target=es2020 \
  --define:process.env.NODE_ENV='"production"' --alias:@=./src \
  --outfile=dist/app.js --log-level=warning
# CSS is bundled too: src/main.tsx imports src/styles/index.css, written to dist/app.css.
cp index.html dist/
echo "web: built $(du -h dist/app.js | cut -f1) dist/app.js"
