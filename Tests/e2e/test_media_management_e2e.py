"""Browser tests of media management, placing clips and small editor fixes.

A project with two clips: dropping the second onto the middle of the first inserts it (the
track ripples: the first clip is cut and its rest moves right); deleting an asset clips use
asks again naming them ("in use by N clips"), after which those clips are red placeholders
with "Relink…", and relinking one to the other asset makes it whole again; the "?" sheet
lists the shortcuts. Screenshots land in Tests/artifacts/media-*.png.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select

from test_web_e2e import CLIP_SECONDS, Flow, media_dir, open_home, run, server, tid  # noqa: F401 (fixtures)
from test_web_e2e import driver  # noqa: F401 (fixture)


def centre_colour(flow: Flow) -> list[int] | None:
    """The preview picture's colour at its centre (RGB), once an image has loaded."""
    return flow.browser.execute_script(
        "const i=document.querySelector('[data-testid=preview-image]');"
        "if(!i||!i.complete||!i.naturalWidth) return null;"
        "const c=document.createElement('canvas'); c.width=8; c.height=8;"
        "const g=c.getContext('2d'); g.drawImage(i,0,0,8,8);"
        "return [...g.getImageData(4,4,1,1).data].slice(0,3);"
    )


def test_insert_drop_delete_in_use_and_relink(server: str, driver: WebDriver, media_dir: Path) -> None:
    flow = Flow(driver, prefix="media")
    run(flow, lambda: media_flow(flow, server, media_dir))


