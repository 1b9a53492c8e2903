"""Browser end-to-end test of the mixer (issue 13, variants).

Four one-colour clips made by ffmpeg are uploaded through the mixer's own library panel; a new
mix gets two of them dragged (HTML5 drag and drop, dispatched with a DataTransfer) into each of
two groups; a clip's in-point past its end is refused by the server and shown on that field; an
exact count of 4 and a seed are set; the plan shows 4 distinct variants, each with a loaded first
frame from the engine whose colour is that of the variant's first clip; a new seed plans again;
"Render 4 variants" queues a batch, whose page reaches 4 completed, and each output exists
(GET /renders/{id}/output is an MP4).

Needs the server of test_web_e2e.py (CUTROOM_URL, CUTROOM_ADMIN_EMAIL / _PASSWORD).
Screenshots land in Tests/artifacts/mixer-*.png (the editor at 1280 and 1024 px wide).
"""

from __future__ import annotations

import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select

from test_web_e2e import BASE_URL, Flow, admin_credentials, api, new_driver, run, server, sign_in_if_asked  # noqa: F401 (server is a fixture)

BATCH_TIMEOUT_S = 300
COLOURS = {"red": (255, 0, 0), "blue": (0, 0, 255), "lime": (0, 255, 0), "yellow": (255, 255, 0)}


def make_colour_clip(path: Path, colour: str, seconds: float = 1.2) -> None:
    """A one-colour 320x180 H.264/AAC clip with a tone."""
    subprocess.run(
        [
            "ffmpeg", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", f"color=c={colour}:size=320x180:rate=25",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", str(seconds), "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "veryfast",
            "-c:a", "aac", "-b:a", "64k", "-movflags", "+faststart", str(path),
        ],
        check=True,
    )


def drop_on(flow: Flow, source, target) -> None:
    """HTML5 drag and drop (WebDriver cannot drive native DnD): the page's own handlers see a real DataTransfer."""
    flow.browser.execute_script(
        """
        const [source, target] = arguments;
        const dt = new DataTransfer();
        source.dispatchEvent(new DragEvent('dragstart', {bubbles: true, cancelable: true, dataTransfer: dt}));
        const r = target.getBoundingClientRect();
        const at = {bubbles: true, cancelable: true, dataTransfer: dt, clientX: r.left + r.width / 2, clientY: r.bottom - 10};
        target.dispatchEvent(new DragEvent('dragenter', at));
        target.dispatchEvent(new DragEvent('dragover', at));
        target.dispatchEvent(new DragEvent('drop', at));
        source.dispatchEvent(new DragEvent('dragend', {bubbles: true, dataTransfer: dt}));
        """,
        source, target,
    )


def typed(flow: Flow, element, text: str) -> None:
    element.send_keys(Keys.CONTROL, "a")  # clear() bypasses React's onChange
    element.send_keys(Keys.BACKSPACE)
    if text:
        element.send_keys(text)


def frame_colours(flow: Flow) -> list[tuple[int, int, int] | None]:
    """The centre pixel of each variant card's first frame, or None while it has not loaded."""
    return flow.browser.execute_script(
        """
        return [...document.querySelectorAll('[data-testid=variant-card]')].map(card => {
          const img = card.querySelector('[data-testid=variant-frame]');
          if (!img || !img.complete || img.naturalWidth === 0) return null;
          const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;
          const g = c.getContext('2d'); g.drawImage(img, 0, 0);
          const d = g.getImageData(Math.floor(c.width / 2), Math.floor(c.height / 2), 1, 1).data;
          return [d[0], d[1], d[2]];
        });"""
    )


def near(rgb, colour: str) -> bool:
    return all(abs(a - b) < 60 for a, b in zip(rgb, COLOURS[colour]))


def test_mixer_plan_and_render(server: str) -> None:
    browser = new_driver(1280, 900)
    flow = Flow(browser, "mixer")
    with tempfile.TemporaryDirectory(prefix="cutroom-mixer-") as tmp:
        try:
            run(flow, lambda: mixer_flow(flow, server, Path(tmp)))
        finally:
            browser.quit()


