"""Browser end-to-end test of the Cutroom web UI against a running server.

The caller starts the server (CUTROOM_URL, default http://127.0.0.1:8080) with the web UI
built into its web directory. The test drives headless Chromium through the whole editing
flow: create a project, upload two generated clips (plus one file that is not media and
must be refused on its own), build a sequence, render it, follow the live progress to
100 %, then load and play the rendered video in the page.

If the server asks for a sign-in, CUTROOM_ADMIN_EMAIL / CUTROOM_ADMIN_PASSWORD are used.

Run: pytest -v Tests/e2e/test_web_e2e.py   (or: python3 Tests/e2e/test_web_e2e.py)
Screenshots of each step land in Tests/artifacts/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

BASE_URL = os.environ.get("CUTROOM_URL", "http://127.0.0.1:8080").rstrip("/")
ARTIFACTS = Path(__file__).resolve().parents[2] / "Tests" / "artifacts"
CLIP_SECONDS = 2.0
RENDER_TIMEOUT_S = 180


def tid(name: str) -> str:
    """CSS selector for a data-testid."""
    return f'[data-testid="{name}"]'


def make_clip(path: Path, pattern_offset: int, frequency: int) -> None:
    """A 2-second 640x360 H.264/AAC clip: testsrc2 picture + sine tone."""
    subprocess.run(
        [
            "ffmpeg", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc2=size=640x360:rate=30,hue=h={pattern_offset}",
            "-f", "lavfi", "-i", f"sine=frequency={frequency}:sample_rate=48000",
            "-t", str(CLIP_SECONDS),
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "veryfast",
            "-c:a", "aac", "-b:a", "96k", "-movflags", "+faststart",
            str(path),
        ],
        check=True,
    )


def parse_mmss(text: str) -> float:
    """Inverse of the UI's mm:ss.f format."""
    minutes, seconds = text.strip().split(":")
    return int(minutes) * 60 + float(seconds)


@pytest.fixture(scope="module")
def media_dir():
    with tempfile.TemporaryDirectory(prefix="cutroom-e2e-") as tmp:
        folder = Path(tmp)
        make_clip(folder / "clip-one.mp4", 0, 440)
        make_clip(folder / "clip-two.mp4", 120, 660)
        (folder / "notes.txt").write_text("This is not a media file.\n")
        yield folder


@pytest.fixture(scope="module")
def server():
    """Fails (not skips) when no server answers: a silent skip would hide a broken pipeline."""
    deadline = time.monotonic() + 30
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{BASE_URL}/", timeout=5) as response:
                body = response.read().decode("utf-8", "replace")
                assert "/app.js" in body, f"{BASE_URL}/ does not serve the web UI's index.html"
                return BASE_URL
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            last_error = error
            time.sleep(1)
    pytest.fail(f"Cutroom server not reachable at {BASE_URL}: {last_error}")


@pytest.fixture(scope="module")
def driver():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1440,900",
        "--autoplay-policy=no-user-gesture-required",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    browser.set_script_timeout(30)
    yield browser
    browser.quit()


class Flow:
    """Small helpers bound to one browser session."""

    def __init__(self, browser: WebDriver):
        self.browser = browser
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def wait(self, timeout: float = 20) -> WebDriverWait:
        return WebDriverWait(self.browser, timeout, poll_frequency=0.2)

    def one(self, test_id: str, timeout: float = 20) -> WebElement:
        return self.wait(timeout).until(
            lambda b: next(iter(b.find_elements(By.CSS_SELECTOR, tid(test_id))), False),
            message=f"no element {tid(test_id)}",
        )

    def all(self, test_id: str) -> list[WebElement]:
        return self.browser.find_elements(By.CSS_SELECTOR, tid(test_id))

    def count_at_least(self, test_id: str, count: int, timeout: float = 20) -> list[WebElement]:
        return self.wait(timeout).until(
            lambda b: (found := b.find_elements(By.CSS_SELECTOR, tid(test_id))) and len(found) >= count and found,
            message=f"expected {count} × {tid(test_id)}",
        )

    def shot(self, name: str) -> None:
        self.browser.save_screenshot(str(ARTIFACTS / f"web-e2e-{name}.png"))

    def click(self, element: WebElement) -> None:
        self.browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

    def console(self) -> str:
        try:
            return "\n".join(f"{e['level']}: {e['message']}" for e in self.browser.get_log("browser"))
        except Exception as error:  # Logs are diagnostics only; never mask the real failure.
            return f"(no browser log: {error})"


