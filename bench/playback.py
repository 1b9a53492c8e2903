#!/usr/bin/env python3
"""Editor playback from the engine: T1 (1080p, four tracks, 50 s = 25 segments) uploaded to a live
server, then POST /timelines/segments at 640 px:
  - time to the first segment after the request, cold (rendered) and cached (a hit), at several indexes;
  - segments per second the server sustains, rendering all 25 with 2 requests in flight (a fresh
    document: every key new);
  - a simulated player (real time, 3 segments ahead, 2 in flight): stalls per minute of T1;
  - how many segments an edit of the title re-renders (If-None-Match with the old keys: 200 = rendered).
Usage: python3 bench/playback.py   (media from bench/work/media, see bench/README.md)
CUTROOM_BINARY=path measures that binary; default the release build if there, else the debug one."""
import concurrent.futures, json, os, socket, statistics, subprocess, sys, tempfile, time, urllib.error, urllib.request

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, "..")
media = os.path.join(here, "work", "media")
binary = os.environ.get("CUTROOM_BINARY")
if not binary:
    release = os.path.join(root, ".build", "release", "cutroom")
    binary = release if os.path.exists(release) else os.path.join(root, ".build", "debug", "cutroom")
build = "release" if "/release/" in binary else "debug"


def cpu_seconds(pid):
    """User + system CPU seconds of a process so far (less sensitive to other load than wall time)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port


ADMIN = {"email": "bench@example.test", "password": "playback bench password, long enough"}
auth = {}


def call(method, path, body=None, raw=None, headers=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json", **auth, **(headers or {})})
    with urllib.request.urlopen(req, timeout=300) as r:
        return r.read()


def segment(document, index, etag=None):
    """(status, ETag, cache header, seconds, bytes) of one segment request."""
    headers = {"Content-Type": "application/json", **auth}
    if etag:
        headers["If-None-Match"] = etag
    req = urllib.request.Request(base + "/timelines/segments", data=json.dumps({"document": document, "index": index, "width": 640}).encode(),
                                 method="POST", headers=headers)
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=300) as r:
            body = r.read()
            return r.status, r.headers["ETag"], r.headers.get("Cutroom-Segment-Cache"), time.perf_counter() - start, len(body)
    except urllib.error.HTTPError as e:
        if e.code == 304:
            return 304, e.headers["ETag"], None, time.perf_counter() - start, 0
        raise


port = free_port()
base = f"http://127.0.0.1:{port}/api/v1"
storage = tempfile.mkdtemp(prefix="cutroom-playback-")
server = subprocess.Popen([binary, "serve"], env={**os.environ, "CUTROOM_PORT": str(port), "CUTROOM_STORAGE_DIR": storage,
                                                  "CUTROOM_ADMIN_EMAIL": ADMIN["email"], "CUTROOM_ADMIN_PASSWORD": ADMIN["password"]},
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(400):
        try:
            call("GET", "/health"); break
        except OSError:
            time.sleep(0.05)
    auth["Authorization"] = "Bearer " + json.loads(call("POST", "/auth/login", ADMIN))["data"]["token"]
    project = json.loads(call("POST", "/projects", {"name": "playback bench"}))["data"]["id"]
    ids = {}
    for name in ["A.mp4", "B.mp4", "C.mp4", "logo.png", "music.wav"]:
        with open(os.path.join(media, name), "rb") as f:
            ids[name] = json.loads(call("POST", f"/projects/{project}/assets?filename={name}", raw=f.read(),
                                        headers={"Content-Type": "application/octet-stream"}))["data"]["id"]
    shared = os.path.join(root, "..", "shared", "bench", "t1.timeline.json")
    if not os.path.exists(shared):  # a git worktree one folder deeper (wt/NAME)
        shared = os.path.join(root, "..", "..", "shared", "bench", "t1.timeline.json")
    text = open(shared).read()
    for name, asset in ids.items():
        text = text.replace(f'"media/{name}"', f'"asset:{asset}"')
    t1 = json.loads(text)
    print(f"playback segments, T1 (1080p, 4 tracks, 50 s) at 640x360, {build} build, {os.cpu_count()} cores")

    # 1. Time to the first segment: cold (this request renders it), then cached.
    segment(dict(t1, background="#010101"), 0)  # warm-up: fonts, decoders, code paths
    probes = [0, 5, 9, 16, 24]
    cold, warm = [], []
    cpu_before = cpu_seconds(server.pid)
    for index in probes:
        status, _, cache, seconds, size = segment(t1, index)
        assert status == 200 and cache == "miss", (status, cache)
        cold.append(seconds * 1000)
        status, _, cache, seconds, _ = segment(t1, index)
        assert status == 200 and cache == "hit", (status, cache)
        warm.append(seconds * 1000)
    cpu_cold = (cpu_seconds(server.pid) - cpu_before) / len(probes)
    print(f"  first segment, cold: median {statistics.median(cold):.0f} ms, max {max(cold):.0f} ms ({', '.join(f'{m:.0f}' for m in cold)} at {probes}); "
          f"server CPU {cpu_cold * 1000:.0f} ms per cold + cached pair")
    print(f"  first segment, cached: median {statistics.median(warm):.0f} ms, max {max(warm):.0f} ms")

    # 2. Throughput: all 25 segments of a document nothing is cached for, 2 requests in flight.
    fresh = dict(t1, background="#020202")
    count = 25
    started = time.perf_counter()
    cpu_before = cpu_seconds(server.pid)
    done_at = {}
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        futures = {pool.submit(segment, fresh, i): i for i in range(count)}
        for future in concurrent.futures.as_completed(futures):
            assert future.result()[0] == 200
            done_at[futures[future]] = time.perf_counter() - started
    wall = time.perf_counter() - started
    cpu = cpu_seconds(server.pid) - cpu_before
    print(f"  sustained: {count} segments ({count * 2} s of video) in {wall:.1f} s = {count / wall:.2f} segments/s "
          f"({count * 2 / wall:.2f}x real time); server CPU {cpu:.1f} s = {cpu / count * 1000:.0f} ms per segment; "
          f"load average {os.getloadavg()[0]:.1f}")

    if os.environ.get("PLAYBACK_BENCH_QUICK"):  # cold times and throughput only
        raise SystemExit(0)
    # 3. A simulated player on a cold document: asks 3 ahead with 2 in flight, plays in real time once
    # the first segment is there; a segment not there when its time comes is a stall (waits for it).
    player = dict(t1, background="#030303")
    clock0 = time.perf_counter()
    ready = {}
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        pending = {}
        next_index = 0
        stalls, stalled_s = 0, 0.0
        play_start = None
        for index in range(count):
            while next_index < min(count, index + 3):
                pending[next_index] = pool.submit(segment, player, next_index)
                next_index += 1
            pending[index].result()
            now = time.perf_counter() - clock0
            if play_start is None:
                play_start = now
                first = now
            due = play_start + index * 2
            if now > due + 0.05:
                stalls += 1
                stalled_s += now - due
                play_start += now - due  # playback resumes from where it waited
    minutes = count * 2 / 60
    print(f"  simulated playback from cold: first segment {first * 1000:.0f} ms, {stalls} stalls in {count * 2} s "
          f"= {stalls / minutes:.1f} stalls/min, {stalled_s:.1f} s waiting")

    # 4. An edit of the title: which segments change (304 = kept, 200 = rendered again).
    keys = [segment(t1, i)[1] for i in range(count)]
    edited = json.loads(json.dumps(t1))
    for track in edited["tracks"]:
        for clip in track["clips"]:
            if clip["id"] == "title":
                clip["asset"]["text"] = "Hello again"
    started = time.perf_counter()
    results = [segment(edited, i, keys[i]) for i in range(count)]
    rerendered = [i for i, r in enumerate(results) if r[0] == 200]
    print(f"  title edit: {len(rerendered)} of {count} segments re-rendered ({rerendered}), "
          f"all {count} revalidated in {time.perf_counter() - started:.1f} s")
finally:
    server.terminate()
    server.wait(timeout=60)