def media_flow(flow: Flow, server: str, media_dir: Path) -> None:
    browser = flow.browser
    open_home(flow, server)
    flow.one("project-create-input").send_keys(f"Media {time.strftime('%H:%M:%S')} {os.getpid()}")
    flow.click(flow.one("project-create-button"))
    flow.one("workspace")
    flow.wait().until(lambda _: flow.save_status() == "saved", message="the empty timeline did not load")
    one, two = media_dir / "clip-one.mp4", media_dir / "clip-two.mp4"
    flow.one("upload-input").send_keys(f"{one}\n{two}")
    flow.count("asset-card", 2, timeout=90)
    by_name = {c.find_element(By.CSS_SELECTOR, ".asset-card__name").text: c for c in flow.all("asset-card")}
    asset_one = by_name[one.name].get_attribute("data-asset-id")

    # Insert: the first clip at 0, then the second dropped at 1 s, inside it.
    lane = flow.one("track-lane")
    flow.drop_asset(by_name[one.name], lane, 0)
    flow.count("timeline-clip", 1)
    flow.drop_asset(by_name[two.name], lane, 1.0)
    flow.count("timeline-clip", 3)
    spans = sorted((round(c["start"], 3), round(c["length"], 3), c["track"]) for c in flow.clips())
    track = spans[0][2]
    assert [(s, l) for s, l, _ in spans] == [(0, 1), (1, 2), (3, 1)], f"insert did not ripple: {spans}"
    assert all(t == track for *_, t in spans), f"insert left the track: {spans}"
    flow.shot("1-inserted")
    # Undo puts the first clip back whole.
    flow.click(flow.one("undo"))
    flow.count("timeline-clip", 1)
    assert [(c["start"], c["length"]) for c in flow.clips()] == [(0, CLIP_SECONDS)]
    flow.click(flow.one("redo"))
    flow.count("timeline-clip", 3)
    flow.wait_saved()

    flow.click_ruler(0.5)
    before, _ = flow.preview_digest()

    # Delete the first clip's asset: it is in use by two clips (both parts of the cut one).
    card = browser.find_element(By.CSS_SELECTOR, f'{tid("asset-card")}[data-asset-id="{asset_one}"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'nearest'})", card)
    browser.execute_script("arguments[0].click()", card.find_element(By.CSS_SELECTOR, tid("delete-asset")))
    flow.click(flow.one("confirm-ok"))
    flow.wait().until(lambda _: "in use by 2 clips" in flow.one("confirm-dialog").text, message="no in-use warning")
    uses = flow.one("asset-uses").text
    assert uses.count("clip '") == 2, uses
    flow.shot("2-in-use")
    flow.click(flow.one("confirm-ok"))  # Delete anyway
    flow.count("asset-card", 1)
    missing = flow.wait().until(
        lambda b: (found := b.find_elements(By.CSS_SELECTOR, '[data-testid="timeline-clip"][data-missing="true"]')) and len(found) == 2 and found,
        message="the clips of the deleted asset are not shown as missing",
    )
    colour = browser.execute_script("return getComputedStyle(arguments[0]).backgroundImage", missing[0])
    assert "208, 40, 40" in colour, colour
    # The preview still shows a picture: at 0.5 s the red placeholder where the clip was.
    flow.click_ruler(0.7)
    flow.click_ruler(0.5)
    flow.wait(30).until(lambda _: flow.preview_digest()[0] != before and centre_colour(flow) is not None
                        and abs(centre_colour(flow)[0] - 208) < 30 and centre_colour(flow)[1] < 70,
                        message=f"the preview does not show the red placeholder: {centre_colour(flow)}")
    flow.shot("3-missing")

    # Relink the first part to the remaining asset: it is whole again.
    first_id = missing[0].get_attribute("data-clip-id")
    flow.click(missing[0].find_element(By.CSS_SELECTOR, tid("relink-button")))
    options = flow.wait().until(lambda b: b.find_elements(By.CSS_SELECTOR, tid("relink-option")), message="no relink choices")
    assert len(options) == 1
    flow.shot("4-relink-menu")
    flow.click(options[0])
    flow.wait().until(
        lambda b: not b.find_elements(By.CSS_SELECTOR, f'[data-testid="timeline-clip"][data-clip-id="{first_id}"][data-missing="true"]'),
        message="the relinked clip is still missing",
    )
    assert len(browser.find_elements(By.CSS_SELECTOR, '[data-testid="timeline-clip"][data-missing="true"]')) == 1
    flow.wait_saved()

    # The shortcut sheet opens with "?".
    flow.keys("?")
    sheet = flow.one("shortcut-sheet")
    assert "Ripple" in sheet.text or "ripple" in sheet.text
    flow.shot("5-shortcuts")
    flow.click(flow.one("shortcut-sheet-close"))
    flow.wait().until(lambda b: not b.find_elements(By.CSS_SELECTOR, tid("shortcut-sheet")))


def drop_at(flow: Flow, card, target, seconds: float, alt: bool = False) -> None:
    """Like Flow.drop_asset, onto any drop target, optionally with Alt held (overwrite)."""
    flow.browser.execute_script(
        """
        const [card, target, x, alt] = arguments;
        const dt = new DataTransfer();
        card.dispatchEvent(new DragEvent('dragstart', {bubbles: true, cancelable: true, dataTransfer: dt}));
        const r = target.getBoundingClientRect();
        const lane = document.querySelector('[data-testid=track-lane]').getBoundingClientRect();
        const at = {bubbles: true, cancelable: true, dataTransfer: dt, altKey: alt, clientX: lane.left + x, clientY: r.top + r.height / 2};
        target.dispatchEvent(new DragEvent('dragover', at));
        target.dispatchEvent(new DragEvent('drop', at));
        card.dispatchEvent(new DragEvent('dragend', {bubbles: true, dataTransfer: dt}));
        """,
        card, target, seconds * 80, alt,
    )


def test_overwrite_new_track_menus_zoom_and_weight(server: str, driver: WebDriver, media_dir: Path) -> None:
    flow = Flow(driver, prefix="placing")
    run(flow, lambda: placing_flow(flow, server, media_dir))


def placing_flow(flow: Flow, server: str, media_dir: Path) -> None:
    browser = flow.browser
    open_home(flow, server)
    name = f"Placing {time.strftime('%H:%M:%S')} {os.getpid()}"
    flow.one("project-create-input").send_keys(name)
    flow.click(flow.one("project-create-button"))
    flow.one("workspace")
    flow.wait().until(lambda _: flow.save_status() == "saved")
    one, two = media_dir / "clip-one.mp4", media_dir / "clip-two.mp4"
    flow.one("upload-input").send_keys(f"{one}\n{two}")
    flow.count("asset-card", 2, timeout=90)
    by_name = {c.find_element(By.CSS_SELECTOR, ".asset-card__name").text: c for c in flow.all("asset-card")}

    # Overwrite (Alt): the second clip over 1..3 s of a 2 s clip cuts it at 1 s and replaces the rest.
    lane = flow.one("track-lane")
    drop_at(flow, by_name[one.name], lane, 0)
    flow.count("timeline-clip", 1)
    drop_at(flow, by_name[two.name], lane, 1.0, alt=True)
    flow.wait().until(lambda _: sorted((c["start"], c["length"]) for c in flow.clips()) == [(0, 1), (1, 2)], message=f"overwrite: {flow.clips()}")
    # Below the last track: a new track with the clip.
    drop_at(flow, by_name[one.name], flow.one("new-track-drop"), 0.5)
    flow.count("timeline-track", 2)
    flow.wait().until(lambda _: len({c["track"] for c in flow.clips()}) == 2, message=f"no new track: {flow.clips()}")
    # Add at the playhead (0.25 s): both tracks are taken there, so a third track.
    flow.click_ruler(0.25)
    browser.execute_script("arguments[0].click()", by_name[two.name].find_element(By.CSS_SELECTOR, tid("add-to-timeline")))
    flow.count("timeline-track", 3)
    flow.shot("1-tracks")

    # The transition menu floats over the panels: wholly inside the window and on top where it is.
    cut = browser.find_element(By.CSS_SELECTOR, tid("cut-button"))
    flow.click(cut)
    menu = flow.one("transition-menu")
    inside = browser.execute_script(
        "const r=arguments[0].getBoundingClientRect();"
        "const top=document.elementFromPoint(r.left+r.width/2, r.top+r.height/2);"
        "return r.top>=0 && r.left>=0 && r.bottom<=innerHeight && r.right<=innerWidth && arguments[0].contains(top);",
        menu,
    )
    assert inside, "the transition menu is clipped or covered"
    flow.shot("2-transition-menu")
    flow.keys(Keys.ESCAPE)

    # Ctrl+wheel over the timeline zooms it and the page's default (browser zoom) is prevented.
    zoom_before = flow.one("zoom").get_attribute("value")
    prevented = browser.execute_script(
        "const el=document.querySelector('.tl__scroller');"
        "const e=new WheelEvent('wheel',{deltaY:-100,ctrlKey:true,bubbles:true,cancelable:true});"
        "return !el.dispatchEvent(e);"
    )
    assert prevented, "Ctrl+wheel was not prevented (the page would zoom)"
    flow.wait().until(lambda _: flow.one("zoom").get_attribute("value") != zoom_before, message="Ctrl+wheel did not zoom the timeline")

    # Font weight: a title set to bold comes back bold after a reload, without NaN warnings.
    flow.click(flow.one("add-text"))
    weight = Select(flow.one("prop-font-weight"))
    assert weight.first_selected_option.text == "normal"
    weight.select_by_visible_text("bold")
    flow.wait_saved()
    browser.get_log("browser")  # drop what came before
    browser.refresh()
    flow.one("workspace")
    flow.wait().until(lambda _: flow.save_status() == "saved")
    title = next(c for c in flow.clips() if c["type"] == "text")
    flow.click(browser.find_element(By.CSS_SELECTOR, f'[data-testid="timeline-clip"][data-clip-id="{title["id"]}"]'))
    assert Select(flow.one("prop-font-weight")).first_selected_option.text == "bold"
    assert "NaN" not in flow.console()

    # Fades are drawn on the clip: a 1 s fade-in is a ramp one second (80 px at the default zoom) wide.
    for test_id, seconds in (("prop-fade-in", "1"), ("prop-fade-out", "0.5")):
        field = flow.one(test_id)
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys(seconds, Keys.ENTER)
    fade_in = flow.one("clip-fade-in")
    fade_out = flow.one("clip-fade-out")
    assert abs(fade_in.size["width"] - 80) <= 1 and abs(fade_out.size["width"] - 40) <= 1, (fade_in.size, fade_out.size)
    flow.shot("3-fades")

    # Dashboard: the project's name opens it.
    flow.browser.get(server + "/")
    item = flow.wait().until(lambda b: next((e for e in b.find_elements(By.CSS_SELECTOR, tid("project-item")) if e.text == name), False))
    flow.click(item)
    flow.one("workspace")
    assert flow.one("project-title").text == name
