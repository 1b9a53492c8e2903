"""Browser tests of the timeline tools: fade handles, keyframe diamonds, the resizable timeline
panel and files dropped from the computer onto a track.

A project is made through the API with a timeline holding an animated clip and a plain one;
the browser drags the plain clip's fade handles (checked in the saved document, with undo),
clicks a keyframe diamond (the playhead moves there), resizes the timeline panel with the
mouse and the keyboard (the size survives a reload), and drops real files (bytes read by the
test, handed to the page as File objects: WebDriver cannot drag OS files) onto track 2.
Screenshots land in Tests/artifacts/tools-*.png at 1280 and 1024 px wide.
"""

from __future__ import annotations

import base64
import os
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from test_web_e2e import ZOOM, Flow, api, media_dir, new_driver, run, server, sign_in_if_asked, tid  # noqa: F401 (fixtures)

DOC = {
    "version": 1,
    "output": {"width": 640, "height": 360, "fps": 30},
    "tracks": [
        {"id": "v1", "name": "Video 1", "clips": [
            {"id": "k", "asset": {"type": "color", "color": "#3355AA"}, "start": 0, "length": 4, "animate": [
                {"property": "opacity", "keys": [{"t": 0, "value": 0}, {"t": 1.5, "value": 1}]},
                {"property": "scale", "keys": [{"t": 3, "value": 1.4}]},
            ]},
            {"id": "f", "asset": {"type": "color", "color": "#AA5533"}, "start": 5, "length": 4},
        ]},
        {"id": "t2", "name": "Track 2", "clips": []},
    ],
}


@pytest.fixture(scope="module")
def driver():
    browser = new_driver(1280, 800)
    yield browser
    browser.quit()


def saved_document(timeline_id: str) -> dict:
    status, body = api("GET", f"/timelines/{timeline_id}")
    assert status == 200, body
    return body["data"]["document"]


def saved_clip(timeline_id: str, clip_id: str) -> dict:
    return next(c for t in saved_document(timeline_id)["tracks"] for c in t["clips"] if c["id"] == clip_id)


def clip_el(flow: Flow, clip_id: str):
    return flow.browser.find_element(By.CSS_SELECTOR, f'{tid("timeline-clip")}[data-clip-id="{clip_id}"]')


def centre(flow: Flow, element) -> tuple[int, int]:
    return tuple(flow.browser.execute_script(
        "const r=arguments[0].getBoundingClientRect(); return [Math.round(r.left+r.width/2), Math.round(r.top+r.height/2)];", element))


def test_fades_keyframes_panel_and_file_drops(server: str, driver: WebDriver, media_dir: Path) -> None:
    flow = Flow(driver, prefix="tools")
    run(flow, lambda: tools_flow(flow, server, media_dir))


