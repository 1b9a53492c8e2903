"""Browser end-to-end test of templates and batches (issue 13).

A timeline with a `{{TITLE}}` title over a clip made by ffmpeg is saved as a template from the
editor's Render tab; the gallery shows it with an engine frame; the template page checks one
set of values; a CSV with a bad row is refused with the row marked, then a CSV of three rows is
rendered as a batch whose live counts reach 3 completed; "Download all" named by the TITLE
column gives a ZIP with three MP4 entries (opened with Python's zipfile).

Needs the server of test_web_e2e.py (CUTROOM_URL, CUTROOM_ADMIN_EMAIL / _PASSWORD).
Screenshots land in Tests/artifacts/templates-*.png.
"""

from __future__ import annotations

import tempfile
import time
import zipfile
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select

from test_web_e2e import Flow, api, make_clip, new_driver, run, server, sign_in_if_asked, tid  # noqa: F401 (server is a fixture)

BATCH_TIMEOUT_S = 300


def test_template_to_batch_archive(server: str) -> None:
    browser = new_driver()
    flow = Flow(browser, "templates")
    with tempfile.TemporaryDirectory(prefix="cutroom-tpl-") as tmp:
        folder = Path(tmp)
        downloads = folder / "downloads"
        downloads.mkdir()
        browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        try:
            run(flow, lambda: template_flow(flow, server, folder, downloads))
        finally:
            browser.quit()


