"""Browser tests of the editor's layouts (issue 15) and the media library's source viewer.

Against a running server (CUTROOM_URL, signed in as the admin like test_web_e2e): one project with
a 4-second clip on the timeline, one finished render, a template and a one-row batch, all made
through the API with real media from the ffmpeg CLI.

- At 1024×768 and 1280×800 nothing of the editor sticks out of the viewport (each element's rect,
  clipped by its scrolling ancestors, ends inside it; the page's scrollWidth ≤ innerWidth), and the
  key controls are on screen and are what a click there hits (elementFromPoint).
- The other pages (dashboard, templates, a batch, account, tokens, users, API) do not scroll sideways
  at 1024 and 390 px.
- At 390×844 the project opens read-only: the note, the preview, an overview of the clips, the
  renders to watch or download; no lanes, tools, library or inspector, nothing draggable; tapping
  the overview seeks and play moves the playhead.
- A click (and Enter) on an asset opens its source: the <video> plays (currentTime advances), the
  scrub bar seeks, "Add to timeline at playhead" adds a clip; dragging the card still works.

Screenshots land in Tests/artifacts/layouts-*.png.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from test_engine_playback import upload
from test_web_e2e import BASE_URL, Flow, api, new_driver, open_home, run, server, tid  # noqa: F401 (fixture)

CLIP_S = 4
RENDER_TIMEOUT_S = 240

# Every element of `root` whose visible part (its rect clipped by each ancestor that clips) reaches
# past the viewport's right edge or starts left of 0; a few named for the failure message.
OVERFLOWING = """
const root = document.querySelector(arguments[0]);
const W = window.innerWidth;
const bad = [];
for (const el of root.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) continue;
  let left = r.left, right = r.right;
  for (let a = el.parentElement; a && left < right; a = a.parentElement) {
    const s = getComputedStyle(a);
    if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {
      const ar = a.getBoundingClientRect();
      left = Math.max(left, ar.left); right = Math.min(right, ar.right);
    }
  }
  if (left < right && (right > W + 0.5 || left < -0.5)) {
    bad.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')}[${el.dataset.testid || ''}] ${Math.round(left)}..${Math.round(right)}`);
  }
}
// The main area scrolls by itself: sideways scrolling there is the page scrolling sideways too.
const main = document.querySelector('.app-main');
const scrollWidth = Math.max(document.documentElement.scrollWidth, main ? main.scrollWidth - main.clientWidth + W : 0);
return {bad: bad.slice(0, 12), count: bad.length, scrollWidth, innerWidth: W};
"""

# Whether an element is on screen (the part its scrolling ancestors show) and is what a click at its centre hits.
CLICKABLE = """
const el = arguments[0];
const b = el.getBoundingClientRect();
if (b.width === 0 || b.height === 0) return 'no size';
// What is visible of it: a ruler longer than its scrolling lane counts by the part on screen.
const r = {left: b.left, top: b.top, right: b.right, bottom: b.bottom};
for (let a = el.parentElement; a; a = a.parentElement) {
  const s = getComputedStyle(a);
  if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {
    const ar = a.getBoundingClientRect();
    r.left = Math.max(r.left, ar.left); r.right = Math.min(r.right, ar.right);
    r.top = Math.max(r.top, ar.top); r.bottom = Math.min(r.bottom, ar.bottom);
  }
}
r.width = r.right - r.left; r.height = r.bottom - r.top;
if (r.width < Math.min(16, b.width) || r.height < Math.min(12, b.height)) return `hidden by a scrolling ancestor (${Math.round(r.width)}×${Math.round(r.height)} visible)`;
if (r.left < 0 || r.top < 0 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5) return `off screen ${Math.round(r.left)},${Math.round(r.top)}..${Math.round(r.right)},${Math.round(r.bottom)}`;
const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
return hit && (hit === el || el.contains(hit)) ? 'ok' : `covered by ${hit ? hit.tagName + '.' + hit.className : 'nothing'}`;
"""

EDITOR_CONTROLS = ["play", "preview-timecode", "undo", "redo", "split", "add-text", "zoom", "save-state", "shortcuts-button",
                   "tab-properties", "tab-render", "asset-card", "filter-video", "timeline-clip", "timeline-ruler"]


@pytest.fixture(scope="module")
def setup(server: str):
    """(project id, asset id, template id, batch id): a project with one clip on the timeline and one finished render."""
    with tempfile.TemporaryDirectory(prefix="cutroom-layouts-") as tmp:
        clip = Path(tmp) / "source-clip.mp4"
        subprocess.run([
            "ffmpeg", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", str(CLIP_S), "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "veryfast", "-c:a", "aac",
            "-movflags", "+faststart", str(clip),
        ], check=True)
        status, created = api("POST", "/projects", {"name": f"Layouts {time.strftime('%H:%M:%S')} with a long enough name to wrap"})
        assert status == 201, created
        project_id = created["data"]["id"]
        asset = upload(clip, project_id)
    document = {
        "version": 1, "output": {"width": 1280, "height": 720, "fps": 30}, "background": "#000000",
        "tracks": [
            {"id": "v", "clips": [{"id": "v1", "asset": {"type": "video", "src": f"asset:{asset}"}, "start": 0}]},
            {"id": "t", "clips": [{"id": "t1", "asset": {"type": "text", "text": "Hello", "font": {"size": 90, "color": "#FFFFFF"}}, "start": 1, "length": 2}]},
        ],
    }
    status, timeline = api("POST", f"/projects/{project_id}/timelines", {"name": "Main", "document": document})
    assert status == 201, timeline
    status, render = api("POST", "/renders", {"timelineId": timeline["data"]["id"]})
    assert status == 202, render
    render_id = render["data"]["id"]
    card = {"version": 1, "output": {"width": 640, "height": 360, "fps": 30}, "background": "#202040",
            "tracks": [{"id": "t", "clips": [{"id": "t1", "asset": {"type": "text", "text": "{{TITLE}}", "font": {"size": 60, "color": "#FFFFFF"}}, "start": 0, "length": 1}]}]}
    status, template = api("POST", "/templates", {"name": "Layout card", "document": card})
    assert status == 201, template
    template_id = template["data"]["id"]
    status, batch = api("POST", f"/templates/{template_id}/renders", {"rows": [{"TITLE": "One"}]})
    assert status == 202, batch
    deadline = time.monotonic() + RENDER_TIMEOUT_S
    while True:
        status, current = api("GET", f"/renders/{render_id}")
        assert status == 200, current
        if current["data"]["status"] == "completed":
            break
        assert current["data"]["status"] in ("queued", "rendering"), current
        assert time.monotonic() < deadline, "the render did not finish"
        time.sleep(1)
    return project_id, asset, template_id, batch["data"]["id"]


def open_project(flow: Flow, project_id: str) -> None:
    open_home(flow, BASE_URL)
    flow.browser.get(f"{BASE_URL}/#/projects/{project_id}")
    flow.one("workspace")


def assert_fits(flow: Flow, root: str, what: str) -> None:
    result = flow.browser.execute_script(OVERFLOWING, root)
    assert result["scrollWidth"] <= result["innerWidth"], f"{what}: the page scrolls sideways ({result['scrollWidth']} > {result['innerWidth']})"
    assert result["count"] == 0, f"{what}: {result['count']} elements stick out of the {result['innerWidth']} px viewport: {result['bad']}"


def assert_clickable(flow: Flow, test_id: str, what: str) -> None:
    element = flow.one(test_id)
    state = flow.browser.execute_script(CLICKABLE, element)
    assert state == "ok", f"{what}: {tid(test_id)} is not clickable: {state}"


@pytest.mark.parametrize("width,height", [(1024, 768), (1280, 800)])
def test_editor_fits_small_desktops(setup, width: int, height: int) -> None:
    project_id, *_ = setup
    browser = new_driver(width, height)
    flow = Flow(browser, prefix=f"layouts-{width}")
    try:
        def body() -> None:
            open_project(flow, project_id)
            flow.wait(30).until(lambda _: len(flow.clips()) == 2, message="the timeline did not load")
            flow.count("asset-card", 1, timeout=30)
            assert not flow.all("read-only-note"), "the full editor is read-only at this size"
            flow.wait_saved()
            assert_fits(flow, tid("workspace"), f"editor at {width}")
            for control in EDITOR_CONTROLS:
                assert_clickable(flow, control, f"editor at {width}")
            flow.shot("1-editor")
            # A selected clip's properties fit the inspector.
            flow.click(flow.all("timeline-clip")[0])
            flow.wait().until(lambda b: b.find_elements(By.CSS_SELECTOR, ".inspector__body input, .inspector__body select"), message="no properties for the selected clip")
            assert_fits(flow, tid("workspace"), f"properties at {width}")
            flow.shot("2-properties")
            flow.click(flow.one("tab-render"))
            assert_clickable(flow, "render-button", f"render tab at {width}")
            flow.one("render-history-item")
            assert_fits(flow, tid("workspace"), f"render tab at {width}")
            flow.shot("3-render-tab")
            flow.click(flow.one("tab-properties"))
        run(flow, body)
    finally:
        browser.quit()


PAGES = ["", "#/templates", "#/templates/{template}", "#/batches/{batch}", "#/account", "#/tokens", "#/users", "#/api"]


@pytest.mark.parametrize("width,height", [(1024, 768), (390, 844)])
def test_pages_do_not_scroll_sideways(setup, width: int, height: int) -> None:
    _, _, template_id, batch_id = setup
    browser = new_driver(width, height)
    flow = Flow(browser, prefix=f"layouts-{width}")
    try:
        def body() -> None:
            open_home(flow, BASE_URL)
            for page in PAGES:
                address = page.format(template=template_id, batch=batch_id)
                browser.get(f"{BASE_URL}/{address}")
                flow.wait().until(lambda b: b.find_elements(By.CSS_SELECTOR, ".app-main > *"), message=f"{address or '/'} shows nothing")
                time.sleep(0.8)  # lists load
                name = "-".join(address.strip("#/").split("/")[:1] + (["one"] if address.count("/") > 1 else [])) or "dashboard"
                assert_fits(flow, ".app", f"{name} at {width}")
                flow.shot(f"page-{name}")
        run(flow, body)
    finally:
        browser.quit()


def test_phone_shows_the_project_read_only(setup) -> None:
    project_id, *_ = setup
    browser = new_driver(390, 844)
    flow = Flow(browser, prefix="layouts-390")
    try:
        def body() -> None:
            open_project(flow, project_id)
            assert "larger screen" in flow.one("read-only-note").text
            flow.wait(30).until(lambda _: len(flow.all("overview-clip")) == 2, message="the overview does not draw the clips")
            flow.one("render-history-item", timeout=30)
            for editing in ["track-lane", "timeline-clip", "undo", "split", "add-text", "media-library", "upload-input",
                            "tab-properties", "render-button", "zoom", "trim-start", "trim-end"]:
                assert not flow.all(editing), f"the read-only view has {tid(editing)}"
            assert not browser.find_elements(By.CSS_SELECTOR, "[draggable=true], [contenteditable=true]"), "something is draggable or editable"
            assert_fits(flow, ".app", "read-only view")
            for control in ["play", "preview-timecode", "playhead-timecode"]:
                assert_clickable(flow, control, "read-only view")
            flow.shot("1-read-only")

            # Tap the overview at three quarters: the playhead goes there (4 s timeline → 3 s = frame 90).
            overview = flow.one("timeline-overview")
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", overview)
            lanes = browser.execute_script("const r=arguments[0].querySelector('.tl-overview__lanes').getBoundingClientRect(); return [r.left, r.width, r.top + r.height/2]", overview)
            from selenium.webdriver.common.actions.action_builder import ActionBuilder
            actions = ActionBuilder(browser)
            actions.pointer_action.move_to_location(round(lanes[0] + lanes[1] * 0.75), round(lanes[2])).click()
            actions.perform()
            flow.wait().until(lambda _: abs(flow.playhead_frames() - 90) <= 2, message=f"tapping did not seek: {flow.one('playhead-timecode').text}")
            # Back to the start, then play: the playhead advances.
            browser.execute_script("arguments[0].focus()", overview)
            overview.send_keys(Keys.HOME)
            flow.wait().until(lambda _: flow.playhead_frames() == 0)
            browser.execute_script("window.scrollTo(0, 0)")
            flow.click(flow.one("play"))
            flow.wait(30).until(lambda _: flow.playhead_frames() >= 30, message=f"play did not advance: {flow.one('playhead-timecode').text}")
            flow.shot("2-playing")
            flow.click(flow.one("play"))

            # A render plays and can be downloaded.
            item = flow.one("render-history-item")
            flow.click(item.find_element(By.CSS_SELECTOR, "button"))
            video = flow.one("render-video")
            assert flow.one("render-download").get_attribute("href").endswith("/output")
            flow.wait(30).until(lambda _: browser.execute_script("return arguments[0].readyState >= 1 && arguments[0].duration > 3", video),
                                message="the render does not load")
            assert_fits(flow, ".app", "read-only view with a render")
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", video)
            flow.shot("3-render")
        run(flow, body)
    finally:
        browser.quit()


def test_source_viewer_plays_and_adds(setup) -> None:
    project_id, asset, *_ = setup
    browser = new_driver(1280, 800)
    flow = Flow(browser, prefix="layouts-source")
    try:
        def body() -> None:
            open_project(flow, project_id)
            flow.wait(30).until(lambda _: len(flow.clips()) == 2, message="the timeline did not load")
            card = flow.one("asset-card")
            # Enter on the focused card opens the viewer; Escape closes it and the card has the focus again.
            browser.execute_script("arguments[0].focus()", card)
            card.send_keys(Keys.ENTER)
            flow.one("source-viewer")
            assert flow.one("source-viewer").get_attribute("data-asset-id") == asset
            assert browser.execute_script("return document.activeElement.dataset.testid") == "source-play"
            flow.shot("1-open")
            browser.switch_to.active_element.send_keys(Keys.ESCAPE)
            flow.wait().until(lambda b: not b.find_elements(By.CSS_SELECTOR, tid("source-viewer")), message="Escape did not close")
            assert browser.execute_script("return document.activeElement.dataset.testid") == "asset-card"

            # A click opens it; play runs the original file.
            flow.click(card.find_element(By.CSS_SELECTOR, ".asset-card__body"))
            media = flow.one("source-media")
            assert media.tag_name == "video"
            assert media.get_attribute("src").endswith(f"/assets/{asset}/content")
            flow.click(flow.one("source-play"))
            flow.wait(20).until(lambda _: browser.execute_script("return arguments[0].currentTime", media) > 1.0, message="the source does not play")
            assert flow.one("source-play").get_attribute("aria-label") == "Pause source"
            shown = flow.one("source-time").text
            assert shown.startswith("00:0") and "/ 00:04.0" in shown, shown
            flow.shot("2-playing")
            flow.click(flow.one("source-play"))
            flow.wait().until(lambda _: browser.execute_script("return arguments[0].paused", media))
            # The scrub bar seeks (keyboard: Home, then End).
            scrub = flow.one("source-scrub")
            scrub.send_keys(Keys.HOME)
            flow.wait().until(lambda _: browser.execute_script("return arguments[0].currentTime", media) < 0.05)
            assert flow.one("source-time").text.startswith("00:00.0")
            scrub.send_keys(Keys.END)
            flow.wait().until(lambda _: browser.execute_script("return arguments[0].currentTime", media) > CLIP_S - 0.2)

            # "Add to timeline at playhead" adds the file as a clip where the playhead is and closes.
            flow.click(flow.one("source-add"))
            flow.wait().until(lambda b: not b.find_elements(By.CSS_SELECTOR, tid("source-viewer")))
            flow.wait().until(lambda _: len(flow.clips()) == 3, message="no clip was added")
            flow.click(flow.one("undo"))
            flow.wait().until(lambda _: len(flow.clips()) == 2)

            # The card is still dragged onto the timeline.
            flow.drop_asset(flow.one("asset-card"), flow.all("track-lane")[-1], 5.0)
            flow.wait().until(lambda _: len(flow.clips()) == 3, message="dragging the card no longer adds a clip")
            assert not flow.all("source-viewer"), "dragging opened the viewer"
            flow.click(flow.one("undo"))
            flow.wait().until(lambda _: len(flow.clips()) == 2)
            flow.wait_saved()
        run(flow, body)
    finally:
        browser.quit()