def tools_flow(flow: Flow, server: str, media_dir: Path) -> None:
    browser = flow.browser
    status, created = api("POST", "/projects", {"name": f"Tools {time.strftime('%H:%M:%S')} {os.getpid()}"})
    assert status in (200, 201), created
    project_id = created["data"]["id"]
    status, timeline = api("POST", f"/projects/{project_id}/timelines", {"name": "Main timeline", "document": DOC})
    assert status in (200, 201), timeline
    timeline_id = timeline["data"]["id"]
    browser.get(f"{server}/#/projects/{project_id}")
    flow.wait().until(lambda b: b.find_elements(By.CSS_SELECTOR, f"{tid('sign-in-form')}, {tid('timeline-clip')}"))
    sign_in_if_asked(flow)
    flow.wait(30).until(lambda _: len(flow.clips()) == 2 and flow.save_status() == "saved", message="the timeline did not load")

    # ---- fades: drag the fade-in handle 0.5 s right (40 px at 80 px/s), shown while dragging ----
    flow.click(clip_el(flow, "f"))
    handle = clip_el(flow, "f").find_element(By.CSS_SELECTOR, tid("fade-handle-in"))
    x, y = centre(flow, handle)
    chain = ActionChains(browser)
    chain.w3c_actions.pointer_action.move_to_location(x, y).pointer_down()
    chain.w3c_actions.pointer_action.move_to_location(x + 20, y).move_to_location(x + int(0.5 * ZOOM), y)
    chain.perform()
    shown = flow.one("fade-value").text
    assert shown == "Fade in 0.50 s", shown
    flow.shot("1-fade-dragging")
    chain = ActionChains(browser)
    chain.w3c_actions.pointer_action.pointer_up()
    chain.perform()
    flow.wait().until(lambda _: clip_el(flow, "f").find_elements(By.CSS_SELECTOR, tid("clip-fade-in")), message="no fade-in drawn")
    assert flow.all("fade-value") == [], "the value label stays after the drag"
    assert clip_el(flow, "f").find_element(By.CSS_SELECTOR, tid("fade-handle-in")).get_attribute("data-value") == "0.5"
    assert "Fade in of f" in flow.one("undo").get_attribute("title"), "the drag is not one named undo step"
    # One undo step removes the whole drag; redo brings it back.
    flow.click(flow.one("undo"))
    flow.wait().until(lambda _: not clip_el(flow, "f").find_elements(By.CSS_SELECTOR, tid("clip-fade-in")), message="undo kept the fade")
    flow.click(flow.one("redo"))
    flow.wait().until(lambda _: clip_el(flow, "f").find_elements(By.CSS_SELECTOR, tid("clip-fade-in")), message="redo lost the fade")
    # Fade-out: 1 s leftwards from the right corner; then the fade-in dragged far right is clamped
    # so that fadeIn + fadeOut stays within the 4 s clip (the server refuses more).
    for edge, dx in (("out", -ZOOM), ("in", 4 * ZOOM)):
        flow.click(clip_el(flow, "f"))
        x, y = centre(flow, clip_el(flow, "f").find_element(By.CSS_SELECTOR, tid(f"fade-handle-{edge}")))
        chain = ActionChains(browser)
        chain.w3c_actions.pointer_action.move_to_location(x, y).pointer_down().move_to_location(x + dx // 2, y).move_to_location(x + dx, y).pointer_up()
        chain.perform()
    flow.wait().until(lambda _: clip_el(flow, "f").find_element(By.CSS_SELECTOR, tid("fade-handle-in")).get_attribute("data-value") == "3",
                      message="the fade-in was not clamped to the clip minus its fade-out")
    flow.wait_saved()
    saved = saved_clip(timeline_id, "f")
    assert (saved.get("fadeIn"), saved.get("fadeOut"), saved["start"], saved["length"]) == (3, 1, 5, 4), saved
    flow.shot("2-fades")

    # ---- keyframes: a diamond per keyframe time, hover names them, a click seeks ----
    marks = clip_el(flow, "k").find_elements(By.CSS_SELECTOR, tid("keyframe-mark"))
    assert [float(m.get_attribute("data-time")) for m in marks] == [0, 1.5, 3], [m.get_attribute("data-time") for m in marks]
    assert marks[1].get_attribute("title") == "opacity 1 at 1.50 s", marks[1].get_attribute("title")
    assert marks[2].get_attribute("title") == "scale 1.4 at 3.00 s"
    assert clip_el(flow, "f").find_elements(By.CSS_SELECTOR, tid("keyframe-mark")) == []
    left = browser.execute_script("return arguments[0].getBoundingClientRect().left - arguments[1].getBoundingClientRect().left", marks[1], clip_el(flow, "k"))
    assert abs(left + 4.5 - 1.5 * ZOOM) < 3, f"the 1.5 s diamond sits {left} px into the clip"
    ActionChains(browser).move_to_element(marks[1]).perform()
    flow.shot("3-keyframe-hover")
    marks[1].click()
    flow.wait().until(lambda _: flow.one("playhead-timecode").text == "00:00:01:15", message=f"playhead at {flow.one('playhead-timecode').text}")
    assert flow.save_status() == "saved", "clicking a diamond must not edit the clip"
    assert [(c["id"], c["start"]) for c in flow.clips() if c["id"] == "k"] == [("k", 0)]

    # ---- the timeline panel: drag the divider up 120 px; keys; limits; remembered over a reload ----
    def heights() -> tuple[float, float]:
        return tuple(browser.execute_script(
            "return [document.querySelector('.editor__timeline').getBoundingClientRect().height,"
            " document.querySelector('.preview').getBoundingClientRect().height]"))

    tl0, pv0 = heights()
    divider = flow.one("timeline-divider")
    assert divider.get_attribute("role") == "separator"
    x, y = centre(flow, divider)
    chain = ActionChains(browser)
    chain.w3c_actions.pointer_action.move_to_location(x, y).pointer_down().move_to_location(x, y - 60).move_to_location(x, y - 120).pointer_up()
    chain.perform()
    tl1, pv1 = heights()
    assert abs((tl1 - tl0) - 120) <= 2 and abs((pv0 - pv1) - 120) <= 3, f"timeline {tl0}->{tl1}, preview {pv0}->{pv1}"
    assert int(divider.get_attribute("aria-valuenow")) == round(tl1), divider.get_attribute("aria-valuenow")
    browser.execute_script("arguments[0].focus()", divider)
    ActionChains(browser).send_keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN).perform()
    tl2, _ = heights()
    assert abs((tl1 - tl2) - 32) <= 1, f"two ↓ presses: {tl1} -> {tl2}"
    ActionChains(browser).send_keys(Keys.END).perform()
    assert round(heights()[0]) == 160, f"the smallest timeline is {heights()[0]}"
    ActionChains(browser).send_keys(Keys.HOME).perform()
    tl_max, pv_min = heights()
    assert pv_min >= 170 and tl_max > tl1, f"at the largest timeline the preview is {pv_min} px"
    flow.shot("4-panel-max")
    ActionChains(browser).send_keys(Keys.END).perform()
    for _ in range(10):
        ActionChains(browser).send_keys(Keys.ARROW_UP).perform()
    expected = 160 + 10 * 16
    assert flow.one("playhead-timecode").text == "00:00:01:15", "keys on the divider also moved the playhead"
    assert round(heights()[0]) == expected
    assert browser.execute_script("return localStorage.getItem('cutroom.timelineHeight')") == str(expected)
    browser.refresh()
    flow.wait(30).until(lambda _: len(flow.clips()) == 2 and flow.save_status() == "saved", message="no timeline after reload")
    assert round(heights()[0]) == expected, f"after a reload the timeline is {heights()[0]} px, not {expected}"

    # Many tracks: the track area scrolls, and track 1 (the bottom one) stays reachable.
    for _ in range(8):
        flow.click(flow.one("add-track"))
    flow.count("timeline-track", 10)
    reachable = browser.execute_script(
        "const s=document.querySelector('.tl__scroller'); s.scrollTop=s.scrollHeight;"
        "const t=document.querySelector('[data-track-id=v1]').getBoundingClientRect(), r=s.getBoundingClientRect();"
        "return [s.scrollHeight > s.clientHeight, t.top >= r.top - 1 && t.bottom <= r.bottom + 1];")
    assert reachable == [True, True], reachable
    flow.shot("5-many-tracks")
    for _ in range(8):
        flow.click(flow.one("undo"))
    flow.count("timeline-track", 2)
    flow.wait_saved()

    # ---- files from the computer dropped on track 2 at 2.5 s: two videos and a text file ----
    files = [(p.name, base64.b64encode(p.read_bytes()).decode()) for p in (media_dir / "clip-two.mp4", media_dir / "notes.txt", media_dir / "clip-three.mp4")]
    lane = browser.find_element(By.CSS_SELECTOR, f'[data-track-id="t2"] {tid("track-lane")}')
    placeholders = browser.execute_async_script(
        """
        const [lane, files, x, done] = arguments;
        const dt = new DataTransfer();
        for (const [name, b64] of files) {
          const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
          dt.items.add(new File([bytes], name, {type: name.endsWith('.mp4') ? 'video/mp4' : 'text/plain'}));
        }
        const r = lane.getBoundingClientRect();
        const at = {bubbles: true, cancelable: true, dataTransfer: dt, clientX: r.left + x, clientY: r.top + r.height / 2};
        lane.dispatchEvent(new DragEvent('dragenter', at));
        lane.dispatchEvent(new DragEvent('dragover', at));
        const taken = !lane.dispatchEvent(new DragEvent('drop', at));
        setTimeout(() => done([taken, document.querySelectorAll('[data-track-id=t2] [data-testid=drop-placeholder]').length]), 0);
        """,
        lane, files, 2.5 * ZOOM,
    )
    assert placeholders == [True, 3], f"drop taken / placeholders on track 2: {placeholders}"
    flow.shot("6-uploading")
    flow.wait(90).until(lambda _: len([c for c in flow.clips() if c["track"] == "t2"]) == 2 and not flow.all("drop-placeholder"),
                        message=f"the dropped files did not land: {flow.clips()}")
    landed = sorted((c["start"], c["length"]) for c in flow.clips() if c["track"] == "t2")
    assert landed == [(2.5, 2), (4.5, 2)], f"the two videos did not land one after another at 2.5 s: {landed}"
    notice = flow.one("edit-notice").get_attribute("textContent")
    assert "notes.txt" in notice, notice
    errors = [e.text for e in flow.all("upload-error")]
    assert len(errors) == 1 and errors[0], f"the refused file is not listed with its reason: {errors}"
    flow.wait_saved()
    track2 = next(t for t in saved_document(timeline_id)["tracks"] if t["id"] == "t2")
    names = {a["id"]: a["name"] for a in api("GET", f"/projects/{project_id}/assets")[1]["data"]}
    assert [(names[c["asset"]["src"][6:]], c["start"]) for c in track2["clips"]] == [("clip-two.mp4", 2.5), ("clip-three.mp4", 4.5)], track2
    flow.shot("7-dropped-1280")
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 1024, "height": 768, "deviceScaleFactor": 1, "mobile": False})
    flow.click(clip_el(flow, "f"))
    flow.shot("8-dropped-1024")
    tl, pv = heights()
    assert tl >= 160 and pv >= 170, f"at 1024×768 timeline {tl} px, preview {pv} px"
