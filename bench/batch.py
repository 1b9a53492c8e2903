#!/usr/bin/env python3
"""Batch benchmark (issue 13): a 100-row batch of a 10 s 720p title template.

Starts `cutroom serve` (release build) on a free port, makes the first admin and a second user,
saves a template (a 10 s 1280x720 colour card with a text title, `{{TITLE}}` and `{{BG}}`), and
POSTs a batch of N rows (default 100). Once the first render of the batch has finished (so one
render's time is known), the second user submits one render of the same size. Reports:
  * renders per minute over the whole batch;
  * the single render's wait (submitted -> started) against one batch render's time;
  * server RSS (VmRSS, and VmHWM: the peak) before, during and after the batch.
Usage: bench/batch.py [rows=100] [concurrency=2]   (CUTROOM_BIN=path picks another binary, e.g. a debug build)
"""
import json, os, shutil, socket, subprocess, sys, tempfile, time, urllib.request
from datetime import datetime

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 100
CONCURRENCY = sys.argv[2] if len(sys.argv) > 2 else "2"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port

def memory_kb(pid):
    values = {}
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(("VmRSS:", "VmHWM:")): values[line.split(":")[0]] = int(line.split()[1])
    return values

def call(base, method, path, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, method=method, data=data)
    if body is not None: req.add_header("Content-Type", "application/json")
    if token: req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=120) as r: return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e: return e.code, json.loads(e.read() or b"null")

def when(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()

TEMPLATE = {"version": 1, "output": {"width": 1280, "height": 720, "fps": 30, "audio": None},
            "merge": {"BG": "#202040"},
            "tracks": [{"id": "back", "clips": [{"id": "fill", "asset": {"type": "color", "color": "{{BG}}"}, "start": 0, "length": 10}]},
                       {"id": "front", "clips": [{"id": "title", "asset": {"type": "text", "text": "{{TITLE}}", "font": {"size": 96, "color": "#FFFFFF"}},
                                                  "start": 0, "length": 10, "fadeIn": 1}]}]}

def main():
    binary = os.environ.get("CUTROOM_BIN") or subprocess.run(["swift", "build", "-c", "release", "--product", "cutroom", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True).stdout.strip() + "/cutroom"
    work = tempfile.mkdtemp(prefix="cutroom-batch-")
    port = free_port(); base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, CUTROOM_PORT=str(port), CUTROOM_STORAGE_DIR=f"{work}/storage", CUTROOM_RENDER_CONCURRENCY=CONCURRENCY)
    server = subprocess.Popen([binary, "serve"], env=env, stdout=open(f"{work}/server.log", "w"), stderr=subprocess.STDOUT)
    try:
        for _ in range(400):
            try:
                if call(base, "GET", "/api/v1/health")[0] == 200: break
            except OSError: time.sleep(0.05)
        _, admin = call(base, "POST", "/api/v1/auth/setup", {"email": "bench@example.test", "password": "bench-password"})
        owner = admin["data"]["token"]
        _, invite = call(base, "POST", "/api/v1/users", {"email": "other@example.test"}, owner)
        secret = invite["data"]["inviteUrl"].rstrip("/").split("/")[-1]
        _, accepted = call(base, "POST", f"/api/v1/auth/invites/{secret}", {"password": "other-password"})
        other = accepted["data"]["token"]

        status, template = call(base, "POST", "/api/v1/templates", {"name": "bench", "document": TEMPLATE}, owner)
        assert status == 201, template
        template = template["data"]["id"]
        idle = memory_kb(server.pid)
        rows = [{"TITLE": f"Row {i}: batch benchmark", "BG": f"#{(i * 37) % 256:02X}{(i * 91) % 256:02X}60"} for i in range(ROWS)]
        started = time.time()
        status, batch = call(base, "POST", f"/api/v1/templates/{template}/renders", {"rows": rows}, owner)
        accept_seconds = time.time() - started
        assert status == 202, batch
        batch = batch["data"]["id"]

        # Wait for the first finished render: one render's time.
        single = None; peak_rss = 0
        while True:
            _, state = call(base, "GET", f"/api/v1/batches/{batch}", token=owner)
            peak_rss = max(peak_rss, memory_kb(server.pid)["VmRSS"])
            if state["data"]["counts"]["completed"] >= 1 and single is None:
                _, done = call(base, "GET", "/api/v1/renders?status=completed&limit=1", token=owner)
                one = done["data"][0]
                render_seconds = when(one["completedAt"]) - when(one["startedAt"])
                document = json.loads(json.dumps(TEMPLATE).replace("{{TITLE}}", "The other user's render").replace("{{BG}}", "#404020"))
                submitted = time.time()
                status, single = call(base, "POST", "/api/v1/renders", {"timeline": document}, other)
                assert status == 202, single
                single = single["data"]["id"]
            if state["data"]["status"] == "finished": break
            time.sleep(0.5)
        total_seconds = time.time() - started
        after = memory_kb(server.pid)
        _, mine = call(base, "GET", f"/api/v1/renders/{single}", token=other)
        waited = when(mine["data"]["startedAt"]) - submitted
        counts = state["data"]["counts"]
        print(f"batch: {ROWS} rows of a 10 s 1280x720 30 fps title card, render concurrency {CONCURRENCY}; accepted in {accept_seconds:.2f} s")
        print(f"  finished in {total_seconds:.1f} s: {counts['completed']} completed, {counts['failed']} failed -> {counts['completed'] / total_seconds * 60:.1f} renders per minute")
        print(f"  one batch render took {render_seconds:.1f} s; another user's single render submitted during the batch waited {waited:.1f} s to start"
              f" ({'within' if waited <= render_seconds else 'NOT within'} one render's time)")
        print(f"  server RSS: {idle['VmRSS'] / 1024:.1f} MB idle, {peak_rss / 1024:.1f} MB highest seen during the batch, {after['VmRSS'] / 1024:.1f} MB after; peak (VmHWM) {after['VmHWM'] / 1024:.1f} MB")
        # Acceptance of the largest batch the default allows (CUTROOM_BATCH_MAX_ROWS): checked, stored, then cancelled.
        big = [{"TITLE": f"Row {i}"} for i in range(10_000)]
        t0 = time.time(); status, _ = call(base, "POST", f"/api/v1/templates/{template}/renders", {"rows": big, "dryRun": True}, owner); dry = time.time() - t0
        t0 = time.time(); status, large = call(base, "POST", f"/api/v1/templates/{template}/renders", {"rows": big}, owner); stored = time.time() - t0
        assert status == 202, large
        t0 = time.time(); call(base, "POST", f"/api/v1/batches/{large['data']['id']}/cancel", token=owner); cancel = time.time() - t0
        print(f"  10,000 rows: dry run {dry:.1f} s, accepted (checked and stored) in {stored:.1f} s, cancelled in {cancel:.1f} s; RSS then {memory_kb(server.pid)['VmRSS'] / 1024:.1f} MB")
    finally:
        server.terminate(); server.wait(timeout=60)
        shutil.rmtree(work, ignore_errors=True)

main()