def sign_in_if_asked(flow: Flow) -> None:
    forms = flow.all("sign-in-form")
    if not forms:
        return
    email = os.environ.get("CUTROOM_ADMIN_EMAIL")
    password = os.environ.get("CUTROOM_ADMIN_PASSWORD")
    assert email and password, "the server asks for a sign-in: set CUTROOM_ADMIN_EMAIL and CUTROOM_ADMIN_PASSWORD"
    flow.one("sign-in-email").send_keys(email)
    flow.one("sign-in-password").send_keys(password)
    flow.click(flow.one("sign-in-submit"))
    flow.wait().until(lambda b: not b.find_elements(By.CSS_SELECTOR, tid("sign-in-form")), message="sign-in failed")


def test_edit_and_render_in_browser(server: str, driver: WebDriver, media_dir: Path) -> None:
    flow = Flow(driver)
    try:
        run_flow(flow, server, media_dir)
    except BaseException:
        flow.shot("failure")
        print("---- browser console ----\n" + flow.console(), file=sys.stderr)
        raise


def run_flow(flow: Flow, server: str, media_dir: Path) -> None:
    browser = flow.browser
    browser.get(server + "/")
    flow.wait().until(lambda b: b.find_elements(By.CSS_SELECTOR, f"{tid('project-create-input')}, {tid('sign-in-form')}"))
    sign_in_if_asked(flow)

    # 1. Create a project; the UI selects it.
    project_name = f"E2E {time.strftime('%H:%M:%S')} {os.getpid()}"
    flow.one("project-create-input").send_keys(project_name)
    flow.click(flow.one("project-create-button"))
    workspace = flow.one("workspace")
    assert project_name in workspace.text
    items = [e for e in flow.all("project-item") if e.text.strip() == project_name]
    assert len(items) == 1 and items[0].get_attribute("aria-current") == "page"
    flow.shot("1-project")

    # 2. Upload both clips and one non-media file through the file input, in one go.
    clips = [media_dir / "clip-one.mp4", media_dir / "clip-two.mp4"]
    upload_input = flow.one("upload-input")
    upload_input.send_keys("\n".join(str(p) for p in [clips[0], media_dir / "notes.txt", clips[1]]))
    cards = flow.count_at_least("asset-card", 2, timeout=90)
    assert len(cards) == 2, f"expected exactly two assets, got {len(cards)}"
    names = sorted(c.find_element(By.CSS_SELECTOR, ".asset-card__name").text for c in cards)
    assert names == ["clip-one.mp4", "clip-two.mp4"]
    for card in cards:
        duration = parse_mmss(card.find_element(By.CSS_SELECTOR, tid("asset-duration")).text)
        assert abs(duration - CLIP_SECONDS) <= 0.1, f"card shows duration {duration}"
        assert "640×360" in card.text, f"card lacks the resolution: {card.text!r}"
    # The refused file reports the server's reason on its own row; the clips were unaffected.
    error = flow.one("upload-error", timeout=30)
    assert error.get_attribute("data-status-code") == "415", f"notes.txt: status {error.get_attribute('data-status-code')}, {error.text!r}"
    assert error.text.strip(), "the refused upload shows no message"
    # Thumbnails are real JPEGs decoded by the browser.
    flow.wait(30).until(
        lambda b: b.execute_script(
            "const imgs=[...document.querySelectorAll('[data-testid=asset-card] img')];"
            "return imgs.length===2 && imgs.every(i=>i.complete && i.naturalWidth>0);"
        ),
        message="asset thumbnails did not load",
    )
    flow.shot("2-uploaded")

    # 3. Add both to the sequence in order, check order and the keyboard reorder buttons.
    by_name = {c.find_element(By.CSS_SELECTOR, ".asset-card__name").text: c for c in cards}
    ids = [by_name[p.name].get_attribute("data-asset-id") for p in clips]
    for clip in clips:
        flow.click(by_name[clip.name].find_element(By.CSS_SELECTOR, tid("add-to-sequence")))
    flow.count_at_least("sequence-item", 2)

    def sequence_order() -> list[str]:
        return [e.get_attribute("data-asset-id") for e in flow.all("sequence-item")]

    assert sequence_order() == ids
    flow.click(flow.all("sequence-item")[0].find_element(By.CSS_SELECTOR, tid("sequence-move-down")))
    flow.wait().until(lambda _: sequence_order() == ids[::-1], message="move down did not reorder")
    flow.click(flow.all("sequence-item")[1].find_element(By.CSS_SELECTOR, tid("sequence-move-up")))
    flow.wait().until(lambda _: sequence_order() == ids, message="move up did not reorder")
    total = parse_mmss(flow.one("sequence-duration").text)
    assert abs(total - 2 * CLIP_SECONDS) <= 0.2, f"sequence length {total}"

    # Save explicitly once (POST), so the render below exercises the saved-timeline path.
    flow.click(flow.one("save-sequence"))
    flow.wait(30).until(lambda _: flow.one("save-state").text.startswith("Saved"), message="save did not complete")
    assert not flow.all("save-errors"), flow.one("save-errors").text
    flow.shot("3-sequence")

    # 4. Render and follow the live progress bar to 100 %.
    flow.click(flow.one("render-button"))
    progress = flow.one("render-progress", timeout=30)
    assert progress.get_attribute("role") == "progressbar"
    seen: set[int] = set()
    shot_while_running = False

    def finished(_: WebDriver) -> bool:
        nonlocal shot_while_running
        block = flow.one("render-progress-block")
        status = block.get_attribute("data-status")
        if status in ("failed", "cancelled"):
            raise AssertionError(f"render {status}: {flow.one('render-detail').text}")
        value = int(flow.one("render-progress").get_attribute("aria-valuenow"))
        seen.add(value)
        if status == "rendering" and not shot_while_running and 0 < value < 100:
            flow.shot("4-rendering")
            shot_while_running = True
        return value == 100 and status == "completed"

    try:
        flow.wait(RENDER_TIMEOUT_S).until(finished)
    except TimeoutException:
        raise AssertionError(f"render not complete within {RENDER_TIMEOUT_S}s; progress values seen: {sorted(seen)}")
    assert flow.one("render-percent").text == "100%"

    # 5. The rendered video loads and plays in the page.
    video = flow.one("render-video", timeout=10)
    src = video.get_attribute("src")
    assert "/api/v1/renders/" in src and src.endswith("/output"), f"unexpected video src {src}"
    flow.wait(30).until(lambda b: b.execute_script("return arguments[0].readyState", video) >= 2, message="video never became playable")
    state = browser.execute_script(
        "const v=arguments[0]; return {readyState: v.readyState, duration: v.duration, width: v.videoWidth, height: v.videoHeight, error: v.error && v.error.code};",
        video,
    )
    assert state["error"] is None, f"video error {state}"
    assert abs(state["duration"] - 2 * CLIP_SECONDS) <= 0.2, f"video duration {state}"
    assert (state["width"], state["height"]) == (1920, 1080), f"default preset is 1080p: {state}"
    played = browser.execute_async_script(
        "const v=arguments[0], done=arguments[arguments.length-1];"
        "v.muted=true;"
        "v.play().then(()=>setTimeout(()=>done({ok:true, t:v.currentTime, paused:v.paused}), 1000))"
        ".catch(e=>done({ok:false, error:String(e)}));",
        video,
    )
    assert played.get("ok"), f"play() failed: {played}"
    assert played["t"] > 0, f"currentTime did not advance: {played}"
    download = flow.one("render-download")
    assert download.get_attribute("href") == src
    flow.shot("5-completed")

    # 6. The render is listed in the project's history as completed.
    flow.wait(15).until(
        lambda _: any("completed" in e.text.lower() for e in flow.all("render-history-item")),
        message="render history does not list the completed render",
    )
    print(json.dumps({"progressValuesSeen": sorted(seen), "video": state, "played": played}))


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-s"]))
