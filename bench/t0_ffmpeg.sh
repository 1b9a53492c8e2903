#!/usr/bin/env bash
# T0 with one ffmpeg -filter_complex command: the same cuts as t0.timeline.json
# (A 0-10 s, B from 2 s for 10 s, C from 0.5 s for 10 s), same encoder settings.
# C_TRIM moves C's in-point (t0copy_ffmpeg.sh: 0, on a keyframe).
set -euo pipefail
cd "$(dirname "$0")/work"
OUT=${1:-out/T0_ffmpeg.mp4}
mkdir -p "$(dirname "$OUT")"
exec ffmpeg -hide_banner -nostdin -loglevel error -y \
  -t 10 -i media/A.mp4 \
  -ss 2 -t 10 -i media/B.mp4 \
  -ss "${C_TRIM:-0.5}" -t 10 -i media/C.mp4 \
  -filter_complex "[0:v]setpts=PTS-STARTPTS[v0];[1:v]setpts=PTS-STARTPTS[v1];[2:v]setpts=PTS-STARTPTS[v2];\
[0:a]asetpts=PTS-STARTPTS[a0];[1:a]asetpts=PTS-STARTPTS[a1];[2:a]asetpts=PTS-STARTPTS[a2];\
[v0][a0][v1][a1][v2][a2]concat=n=3:v=1:a=1[v][a]" \
  -map "[v]" -map "[a]" \
  -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p \
  -c:a aac -b:a 128k -ar 48000 -ac 2 \
  -movflags +faststart "$OUT"
