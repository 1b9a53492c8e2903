"""Chromium plays a smart-cut render across its joins.

A smart cut (see README, "Faster ways to the same file") puts two encoders' pictures in one H.264
track: the sources' copied packets and re-encoded pieces whose SPS/PPS have ids of their own,
both sets in one avcC. FFmpeg's decoder takes that (the Swift tests check); this checks a browser
does too: playing through a piece-to-copy and a copy-to-piece join decodes every frame, none
corrupted, and shows real pictures.
"""

from __future__ import annotations

import functools
import http.server
import json
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest

from test_web_e2e import new_driver

ROOT = Path(__file__).resolve().parents[2]
CUTROOM = ROOT / ".build" / "debug" / "cutroom"


def make_source(path: Path, hue: int) -> None:
    """4 s of 640x360 at 30 fps, a keyframe every second, tagged bt709 (the render passes it through)."""
    subprocess.run(
        [
            "ffmpeg", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc2=size=640x360:rate=30,hue=h={hue}",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", "4", "-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-keyint_min", "30", "-sc_threshold", "0",
            "-pix_fmt", "yuv420p", "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv",
            "-c:a", "aac", "-ac", "2", str(path),
        ],
        check=True,
    )


@pytest.fixture(scope="module")
def spliced():
    """A's frames 15..<90 then B's 42..<102: pieces at 0–0.5 s, 2.5–3.1 s and 4.1–4.5 s, the rest copied."""
    with tempfile.TemporaryDirectory(prefix="cutroom-splice-") as tmp:
        folder = Path(tmp)
        make_source(folder / "a.mp4", 0)
        make_source(folder / "b.mp4", 150)
        document = {
            "version": 1,
            "output": {"width": 640, "height": 360, "fps": 30, "format": "mp4"},
            "tracks": [{"id": "main", "clips": [
                {"id": "a", "asset": {"type": "video", "src": "a.mp4"}, "start": 0, "length": 2.5, "trim": 0.5},
                {"id": "b", "asset": {"type": "video", "src": "b.mp4"}, "start": 2.5, "length": 2, "trim": 1.4},
            ]}],
        }
        (folder / "cut.timeline.json").write_text(json.dumps(document))
        made = subprocess.run([str(CUTROOM), "render", str(folder / "cut.timeline.json"), "-o", str(folder / "cut.mp4"), "-q"],
                              capture_output=True, text=True, check=True)
        assert "re-encoded at cuts off keyframes" in made.stderr, made.stderr
        (folder / "play.html").write_text(PAGE)
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{server.server_address[1]}"
        server.shutdown()


# The file is played from a Blob: Python's file server answers no byte ranges, so Chromium could not seek in it.
PAGE = """<!doctype html><html><body><video id="v" muted playsinline preload="auto"></video>
<canvas id="c" width="64" height="36"></canvas><script>
window.playFrom = async function (t, until) {
  const v = document.getElementById('v');
  v.src = URL.createObjectURL(await (await fetch('cut.mp4')).blob());
  if (v.readyState < 4) await new Promise(r => v.addEventListener('canplaythrough', r, {once: true}));
  const seeked = new Promise(r => v.addEventListener('seeked', r, {once: true}));
  v.currentTime = t;
  await seeked;
  const from = v.currentTime, before = v.getVideoPlaybackQuality();
  // Plays until `until` (past the join) or the end, however slow the machine.
  const reached = new Promise(r => {
    const check = () => { if (v.currentTime >= until || v.ended) { v.removeEventListener('timeupdate', check); r(); } };
    v.addEventListener('timeupdate', check);
    v.addEventListener('ended', check, {once: true});
  });
  await v.play();
  await reached;
  v.pause();
  const after = v.getVideoPlaybackQuality();
  const c = document.getElementById('c').getContext('2d');
  c.drawImage(v, 0, 0, 64, 36);
  const d = c.getImageData(0, 0, 64, 36).data;
  let sum = 0, squares = 0;
  for (let i = 0; i < d.length; i += 4) { const y = (d[i] + d[i + 1] + d[i + 2]) / 3; sum += y; squares += y * y; }
  const n = d.length / 4, mean = sum / n;
  return {error: v.error ? v.error.code : 0, from, to: v.currentTime,
          frames: after.totalVideoFrames - before.totalVideoFrames,
          corrupted: (after.corruptedVideoFrames || 0) - (before.corruptedVideoFrames || 0),
          spread: Math.sqrt(Math.max(0, squares / n - mean * mean))};
};
</script></body></html>"""


@pytest.mark.parametrize("start", [0.2, 2.2, 3.9], ids=["piece-to-copy", "copy-to-piece", "copy-to-tail"])
def test_a_smart_cut_plays_through_its_joins(spliced: str, start: float) -> None:
    browser = new_driver(800, 600)
    try:
        browser.get(f"{spliced}/play.html")
        result = browser.execute_async_script(
            "const done = arguments[arguments.length - 1]; playFrom(arguments[0], arguments[1]).then(done, e => done({failed: String(e)}));",
            start, start + 0.6)
    finally:
        browser.quit()
    assert "failed" not in result, result
    assert result["error"] == 0, result
    assert abs(result["from"] - start) < 0.05, f"the seek landed at {result['from']}: {result}"
    # Playing to start + 0.6 s crosses the join (at 0.5, 2.5 and 4.1 s).
    assert result["to"] >= start + 0.6 or result["to"] >= 4.45, result
    assert result["frames"] >= 12 and result["corrupted"] == 0, result
    # testsrc2's bars and gradient: a decoded picture, not an empty or grey frame.
    assert result["spread"] > 25, result
