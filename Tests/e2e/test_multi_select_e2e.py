"""Browser tests of multi-select in the timeline (issue 15).

Two real clips (made by ffmpeg, uploaded through the library) and two titles on two tracks:
Shift-click picks two clips and Delete removes both in one undo step; a marquee dragged on
empty lane area across both tracks selects the clips it touches, and dragging one of them moves
both by the same offset (checked in the saved timeline through the API), while a move past the
top track is refused with a reason that names no ids; Ctrl+C / Ctrl+V pastes the two at the
playhead keeping their spacing and tracks; Ctrl+A selects all, a click on empty lane clears and
seeks. Screenshots land in Tests/artifacts/select-*.png.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from test_web_e2e import ZOOM, Flow, api, media_dir, new_driver, run, server, sign_in_if_asked, tid  # noqa: F401 (fixtures)


def clip_el(flow: Flow, clip_id: str):
    return flow.browser.find_element(By.CSS_SELECTOR, f'{tid("timeline-clip")}[data-clip-id="{clip_id}"]')


def selected_ids(flow: Flow) -> list[str]:
    return sorted(
        e.get_attribute("data-clip-id")
        for e in flow.browser.find_elements(By.CSS_SELECTOR, f'{tid("timeline-clip")}[aria-selected="true"]')
    )


def lane_point(flow: Flow, track_id: str, seconds: float) -> tuple[int, int]:
    """Viewport coordinates of a time on a track's lane, at its vertical middle."""
    return flow.browser.execute_script(
        "const r=document.querySelector(`[data-testid=timeline-track][data-track-id='${arguments[0]}'] [data-testid=track-lane]`).getBoundingClientRect();"
        "return [Math.round(r.left + arguments[1]), Math.round(r.top + r.height / 2)];",
        track_id, seconds * ZOOM,
    )


def saved_clips(timeline_id: str) -> dict[str, tuple[str, float]]:
    status, saved = api("GET", f"/timelines/{timeline_id}")
    assert status == 200, saved
    return {c["id"]: (t["id"], c["start"]) for t in saved["data"]["document"]["tracks"] for c in t["clips"]}


def test_multi_select_delete_marquee_move_copy_paste(server: str, media_dir: Path) -> None:
    browser = new_driver(1280, 800)
    flow = Flow(browser, prefix="select")
    try:
        run(flow, lambda: select_flow(flow, server, media_dir))
    finally:
        browser.quit()


