#!/usr/bin/env bash
# Release check of the container image (not part of CI: the release build alone takes longer
# than CI's budget leaves). Builds the local bases if missing (scripts/container-base.sh) and the
# image, then drives one container through the API: health, sign-in, a project, an upload, a
# saved timeline rendered to MP4 (checked with ffprobe), then stop + start on the same /data and
# every record and the output still there. Prints PASS/FAIL lines, the image size and timings.
#
# Usage: scripts/container-test.sh [--no-build]    (--no-build: test the image already built)
# Environment: CUTROOM_IMAGE (localhost/cutroom:test), CUTROOM_TEST_PORT (18080),
#   CUTROOM_TEST_NETWORK (bridge, or host), CUTROOM_TEST_PODMAN_ARGS (see below), KEEP=1 leaves the container and volume behind.
#
# On this sandbox (podman 4.3 in a VM without CAP_SYS_RESOURCE, hybrid cgroups): builds need
# `--isolation chroot`; containers need runc (crun refuses hybrid cgroups, and `--cgroups disabled`
# is crun-only) and ulimits no higher than the host's hard limits (podman's default of 1048576
# open files cannot be set): CUTROOM_TEST_PODMAN_ARGS holds those flags; set it empty elsewhere.
set -uo pipefail
cd "$(dirname "$0")/.."

IMAGE=${CUTROOM_IMAGE:-localhost/cutroom:test}
BASE=${CUTROOM_BASE_IMAGE:-localhost/debian:12}
BUILD_BASE=${CUTROOM_BUILD_BASE_IMAGE:-localhost/swift-build:bookworm}
WORK=${CUTROOM_CONTAINER_WORK:-/var/tmp/cutroom-container}
PORT=${CUTROOM_TEST_PORT:-18080}
NETWORK=${CUTROOM_TEST_NETWORK:-bridge}
read -r -a sandbox_args <<<"${CUTROOM_TEST_PODMAN_ARGS---runtime runc --ulimit nofile=$(ulimit -Hn):$(ulimit -Hn) --ulimit nproc=4096:4096}"
NAME=cutroom-container-test
VOLUME=cutroom-container-test-data
EMAIL=admin@cutroom.test
PASSWORD=container-test-password-1
API="http://127.0.0.1:$PORT/api/v1"
build=1
[[ "${1:-}" == "--no-build" ]] && build=0

