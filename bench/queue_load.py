#!/usr/bin/env python3
"""Load benchmark for the render queue and its progress stream (issue 4).

Starts `cutroom serve` (release build) on a free port with capacity 100, then at once:
  * N_SUB subscribers (default 2000) follow one long render's SSE stream;
  * N_POST clients (default 200) POST /renders concurrently (tiny renders).
Reports server memory per subscriber, event latency p50/p99 (render's `updatedAt` → arrival),
accepted vs rejected (429) submissions, and that every accepted render reached a terminal state.
Usage: bench/queue_load.py [subscribers] [submitters]
"""
import asyncio, json, os, resource, shutil, socket, statistics, subprocess, sys, tempfile, time, urllib.request
from datetime import datetime

N_SUB = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
N_POST = int(sys.argv[2]) if len(sys.argv) > 2 else 200
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port

def rss_kb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"): return int(line.split()[1])

ADMIN = {"email": "bench@example.test", "password": "queue load bench password, long enough"}
AUTH = {}  # the admin's bearer token once signed in: every API route needs a sign-in

def call(base, method, path, body=None, data=None, headers=None):
    req = urllib.request.Request(base + path, method=method, data=data if data is not None else (json.dumps(body).encode() if body is not None else None))
    if body is not None: req.add_header("Content-Type", "application/json")
    for k, v in AUTH.items(): req.add_header(k, v)
    for k, v in (headers or {}).items(): req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=120) as r: return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e: return e.code, json.loads(e.read() or b"null")

def document(asset, seconds, w, h):
    return {"version": 1, "output": {"width": w, "height": h, "fps": 25},
            "tracks": [{"id": "main", "clips": [{"id": "c", "asset": {"type": "video", "src": f"asset:{asset}"}, "start": 0, "length": seconds}]}]}

def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()

async def subscribe(port, render, latencies, counts, ready):
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
    writer.write(f"GET /api/v1/renders/{render}/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n"
                 f"Authorization: {AUTH['Authorization']}\r\n\r\n".encode())
    await writer.drain()
    ready.release()
    events = 0
    while True:
        line = await reader.readline()
        if not line: break
        if line.startswith(b"data: "):
            now = time.time()
            data = json.loads(line[6:])
            latencies.append(now - parse_time(data["updatedAt"]))
            events += 1
            if data["status"] in ("completed", "failed", "cancelled"): break
    counts.append(events)
    writer.close()

async def submit(base, body, results):
    status, _ = await asyncio.to_thread(call, base, "POST", "/api/v1/renders", body)
    results.append(status)

async def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    binary = os.environ.get("CUTROOM_BINARY") or subprocess.run(["swift", "build", "-c", "release", "--product", "cutroom", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True).stdout.strip() + "/cutroom"
    work = tempfile.mkdtemp(prefix="cutroom-load-")
    port = free_port(); base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, CUTROOM_PORT=str(port), CUTROOM_STORAGE_DIR=f"{work}/storage", CUTROOM_QUEUE_CAPACITY="100", CUTROOM_RENDER_CONCURRENCY="1",
               CUTROOM_ADMIN_EMAIL=ADMIN["email"], CUTROOM_ADMIN_PASSWORD=ADMIN["password"])
    server = subprocess.Popen([binary, "serve"], env=env, stdout=open(f"{work}/server.log", "w"), stderr=subprocess.STDOUT)
    try:
        for _ in range(200):
            try:
                if call(base, "GET", "/api/v1/health")[0] == 200: break
            except OSError: time.sleep(0.05)
        _, signed_in = call(base, "POST", "/api/v1/auth/login", ADMIN)
        AUTH["Authorization"] = "Bearer " + signed_in["data"]["token"]
        clip = f"{work}/clip.mp4"
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=1280x720:r=25:d=30", "-f", "lavfi", "-i", "sine=d=30",
                        "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", clip], check=True)
        _, project = call(base, "POST", "/api/v1/projects", {"name": "load"})
        project = project["data"]["id"]
        _, asset = call(base, "POST", f"/api/v1/projects/{project}/assets?filename=clip.mp4", data=open(clip, "rb").read(),
                         headers={"Content-Type": "application/octet-stream"})
        asset = asset["data"]["id"]
        _, long_render = call(base, "POST", "/api/v1/renders", {"timeline": document(asset, 30, 1280, 720)})
        long_render = long_render["data"]["id"]

        baseline = rss_kb(server.pid)
        latencies, counts, ready = [], [], asyncio.Semaphore(0)
        subscribers = [asyncio.create_task(subscribe(port, long_render, latencies, counts, ready)) for _ in range(N_SUB)]
        for _ in range(N_SUB): await ready.acquire()
        await asyncio.sleep(1.0)
        with_subscribers = rss_kb(server.pid)

        statuses = []
        tiny = {"timeline": document(asset, 1, 320, 180)}
        started = time.time()
        await asyncio.gather(*(submit(base, tiny, statuses) for _ in range(N_POST)))
        submit_seconds = time.time() - started
        await asyncio.gather(*subscribers)

        _, listing = call(base, "GET", "/api/v1/renders?limit=200")
        total = listing["pagination"]["total"]
        deadline = time.time() + 900
        while time.time() < deadline:
            _, active = call(base, "GET", "/api/v1/health")
            if active["data"]["queue"]["depth"] == 0 and active["data"]["queue"]["running"] == 0: break
            await asyncio.sleep(1)
        rows, page = [], 1
        while True:
            _, listing = call(base, "GET", f"/api/v1/renders?limit=200&page={page}")
            rows += listing["data"]
            if page >= listing["pagination"]["totalPages"]: break
            page += 1
        terminal = sum(r["status"] in ("completed", "failed", "cancelled") for r in rows)
        completed = sum(r["status"] == "completed" for r in rows)
        accepted, rejected = statuses.count(202), statuses.count(429)
        lat = sorted(latencies)
        q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000
        print(f"subscribers: {N_SUB} on one 30 s 720p render; events received per subscriber: min {min(counts)} max {max(counts)}; streams that saw the end: {len(counts)}")
        print(f"server RSS: {baseline/1024:.1f} MB before, {with_subscribers/1024:.1f} MB with subscribers -> {(with_subscribers-baseline)/N_SUB:.1f} KB per subscriber")
        print(f"event latency (recorded -> arrived), {len(lat)} deliveries: p50 {q(0.50):.1f} ms, p99 {q(0.99):.1f} ms, max {lat[-1]*1000:.1f} ms")
        print(f"submissions: {N_POST} concurrent in {submit_seconds:.2f} s: {accepted} accepted (202), {rejected} rejected (429), other {N_POST-accepted-rejected}")
        print(f"renders stored: {len(rows)} (= 1 watched + {accepted} accepted: {'yes' if len(rows) == accepted + 1 else 'NO'}); terminal: {terminal}, completed: {completed}; lost: {len(rows) - terminal}")
    finally:
        server.terminate(); server.wait(timeout=60)
        shutil.rmtree(work, ignore_errors=True)

asyncio.run(main())
