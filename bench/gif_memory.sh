#!/usr/bin/env bash
# Peak memory and time of a GIF render: cutroom (two passes: palette, then frames) against the
# ffmpeg program's one-pass palettegen/paletteuse on the same picture.
# Usage: bench/gif_memory.sh [seconds=60] [size=1920x1080] [fps=25]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}; size=${2:-1920x1080}; fps=${3:-25}
work=bench/work/gif; mkdir -p "$work"
src="$work/src-$size-$seconds.mp4"
[[ -f $src ]] || ffmpeg -v error -y -f lavfi -i "testsrc2=s=$size:r=$fps:d=$seconds" -c:v libx264 -preset ultrafast -pix_fmt yuv420p "$src"
w=${size%x*}; h=${size#*x}
cat > "$work/gif.json" <<JSON
{"version": 1, "output": {"width": $w, "height": $h, "fps": $fps, "format": "gif"},
 "tracks": [{"id": "v", "clips": [{"id": "a", "asset": {"type": "video", "src": "$(basename "$src")"}, "start": 0}]}]}
JSON
bin=${CUTROOM_BIN:-.build/release/cutroom}
[[ -x $bin ]] || swift build -c release --product cutroom >/dev/null
echo "GIF ${seconds} s ${size} @ ${fps} fps"
/usr/bin/time -f "cutroom       wall %e s  peak RSS %M KB" "$bin" render "$work/gif.json" -o "$work/cutroom.gif" 2>&1 >/dev/null | tail -1
/usr/bin/time -f "ffmpeg 1-pass wall %e s  peak RSS %M KB" ffmpeg -v error -y -i "$src" \
  -filter_complex "[0:v]split[a][b];[b]palettegen=stats_mode=full[p];[a][p]paletteuse=dither=sierra2_4a" "$work/ffmpeg.gif" 2>&1 | tail -1
ls -l "$work/cutroom.gif" "$work/ffmpeg.gif" | awk '{print $5, $9}'