mkdir -p "$WORK"
tmp=$(mktemp -d "$WORK/test.XXXXXX")
passed=0 failed=0
pass() { echo "PASS: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
finish() {
  if [[ "${KEEP:-0}" != 1 ]]; then
    podman rm -f -t 5 "$NAME" >/dev/null 2>&1
    podman volume rm -f "$VOLUME" >/dev/null 2>&1
    rm -rf "$tmp"
  fi
  echo "$passed passed, $failed failed"
  ((failed == 0 && passed > 0))
  exit $?
}
trap finish EXIT
die() { fail "$*"; [[ -n "$(podman ps -aq -f name="^$NAME\$" 2>/dev/null)" ]] && podman logs --tail 30 "$NAME" 2>&1 | sed 's/^/  container: /'; exit 1; }
now() { date +%s; }
# Without systemd podman cannot schedule healthcheck timers and says so on each run, start and stop
# (`podman healthcheck run` works all the same): those lines are left out.
quiet_podman() { podman "$@" 2> >(grep -v 'systemd connection' >&2); }

need=()
for tool in ffmpeg curl jq podman; do command -v "$tool" >/dev/null || need+=("$tool"); done
[[ " ${sandbox_args[*]} " == *" --runtime runc "* ]] && ! command -v runc >/dev/null && need+=(runc)
if ((${#need[@]})); then
  apt-get update -qq -o DPkg::Lock::Timeout=600
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "${need[@]}" >/dev/null
fi

# --- images -------------------------------------------------------------------------------
if ((build)); then
  t0=$(now)
  scripts/container-base.sh || die "base images ($BASE, $BUILD_BASE)"
  echo "bases ready in $(( $(now) - t0 )) s"
  t0=$(now)
  # --format docker keeps HEALTHCHECK (OCI image configs have no place for it).
  nice -n 19 podman build --isolation chroot --format docker \
    --build-arg BASE="$BASE" --build-arg BUILD_BASE="$BUILD_BASE" -t "$IMAGE" . > "$WORK/image-build.log" 2>&1 \
    || { tail -40 "$WORK/image-build.log"; die "podman build (log: $WORK/image-build.log)"; }
  pass "image built in $(( $(now) - t0 )) s (log: $WORK/image-build.log)"
fi
podman image exists "$IMAGE" || die "no image $IMAGE"
bytes=$(podman image inspect --format '{{.Size}}' "$IMAGE")
mb=$(( bytes / 1000 / 1000 ))
echo "image size: $IMAGE ${mb} MB ($bytes bytes)"
# 400 MB was the goal; bookworm's FFmpeg 5.1 libraries and what they link are ~270 MB of it and
# the binary (Swift runtime and Foundation's ICU data inside) ~90 MB, so the check guards growth.
MAX_MB=${CUTROOM_IMAGE_MAX_MB:-420}
check "image under $MAX_MB MB (${mb} MB; the 400 MB goal is $( ((mb < 400)) && echo met || echo "missed by $((mb - 400)) MB"))" test "$mb" -lt "$MAX_MB"
libs=$(podman run "${sandbox_args[@]}" --rm --network none --entrypoint ldd "$IMAGE" /usr/local/bin/cutroom 2>&1)
echo "binary links: $(awk '/=>/ {print $1}' <<<"$libs" | tr '\n' ' ')"
check "every library the binary links is in the image" bash -c '! grep -q "not found" <<<"$1"' _ "$libs"
check "a HEALTHCHECK in the image" test -n "$(podman image inspect --format '{{.Config.Healthcheck}}' "$IMAGE" | grep -v '^<nil>$')"

# --- one container --------------------------------------------------------------------------
podman rm -f -t 5 "$NAME" >/dev/null 2>&1
podman volume rm -f "$VOLUME" >/dev/null 2>&1
podman volume create "$VOLUME" >/dev/null || die "volume $VOLUME"
# bridge: the port is published (-p 127.0.0.1:PORT:8080); host: the server listens on PORT itself.
run_args=("${sandbox_args[@]}" --name "$NAME" -v "$VOLUME:/data" -e CUTROOM_ADMIN_EMAIL="$EMAIL" -e CUTROOM_ADMIN_PASSWORD="$PASSWORD")
if [[ "$NETWORK" == host ]]; then
  run_args+=(--network host -e CUTROOM_PORT="$PORT")
else
  run_args+=(-p "127.0.0.1:$PORT:8080")
fi
t0=$(now)
quiet_podman run -d "${run_args[@]}" "$IMAGE" >/dev/null || die "podman run"

wait_healthy() { # until GET /health answers 200, at most $1 s
  local deadline=$(( $(now) + $1 ))
  while (( $(now) < deadline )); do
    curl -sf -o /dev/null "$API/health" && return 0
    [[ "$(podman inspect -f '{{.State.Running}}' "$NAME" 2>/dev/null)" == true ]] || return 1
    sleep 0.5
  done
  return 1
}
wait_healthy 60 || die "health within 60 s"
pass "GET /api/v1/health 200 within $(( $(now) - t0 )) s: $(curl -s "$API/health" | jq -c '.data | {status, database, storage, ffmpeg}')"
check "container HEALTHCHECK healthy" podman healthcheck run "$NAME"
check "server runs as the non-root user (uid $(podman exec "$NAME" id -u))" test "$(podman exec "$NAME" id -u)" != 0
check "web UI served" bash -c "curl -sf '$API/../../' | grep -qi '<script'"

login() {
  curl -sf -X POST -H 'Content-Type: application/json' \
    -d "$(jq -nc --arg e "$EMAIL" --arg p "$PASSWORD" '{email: $e, password: $p}')" "$API/auth/login" | jq -r '.data.token // empty'
}
TOKEN=$(login)
[[ -n "$TOKEN" ]] || die "sign in as the admin from CUTROOM_ADMIN_EMAIL/PASSWORD"
pass "signed in as $EMAIL"
api() { curl -sS -H "Authorization: Bearer $TOKEN" "$@"; }

PROJECT=$(api -X POST -H 'Content-Type: application/json' -d '{"name": "Container test"}' "$API/projects" | jq -r '.data.id // empty')
[[ -n "$PROJECT" ]] || die "create a project"
pass "project $PROJECT"

ffmpeg -v error -y -f lavfi -i testsrc2=size=640x360:rate=30:duration=4 -f lavfi -i sine=frequency=440:duration=4 \
  -c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac -shortest "$tmp/clip.mp4" || die "make a clip with ffmpeg"
ASSET_JSON=$(api -F "file=@$tmp/clip.mp4;type=video/mp4" "$API/projects/$PROJECT/assets")
ASSET=$(jq -r '.data.id // empty' <<<"$ASSET_JSON")
[[ -n "$ASSET" ]] || die "upload the clip: $ASSET_JSON"
pass "uploaded asset $ASSET: $(jq -c '.data | {kind, duration, width, height, fps, hasAudio}' <<<"$ASSET_JSON")"

# Two cuts of the clip with a fade between them and a title (a font found through fontconfig).
document=$(jq -nc --arg src "asset:$ASSET" '{
  version: 1,
  output: {width: 640, height: 360, fps: 30, format: "mp4",
           video: {codec: "h264", crf: 28, preset: "veryfast"}, audio: {codec: "aac", bitrate: 96000}},
  tracks: [
    {id: "v", clips: [
      {id: "a", asset: {type: "video", src: $src}, start: 0, length: 2, trim: 0.5},
      {id: "b", asset: {type: "video", src: $src}, start: 2, length: 2, trim: 1.5, transition: {type: "fade", duration: 0.5}}]},
    {id: "t", clips: [
      {id: "title", asset: {type: "text", text: "Cutroom in a container", font: {size: 36}}, start: 0.5, length: 3, position: "bottom"}]}
  ]}')
TIMELINE_JSON=$(api -X POST -H 'Content-Type: application/json' \
  -d "$(jq -nc --argjson d "$document" '{name: "container test", document: $d}')" "$API/projects/$PROJECT/timelines")
TIMELINE=$(jq -r '.data.id // empty' <<<"$TIMELINE_JSON")
[[ -n "$TIMELINE" ]] || die "save the timeline: $TIMELINE_JSON"
pass "timeline $TIMELINE"

t0=$(now)
RENDER_JSON=$(api -X POST -H 'Content-Type: application/json' -d "$(jq -nc --arg t "$TIMELINE" '{timelineId: $t}')" "$API/renders")
RENDER=$(jq -r '.data.id // empty' <<<"$RENDER_JSON")
[[ -n "$RENDER" ]] || die "submit the render: $RENDER_JSON"
status=""
deadline=$(( $(now) + 300 ))
while (( $(now) < deadline )); do
  status=$(api "$API/renders/$RENDER" | jq -r '.data.status')
  [[ "$status" == completed || "$status" == failed || "$status" == cancelled ]] && break
  sleep 1
done
[[ "$status" == completed ]] || die "render $RENDER completed (status '$status': $(api "$API/renders/$RENDER" | jq -c '.data.error'))"
pass "render $RENDER completed in $(( $(now) - t0 )) s"

probe_duration() { ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$1"; }
api -f -L -o "$tmp/out1.mp4" "$API/renders/$RENDER/output" || die "download the output"
d=$(probe_duration "$tmp/out1.mp4")
streams=$(ffprobe -v error -show_entries stream=codec_name,width,height -of csv=p=0 "$tmp/out1.mp4" | tr '\n' ' ')
check "output is 4 s (ffprobe: ${d:-none} s; streams: $streams)" awk -v d="${d:-0}" 'BEGIN { exit !(d > 3.9 && d < 4.1) }'

# --- restart on the same /data --------------------------------------------------------------
t0=$(now)
quiet_podman stop -t 30 "$NAME" >/dev/null || die "podman stop"
code=$(podman inspect -f '{{.State.ExitCode}}' "$NAME")
check "stopped cleanly on SIGTERM in $(( $(now) - t0 )) s (exit code $code)" test "$code" = 0
t0=$(now)
quiet_podman start "$NAME" >/dev/null || die "podman start"
wait_healthy 60 || die "health after restart"
pass "healthy again $(( $(now) - t0 )) s after start"

check "the session token still signs in (sessions are in /data)" bash -c "curl -sf -o /dev/null -H 'Authorization: Bearer $TOKEN' '$API/me'"
check "project still there" test "$(api "$API/projects/$PROJECT" | jq -r '.data.id')" = "$PROJECT"
check "asset still there" test "$(api "$API/assets/$ASSET" | jq -r '.data.id')" = "$ASSET"
check "asset content still downloads, byte for byte" bash -c "curl -sf -H 'Authorization: Bearer $TOKEN' '$API/assets/$ASSET/content' | cmp -s - '$tmp/clip.mp4'"
check "timeline still there" test "$(api "$API/timelines/$TIMELINE" | jq -r '.data.id')" = "$TIMELINE"
check "render still completed" test "$(api "$API/renders/$RENDER" | jq -r '.data.status')" = completed
api -f -L -o "$tmp/out2.mp4" "$API/renders/$RENDER/output"
check "output still downloads, byte for byte the same" cmp -s "$tmp/out1.mp4" "$tmp/out2.mp4"
check "a new sign-in works after the restart" test -n "$(login)"
