"""Space plays the timeline from the engine: moving pictures in the preview, a title while playing.

Against a running server (CUTROOM_URL, signed in as the admin like test_web_e2e): a project with a
dimmed moving test picture (nothing in it is near white) under a white title over 1.5–3 s. Space
starts the engine player (features/playback): the <video> in the preview plays the server's
fMP4 segments through Media Source Extensions, its currentTime advances, its pictures change, the
playhead follows it, and while currentTime is inside the title the picture has white ink. Space
again stops it. Chromium only (Firefox is not on these machines).
"""

from __future__ import annotations

import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from test_web_e2e import Flow, api, admin_credentials, new_driver, open_home, run, BASE_URL

import urllib.request
import json

# What the video shows, sampled through a canvas: the mean level and how many pixels are near white.
SAMPLE = """
const v = document.querySelector('[data-testid=engine-video]');
if (!v || v.readyState < 2) return null;
const c = document.createElement('canvas'); c.width = 320; c.height = 180;
const g = c.getContext('2d'); g.drawImage(v, 0, 0, 320, 180);
const d = g.getImageData(0, 0, 320, 180).data;
let white = 0, sum = 0;
for (let i = 0; i < d.length; i += 4) { if (d[i] > 200 && d[i + 1] > 200 && d[i + 2] > 200) white++; sum += d[i] + d[i + 1] + d[i + 2]; }
return {t: v.currentTime, paused: v.paused, white, mean: sum / (d.length / 4 * 3), pixels: Array.from(d.filter((_, i) => i % 400 === 0))};
"""


def upload(path: Path, project: str) -> str:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{path.name}\"\r\n"
            f"Content-Type: video/mp4\r\n\r\n").encode() + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"{BASE_URL}/api/v1/projects/{project}/assets", data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}", **admin_credentials()})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())["data"]["id"]


@pytest.fixture(scope="module")
def project():
    with tempfile.TemporaryDirectory(prefix="cutroom-playback-") as tmp:
        clip = Path(tmp) / "moving.mp4"
        subprocess.run([
            "ffmpeg", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30,lutrgb=r=val*0.45:g=val*0.45:b=val*0.45",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", "6", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "veryfast", "-c:a", "aac", str(clip),
        ], check=True)
        status, created = api("POST", "/projects", {"name": f"Playback {time.strftime('%H:%M:%S')}"})
        assert status == 201, created
        project_id = created["data"]["id"]
        asset = upload(clip, project_id)
        document = {
            "version": 1, "output": {"width": 1280, "height": 720, "fps": 30}, "background": "#000000",
            "tracks": [
                {"id": "v", "clips": [{"id": "v1", "asset": {"type": "video", "src": f"asset:{asset}"}, "start": 0}]},
                {"id": "t", "clips": [{"id": "t1", "asset": {"type": "text", "text": "PLAYING", "font": {"size": 160, "color": "#FFFFFF", "weight": "bold"}},
                                       "start": 1.5, "length": 1.5}]},
            ],
        }
        status, timeline = api("POST", f"/projects/{project_id}/timelines", {"name": "Main", "document": document})
        assert status == 201, timeline
        yield project_id


def test_space_plays_from_the_engine(project: str) -> None:
    browser = new_driver(1440, 900)
    flow = Flow(browser, prefix="playback")
    try:
        def body() -> None:
            open_home(flow, BASE_URL)
            browser.get(f"{BASE_URL}/#/projects/{project}")
            flow.one("workspace")
            flow.wait(30).until(lambda _: len(flow.clips()) == 2, message="the timeline did not load")
            supported = browser.execute_script(
                "return MediaSource.isTypeSupported('video/mp4; codecs=\"avc1.64001E, mp4a.40.2\"')")
            assert supported, "this Chromium cannot append H.264/AAC through MSE"
            # Resting at 0 prefetches the first segment; Space plays.
            time.sleep(1.0)
            started = time.monotonic()
            flow.keys(" ")
            flow.wait(30).until(lambda b: b.execute_script(
                "const v=document.querySelector('[data-testid=engine-video]'); return v && v.dataset.showing === 'true' && v.currentTime > 0"),
                message="the engine player did not start")
            first_picture_s = time.monotonic() - started
            samples = []
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                sample = browser.execute_script(SAMPLE)
                if sample:
                    samples.append(sample)
                    if sample["t"] > 3.4:
                        break
                time.sleep(0.1)
            flow.shot("playing")
            video = browser.execute_script("const d = document.querySelector('[data-testid=engine-video]').dataset; return [d.startMs, d.stalls]")
            assert samples, "no picture from the engine video"
            times = [s["t"] for s in samples]
            assert times[-1] > times[0] + 1.5, f"currentTime did not advance: {times}"
            # The pictures move (testsrc2 animates), the playhead follows the video.
            assert len({tuple(s["pixels"]) for s in samples}) >= 3, "the frames do not change while playing"
            assert flow.playhead_frames() >= 60, f"the playhead did not follow: {flow.one('playhead-timecode').text}"
            titled = [s for s in samples if 1.6 <= s["t"] <= 2.9]
            plain = [s for s in samples if s["t"] < 1.4 or 3.1 < s["t"]]
            assert titled and plain, f"no samples inside and outside the title: {times}"
            assert min(s["white"] for s in titled) > 200, f"no title while playing: {[(s['t'], s['white']) for s in titled]}"
            assert max(s["white"] for s in plain) < 20, f"white outside the title: {[(s['t'], s['white']) for s in plain]}"
            # Space again stops: the video pauses and the playhead stays.
            flow.keys(" ")
            flow.wait(10).until(lambda b: b.execute_script(
                "const v=document.querySelector('[data-testid=engine-video]'); return v.dataset.showing === 'false'"))
            stopped_at = flow.playhead_frames()
            time.sleep(0.5)
            assert flow.playhead_frames() == stopped_at
            assert not flow.all("engine-playback-error"), flow.one("engine-playback-error").text
            # Played to the end, it stops there by itself.
            flow.keys(" ")
            flow.wait(40).until(lambda _: flow.one("play").get_attribute("aria-label") == "Play (Space)" and flow.playhead_frames() == 180,
                                message=f"playing did not stop at the end: {flow.one('playhead-timecode').text}")
            print(f"engine playback: first picture {video[0]} ms after Space in the page "
                  f"({first_picture_s * 1000:.0f} ms seen through Selenium), {video[1]} stalls")

        run(flow, body)
    finally:
        browser.quit()
