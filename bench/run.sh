#!/usr/bin/env bash
# Renders T0 (three 1080p30 clips joined with hard cuts, 30 s) with `cutroom render` and with the
# equivalent `ffmpeg -filter_complex` command in the same run, and prints wall time, CPU time and
# peak memory of each and their ratios. Media comes from ../shared/bench/gen_media.sh (never committed).
# Usage: bench/run.sh [runs]   (default 3 runs each, alternating; medians reported)
set -euo pipefail
cd "$(dirname "$0")"
runs=${1:-3}
shared=../../shared/bench
[[ -d $shared ]] || shared=../shared/bench
mkdir -p work/out
if [[ ! -f work/media/C.mp4 ]]; then
  # gen_media.sh writes next to itself; run a copy here so the shared folder stays untouched.
  cp "$shared/gen_media.sh" work/gen_media.sh
  bash work/gen_media.sh >/dev/null
fi
cp t0.timeline.json work/t0.timeline.json
swift build -c release --product cutroom --package-path .. >/dev/null 2>&1
cutroom=$(swift build -c release --product cutroom --package-path .. --show-bin-path 2>/dev/null)/cutroom

measure() { # name command... → appends "name wall cpu rss_kb"
  local name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o work/time.txt "$@" >/dev/null
  read -r wall user sys rss <work/time.txt
  echo "$name $wall $user $sys $rss" >>work/results.txt
}

: >work/results.txt
for ((i = 1; i <= runs; i++)); do
  measure cutroom "$cutroom" render work/t0.timeline.json -o work/out/T0_cutroom.mp4 --quiet
  measure ffmpeg bash t0_ffmpeg.sh out/T0_ffmpeg.mp4
done

for f in work/out/T0_cutroom.mp4 work/out/T0_ffmpeg.mp4; do
  ffprobe -v error -count_frames -select_streams v:0 -show_entries format=duration:stream=nb_read_frames \
    -of default=nw=1 "$f" | tr '\n' ' ' | sed "s|^|$(basename "$f"): |"; echo
done

python3 - <<'PY'
import statistics as st
rows = [l.split() for l in open("work/results.txt")]
rows = [[r[0], float(r[1]), float(r[2]) + float(r[3]), float(r[4])] for r in rows]
def med(name, col): return st.median(r[col] for r in rows if r[0] == name)
c = {k: med("cutroom", i) for k, i in (("wall", 1), ("cpu", 2), ("rss", 3))}
f = {k: med("ffmpeg", i) for k, i in (("wall", 1), ("cpu", 2), ("rss", 3))}
print(f"T0 (30 s 1080p30, 3 hard cuts), median of {sum(r[0]=='cutroom' for r in rows)} runs each")
print(f"  cutroom render : wall {c['wall']:6.2f} s  cpu {c['cpu']:6.2f} s  peak RSS {c['rss']/1024:6.1f} MB")
print(f"  ffmpeg program : wall {f['wall']:6.2f} s  cpu {f['cpu']:6.2f} s  peak RSS {f['rss']/1024:6.1f} MB")
print(f"  ratio cutroom/ffmpeg: wall {c['wall']/f['wall']:.2f}x  cpu {c['cpu']/f['cpu']:.2f}x  memory {c['rss']/f['rss']:.2f}x")
PY
