#!/usr/bin/env bash
# Renders the reference workloads with `cutroom render` and with their peers in the same run, and
# prints wall time, CPU time and peak memory of each with the ratios:
#   T0  three 1080p30 clips joined with hard cuts (30 s)        peer: ffmpeg -filter_complex
#       (cutroom copies it, re-encoding 60 frames around the cuts off keyframes; cutroom-reencode
#       is the whole re-encode, --no-stream-copy)
#   T1  ../shared/bench T1: crossfades, title, logo, music (50 s) peers: ffmpeg, melt (2 threads)
#   T4K a 4K clip downscaled to 1080p with a title (10 s)        peer: ffmpeg
#   T0COPY T0 with keyframe-aligned cuts (30 s): stream copy     peers: cutroom --no-stream-copy, ffmpeg
#   T5M 60 cuts of 5 s from the three clips (5 min): segments (--no-stream-copy)  peers: cutroom
#       --no-segments, cutroom-copy (the default: copied, re-encoded around the cuts)
# Media comes from ../shared/bench/gen_media.sh (generated here, never committed).
# Usage: bench/run.sh [runs] [workloads...]   (default 3 runs each, alternating; medians reported)
set -euo pipefail
cd "$(dirname "$0")"
runs=${1:-3}
shift || true
workloads=("${@:-T0 T1 T4K T0COPY T5M}")
read -r -a workloads <<<"${workloads[*]}"
shared=../../shared/bench
[[ -d $shared ]] || shared=../shared/bench
mkdir -p work/out
if [[ ! -f work/media/UHD.mp4 ]]; then
  # gen_media.sh writes next to itself; run a copy here so the shared folder stays untouched.
  cp "$shared/gen_media.sh" work/gen_media.sh
  bash work/gen_media.sh >/dev/null
fi
if ! command -v melt >/dev/null; then
  apt-get install -y -q -o DPkg::Lock::Timeout=600 melt >/dev/null 2>&1 || echo "melt not installable: T1 without the MLT peer" >&2
fi
cp t0.timeline.json t4k.timeline.json t0copy.timeline.json t5m.timeline.json "$shared/t1.timeline.json" work/
cp "$shared/t1_ffmpeg.sh" "$shared/t1_mlt.sh" "$shared/t1_mlt.xml" work/
swift build -c release --product cutroom --package-path .. >/dev/null 2>&1
cutroom=$(swift build -c release --product cutroom --package-path .. --show-bin-path 2>/dev/null)/cutroom

measure() { # workload peer command... → appends "workload peer wall user sys rss_kb"
  local workload=$1 peer=$2; shift 2
  /usr/bin/time -f "%e %U %S %M" -o work/time.txt "$@" >/dev/null
  read -r wall user sys rss <work/time.txt
  echo "$workload $peer $wall $user $sys $rss" >>work/results.txt
}

: >work/results.txt
for ((i = 1; i <= runs; i++)); do
  for w in "${workloads[@]}"; do
    lower=$(tr '[:upper:]' '[:lower:]' <<<"$w")
    extra=()
    [[ $w == T5M ]] && extra=(--no-stream-copy)
    measure "$w" cutroom "$cutroom" render "work/$lower.timeline.json" -o "work/out/${w}_cutroom.mp4" --quiet "${extra[@]}"
    case $w in
      T0)
        measure T0 cutroom-reencode "$cutroom" render work/t0.timeline.json -o work/out/T0_reencode.mp4 --quiet --no-stream-copy
        measure T0 ffmpeg bash t0_ffmpeg.sh out/T0_ffmpeg.mp4 ;;
      T1)
        measure T1 ffmpeg bash work/t1_ffmpeg.sh out/T1_ffmpeg.mp4
        if command -v melt >/dev/null; then measure T1 melt bash work/t1_mlt.sh out/T1_melt.mp4 -2; fi ;;
      T0COPY)
        measure T0COPY cutroom-reencode "$cutroom" render work/t0copy.timeline.json -o work/out/T0COPY_reencode.mp4 --quiet --no-stream-copy
        measure T0COPY ffmpeg bash t0copy_ffmpeg.sh out/T0COPY_ffmpeg.mp4 ;;
      T5M)
        measure T5M cutroom-1pass "$cutroom" render work/t5m.timeline.json -o work/out/T5M_1pass.mp4 --quiet --no-segments --no-stream-copy
        measure T5M cutroom-copy "$cutroom" render work/t5m.timeline.json -o work/out/T5M_copy.mp4 --quiet ;;
      *) measure "$w" ffmpeg bash "${lower}_ffmpeg.sh" "out/${w}_ffmpeg.mp4" ;;
    esac
  done
