#!/usr/bin/env bash
# T4K with the ffmpeg program: the 10 s 3840x2160 clip scaled to 1080p with a title drawn on top,
# the same libavfilter work and encoder settings as t4k.timeline.json.
set -euo pipefail
cd "$(dirname "$0")/work"
OUT=${1:-out/T4K_ffmpeg.mp4}
mkdir -p "$(dirname "$OUT")"
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
exec ffmpeg -hide_banner -nostdin -loglevel error -y \
  -t 10 -i media/UHD.mp4 \
  -filter_complex "[0:v]setpts=PTS-STARTPTS,scale=1920:1080,drawtext=fontfile=$FONT:text='Downscaled from 4K':fontsize=96:fontcolor=white:borderw=4:bordercolor=black:x=(w-text_w)/2:y=h-text_h-86[v];[0:a]asetpts=PTS-STARTPTS[a]" \
  -map "[v]" -map "[a]" \
  -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p \
  -c:a aac -b:a 128k -ar 48000 -ac 2 \
  -movflags +faststart "$OUT"
