"""Browser end-to-end tests of the Cutroom web editor against a running server.

The caller starts the server (CUTROOM_URL, default http://127.0.0.1:8080) with the web UI
built into its web directory. Headless Chromium drives the editor with real media made by
the ffmpeg CLI: create a project, upload three clips (plus one file that is not media and
must be refused on its own), drag them onto the timeline, trim one by dragging its edge,
add a crossfade at a cut and a title edited in place, check the preview changes with the
playhead, undo/redo, reload and find the edit saved, render, follow the progress to 100 %
and play the result. A second test opens one project in two browsers and walks the 409
conflict path (reload theirs, overwrite with mine).

If the server asks for a sign-in, CUTROOM_ADMIN_EMAIL / CUTROOM_ADMIN_PASSWORD are used.
Screenshots of each main screen land in Tests/artifacts/.
"""

from __future__ import annotations

import hashlib
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
from selenium.common.exceptions import ElementClickInterceptedException, StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE_URL = os.environ.get("CUTROOM_URL", "http://127.0.0.1:8080").rstrip("/")
ARTIFACTS = Path(__file__).resolve().parents[2] / "Tests" / "artifacts"
# What lies over an element's centre, and where both are: printed when a click is intercepted.
COVER_SCRIPT = """
const r = arguments[0].getBoundingClientRect();
const x = r.left + r.width / 2, y = r.top + r.height / 2;
const top = document.elementFromPoint(x, y);
const box = (e) => e && (({left, top, width, height}) => [left, top, width, height].map(Math.round))(e.getBoundingClientRect());
return {point: [x, y], scroll: [scrollX, scrollY, innerWidth, innerHeight], target: box(arguments[0]),
        cover: top && top.outerHTML.slice(0, 200), coverBox: box(top)};
"""
CLIP_SECONDS = 2.0
RENDER_TIMEOUT_S = 240
ZOOM = 80  # the editor's default pixels per second


def tid(name: str) -> str:
    return f'[data-testid="{name}"]'


def make_clip(path: Path, hue: int, frequency: int) -> None:
    """A 2-second 640x360 H.264/AAC clip: testsrc2 picture (hue-shifted) + sine tone."""
    subprocess.run(
        [
            "ffmpeg", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc2=size=640x360:rate=30,hue=h={hue}",
            "-f", "lavfi", "-i", f"sine=frequency={frequency}:sample_rate=48000",
            "-t", str(CLIP_SECONDS),
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "veryfast",
            "-c:a", "aac", "-b:a", "96k", "-movflags", "+faststart",
            str(path),
        ],
        check=True,
    )


def parse_mmss(text: str) -> float:
    minutes, seconds = text.strip().split(":")
    return int(minutes) * 60 + float(seconds)


_bearer: dict[str, str] | None = None


def admin_credentials() -> dict[str, str]:
    """An Authorization header for the admin (CUTROOM_ADMIN_EMAIL / _PASSWORD), signed in once; none without them."""
    global _bearer
    if _bearer is None:
        email = os.environ.get("CUTROOM_ADMIN_EMAIL")
        password = os.environ.get("CUTROOM_ADMIN_PASSWORD")
        _bearer = {}
        if email and password:
            status, body = api("POST", "/auth/login", {"email": email, "password": password})
            assert status == 200, f"the admin cannot sign in: {body}"
            _bearer = {"Authorization": f"Bearer {body['data']['token']}"}
    return _bearer