def select_flow(flow: Flow, server: str, media_dir: Path) -> None:
    browser: WebDriver = flow.browser
    status, created = api("POST", "/projects", {"name": f"Multi-select {time.strftime('%H:%M:%S')} {os.getpid()}"})
    assert status in (200, 201), created
    project_id = created["data"]["id"]

    # Real media through the library, then a timeline on two tracks using it.
    browser.get(f"{server}/#/projects/{project_id}")
    flow.wait().until(lambda b: b.find_elements(By.CSS_SELECTOR, f"{tid('sign-in-form')}, {tid('workspace')}"))
    sign_in_if_asked(flow)
    flow.one("upload-input").send_keys(f"{media_dir / 'clip-one.mp4'}\n{media_dir / 'clip-two.mp4'}")
    flow.count("asset-card", 2, timeout=90)
    status, assets = api("GET", f"/projects/{project_id}/assets")
    by_name = {a["name"]: a["id"] for a in assets["data"]}
    one, two = by_name["clip-one.mp4"], by_name["clip-two.mp4"]
    doc = {"version": 1, "output": {"width": 640, "height": 360, "fps": 30}, "tracks": [
        {"id": "v1", "name": "Video", "clips": [
            {"id": "a", "asset": {"type": "video", "src": f"asset:{one}"}, "start": 0, "length": 2},
            {"id": "b", "asset": {"type": "video", "src": f"asset:{two}"}, "start": 3, "length": 2},
        ]},
        {"id": "v2", "name": "Titles", "clips": [
            {"id": "t1", "asset": {"type": "text", "text": "One"}, "start": 0.5, "length": 1},
            {"id": "t2", "asset": {"type": "text", "text": "Two"}, "start": 3.5, "length": 1},
        ]},
    ]}
    status, timeline = api("POST", f"/projects/{project_id}/timelines", {"name": "Main timeline", "document": doc})
    assert status in (200, 201), timeline
    timeline_id = timeline["data"]["id"]
    browser.refresh()
    flow.wait(30).until(lambda _: len(flow.clips()) == 4 and flow.save_status() == "saved", message="the timeline did not load")

    # 1. Click a, Shift-click t1: both selected, the panel sums them up; Delete removes both, one undo brings both back.
    flow.click(clip_el(flow, "a"))
    ActionChains(browser).key_down(Keys.SHIFT).click(clip_el(flow, "t1")).key_up(Keys.SHIFT).perform()
    flow.wait().until(lambda _: selected_ids(flow) == ["a", "t1"], message=f"shift-click: {selected_ids(flow)}")
    assert flow.one("multi-count").text == "2 clips selected"
    assert "tl-clip--selected" in clip_el(flow, "a").get_attribute("class")
    flow.shot("1-shift-click")
    # Ctrl-click takes one out again and puts it back.
    ActionChains(browser).key_down(Keys.CONTROL).click(clip_el(flow, "t1")).key_up(Keys.CONTROL).perform()
    flow.wait().until(lambda _: selected_ids(flow) == ["a"], message=f"ctrl-click: {selected_ids(flow)}")
    ActionChains(browser).key_down(Keys.CONTROL).click(clip_el(flow, "t1")).key_up(Keys.CONTROL).perform()
    flow.wait().until(lambda _: selected_ids(flow) == ["a", "t1"])
    flow.keys(Keys.DELETE)
    flow.wait().until(lambda _: sorted(c["id"] for c in flow.clips()) == ["b", "t2"], message=f"delete: {flow.clips()}")
    assert flow.one("undo").get_attribute("title").startswith("Undo Delete 2 clips")
    flow.wait_saved()
    assert sorted(saved_clips(timeline_id)) == ["b", "t2"]
    flow.chord(Keys.CONTROL, "z")
    flow.wait().until(lambda _: sorted((c["id"], c["start"]) for c in flow.clips()) == [("a", 0), ("b", 3), ("t1", 0.5), ("t2", 3.5)],
                      message=f"one undo did not restore both: {flow.clips()}")
    flow.wait_saved()
    assert sorted(saved_clips(timeline_id)) == ["a", "b", "t1", "t2"]

    # 2. Ctrl+A selects all; a click on empty lane clears the selection and seeks the playhead there.
    flow.chord(Keys.CONTROL, "a")
    flow.wait().until(lambda _: len(selected_ids(flow)) == 4)
    x, y = lane_point(flow, "v2", 6.0)
    chain = ActionChains(browser)
    chain.w3c_actions.pointer_action.move_to_location(x, y).click()
    chain.perform()
    flow.wait().until(lambda _: selected_ids(flow) == [] and flow.playhead_frames() == 180, message=f"empty click: {selected_ids(flow)} {flow.playhead_frames()}")

    # 3. Marquee from empty Titles lane at 2.4 s down to the Video lane at 3.8 s: touches b and t2 only.
    x0, y0 = lane_point(flow, "v2", 2.4)
    x1, y1 = lane_point(flow, "v1", 3.8)
    chain = ActionChains(browser)
    chain.w3c_actions.pointer_action.move_to_location(x0, y0).pointer_down().move_to_location((x0 + x1) // 2, (y0 + y1) // 2).move_to_location(x1, y1)
    chain.perform()
    flow.one("marquee")
    flow.wait().until(lambda _: selected_ids(flow) == ["b", "t2"], message=f"marquee: {selected_ids(flow)}")
    flow.shot("2-marquee")
    chain = ActionChains(browser)
    chain.w3c_actions.pointer_action.pointer_up()
    chain.perform()
    flow.wait().until(lambda b: not b.find_elements(By.CSS_SELECTOR, tid("marquee")))
    assert flow.playhead_frames() == 180, "a marquee does not seek"
    assert flow.one("multi-count").text == "2 clips selected"

    # 4. Dragging b up a track would put t2 above the top track: refused, with a reason naming no ids.
    bx, by = lane_point(flow, "v1", 4.0)
    _, ty = lane_point(flow, "v2", 4.0)
    chain = ActionChains(browser)
    chain.w3c_actions.pointer_action.move_to_location(bx, by).pointer_down().move_to_location(bx + 5, by - 10).move_to_location(bx + 10, ty)
    chain.perform()
    reason = flow.one("drag-reason").text
    assert "not enough tracks above" in reason, reason
    assert not re.search(r"\b(a|b|t1|t2|v1|v2)\b", reason), reason
    flow.shot("3-blocked")
    chain = ActionChains(browser)
    chain.w3c_actions.pointer_action.pointer_up()
    chain.perform()
    assert "not enough tracks above" in flow.one("edit-notice").text
    assert sorted((c["id"], c["track"], c["start"]) for c in flow.clips()) == [("a", "v1", 0), ("b", "v1", 3), ("t1", "v2", 0.5), ("t2", "v2", 3.5)]

    # 5. Dragging b right by 1.5 s (120 px) moves t2 with it: one undo step, saved.
    chain = ActionChains(browser)
    chain.w3c_actions.pointer_action.move_to_location(bx, by).pointer_down().move_to_location(bx + 60, by).move_to_location(bx + 120, by)
    chain.perform()
    flow.shot("4-group-drag")
    chain = ActionChains(browser)
    chain.w3c_actions.pointer_action.pointer_up()
    chain.perform()
    flow.wait().until(lambda _: {c["id"]: c["start"] for c in flow.clips()} == {"a": 0, "b": 4.5, "t1": 0.5, "t2": 5},
                      message=f"group move: {flow.clips()}")
    assert selected_ids(flow) == ["b", "t2"], "the moved clips stay selected"
    assert flow.one("undo").get_attribute("title").startswith("Undo Move 2 clips")
    flow.wait_saved()
    saved = saved_clips(timeline_id)
    assert saved["b"] == ("v1", 4.5) and saved["t2"] == ("v2", 5.0), saved
    assert saved["b"][1] - 3 == saved["t2"][1] - 3.5 == 1.5, "both moved by the same offset"
    assert saved["a"] == ("v1", 0) and saved["t1"] == ("v2", 0.5), "the others stay"

    # 6. Copy the two, paste at 8 s: same tracks, t2's copy still 0.5 s after b's; one undo removes both.
    flow.chord(Keys.CONTROL, "c")
    flow.click_ruler(8.0)
    flow.wait().until(lambda _: flow.playhead_frames() == 240)
    flow.chord(Keys.CONTROL, "v")
    flow.count("timeline-clip", 6)
    pasted = sorted((c["track"], c["start"]) for c in flow.clips() if c["id"] not in ("a", "b", "t1", "t2"))
    assert pasted == [("v1", 8), ("v2", 8.5)], pasted
    assert len(selected_ids(flow)) == 2 and not set(selected_ids(flow)) & {"a", "b", "t1", "t2"}, "the pasted clips are selected"
    flow.shot("5-pasted")
    flow.wait_saved()
    saved = saved_clips(timeline_id)
    assert sorted(v for k, v in saved.items() if k not in ("a", "b", "t1", "t2")) == [("v1", 8.0), ("v2", 8.5)], saved
    flow.chord(Keys.CONTROL, "z")
    flow.count("timeline-clip", 4)
    flow.chord(Keys.CONTROL, Keys.SHIFT, "z")
    flow.count("timeline-clip", 6)

    # Escape clears; the "?" sheet tells about the marquee.
    flow.keys(Keys.ESCAPE)
    flow.wait().until(lambda _: selected_ids(flow) == [])
    flow.keys("?")
    sheet = flow.one("shortcut-sheet").text
    assert "rectangle" in sheet and "Ctrl+A" in sheet, sheet
    flow.click(flow.one("shortcut-sheet-close"))
    flow.wait_saved()
