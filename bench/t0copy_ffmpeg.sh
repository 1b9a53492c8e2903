#!/usr/bin/env bash
# T0COPY with one ffmpeg -filter_complex command (re-encoding): t0_ffmpeg.sh with C from 0 s, the
# cuts of t0copy.timeline.json (A 0-10 s, B from 2 s for 10 s, C from 0 s for 10 s, all on keyframes).
set -euo pipefail
C_TRIM=0 exec bash "$(dirname "$0")/t0_ffmpeg.sh" "${1:-out/T0COPY_ffmpeg.mp4}"