def api(method: str, path: str, body: object | None = None, headers: dict | None = None) -> tuple[int, dict]:
    """One API request, as the admin when CUTROOM_ADMIN_EMAIL / _PASSWORD are set."""
    data = json.dumps(body).encode() if body is not None else None
    auth = {} if path.startswith("/auth/") else admin_credentials()
    request = urllib.request.Request(f"{BASE_URL}/api/v1{path}", data=data, method=method, headers={"Content-Type": "application/json", **auth, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read()
            return response.status, json.loads(text) if text and response.headers.get_content_type() == "application/json" else {}
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


@pytest.fixture(scope="module")
def media_dir():
    with tempfile.TemporaryDirectory(prefix="cutroom-e2e-") as tmp:
        folder = Path(tmp)
        make_clip(folder / "clip-one.mp4", 0, 440)
        make_clip(folder / "clip-two.mp4", 120, 660)
        make_clip(folder / "clip-three.mp4", 240, 880)
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


def new_driver(width: int = 1440, height: int = 900) -> WebDriver:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        f"--window-size={width},{height}",
        "--autoplay-policy=no-user-gesture-required",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    browser.set_script_timeout(30)
    # The window size includes browser chrome; pin the page's viewport to exactly width × height.
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    return browser


@pytest.fixture(scope="module")
def driver():
    browser = new_driver()
    yield browser
    browser.quit()


class Flow:
    """Small helpers bound to one browser session."""

    def __init__(self, browser: WebDriver, prefix: str = "editor"):
        self.browser = browser
        self.prefix = prefix
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def wait(self, timeout: float = 20) -> WebDriverWait:
        # React replaces nodes while a wait polls them; a stale node means "look again", not failure.
        return WebDriverWait(self.browser, timeout, poll_frequency=0.15, ignored_exceptions=[StaleElementReferenceException])

    def one(self, test_id: str, timeout: float = 20) -> WebElement:
        return self.wait(timeout).until(
            lambda b: next(iter(b.find_elements(By.CSS_SELECTOR, tid(test_id))), False),
            message=f"no element {tid(test_id)}",
        )

    def all(self, test_id: str) -> list[WebElement]:
        return self.browser.find_elements(By.CSS_SELECTOR, tid(test_id))

    def count(self, test_id: str, count: int, timeout: float = 20) -> list[WebElement]:
        return self.wait(timeout).until(
            lambda b: (found := b.find_elements(By.CSS_SELECTOR, tid(test_id))) and len(found) == count and found,
            message=f"expected {count} × {tid(test_id)}, found {len(self.all(test_id))}",
        )

    def shot(self, name: str) -> None:
        self.browser.save_screenshot(str(ARTIFACTS / f"{self.prefix}-{name}.png"))

    def click(self, element: WebElement) -> None:
        # A click that lands on another element is retried while the page settles (a re-render
        # or a late layout shift on a loaded CI machine); if it never does, the screenshot and
        # what covers the target say why.
        for attempt in range(4):
            self.browser.execute_script("arguments[0].scrollIntoView({block: 'nearest', inline: 'nearest'})", element)
            try:
                element.click()
                return
            except ElementClickInterceptedException:
                if attempt == 3:
                    self.shot(f"click-intercepted-{element.get_attribute('data-testid')}")
                    print("click intercepted:", self.browser.execute_script(COVER_SCRIPT, element), file=sys.stderr)
                    raise
                time.sleep(0.5)

    def keys(self, *keys: str) -> None:
        # Keys go to the page, not to a focused button.
        self.browser.execute_script("document.activeElement && document.activeElement.blur()")
        ActionChains(self.browser).send_keys(*keys).perform()

    def chord(self, *modifiers_and_key: str) -> None:
        self.browser.execute_script("document.activeElement && document.activeElement.blur()")
        chain = ActionChains(self.browser)
        *mods, key = modifiers_and_key
        for m in mods:
            chain.key_down(m)
        chain.send_keys(key)
        for m in reversed(mods):
            chain.key_up(m)
        chain.perform()

    def clips(self) -> list[dict]:
        return self.browser.execute_script(
            "return [...document.querySelectorAll('[data-testid=timeline-clip]')].map(e => ({"
            "id: e.dataset.clipId, type: e.dataset.clipType, start: Number(e.dataset.start), length: Number(e.dataset.length),"
            "track: e.closest('[data-track-id]').dataset.trackId, text: e.textContent, invalid: e.dataset.invalid === 'true'}))"
        )

    def save_status(self) -> str:
        return self.one("save-state").get_attribute("data-status")

    def wait_saved(self, timeout: float = 30) -> None:
        self.wait(timeout).until(lambda _: self.save_status() == "saved", message=f"not saved (state {self.save_status()})")

    def console(self) -> str:
        try:
            return "\n".join(f"{e['level']}: {e['message']}" for e in self.browser.get_log("browser"))
        except Exception as error:  # Diagnostics only; never mask the real failure.
            return f"(no browser log: {error})"

    def drop_asset(self, card: WebElement, lane: WebElement, seconds: float) -> None:
        """HTML5 drag and drop from a library card onto a lane (WebDriver cannot drive native DnD)."""
        self.browser.execute_script(
            """
            const [card, lane, x] = arguments;
            const dt = new DataTransfer();
            card.dispatchEvent(new DragEvent('dragstart', {bubbles: true, cancelable: true, dataTransfer: dt}));
            const r = lane.getBoundingClientRect();
            const at = {bubbles: true, cancelable: true, dataTransfer: dt, clientX: r.left + x, clientY: r.top + r.height / 2};
            lane.dispatchEvent(new DragEvent('dragenter', at));
            lane.dispatchEvent(new DragEvent('dragover', at));
            lane.dispatchEvent(new DragEvent('drop', at));
            card.dispatchEvent(new DragEvent('dragend', {bubbles: true, dataTransfer: dt}));
            """,
            card, lane, seconds * ZOOM,
        )

    def click_ruler(self, seconds: float) -> None:
        """A real pointer click on the ruler at the given time (viewport coordinates)."""
        x, y = self.browser.execute_script(
            "const r=document.querySelector('[data-testid=timeline-ruler]').getBoundingClientRect();"
            "return [Math.round(r.left + arguments[0]), Math.round(r.top + r.height / 2)];",
            seconds * ZOOM,
        )
        actions = ActionBuilder(self.browser)
        actions.pointer_action.move_to_location(x, y).click()
        actions.perform()

    def playhead_frames(self, fps: int = 30) -> int:
        h, m, s, f = (int(p) for p in self.one("playhead-timecode").text.split(":"))
        return ((h * 60 + m) * 60 + s) * fps + f

    def preview_digest(self) -> tuple[str, str]:
        """(digest of the shown preview's pixels, its src kind) once the image has loaded."""
        def loaded(_):
            return self.browser.execute_script(
                "const i=document.querySelector('[data-testid=preview-image]');"
                "if(!i||!i.complete||!i.naturalWidth) return null;"
                "const c=document.createElement('canvas'); c.width=64; c.height=36;"
                "const g=c.getContext('2d'); g.drawImage(i,0,0,64,36);"
                "return [c.toDataURL(), i.src.startsWith('blob:') ? 'engine' : 'thumbnail'];"
            )
        data, kind = self.wait(30).until(loaded, message="the preview shows no image")
        return hashlib.sha1(data.encode()).hexdigest(), kind


def sign_in_if_asked(flow: Flow) -> None:
    if not flow.all("sign-in-form"):
        return
    email = os.environ.get("CUTROOM_ADMIN_EMAIL")
    password = os.environ.get("CUTROOM_ADMIN_PASSWORD")
    assert email and password, "the server asks for a sign-in: set CUTROOM_ADMIN_EMAIL and CUTROOM_ADMIN_PASSWORD"
    flow.one("sign-in-email").send_keys(email)
    flow.one("sign-in-password").send_keys(password)
    flow.click(flow.one("sign-in-submit"))
    flow.wait().until(lambda b: not b.find_elements(By.CSS_SELECTOR, tid("sign-in-form")), message="sign-in failed")


def open_home(flow: Flow, server: str) -> None:
    flow.browser.get(server + "/")
    flow.wait().until(lambda b: b.find_elements(By.CSS_SELECTOR, f"{tid('project-create-input')}, {tid('sign-in-form')}"))
    sign_in_if_asked(flow)


def run(flow: Flow, body) -> None:
    try:
        body()
    except BaseException:
        flow.shot("failure")
        print(f"---- browser console ({flow.prefix}) ----\n" + flow.console(), file=sys.stderr)
        raise


def test_edit_and_render_in_browser(server: str, driver: WebDriver, media_dir: Path) -> None:
    flow = Flow(driver)
    run(flow, lambda: edit_flow(flow, server, media_dir))


def edit_flow(flow: Flow, server: str, media_dir: Path) -> None:
    browser = flow.browser
    timings: dict[str, float] = {}
    open_home(flow, server)

    # 1. Create a project from the dashboard; the editor opens.
    project_name = f"E2E {time.strftime('%H:%M:%S')} {os.getpid()}"
    flow.one("project-create-input").send_keys(project_name)
    flow.click(flow.one("project-create-button"))
    flow.one("workspace")
    assert flow.one("project-title").text == project_name
    flow.wait().until(lambda _: flow.save_status() == "saved", message="the empty timeline did not load")

    # 2. Upload three clips and one non-media file in one go.
    clips = [media_dir / "clip-one.mp4", media_dir / "clip-two.mp4", media_dir / "clip-three.mp4"]
    flow.one("upload-input").send_keys("\n".join(str(p) for p in [clips[0], media_dir / "notes.txt", clips[1], clips[2]]))
    cards = flow.count("asset-card", 3, timeout=90)
    names = sorted(c.find_element(By.CSS_SELECTOR, ".asset-card__name").text for c in cards)
    assert names == sorted(p.name for p in clips)
    for card in cards:
        duration = parse_mmss(card.find_element(By.CSS_SELECTOR, tid("asset-duration")).text)
        assert abs(duration - CLIP_SECONDS) <= 0.1, f"card shows duration {duration}"
        assert "640×360" in card.text, f"card lacks the resolution: {card.text!r}"
    error = flow.one("upload-error", timeout=30)
    assert error.get_attribute("data-status-code") == "415", f"notes.txt: {error.get_attribute('data-status-code')} {error.text!r}"
    assert error.text.strip()
    flow.wait(30).until(
        lambda b: b.execute_script(
            "const imgs=[...document.querySelectorAll('[data-testid=asset-card] img')];"
            "return imgs.length===3 && imgs.every(i=>i.complete && i.naturalWidth>0);"
        ),
        message="asset thumbnails did not load",
    )
    flow.shot("1-library")

    # 3. Drag the three clips onto the first track, back to back (drops snap to clip edges).
    by_name = {c.find_element(By.CSS_SELECTOR, ".asset-card__name").text: c for c in flow.all("asset-card")}
    lane = flow.one("track-lane")
    for i, clip in enumerate(clips):
        flow.drop_asset(by_name[clip.name], lane, i * CLIP_SECONDS + 0.03)
        flow.count("timeline-clip", i + 1)
    placed = flow.clips()
    assert [round(c["start"], 3) for c in placed] == [0, 2, 4], placed
    assert all(abs(c["length"] - CLIP_SECONDS) < 1e-3 for c in placed), placed
    first, second, third = (c["id"] for c in placed)

    # 4. Trim the third clip's end by dragging its edge 0.5 s to the left.
    handle = browser.find_element(By.CSS_SELECTOR, f'[data-testid="timeline-clip"][data-clip-id="{third}"] {tid("trim-end")}')
    ActionChains(browser).click_and_hold(handle).move_by_offset(-20, 0).move_by_offset(-20, 0).release().perform()
    flow.wait().until(lambda _: abs(next(c for c in flow.clips() if c["id"] == third)["length"] - 1.5) < 1e-3,
                      message=f"trim did not give 1.5 s: {flow.clips()}")
    # Dragging the edge past the source end stops at the source's end.
    handle = browser.find_element(By.CSS_SELECTOR, f'[data-testid="timeline-clip"][data-clip-id="{third}"] {tid("trim-end")}')
    ActionChains(browser).click_and_hold(handle).move_by_offset(60, 0).move_by_offset(60, 0).release().perform()
    flow.wait().until(lambda _: abs(next(c for c in flow.clips() if c["id"] == third)["length"] - 2.0) < 1e-3,
                      message=f"trim is not bounded by the source: {flow.clips()}")
    handle = browser.find_element(By.CSS_SELECTOR, f'[data-testid="timeline-clip"][data-clip-id="{third}"] {tid("trim-end")}')
    ActionChains(browser).click_and_hold(handle).move_by_offset(-20, 0).move_by_offset(-20, 0).release().perform()
    flow.wait().until(lambda _: abs(next(c for c in flow.clips() if c["id"] == third)["length"] - 1.5) < 1e-3)

    # 5. A crossfade on the cut between the first and second clip.
    flow.click(browser.find_element(By.CSS_SELECTOR, f'{tid("cut-button")}[data-clip-id="{second}"]'))
    flow.click(flow.one("transition-option-fade"))
    transition = flow.one("timeline-transition")
    assert transition.get_attribute("data-type") == "fade"

    # 6. A title at the playhead (0 s: a new track on top), its text edited in place.
    flow.click(flow.one("add-text"))
    flow.wait().until(lambda _: any(c["type"] == "text" for c in flow.clips()), message="no title clip")
    title = next(c for c in flow.clips() if c["type"] == "text")
    assert title["track"] != placed[0]["track"], "the title went on the clip track"
    title_el = browser.find_element(By.CSS_SELECTOR, f'[data-testid="timeline-clip"][data-clip-id="{title["id"]}"]')
    ActionChains(browser).double_click(title_el).perform()
    text_input = flow.one("clip-text-input")
    text_input.send_keys(Keys.CONTROL, "a")
    text_input.send_keys("Hello E2E", Keys.ENTER)
    flow.wait().until(lambda _: "Hello E2E" in next(c for c in flow.clips() if c["type"] == "text")["text"])
    assert flow.one("properties").get_attribute("data-clip-id") == title["id"]

    # 6b. Drag the title along its track: near the cut at 2 s it snaps there, with a visible snap line.
    title_el = browser.find_element(By.CSS_SELECTOR, f'[data-testid="timeline-clip"][data-clip-id="{title["id"]}"]')
    drag = ActionChains(browser).click_and_hold(title_el).move_by_offset(100, 0).move_by_offset(64, 0)  # 2.05 s
    drag.perform()
    assert flow.all("snap-line"), "no snap line while dragging near a clip edge"
    flow.shot("2a-snap")
    ActionChains(browser).release().perform()
    flow.wait().until(lambda _: next(c for c in flow.clips() if c["type"] == "text")["start"] == 2, message=f"no snap: {flow.clips()}")
    assert not flow.all("snap-line")
    flow.shot("2-timeline")

    # 7. The preview follows the playhead: a frame inside clip one vs. one inside clip three.
    flow.click_ruler(0.5)
    flow.wait().until(lambda _: abs(flow.playhead_frames() - 15) <= 1, message=f"playhead at {flow.one('playhead-timecode').text}")
    start = time.monotonic()
    digest_a, kind = flow.preview_digest()
    assert kind == "engine", "the preview must be the engine's frame (POST /timelines/frame), not a source thumbnail"
    flow.click_ruler(4.75)
    flow.wait(30).until(lambda _: flow.preview_digest()[0] != digest_a, message="the preview did not change with the playhead")
    timings["previewChangeS"] = round(time.monotonic() - start, 2)
    # Frame stepping with the arrow keys moves the playhead by exactly one frame.
    at = flow.playhead_frames()
    assert abs(at - 142) <= 1, at
    flow.keys(Keys.ARROW_RIGHT)
    flow.wait().until(lambda _: flow.playhead_frames() == at + 1, message=f"step: {flow.one('playhead-timecode').text}")
    flow.keys(Keys.ARROW_LEFT)
    flow.wait().until(lambda _: flow.playhead_frames() == at)
    # A low-resolution server render of the visible range plays in the preview and drives the playhead.
    flow.click_ruler(0)
    flow.click(flow.one("preview-render"))
    started = time.monotonic()
    video = flow.one("preview-video", timeout=120)
    flow.wait(30).until(lambda b: b.execute_script("return arguments[0].readyState", video) >= 2, message="preview video not playable")
    timings["previewRenderS"] = round(time.monotonic() - started, 1)
    flow.wait(15).until(lambda _: flow.playhead_frames() > 6, message="the preview video does not move the playhead")
    flow.click(flow.one("preview-render"))  # stop
    flow.wait().until(lambda _: not flow.all("preview-video"))
    latency = flow.one("preview-latency").get_attribute("data-latency")
    timings["previewKind"] = kind  # type: ignore[assignment]
    timings["engineFrameMs"] = float(latency) if latency else -1
    flow.shot("3-preview")

    # 8. Undo the move and the title text, then redo both, with the keyboard.
    title_now = lambda: next(c for c in flow.clips() if c["type"] == "text")
    flow.chord(Keys.CONTROL, "z")
    flow.wait().until(lambda _: title_now()["start"] == 0, message=f"undo did not move the title back: {title_now()}")
    flow.chord(Keys.CONTROL, "z")
    flow.wait().until(lambda _: "Hello E2E" not in title_now()["text"], message="undo did not restore the text")
    flow.chord(Keys.CONTROL, Keys.SHIFT, "z")
    flow.wait().until(lambda _: "Hello E2E" in title_now()["text"], message="redo did not bring the text back")
    flow.chord(Keys.CONTROL, Keys.SHIFT, "z")
    flow.wait().until(lambda _: title_now()["start"] == 2, message="redo did not move the title again")
    before_reload = sorted(flow.clips(), key=lambda c: c["id"])
    flow.wait_saved()
    assert not any(c["invalid"] for c in flow.clips()), f"the server flags clips: {flow.clips()}"

    # 9. Reload: the saved timeline comes back exactly.
    browser.refresh()
    flow.one("workspace", timeout=30)
    flow.wait(30).until(lambda _: len(flow.clips()) == 4, message=f"after reload: {flow.clips()}")
    after_reload = sorted(flow.clips(), key=lambda c: c["id"])
    strip = lambda cs: [{k: c[k] for k in ("id", "type", "start", "length", "track", "text")} for c in cs]
    assert strip(after_reload) == strip(before_reload)
    assert flow.one("timeline-transition").get_attribute("data-type") == "fade"

    # 9b. Validation feedback lands on the clip: 4× speed needs 6 s of a 2-second source.
    flow.click(browser.find_element(By.CSS_SELECTOR, f'[data-testid="timeline-clip"][data-clip-id="{third}"]'))
    speed = flow.one("prop-speed")
    speed.send_keys(Keys.CONTROL, "a")
    speed.send_keys("4", Keys.ENTER)
    flow.wait(20).until(lambda _: next(c for c in flow.clips() if c["id"] == third)["invalid"], message="the invalid clip is not flagged")
    assert [c["id"] for c in flow.clips() if c["invalid"]] == [third], flow.clips()
    message = flow.one("clip-error").text
    assert "source" in message.lower(), f"clip error: {message!r}"
    assert flow.one("properties-errors").text.strip()
    # Work in progress still autosaves (nothing is lost), but the save state says it has problems.
    flow.wait(20).until(lambda _: "problem" in flow.one("save-state").text, message=f"save state hides the problem: {flow.one('save-state').text!r}")
    flow.shot("3b-validation")
    flow.chord(Keys.CONTROL, "z")
    flow.wait(20).until(lambda _: not any(c["invalid"] for c in flow.clips()), message="undo did not clear the problem")
    flow.wait_saved()

    # 9c. Track controls: a locked track refuses edits (and says so); hiding a track changes the preview.
    title_track = next(c for c in flow.clips() if c["type"] == "text")["track"]
    header = browser.find_element(By.CSS_SELECTOR, f'[data-testid="timeline-track"][data-track-id="{title_track}"]')
    flow.click(header.find_element(By.CSS_SELECTOR, tid("track-lock")))
    flow.click(browser.find_element(By.CSS_SELECTOR, '[data-testid="timeline-clip"][data-clip-type="text"]'))
    flow.keys(Keys.DELETE)
    flow.wait().until(lambda _: "locked" in " ".join(e.text for e in flow.all("edit-notice")), message="no notice for the locked track")
    assert any(c["type"] == "text" for c in flow.clips())
    flow.click(header.find_element(By.CSS_SELECTOR, tid("track-lock")))
    flow.click_ruler(3)
    flow.wait(30).until(lambda b: b.execute_script(
        "const i=document.querySelector('[data-testid=preview-image]'); return i && Math.abs(Number(i.dataset.t) - 3) < 0.05 && i.complete;"
    ), message="the preview never showed t=3")
    time.sleep(0.3)
    shown, _ = flow.preview_digest()
    flow.click(header.find_element(By.CSS_SELECTOR, tid("track-hide")))
    flow.wait(30).until(lambda _: flow.preview_digest()[0] != shown, message="hiding the title track did not change the preview")
    flow.click(header.find_element(By.CSS_SELECTOR, tid("track-hide")))
    flow.wait(30).until(lambda _: flow.preview_digest()[0] == shown, message="showing the track again did not restore the preview")
    flow.wait_saved()

    # 10. Render and follow the live progress bar to 100 %.
    flow.click(flow.one("tab-render"))
    flow.click(flow.one("render-button"))
    progress = flow.one("render-progress", timeout=30)
    assert progress.get_attribute("role") == "progressbar"
    seen: set[int] = set()
    shot_while_running = False
    started = time.monotonic()

    def finished(_: WebDriver) -> bool:
        nonlocal shot_while_running
        status = flow.one("render-progress-block").get_attribute("data-status")
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
        raise AssertionError(f"render not complete within {RENDER_TIMEOUT_S}s; progress seen: {sorted(seen)}")
    timings["renderS"] = round(time.monotonic() - started, 1)
    assert flow.one("render-percent").text == "100%"

    # 11. The rendered video loads and plays in the page.
    video = flow.one("render-video", timeout=10)
    src = video.get_attribute("src")
    assert "/api/v1/renders/" in src, f"unexpected video src {src}"
    flow.wait(30).until(lambda b: b.execute_script("return arguments[0].readyState", video) >= 2, message="video never became playable")
    state = browser.execute_script(
        "const v=arguments[0]; return {duration: v.duration, width: v.videoWidth, height: v.videoHeight, error: v.error && v.error.code};",
        video,
    )
    assert state["error"] is None, f"video error {state}"
    # 2 + 2 + 1.5 s; the title lies within.
    assert abs(state["duration"] - 5.5) <= 0.15, f"video duration {state}"
    played = browser.execute_async_script(
        "const v=arguments[0], done=arguments[arguments.length-1]; v.muted=true;"
        "v.play().then(()=>setTimeout(()=>done({ok:true, t:v.currentTime}), 1000)).catch(e=>done({ok:false, error:String(e)}));",
        video,
    )
    assert played.get("ok") and played["t"] > 0, f"play() failed: {played}"
    flow.wait(15).until(lambda _: any("completed" in e.text.lower() for e in flow.all("render-history-item")), message="history lacks the render")

    # 11b. A preset: 720p (expanded by the server) gives a 1280×720 video.
    Select(flow.one("render-preset")).select_by_value("720p")
    flow.click(flow.one("render-button"))
    flow.wait(RENDER_TIMEOUT_S).until(
        lambda _: (v := flow.all("render-video")) and v[0].get_attribute("src") != src and flow.one("render-progress-block").get_attribute("data-status") == "completed",
        message=f"the 720p render did not complete: {[e.text for e in flow.all('render-error')]}",
    )
    video = flow.one("render-video")
    flow.wait(30).until(lambda b: b.execute_script("return arguments[0].readyState", video) >= 1)
    size = browser.execute_script("return [arguments[0].videoWidth, arguments[0].videoHeight]", video)
    assert size == [1280, 720], f"720p preset gave {size}"
    flow.shot("5-rendered")

    # 12. The dashboard lists the project with its latest render as thumbnail.
    flow.click(flow.one("back-to-projects"))
    card = flow.wait().until(lambda _: next((c for c in flow.all("project-card") if project_name in c.text), False), message="project not on the dashboard")
    flow.wait(20).until(lambda _: card.find_elements(By.CSS_SELECTOR, "video"), message="no render thumbnail on the project card")
    flow.shot("0-dashboard")
    print(json.dumps({"progressValuesSeen": sorted(seen), "video": state, "timings": timings}))


def test_conflict_between_two_sessions(server: str, media_dir: Path) -> None:
    """Two browsers edit one timeline: the stale one is told, and can reload or overwrite."""
    status, created = api("POST", "/projects", {"name": f"Conflict {os.getpid()}"})
    if status == 401:
        pytest.fail("the server asks for a sign-in: set CUTROOM_ADMIN_EMAIL and CUTROOM_ADMIN_PASSWORD")
    assert status in (200, 201), created
    project_id = created["data"]["id"]
    doc = {"version": 1, "output": {"width": 640, "height": 360, "fps": 30}, "tracks": [{"id": "v1", "name": "Video 1", "clips": [
        {"id": "t1", "asset": {"type": "text", "text": "One"}, "start": 0, "length": 2},
        {"id": "t2", "asset": {"type": "text", "text": "Two"}, "start": 3, "length": 2},
    ]}]}
    status, timeline = api("POST", f"/projects/{project_id}/timelines", {"name": "Main timeline", "document": doc})
    assert status in (200, 201), timeline
    timeline_id = timeline["data"]["id"]

    a_driver, b_driver = new_driver(1280, 720), new_driver(1280, 720)
    a, b = Flow(a_driver, "conflict-a"), Flow(b_driver, "conflict-b")
    try:
        def body():
            for f in (a, b):
                f.browser.get(f"{server}/#/projects/{project_id}")
                # Signing in keeps the project's address: the editor opens next.
                f.wait().until(lambda b: b.find_elements(By.CSS_SELECTOR, f"{tid('sign-in-form')}, {tid('timeline-clip')}"))
                sign_in_if_asked(f)
                f.wait(30).until(lambda _, f=f: len(f.clips()) == 2 and f.save_status() == "saved")

            # A moves t2 with the properties panel and saves.
            a.click(a.browser.find_element(By.CSS_SELECTOR, '[data-testid="timeline-clip"][data-clip-id="t2"]'))
            start_input = a.one("prop-start")
            start_input.send_keys(Keys.CONTROL, "a")
            start_input.send_keys("6", Keys.ENTER)
            a.wait().until(lambda _: next(c for c in a.clips() if c["id"] == "t2")["start"] == 6)
            a.wait_saved()

            # B, still on the old version, deletes t1: its save is refused with 409, and B is told.
            b.click(b.browser.find_element(By.CSS_SELECTOR, '[data-testid="timeline-clip"][data-clip-id="t1"]'))
            b.keys(Keys.DELETE)
            b.wait(30).until(lambda _: b.save_status() == "conflict", message=f"no conflict shown (state {b.save_status()})")
            banner = b.one("save-conflict")
            assert "changed elsewhere" in banner.text
            assert [c["id"] for c in b.clips()] == ["t2"], "B's edit must stay on screen until B decides"
            b.shot("1-conflict")

            # B reloads theirs: A's edit appears, B's deletion is dropped (as B chose).
            b.click(b.one("conflict-reload"))
            b.wait().until(lambda _: b.save_status() == "saved" and len(b.clips()) == 2)
            assert next(c for c in b.clips() if c["id"] == "t2")["start"] == 6

            # B edits again and wins the race; A, now stale, overwrites on purpose.
            b.click(b.browser.find_element(By.CSS_SELECTOR, '[data-testid="timeline-clip"][data-clip-id="t1"]'))
            b.keys(Keys.DELETE)
            b.wait_saved()
            a.click(a.browser.find_element(By.CSS_SELECTOR, '[data-testid="timeline-clip"][data-clip-id="t2"]'))
            a.keys(Keys.DELETE)
            a.wait(30).until(lambda _: a.save_status() == "conflict")
            a.shot("2-conflict")
            a.click(a.one("conflict-overwrite"))
            a.wait_saved()
            status, saved = api("GET", f"/timelines/{timeline_id}")
            assert status == 200
            assert [c["id"] for c in saved["data"]["document"]["tracks"][0]["clips"]] == ["t1"], saved["data"]["document"]

        run(a, body)
    finally:
        a_driver.quit()
        b_driver.quit()


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-s"]))
