// Unit tests of fades, keyframe marks and file-drop placement (node --test; bundled by web/test-unit.sh).
import assert from "node:assert/strict";
import { test } from "node:test";
import { EditorEngine } from "../src/features/timeline/engine/editor-engine";
import { EditRejected } from "../src/features/timeline/engine/edits";
import { clampFade, setFade } from "../src/features/timeline/engine/fades";
import { placeDroppedAsset } from "../src/features/timeline/engine/file-drops";
import { describeMark, keyframeMarks } from "../src/features/timeline/engine/keyframe-marks";
import type { Asset } from "../src/types/api";
import type { Clip, TimelineDocument } from "../src/types/timeline";

const sources = { "asset:A": 10 };
const ctx = { sources };

function doc(): TimelineDocument {
  return {
    version: 1,
    output: { width: 1280, height: 720, fps: 30 },
    tracks: [
      {
        id: "v1",
        clips: [
          { id: "a", asset: { type: "video", src: "asset:A" }, start: 0, length: 4, fadeOut: 1 },
          { id: "b", asset: { type: "audio", src: "asset:A" }, start: 4, length: 2 },
        ],
      },
      { id: "t1", clips: [{ id: "title", asset: { type: "text", text: "Hi" }, start: 1, length: 2 }] },
    ],
  };
}

const clipOf = (d: TimelineDocument, id: string): Clip | undefined => d.tracks.flatMap((t) => t.clips).find((c) => c.id === id);

test("setFade snaps to frames and leaves the input alone", () => {
  const before = doc();
  const after = setFade(before, "a", "in", 0.51, ctx);
  assert.equal(clipOf(after, "a")?.fadeIn, 0.5);
  assert.equal(clipOf(after, "a")?.fadeOut, 1, "the other fade stays");
  assert.deepEqual(before, doc());
});

test("setFade keeps fadeIn + fadeOut within the clip (the server refuses more)", () => {
  // a is 4 s long with a 1 s fade-out: the fade-in may be at most 3 s.
  assert.equal(clipOf(setFade(doc(), "a", "in", 9, ctx), "a")?.fadeIn, 3);
  // b (audio, 2 s, no fades): a fade-out as long as the clip.
  assert.equal(clipOf(setFade(doc(), "b", "out", 5, ctx), "b")?.fadeOut, 2);
  assert.equal(clipOf(setFade(doc(), "title", "out", 1.2, ctx), "title")?.fadeOut, 1.2);
});

test("setFade to 0 or below removes the key; an unchanged value returns the same document", () => {
  const removed = setFade(doc(), "a", "out", -3, ctx);
  assert.equal("fadeOut" in (clipOf(removed, "a") ?? {}), false);
  const same = doc();
  assert.equal(setFade(same, "a", "out", 1, ctx), same);
});

test("setFade refuses unknown clips, bad numbers and locked tracks", () => {
  assert.throws(() => setFade(doc(), "nope", "in", 1, ctx), EditRejected);
  assert.throws(() => setFade(doc(), "a", "in", Number.NaN, ctx), EditRejected);
  assert.throws(() => setFade(doc(), "a", "in", 1, { sources, locked: new Set(["v1"]) }), EditRejected);
});

test("clampFade follows the document's frame rate", () => {
  const c: Clip = { id: "x", asset: { type: "color", color: "#000000" }, start: 0, length: 2 };
  assert.equal(clampFade(c, "in", 0.31, 25, 2), 0.32, "0.31 s is 7.75 frames: 8 frames of 1/25 s");
  assert.equal(clampFade(c, "in", 0.3, 25, 0.2), 0.2);
});

test("engine.setFade is one undo step, redo brings it back", () => {
  const engine = new EditorEngine(doc(), sources);
  assert.equal(engine.setFade("a", "in", 0.75), true);
  assert.equal(clipOf(engine.state.doc, "a")?.fadeIn, 0.766667);
  assert.equal(engine.state.undoLabel, "Fade in of a");
  engine.undo();
  assert.equal(clipOf(engine.state.doc, "a")?.fadeIn, undefined);
  assert.equal(engine.state.canUndo, false);
  engine.redo();
  assert.equal(clipOf(engine.state.doc, "a")?.fadeIn, 0.766667);
});

test("engine.setFade on a locked track records nothing and says why", () => {
  const engine = new EditorEngine(doc(), sources);
  engine.toggleLock("v1");
  assert.equal(engine.setFade("a", "in", 1), false);
  assert.equal(engine.state.canUndo, false);
  assert.match(engine.state.notice ?? "", /locked/);
});

test("keyframe marks: sorted, merged per time, only inside the clip", () => {
  const c: Clip = {
    id: "k", asset: { type: "color", color: "#000000" }, start: 5, length: 3,
    animate: [
      { property: "opacity", keys: [{ t: 2, value: 1 }, { t: 0, value: 0 }] },
      { property: "scale", keys: [{ t: 2, value: 1.5 }, { t: 4, value: 2 }] },
    ],
  };
  const marks = keyframeMarks(c, 3);
  assert.deepEqual(marks.map((m) => m.t), [0, 2]);
  assert.deepEqual(marks[1].keys, [{ property: "opacity", value: 1 }, { property: "scale", value: 1.5 }]);
  assert.equal(describeMark(marks[1]), "opacity 1, scale 1.5 at 2.00 s");
  assert.deepEqual(keyframeMarks({ ...c, animate: undefined }, 3), []);
});

function asset(id: string, kind: Asset["kind"], duration: number | null): Asset {
  return { id, projectId: "p", name: `${id}.bin`, kind, size: 1, duration, width: null, height: null, fps: null, hasVideo: kind === "video", hasAudio: false, createdAt: "" };
}

test("dropped files land one after another on the drop track, inserting", () => {
  const engine = new EditorEngine(doc(), sources);
  let target = placeDroppedAsset(engine, asset("X", "video", 1.5), { trackId: "t1", start: 1, mode: "insert" });
  assert.deepEqual(target, { trackId: "t1", start: 2.5, mode: "insert" });
  target = placeDroppedAsset(engine, asset("Y", "image", null), target);
  const t1 = engine.state.doc.tracks[1].clips.map((c) => [c.asset.src, c.start, c.length]);
  // The title (1…3) was cut at 1 and rippled right by both clips (1.5 s + 5 s).
  assert.deepEqual(t1, [["asset:X", 1, 1.5], ["asset:Y", 2.5, 5], [undefined, 7.5, 2]]);
  assert.equal(target.start, 7.5);
});

test("files dropped below the last track make one new track and all land on it", () => {
  const engine = new EditorEngine(doc(), sources);
  let target = placeDroppedAsset(engine, asset("X", "audio", 2), { trackId: null, start: 3, mode: "insert" });
  target = placeDroppedAsset(engine, asset("Y", "audio", 1), target);
  assert.equal(engine.state.doc.tracks.length, 3);
  assert.deepEqual(engine.state.doc.tracks[2].clips.map((c) => [c.asset.src, c.start]), [["asset:X", 3], ["asset:Y", 5]]);
});

test("a dropped file that cannot be a clip places nothing and keeps the cursor", () => {
  const engine = new EditorEngine(doc(), sources);
  const target = { trackId: "v1", start: 0, mode: "insert" as const };
  assert.deepEqual(placeDroppedAsset(engine, asset("F", "font", null), target), target);
  assert.match(engine.state.notice ?? "", /font/);
  assert.equal(engine.state.canUndo, false);
});
