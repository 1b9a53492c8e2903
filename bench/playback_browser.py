#!/usr/bin/env python3
"""T1 played in the editor by headless Chromium from a cold segment cache: Space at 0, then the
whole 50 s; prints the first picture's delay after Space (measured in the page), stalls (the
<video> waiting for data) per minute and the wall time. Usage: CUTROOM_URL=http://127.0.0.1:PORT
CUTROOM_ADMIN_EMAIL=… CUTROOM_ADMIN_PASSWORD=… python3 bench/playback_browser.py
(a running server with the web UI built; media from bench/work/media)."""
import json, os, sys, time, urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "e2e"))
from test_web_e2e import BASE_URL, Flow, admin_credentials, api, new_driver, open_home  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
media = os.path.join(here, "work", "media")
status, created = api("POST", "/projects", {"name": f"T1 playback {time.strftime('%H:%M:%S')}"})
project = created["data"]["id"]
ids = {}
for name in ["A.mp4", "B.mp4", "C.mp4", "logo.png", "music.wav"]:
    with open(os.path.join(media, name), "rb") as f:
        req = urllib.request.Request(f"{BASE_URL}/api/v1/projects/{project}/assets?filename={name}", data=f.read(), method="POST",
                                     headers={"Content-Type": "application/octet-stream", **admin_credentials()})
        with urllib.request.urlopen(req, timeout=300) as r:
            ids[name] = json.loads(r.read())["data"]["id"]
text = open(os.path.join(here, "..", "..", "shared", "bench", "t1.timeline.json")).read()
for name, asset in ids.items():
    text = text.replace(f'"media/{name}"', f'"asset:{asset}"')
status, timeline = api("POST", f"/projects/{project}/timelines", {"name": "T1", "document": json.loads(text)})
assert status == 201, timeline

browser = new_driver(1440, 900)
try:
    flow = Flow(browser, prefix="playback-t1")
    open_home(flow, BASE_URL)
    browser.get(f"{BASE_URL}/#/projects/{project}")
    flow.one("workspace")
    flow.wait(60).until(lambda _: len(flow.clips()) >= 6, message="T1 did not load")
    time.sleep(3)  # the playhead at rest: the first segment is prefetched
    started = time.monotonic()
    flow.keys(" ")
    state = "const v=document.querySelector('[data-testid=engine-video]'); return [v.currentTime, v.ended, v.dataset.startMs, v.dataset.stalls, v.dataset.showing]"
    while time.monotonic() - started < 180:
        t, ended, start_ms, stalls, showing = browser.execute_script(state)
        if ended or t >= 49.9 or (showing == "false" and t == 0 and time.monotonic() - started > 5):
            break
        time.sleep(0.5)
    wall = time.monotonic() - started
    flow.shot("end")
    minutes = max(t, 1e-9) / 60
    print(f"T1 in Chromium from a cold cache: first picture {start_ms} ms after Space, played to {t:.1f} s in {wall:.1f} s wall, "
          f"{stalls} stalls ({int(stalls or 0) / minutes:.1f}/min)")
finally:
    browser.quit()