done

for f in work/out/*.mp4; do
  ffprobe -v error -count_frames -select_streams v:0 -show_entries format=duration:stream=nb_read_frames \
    -of default=nw=1 "$f" | tr '\n' ' ' | sed "s|^|$(basename "$f"): |"; echo
done

python3 - "$runs" <<'PY'
import statistics as st, sys
rows = [l.split() for l in open("work/results.txt")]
rows = [(r[0], r[1], float(r[2]), float(r[3]) + float(r[4]), float(r[5]) / 1024) for r in rows]
print(f"median of {sys.argv[1]} runs each (wall s / cpu s / peak RSS MB)")
for w in dict.fromkeys(r[0] for r in rows):
    peers = {}
    for p in dict.fromkeys(r[1] for r in rows if r[0] == w):
        sel = [r for r in rows if r[0] == w and r[1] == p]
        peers[p] = tuple(st.median(r[i] for r in sel) for i in (2, 3, 4))
    for p, (wall, cpu, rss) in peers.items():
        print(f"  {w:4} {p:8} {wall:7.2f} {cpu:7.2f} {rss:7.1f}")
    c = peers["cutroom"]
    # Peers are the other programs; cutroom-* rows are cutroom's own other ways (for their own ratios).
    others = {p: v for p, v in peers.items() if not p.startswith("cutroom")}
    fastest = min(others, key=lambda p: others[p][0]) if others else None
    wall_ratio = c[0] / others[fastest][0] if fastest else None
    rss_ratio = c[2] / peers["ffmpeg"][2] if "ffmpeg" in peers else None
    if wall_ratio: print(f"  {w:4} cutroom/{fastest} wall {wall_ratio:.2f}x (goal <= 0.90: {'met' if wall_ratio <= 0.9 else 'NOT met'})"
          + (f"   cutroom/ffmpeg peak RSS {rss_ratio:.2f}x (goal <= 1.20: {'met' if rss_ratio <= 1.2 else 'NOT met'})" if rss_ratio else ""))
    if "cutroom-reencode" in peers:
        print(f"  {w:4} stream copy is {peers['cutroom-reencode'][0] / c[0]:.1f}x faster than re-encoding,"
              f" {peers['ffmpeg'][0] / c[0]:.1f}x faster than ffmpeg re-encoding" if "ffmpeg" in peers else "")
        if fastest:
            r = peers["cutroom-reencode"][0] / others[fastest][0]
            print(f"  {w:4} re-encoding alone: cutroom-reencode/{fastest} wall {r:.2f}x (goal <= 0.90: {'met' if r <= 0.9 else 'NOT met'})")
    if "cutroom-1pass" in peers:
        print(f"  {w:4} segmented/single-pass wall {c[0] / peers['cutroom-1pass'][0]:.2f}x"
              f" (speed-up {peers['cutroom-1pass'][0] / c[0]:.2f}x)")
    if "cutroom-copy" in peers:
        print(f"  {w:4} copied with re-encoded cut pieces: {peers['cutroom-copy'][0]:.2f} s, {c[0] / peers['cutroom-copy'][0]:.1f}x faster than segments")
PY