def template_flow(flow: Flow, server: str, folder: Path, downloads: Path) -> None:
    browser: WebDriver = flow.browser
    status, created = api("POST", "/projects", {"name": f"Templates {time.strftime('%H:%M:%S')}"})
    assert status in (200, 201), created
    project_id = created["data"]["id"]

    # 1. Upload a clip made by ffmpeg in the editor.
    clip = folder / "background.mp4"
    make_clip(clip, 60, 440)
    browser.get(f"{server}/#/projects/{project_id}")
    browser.implicitly_wait(0)
    flow.wait().until(lambda b: b.find_elements(By.CSS_SELECTOR, f"{tid('sign-in-form')}, {tid('workspace')}"))
    sign_in_if_asked(flow)
    flow.one("upload-input").send_keys(str(clip))
    flow.count("asset-card", 1, timeout=90)
    status, assets = api("GET", f"/projects/{project_id}/assets")
    asset_id = assets["data"][0]["id"]

    # 2. A timeline with a {{TITLE}} title over it; the editor loads it.
    doc = {"version": 1, "output": {"width": 320, "height": 180, "fps": 30}, "tracks": [
        {"id": "v1", "name": "Video", "clips": [{"id": "bg", "asset": {"type": "video", "src": f"asset:{asset_id}"}, "start": 0, "length": 1}]},
        {"id": "t1", "name": "Title", "clips": [{"id": "title", "asset": {"type": "text", "text": "{{TITLE}}", "font": {"size": 40, "color": "#FFFFFF"}}, "start": 0, "length": 1}]},
    ], "merge": {"TITLE": "Default title"}}
    status, timeline = api("POST", f"/projects/{project_id}/timelines", {"name": "Main timeline", "document": doc})
    assert status in (200, 201), timeline
    browser.refresh()
    flow.wait(30).until(lambda _: len(flow.clips()) == 2 and flow.save_status() == "saved", message="the timeline did not load")

    # 3. Save as template from the Render tab: the derived field is shown.
    flow.click(flow.one("tab-render"))
    name_input = flow.one("template-name-input")
    name_input.send_keys(Keys.CONTROL, "a")  # clear() bypasses React's onChange
    name_input.send_keys("Title card")
    flow.click(flow.one("save-as-template"))
    saved = flow.one("template-saved", timeout=30)
    fields = [f.text for f in flow.all("derived-field")]
    assert len(fields) == 1 and fields[0].startswith("TITLE") and "text" in fields[0], fields
    template_id = saved.get_attribute("data-template-id")
    assert "Saved “Title card”" in saved.text, saved.text
    flow.shot("1-saved")
    # A rule on the field (the schema is editable through the API): at most 13 characters.
    status, patched = api("PATCH", f"/templates/{template_id}", {"fields": [{"name": "TITLE", "type": "text", "default": "Default title", "maxLength": 13}]})
    assert status == 200, patched

    # 4. The gallery lists it with a frame from the engine.
    flow.click(flow.one("nav-templates"))
    card = flow.one("template-card")
    assert card.get_attribute("data-template-id") == template_id
    flow.wait(60).until(lambda b: b.execute_script(
        "const i = document.querySelector('[data-testid=template-frame]'); return !!i && i.complete && i.naturalWidth > 0"), message="no preview frame")
    # Not a black picture: the clip's colours (or the title) are in it.
    brightest = browser.execute_script("""
        const img = document.querySelector('[data-testid=template-frame]');
        const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;
        const g = c.getContext('2d'); g.drawImage(img, 0, 0);
        const d = g.getImageData(0, 0, c.width, c.height).data; let m = 0;
        for (let i = 0; i < d.length; i += 4) m = Math.max(m, d[i] + d[i + 1] + d[i + 2]);
        return m;""")
    assert brightest > 300, f"the preview frame is dark (brightest pixel sum {brightest})"
    flow.shot("2-gallery")

    # 5. The template page: a dry run of one set of values.
    flow.click(flow.one("template-open"))
    flow.one("template-page")
    title = flow.one("field-TITLE")
    title.send_keys("Far too long a title")
    flow.click(flow.one("template-render"))
    assert "13" in flow.one("field-error-TITLE").text, "maxLength is checked before asking the server"
    title.send_keys(Keys.CONTROL, "a")  # clear() bypasses React's onChange
    title.send_keys("Hello")
    flow.click(flow.one("template-dry-run"))
    flow.wait(30).until(lambda _: "valid" in flow.one("template-outcome").text, message="the dry run did not answer")
    assert "Hello" in flow.one("template-outcome").text
    flow.shot("3-template")
    # One render of those values, followed live, with a link to its video.
    flow.click(flow.one("template-render"))
    flow.wait(120).until(lambda _: flow.one("template-outcome").get_attribute("data-status") == "completed", message="the single render did not complete")
    link = flow.one("template-render-link").get_attribute("href")
    assert "/output" in link, link

    # 6. A CSV with a row of the wrong width: refused whole, that row marked (the server's /rows/1).
    bad = folder / "bad.csv"
    bad.write_text("TITLE\r\nAlpha\r\n\"Beta, two\",extra\r\n")
    flow.one("csv-input").send_keys(str(bad))
    assert len(flow.count("csv-row", 2)) == 2
    flow.click(flow.one("batch-dry-run"))
    flow.wait(30).until(lambda _: "alert--error" in (flow.one("batch-message").get_attribute("class") or ""), message="the bad CSV was not refused")
    rows = flow.all("csv-row")
    assert "csv-preview__bad-row" in (rows[1].get_attribute("class") or ""), "row 1 (0-based) must be marked"
    assert "csv-preview__bad-row" not in (rows[0].get_attribute("class") or "")
    assert "line 3 has 2 values" in flow.one("csv-row-error").text
    flow.shot("4-bad-csv")

    # A title over the field's maxLength: the server's /rows/1/TITLE marks that cell.
    long_title = folder / "long.csv"
    long_title.write_text("TITLE\nAlpha\nFar too long a title\n")
    flow.one("csv-input").send_keys(str(long_title))
    flow.wait().until(lambda _: len(flow.all("csv-row")) == 2 and not flow.all("csv-row-error"))
    flow.click(flow.one("batch-dry-run"))
    flow.wait(30).until(lambda _: "13" in flow.one("batch-message").text or "problem" in flow.one("batch-message").text)
    marked = [(c.get_attribute("data-pointer"), c.text) for c in flow.all("csv-cell-error")]
    assert [p for p, _ in marked] == ["/rows/1/TITLE"] and "longer than 13" in marked[0][1], marked
    flow.shot("4b-long-title")

    # 7. Three rows: a batch, whose live counts reach 3 completed.
    good = folder / "titles.csv"
    good.write_bytes("\ufeffTITLE\r\nAlpha\r\n\"Beta, two\"\r\nGamma\r\n".encode())
    flow.one("csv-input").send_keys(str(good))
    flow.wait().until(lambda _: len(flow.all("csv-row")) == 3 and not flow.all("csv-cell-error"))
    flow.click(flow.one("batch-submit"))
    page = flow.one("batch-page", timeout=30)
    assert flow.one("batch-summary").text
    flow.shot("5-batch-running")
    flow.wait(BATCH_TIMEOUT_S).until(lambda _: flow.one("batch-page").get_attribute("data-status") == "finished", message="the batch did not finish")
    assert flow.one("count-completed").text == "3", flow.one("batch-counts").text
    assert flow.one("count-failed").text == "0"

    # 8. Download all, files named by TITLE: a ZIP of three MP4s.
    Select(flow.one("archive-column")).select_by_value("TITLE")
    flow.click(flow.one("batch-download"))
    flow.shot("6-batch-finished")
    deadline = time.monotonic() + 60
    zips: list[Path] = []
    while time.monotonic() < deadline:
        zips = [p for p in downloads.iterdir() if p.suffix == ".zip"]
        if zips:
            break
        time.sleep(0.5)
    assert zips, f"no archive downloaded: {list(downloads.iterdir())}"
    with zipfile.ZipFile(zips[0]) as archive:
        assert archive.testzip() is None
        names = sorted(archive.namelist())
        assert names == ["Alpha.mp4", "Beta, two.mp4", "Gamma.mp4"], names
        for info in archive.infolist():
            head = archive.read(info.filename)[:12]
            assert head[4:8] == b"ftyp", f"{info.filename} is not an MP4"
    del page

    # 9. Cancel a batch of eight while it runs, then retry: all eight complete.
    browser.get(f"{server}/#/templates/{template_id}")
    many = folder / "many.csv"
    many.write_text("TITLE\n" + "".join(f"Row {i}\n" for i in range(8)))
    flow.one("csv-input").send_keys(str(many))
    flow.count("csv-row", 8)
    flow.click(flow.one("batch-submit"))
    flow.one("batch-page", timeout=30)
    flow.click(flow.one("batch-cancel"))
    flow.wait(60).until(lambda _: flow.one("batch-page").get_attribute("data-status") == "finished", message="the cancelled batch did not finish")
    cancelled = int(flow.one("count-cancelled").text)
    assert cancelled > 0, flow.one("batch-counts").text
    assert flow.one("batch-origin").text == "From “Title card”"
    flow.shot("7-batch-cancelled")
    flow.click(flow.one("batch-retry"))
    flow.wait(BATCH_TIMEOUT_S).until(
        lambda _: flow.one("batch-page").get_attribute("data-status") == "finished" and flow.one("count-completed").text == "8",
        message="the retried batch did not complete")
    assert flow.one("count-cancelled").text == "0"
