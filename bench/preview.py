#!/usr/bin/env python3
"""Frame-preview latency: T1 (1080p, four tracks) uploaded to a live release server, then
GET /timelines/{id}/frame?t=…&width=640 at random times, each request timed end to end.
Usage: python3 bench/preview.py [requests] [t,t,…]   (media from bench/run.sh's work/media)
The optional list times those t as well (e.g. 19.2,19.7,33.3,33.9: inside T1's crossfades).
CUTROOM_BINARY=path measures that binary instead of building this tree's (before/after runs)."""
import json, os, random, socket, statistics, subprocess, sys, tempfile, time, urllib.request

here = os.path.dirname(os.path.abspath(__file__))
media = os.path.join(here, "work", "media")
count = int(sys.argv[1]) if len(sys.argv) > 1 else 40
fixed = [float(t) for t in sys.argv[2].split(",")] if len(sys.argv) > 2 else []
binary = os.environ.get("CUTROOM_BINARY")
if not binary:
    subprocess.run(["swift", "build", "-c", "release", "--product", "cutroom"], cwd=os.path.join(here, ".."), capture_output=True, check=True)
    binary = subprocess.run(["swift", "build", "-c", "release", "--product", "cutroom", "--show-bin-path"],
                            cwd=os.path.join(here, ".."), capture_output=True, text=True, check=True).stdout.strip() + "/cutroom"

def cpu_seconds(pid):
    """User + system CPU seconds of a process so far (less sensitive to other load than wall time)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port

ADMIN = {"email": "bench@example.test", "password": "preview bench password, long enough"}
auth = {}

def call(method, path, body=None, raw=None, headers=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json", **auth, **(headers or {})})
    with urllib.request.urlopen(req, timeout=120) as r:
        return r.read()

port = free_port()
base = f"http://127.0.0.1:{port}/api/v1"
storage = tempfile.mkdtemp(prefix="cutroom-preview-")
# Every API route needs a sign-in: the server makes this admin on start and the bench logs in as it.
server = subprocess.Popen([binary, "serve"], env={**os.environ, "CUTROOM_PORT": str(port), "CUTROOM_STORAGE_DIR": storage,
                                                  "CUTROOM_ADMIN_EMAIL": ADMIN["email"], "CUTROOM_ADMIN_PASSWORD": ADMIN["password"]},
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(200):
        try:
            call("GET", "/health"); break
        except OSError:
            time.sleep(0.05)
    auth["Authorization"] = "Bearer " + json.loads(call("POST", "/auth/login", ADMIN))["data"]["token"]
    project = json.loads(call("POST", "/projects", {"name": "preview bench"}))["data"]["id"]
    ids = {}
    for name in ["A.mp4", "B.mp4", "C.mp4", "logo.png", "music.wav"]:
        with open(os.path.join(media, name), "rb") as f:
            ids[name] = json.loads(call("POST", f"/projects/{project}/assets?filename={name}", raw=f.read(),
                                        headers={"Content-Type": "application/octet-stream"}))["data"]["id"]
    shared = os.path.join(here, "..", "..", "shared", "bench", "t1.timeline.json")
    if not os.path.exists(shared):
        shared = os.path.join(here, "..", "shared", "bench", "t1.timeline.json")
    if not os.path.exists(shared):  # a git worktree one folder deeper (wt/NAME)
        shared = os.path.join(here, "..", "..", "..", "shared", "bench", "t1.timeline.json")
    text = open(shared).read()
    for name, asset in ids.items():
        text = text.replace(f'"media/{name}"', f'"asset:{asset}"')
    timeline = json.loads(call("POST", f"/projects/{project}/timelines", {"name": "T1", "document": json.loads(text)}))["data"]["id"]
    call("GET", f"/timelines/{timeline}/frame?t=1&width=640")  # warm-up: caches, fonts
    random.seed(7)
    times = []
    cpu_before = cpu_seconds(server.pid)
    for _ in range(count):
        t = round(random.uniform(0, 49.9), 3)
        start = time.perf_counter()
        jpeg = call("GET", f"/timelines/{timeline}/frame?t={t}&width=640")
        times.append((time.perf_counter() - start) * 1000)
        assert jpeg[:2] == b"\xff\xd8"
    cpu = (cpu_seconds(server.pid) - cpu_before) / count
    times.sort()
    print(f"frame preview, T1 1080p (4 tracks) at {count} random times, 640 px JPEG:")
    print(f"  median {statistics.median(times):.0f} ms   p90 {times[int(0.9 * (count - 1))]:.0f} ms   max {times[-1]:.0f} ms   "
          f"server CPU {cpu * 1000:.0f} ms per frame   load average {os.getloadavg()[0]:.1f}")
    if fixed:
        timed = []
        for t in fixed:
            start = time.perf_counter()
            jpeg = call("GET", f"/timelines/{timeline}/frame?t={t}&width=640")
            timed.append((time.perf_counter() - start) * 1000)
            assert jpeg[:2] == b"\xff\xd8"
        print("  at " + ", ".join(f"{t} s: {ms:.0f} ms" for t, ms in zip(fixed, timed)))
finally:
    server.terminate()
    server.wait(timeout=60)
