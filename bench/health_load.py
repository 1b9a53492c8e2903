#!/usr/bin/env python3
"""/health latency while hostile clients post big documents: the server must keep answering
while it reads, parses and validates them (that work belongs off the request threads).
4 clients each post 3 MB bodies in a loop to /timelines/validate (a document whose unknown key is
3 MB long, and one with 20,000 clips) while /health is timed every 20 ms; the same /health timing
runs first with no load. Prints p50 / p99 / max in ms for both.
Usage: python3 bench/health_load.py [seconds=15]   (CUTROOM_BINARY=path measures that binary)"""
import json, os, socket, statistics, subprocess, sys, tempfile, threading, time, urllib.error, urllib.request

here = os.path.dirname(os.path.abspath(__file__))
seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 15
binary = os.environ.get("CUTROOM_BINARY")
if not binary:
    subprocess.run(["swift", "build", "-c", "release", "--product", "cutroom"], cwd=os.path.join(here, ".."), capture_output=True, check=True)
    binary = subprocess.run(["swift", "build", "-c", "release", "--product", "cutroom", "--show-bin-path"],
                            cwd=os.path.join(here, ".."), capture_output=True, text=True, check=True).stdout.strip() + "/cutroom"

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port

port = free_port()
base = f"http://127.0.0.1:{port}/api/v1"
storage = tempfile.mkdtemp(prefix="cutroom-health-")
server = subprocess.Popen([binary, "serve"], env={**os.environ, "CUTROOM_PORT": str(port), "CUTROOM_STORAGE_DIR": storage},
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

def post(body):
    req = urllib.request.Request(base + "/timelines/validate", data=body, method="POST", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=120) as r: r.read()
    except urllib.error.HTTPError as e:
        e.read()

def health_ms():
    start = time.perf_counter()
    with urllib.request.urlopen(base + "/health", timeout=60) as r: r.read()
    return (time.perf_counter() - start) * 1000

def timed(duration):
    samples, end = [], time.time() + duration
    while time.time() < end:
        samples.append(health_ms()); time.sleep(0.02)
    samples.sort()
    return samples[len(samples) // 2], samples[min(len(samples) - 1, int(len(samples) * 0.99))], samples[-1], len(samples)

key = "k" * (3 << 20)
unknown_key = ('{"version": 1, "output": {"width": 640, "height": 360}, "tracks": [], "%s": 1}' % key).encode()
clip = '{"id": "c%d", "asset": {"type": "color", "color": "#FF0000"}, "start": %d, "length": 1}'
many = ('{"version": 1, "output": {"width": 640, "height": 360}, "tracks": [{"id": "t", "clips": [%s]}]}'
        % ",".join(clip % (i, i) for i in range(20000))).encode()
bodies = [unknown_key, many]
try:
    for _ in range(200):
        try:
            health_ms(); break
        except OSError:
            time.sleep(0.05)
    quiet = timed(min(5, seconds))
    stop = threading.Event()
    posted = [0]
    def client(i):
        while not stop.is_set():
            post(bodies[i % 2]); posted[0] += 1
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(4)]
    for t in threads: t.start()
    loaded = timed(seconds)
    stop.set()
    print(f"bodies: {len(unknown_key) >> 20} MB unknown key, {len(many) >> 20} MB with 20,000 clips; {posted[0]} posted in {seconds:.0f} s")
    print("/health ms       p50     p99     max   (samples)")
    print(f"quiet        {quiet[0]:7.1f} {quiet[1]:7.1f} {quiet[2]:7.1f}   ({quiet[3]})")
    print(f"4 clients    {loaded[0]:7.1f} {loaded[1]:7.1f} {loaded[2]:7.1f}   ({loaded[3]})")
finally:
    server.terminate(); server.wait()
