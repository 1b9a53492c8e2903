#!/usr/bin/env python3
"""Upload throughput: one big media file POSTed to /projects/{id}/assets as a raw body
(`?filename=`) and as multipart/form-data (what browsers send), alternating, each way to its own
server so each server's peak RSS belongs to one way. Reports wall time, MB/s (the file's bytes over
curl's total time, which includes the server's probe, thumbnail and store) and server RSS (peak of
VmRSS polled every 10 ms during the run; VmHWM of the process at the end).

Usage: python3 bench/upload.py [runs] [megabytes]        (default 3 runs of 1024 MB)
CUTROOM_BINARY=path measures that binary instead of this tree's release build (before/after runs).
The file is raw 1280x720 video in NUT (quick for ffmpeg to write and for the server to probe),
made once in bench/work/. curl streams it from disk both ways (-T, and -F file=@…).
"""
import json, os, signal, socket, statistics, subprocess, sys, tempfile, threading, time, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
MEGABYTES = int(sys.argv[2]) if len(sys.argv) > 2 else 1024


def release_binary():
    binary = os.environ.get("CUTROOM_BINARY")
    if binary:
        return binary
    subprocess.run(["nice", "-n", "19", "swift", "build", "-c", "release", "--product", "cutroom"], cwd=ROOT, check=True)
    path = subprocess.run(["swift", "build", "-c", "release", "--product", "cutroom", "--show-bin-path"],
                          cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    return os.path.join(path, "cutroom")


def media_file():
    """Raw video of about MEGABYTES MB (1280x720 yuv420p is 1.38 MB a frame)."""
    frames = max(1, round(MEGABYTES * 1_000_000 / (1280 * 720 * 3 // 2)))
    path = os.path.join(HERE, "work", f"upload-{frames}f.nut")
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=s=1280x720:r=25", "-frames:v", str(frames),
                        "-c:v", "rawvideo", "-pix_fmt", "yuv420p", path + ".part.nut"], check=True)
        os.rename(path + ".part.nut", path)
    return path


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port


def status_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class Server:
    def __init__(self, binary, name):
        self.storage = tempfile.mkdtemp(prefix=f"cutroom-upload-{name}-", dir=os.path.join(HERE, "work"))
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/api/v1"
        env = dict(os.environ, CUTROOM_PORT=str(self.port), CUTROOM_HOST="127.0.0.1", CUTROOM_STORAGE_DIR=self.storage,
                   CUTROOM_MAX_UPLOAD_MB=str(max(4096, MEGABYTES * 2)))
        self.log = open(os.path.join(self.storage, "..", f"{os.path.basename(self.storage)}.log"), "w")
        self.process = subprocess.Popen([binary, "serve"], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(400):
            try:
                self.call("GET", "/health"); break
            except OSError:
                time.sleep(0.05)
        signed_in = self.call("POST", "/auth/setup", {"email": "bench@example.com", "password": "upload-bench-password", "name": "Bench"})
        self.token = signed_in["data"]["token"]
        self.project = self.call("POST", "/projects", {"name": "upload bench"})["data"]["id"]

    def call(self, method, path, body=None):
        request = urllib.request.Request(self.base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
        if body is not None: request.add_header("Content-Type", "application/json")
        if getattr(self, "token", None): request.add_header("Authorization", f"Bearer {self.token}")
        with urllib.request.urlopen(request, timeout=600) as response:
            data = response.read()
            return json.loads(data) if data else None

    def upload(self, path, multipart):
        """One upload with curl while VmRSS is polled: (seconds, peak RSS kB)."""
        url = f"{self.base}/projects/{self.project}/assets"
        common = ["curl", "-sS", "-o", os.path.join(self.storage, "..", "answer.json"), "-w", "%{http_code} %{time_total}",
                  "-H", f"Authorization: Bearer {self.token}", "-H", "Expect:"]
        if multipart:
            command = common + ["-F", f"file=@{path};type=application/octet-stream", url]
        else:
            command = common + ["-X", "POST", "-H", "Content-Type: application/octet-stream", "-T", path,
                                f"{url}?filename={os.path.basename(path)}"]
        peak = [status_kb(self.process.pid, "VmRSS")]
        done = threading.Event()
        def poll():
            while not done.is_set():
                peak[0] = max(peak[0], status_kb(self.process.pid, "VmRSS"))
                time.sleep(0.01)
        poller = threading.Thread(target=poll); poller.start()
        try:
            out = subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()
        finally:
            done.set(); poller.join()
        answer = json.load(open(os.path.join(self.storage, "..", "answer.json")))
        assert out[0] == "201", f"HTTP {out[0]}: {answer}"
        assert answer["data"]["size"] == os.path.getsize(path)
        # Keep the disk from filling: the asset goes once timed.
        self.call("DELETE", f"/assets/{answer['data']['id']}")
        return float(out[1]), peak[0]

    def stop(self):
        hwm = status_kb(self.process.pid, "VmHWM")
        self.process.terminate(); self.process.wait(timeout=60)
        subprocess.run(["rm", "-rf", self.storage])
        return hwm


def main():
    # A terminated bench still stops its servers (the `finally` below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    binary = release_binary()
    path = media_file()
    size = os.path.getsize(path)
    servers = {"raw": Server(binary, "raw"), "multipart": Server(binary, "multipart")}
    results = {name: [] for name in servers}
    try:
        for run in range(RUNS):
            for name, server in servers.items():
                seconds, peak = server.upload(path, multipart=(name == "multipart"))
                results[name].append((seconds, peak))
                print(f"run {run + 1} {name:9} {seconds:7.2f} s  {size / seconds / 1e6:7.1f} MB/s  peak RSS {peak / 1024:6.1f} MB", flush=True)
    finally:
        hwm = {name: server.stop() for name, server in servers.items()}
    print(f"\n{size / 1e6:.0f} MB ({os.path.basename(path)}), {RUNS} runs each, {binary}")
    print(f"{'way':9}  {'median s':>8}  {'median MB/s':>11}  {'best MB/s':>9}  {'peak RSS':>9}  {'VmHWM':>7}")
    for name, runs in results.items():
        times = [s for s, _ in runs]
        print(f"{name:9}  {statistics.median(times):8.2f}  {size / statistics.median(times) / 1e6:11.1f}  {size / min(times) / 1e6:9.1f}"
              f"  {max(p for _, p in runs) / 1024:6.1f} MB  {hwm[name] / 1024:4.0f} MB")


if __name__ == "__main__":
    main()