def mixer_flow(flow: Flow, server: str, folder: Path) -> None:
    browser: WebDriver = flow.browser
    status, created = api("POST", "/projects", {"name": f"Mixer {time.strftime('%H:%M:%S')}"})
    assert status in (200, 201), created
    project_id = created["data"]["id"]
    # A long project name in the library's project menu must not widen the panel over the groups.
    status, _ = api("POST", "/projects", {"name": "A project with a rather long name that once pushed the mixer library over the groups"})
    assert status in (200, 201)
    files = []
    for colour in COLOURS:
        files.append(folder / f"{colour}.mp4")
        make_colour_clip(files[-1], colour)

    # 1. The mixes page from the header; an empty state, then a new mix.
    browser.get(f"{server}/")
    flow.wait().until(lambda b: flow.all("project-create-input") or flow.all("sign-in-form"))
    sign_in_if_asked(flow)
    flow.click(flow.one("nav-mixes"))
    flow.one("mixes-page")
    assert browser.current_url.endswith("#/mixes")
    flow.wait().until(lambda _: flow.all("mix-item") or flow.all("mixes-empty"), message="the list did not load")
    if flow.all("mixes-empty"):
        assert "No mixes yet" in flow.one("mixes-empty").text
        flow.shot("0-empty")
    flow.click(flow.one("mix-new"))
    flow.one("mix-editor")
    assert len(flow.all("mix-group")) == 2 and len(flow.all("group-empty")) == 2
    assert flow.all("plan-empty")

    # 2. Upload the four clips through the library panel of the project made above.
    Select(flow.one("library-project")).select_by_value(project_id)
    flow.one("upload-input").send_keys("\n".join(str(f) for f in files))
    flow.wait(120).until(lambda _: len(browser.find_elements("css selector", "[data-testid=mix-library] [data-testid=asset-card]")) == 4, message="the uploads did not appear")
    status, listed = api("GET", f"/projects/{project_id}/assets")
    colour_of = {a["id"]: a["name"].split(".")[0] for a in listed["data"]}
    cards = {colour_of[c.get_attribute("data-asset-id")]: c for c in browser.find_elements("css selector", "[data-testid=mix-library] [data-testid=asset-card]")}

    # 3. Drag two clips into each group; rename the second group.
    groups = flow.all("mix-group")
    for colour, group in (("red", 0), ("blue", 0), ("lime", 1), ("yellow", 1)):
        drop_on(flow, cards[colour], flow.all("mix-group")[group])
    flow.wait().until(lambda _: [len(g.find_elements("css selector", "[data-testid=mix-clip]")) for g in flow.all("mix-group")] == [2, 2], message="the drops did not land")
    del groups
    # The keyboard moves a clip too: Alt+→ to the next group, Alt+← back; the row keeps the focus.
    def per_group():
        return [[c.get_attribute("data-asset-id") for c in g.find_elements("css selector", "[data-testid=mix-clip]")] for g in flow.all("mix-group")]
    before = per_group()
    blue = flow.all("mix-clip")[1]
    blue.send_keys(Keys.ALT, Keys.ARROW_RIGHT)
    flow.wait().until(lambda _: [len(g) for g in per_group()] == [1, 3], message="Alt+Right did not move the clip")
    focused = browser.switch_to.active_element
    assert focused.get_attribute("data-testid") == "mix-clip" and colour_of[focused.get_attribute("data-asset-id")] == "blue"
    focused.send_keys(Keys.ALT, Keys.ARROW_LEFT)
    flow.wait().until(lambda _: per_group() == before, message="Alt+Left did not bring it back")
    typed(flow, flow.all("group-name")[1], "cta")
    typed(flow, flow.all("clip-label")[0], "Red intro")
    flow.click(flow.one("text-enabled"))
    typed(flow, flow.one("text-input"), "{{hook}} #{{VARIANT}}")
    Select(flow.one("output-size")).select_by_value("640x360")
    flow.click(flow.one("count-mode-number"))
    typed(flow, flow.one("count-input"), "4")
    seed = flow.one("seed-input")
    typed(flow, seed, "42")
    seed.send_keys(Keys.ENTER)

    # 4. An in-point past the end of its 1.2 s source: the server's 422 lands on that field.
    trims = flow.all("clip-trim")
    typed(flow, trims[3], "5")
    flow.click(flow.one("mix-save"))
    flow.one("mix-problems", timeout=30)
    problem = flow.wait().until(lambda _: next((p for p in flow.all("field-problem") if "long" in p.text), False), message="no problem by the in-point")
    clip = flow.all("mix-clip")[3]
    assert clip.find_element("css selector", "[data-testid=clip-trim]").get_attribute("aria-invalid") == "true"
    assert "1.2" in problem.text, problem.text
    flow.shot("1-problem")
    typed(flow, flow.all("clip-trim")[3], "")

    # 5. Plan: four distinct variants, each first frame loaded and of its first clip's colour.
    flow.click(flow.one("mix-plan"))
    flow.wait(60).until(lambda _: len(flow.all("variant-card")) == 4, message="no plan of 4")
    assert not flow.all("mix-problems")
    mix_id = flow.one("mix-editor").get_attribute("data-mix-id")
    assert mix_id and browser.current_url.endswith(f"#/mixes/{mix_id}"), browser.current_url
    assert flow.one("mix-save-state").get_attribute("data-status") == "saved"
    sequences = [c.get_attribute("data-sequence") for c in flow.all("variant-card")]
    assert len(set(sequences)) == 4, sequences
    assert flow.one("variant-grid").get_attribute("data-seed") == "42"
    assert "4 of 4 distinct" in flow.one("plan-summary").text
    # The label stands for the clip in the sequence and in the text layer.
    texts = [t.text for t in flow.all("variant-text")]
    for n, (sequence, text) in enumerate(zip(sequences, texts), start=1):
        hook = "Red intro" if colour_of[sequence.split("+")[0].removeprefix("asset:")] == "red" else "blue.mp4"
        assert text == f"“{hook} #{n}”", (sequence, text)
    assert sum("Red intro" in c.text for c in flow.all("variant-card")) == 2
    # Frames are asked for as cards come into view (a few at a time): bring the grid on screen.
    browser.execute_script("document.querySelector('[data-testid=variant-grid]').scrollIntoView({block: 'start'})")
    colours = flow.wait(90).until(lambda _: (found := frame_colours(flow)) and all(found) and found, message="first frames did not load")
    for sequence, rgb in zip(sequences, colours):
        first = colour_of[sequence.split("+")[0].removeprefix("asset:")]
        assert near(rgb, first), f"variant starting with {first} shows {rgb}"
    flow.shot("2-plan-1280")
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 1024, "height": 800, "deviceScaleFactor": 1, "mobile": False})
    time.sleep(0.5)
    flow.shot("3-plan-1024")
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})

    # 6. A new seed plans again by itself.
    flow.click(flow.one("seed-shuffle"))
    flow.wait(30).until(lambda _: flow.one("variant-grid").get_attribute("data-seed") != "42", message="no new plan for the new seed")
    flow.wait(30).until(lambda _: len(flow.all("variant-card")) == 4 and flow.one("mix-render").is_enabled())
    new_seed = flow.one("variant-grid").get_attribute("data-seed")
    assert flow.one("seed-input").get_attribute("value") == new_seed

    # 7. Render the planned four: the batch page follows them to the end.
    render = flow.one("mix-render")
    assert render.text == "Render 4 variants", render.text
    flow.click(render)
    flow.one("batch-page", timeout=30)
    batch_id = browser.current_url.rsplit("/", 1)[-1]
    flow.wait(BATCH_TIMEOUT_S).until(lambda _: flow.one("batch-page").get_attribute("data-status") == "finished", message="the batch did not finish")
    assert flow.one("count-completed").text == "4", flow.one("batch-counts").text
    # The batch names its mix, and its archive can name files by variant or by clips.
    assert flow.one("batch-origin").text.startswith("From the mix"), flow.one("batch-origin").text
    names = [o.get_attribute("value") for o in flow.one("archive-column").find_elements(By.TAG_NAME, "option")]
    assert names == ["", "variant", "clips"], names
    flow.shot("4-batch")

    # 8. Each output exists: four completed renders of the batch, each an MP4.
    status, renders = api("GET", "/renders?limit=100")
    ours = [r for r in renders["data"] if r.get("batchId") == batch_id]
    assert len(ours) == 4 and all(r["status"] == "completed" for r in ours), ours
    for r in ours:
        request = urllib.request.Request(f"{BASE_URL}/api/v1/renders/{r['id']}/output", headers=admin_credentials())
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        assert len(body) > 1000 and body[4:8] == b"ftyp", f"render {r['id']} output is not an MP4 ({len(body)} bytes)"

    # 9. Back on the list, the mix is there with its 4 distinct variants.
    flow.click(flow.one("nav-mixes"))
    item = flow.wait().until(lambda _: next((i for i in flow.all("mix-item") if i.get_attribute("data-mix-id") == mix_id), False))
    assert "4 distinct variants" in item.text, item.text
    flow.shot("5-list")
