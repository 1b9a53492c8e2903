// Unit tests of the timeline model and edit engine (node --test; bundled by web/test-unit.sh).
import assert from "node:assert/strict";
import { test } from "node:test";
import { EditorEngine } from "../src/features/timeline/engine/editor-engine";
import {
  deleteClips,
  EditRejected,
  moveClip,
  pasteClip,
  rippleDelete,
  setTransition,
  splitClip,
  trimEnd,
  trimStart,
  withExplicitLengths,
} from "../src/features/timeline/engine/edits";
import { EditHistory } from "../src/features/timeline/engine/history";
import { clipIdForPointer, timecode, toFrame } from "../src/features/timeline/engine/model";
import { snapSpan, snapTargets } from "../src/features/timeline/engine/snap";
import type { TimelineDocument } from "../src/types/timeline";

const sources = { "asset:A": 10, "asset:B": 6, "asset:M": 30 };
const ctx = { sources };

function doc(): TimelineDocument {
  return {
    version: 1,
    output: { width: 1280, height: 720, fps: 30 },
    tracks: [
      {
        id: "v1",
        clips: [
          { id: "a", asset: { type: "video", src: "asset:A" }, start: 0, length: 4, trim: 2 },
          { id: "b", asset: { type: "video", src: "asset:B" }, start: 4, length: 6, transition: { type: "fade", duration: 1 } },
          { id: "c", asset: { type: "image", src: "asset:I" }, start: 12, length: 3 },
        ],
      },
      { id: "t1", clips: [{ id: "title", asset: { type: "text", text: "Hi", font: { size: 72 } }, start: 1, length: 2 }] },
    ],
  };
}

function clip(d: TimelineDocument, id: string) {
  for (const t of d.tracks) for (const c of t.clips) if (c.id === id) return { track: t.id, ...c };
  return null;
}

test("move puts the clip at a frame-accurate start and keeps others", () => {
  const before = doc();
  const after = moveClip(before, "c", 10.01, ctx);
  assert.equal(clip(after, "c")?.start, toFrame(10.01, 30));
  assert.equal(clip(after, "c")?.start, 10);
  assert.deepEqual(before, doc(), "the input document is not mutated");
});

test("move to another track", () => {
  const after = moveClip(doc(), "c", 5, ctx, "t1");
  assert.equal(clip(after, "c")?.track, "t1");
  assert.deepEqual(after.tracks[0].clips.map((c) => c.id), ["a", "b"]);
  assert.deepEqual(after.tracks[1].clips.map((c) => c.id), ["title", "c"]);
});

test("move refuses an overlap", () => {
  assert.throws(() => moveClip(doc(), "c", 8, ctx), EditRejected);
});

test("moving a clip away drops the transition of the cut that no longer exists", () => {
  const after = moveClip(doc(), "a", 20, ctx);
  assert.equal(clip(after, "b")?.transition, undefined);
  assert.deepEqual(after.tracks[0].clips.map((c) => c.id), ["b", "c", "a"], "clips stay sorted");
});

test("trim end is bounded by the source and by the next clip", () => {
  // b: source 6 s, trim 0 → at most 6 s long; the next clip starts at 12, so 10 is the end.
  assert.equal(clip(trimEnd(doc(), "b", 11, ctx), "b")?.length, 6);
  assert.equal(clip(trimEnd(doc(), "b", 7.5, ctx), "b")?.length, 3.5);
  // c is an image (no source bound): bounded by nothing after it.
  assert.equal(clip(trimEnd(doc(), "c", 20, ctx), "c")?.length, 8);
  // a: trim 2, source 10 → up to 8 s, but b starts at 4.
  assert.equal(clip(trimEnd(doc(), "a", 9, ctx), "a")?.length, 4);
});

test("trim start moves the in-point with the edge and keeps the out-point", () => {
  const after = trimStart(doc(), "a", 1, ctx);
  const a = clip(after, "a");
  assert.equal(a?.start, 1);
  assert.equal(a?.length, 3);
  assert.equal(a?.trim, 3);
  // Dragging left past the source's first frame stops at trim 0 (start -2 clamps to 0, trim 0 + ... ).
  const left = clip(trimStart(doc(), "a", -5, ctx), "a");
  assert.equal(left?.start, 0);
  assert.equal(left?.trim, 2, "cannot go before timeline 0");
  const moved = moveClip(doc(), "c", 13, ctx);
  const c = clip(trimStart(moved, "c", 9, ctx), "c");
  assert.equal(c?.start, 10, "stops at the previous clip's end");
  assert.equal(c?.length, 6);
});

test("trim keeps at least one frame", () => {
  const a = clip(trimEnd(doc(), "a", -3, ctx), "a");
  assert.ok(a && Math.abs((a.length ?? 0) - 1 / 30) < 1e-6);
});

test("split makes two clips that play the same source", () => {
  const { doc: after, rightId } = splitClip(doc(), "b", 6.5, ctx);
  const left = clip(after, "b");
  const right = clip(after, rightId);
  assert.equal(left?.length, 2.5);
  assert.equal(left?.transition?.type, "fade", "the transition into the clip stays on the left part");
  assert.equal(right?.start, 6.5);
  assert.equal(right?.length, 3.5);
  assert.equal(right?.trim, 2.5);
  assert.equal(right?.transition, undefined);
  assert.deepEqual(after.tracks[0].clips.map((c) => c.id), ["a", "b", rightId, "c"]);
});

test("split honours speed and keyframes", () => {
  const d = doc();
  d.tracks[0].clips[0] = { ...d.tracks[0].clips[0], speed: 2, animate: [{ property: "opacity", keys: [{ t: 0, value: 0 }, { t: 3, value: 1 }] }] };
  const { doc: after, rightId } = splitClip(d, "a", 1, ctx);
  const right = clip(after, rightId);
  assert.equal(right?.trim, 4, "1 s of timeline at speed 2 is 2 s of source");
  assert.deepEqual(right?.animate?.[0].keys.map((k) => k.t), [-1, 2]);
});

test("split outside the clip is refused", () => {
  assert.throws(() => splitClip(doc(), "a", 4, ctx), EditRejected);
});

test("delete leaves a gap; ripple delete closes it", () => {
  const deleted = deleteClips(doc(), ["a"], ctx);
  assert.equal(clip(deleted, "b")?.start, 4);
  assert.equal(clip(deleted, "b")?.transition, undefined, "no previous clip, no transition");
  const rippled = rippleDelete(doc(), "a", ctx);
  assert.equal(clip(rippled, "b")?.start, 0);
  assert.equal(clip(rippled, "c")?.start, 8);
  assert.equal(clip(rippled, "title")?.start, 1, "other tracks are untouched");
});

test("ripple delete in the middle keeps the cut before the next clip", () => {
  const d = doc();
  d.tracks[0].clips[2].start = 10;
  d.tracks[0].clips[2].transition = { type: "wipeleft", duration: 0.5 };
  const rippled = rippleDelete(d, "b", ctx);
  assert.equal(clip(rippled, "c")?.start, 4);
  assert.deepEqual(clip(rippled, "c")?.transition, { type: "wipeleft", duration: 0.5 });
});

test("paste goes to the first free spot at or after the playhead", () => {
  const source = clip(doc(), "title");
  assert.ok(source);
  const { doc: after, id } = pasteClip(doc(), { ...source }, "t1", 2, ctx);
  assert.equal(clip(after, id)?.start, 3);
  assert.equal(clip(after, id)?.length, 2);
  assert.notEqual(id, "title");
});

test("transitions need touching clips and fit both", () => {
  const d = trimEnd(doc(), "b", 12, ctx); // b now ends at 10, c starts 12 → no cut
  assert.throws(() => setTransition(d, "c", "fade", 1, ctx), EditRejected);
  const touching = moveClip(doc(), "c", 10, ctx);
  const withT = setTransition(touching, "c", "circleopen", 9, ctx);
  assert.deepEqual(clip(withT, "c")?.transition, { type: "circleopen", duration: 3 });
  // Shortening a clip shortens the transition on its cut.
  const shorter = trimEnd(withT, "c", 11, ctx);
  assert.equal(clip(shorter, "c")?.transition?.duration, 1);
});

test("snap: nearest edge within the threshold, with its line", () => {
  const targets = snapTargets(doc(), new Set(["c"]), 7.3, sources);
  assert.deepEqual(snapSpan(10.1, 3, targets, 0.2), { start: 10, line: 10 });
  assert.deepEqual(snapSpan(4.4, 3, targets, 0.2), { start: 4.3, line: 7.3 }, "end edge snaps to the playhead");
  assert.deepEqual(snapSpan(20, 3, targets, 0.2), { start: 20, line: null });
});

test("explicit lengths are filled in from the sources", () => {
  const d = doc();
  delete d.tracks[0].clips[1].length;
  assert.equal(clip(withExplicitLengths(d, sources), "b")?.length, 6);
});

test("history: undo and redo restore exact documents", () => {
  const history = new EditHistory(doc());
  const one = history.execute({ label: "move", apply: (d) => moveClip(d, "c", 11, ctx) });
  const two = history.execute({ label: "ripple", apply: (d) => rippleDelete(d, "a", ctx) });
  assert.equal(history.undoLabel, "ripple");
  assert.deepEqual(history.undo(), one);
  assert.deepEqual(history.undo(), doc());
  assert.equal(history.undo(), null);
  assert.deepEqual(history.redo(), one);
  assert.deepEqual(history.redo(), two);
  assert.equal(history.redo(), null);
  history.undo();
  history.execute({ label: "split", apply: (d) => splitClip(d, "b", 5, ctx).doc });
  assert.equal(history.redo(), null, "a new edit clears the redo stack");
});

test("editor engine: refused edits are not recorded and explain why", () => {
  const engine = new EditorEngine(doc(), sources);
  assert.equal(engine.moveClip("c", 8), false);
  assert.match(engine.state.notice ?? "", /overlap/);
  assert.equal(engine.state.canUndo, false);
  engine.toggleLock("v1");
  assert.equal(engine.trimEnd("b", 5), false);
  assert.match(engine.state.notice ?? "", /locked/);
  engine.toggleLock("v1");
  assert.equal(engine.trimEnd("b", 5), true);
  assert.equal(engine.state.canUndo, true);
  engine.undo();
  assert.deepEqual(engine.state.doc, doc());
});

test("editor engine: split at playhead, copy/paste, undo all the way", () => {
  const engine = new EditorEngine(doc(), sources);
  engine.setPlayhead(5.01);
  assert.equal(engine.state.playhead, 5, "playhead lands on a frame");
  engine.select("b");
  assert.ok(engine.splitAtPlayhead());
  const right = engine.state.selection;
  assert.ok(right && right !== "b");
  assert.ok(engine.copySelection());
  engine.setPlayhead(15);
  assert.ok(engine.paste());
  assert.equal(clip(engine.state.doc, engine.state.selection ?? "")?.start, 15);
  engine.undo();
  engine.undo();
  assert.deepEqual(engine.state.doc, doc());
  engine.redo();
  assert.equal(engine.state.doc.tracks[0].clips.length, 4);
});

test("tracks: add, reorder, flags, remove", () => {
  const engine = new EditorEngine(doc(), sources);
  const id = engine.addTrack();
  assert.deepEqual(engine.state.doc.tracks.map((t) => t.id), ["v1", "t1", id]);
  engine.reorderTrack(id, -1);
  assert.deepEqual(engine.state.doc.tracks.map((t) => t.id), ["v1", id, "t1"]);
  engine.setTrackFlags("v1", { muted: true, hidden: true });
  assert.equal(engine.state.doc.tracks[0].muted, true);
  engine.setTrackFlags("v1", { muted: false });
  assert.equal("muted" in engine.state.doc.tracks[0], false, "false is the default: the key goes away");
  engine.removeTrack(id);
  assert.deepEqual(engine.state.doc.tracks.map((t) => t.id), ["v1", "t1"]);
});

test("timecode is frame accurate; pointers map to clips", () => {
  assert.equal(timecode(0, 30), "00:00:00:00");
  assert.equal(timecode(61 + 29 / 30, 30), "00:01:01:29");
  assert.equal(timecode(3600.48, 25), "01:00:00:12");
  assert.equal(clipIdForPointer(doc(), "/tracks/0/clips/1/transition/duration"), "b");
  assert.equal(clipIdForPointer(doc(), "/output/width"), null);
});

test("history: a slider drag is one undo step", () => {
  const engine = new EditorEngine(doc(), sources);
  for (const v of [0.9, 0.8, 0.7]) engine.updateClip("a", { opacity: v }, "Opacity", "a:opacity");
  engine.updateClip("a", { scale: 2 }, "Scale");
  assert.equal(clip(engine.state.doc, "a")?.opacity, 0.7);
  engine.undo();
  assert.equal(clip(engine.state.doc, "a")?.opacity, 0.7);
  engine.undo();
  assert.deepEqual(engine.state.doc, doc());
});

test("NTSC rates: 29.97 means 30000/1001 and times land on its frames", () => {
  const d = doc();
  d.output.fps = 29.97;
  const moved = moveClip(d, "c", 12.5, ctx);
  const start = clip(moved, "c")?.start ?? 0;
  const frames = (start * 30000) / 1001;
  assert.ok(Math.abs(frames - Math.round(frames)) < 1e-3, `start ${start} is not on a frame`);
  assert.equal(Math.round(frames), 375);
});

test("trim start at speed 2 moves the in-point twice as far", () => {
  const d = doc();
  d.tracks[0].clips[0] = { ...d.tracks[0].clips[0], speed: 2 };
  const a = clip(trimStart(d, "a", 1, ctx), "a");
  assert.equal(a?.trim, 4);
  assert.equal(a?.length, 3);
});

test("locked tracks refuse clips moved into them; transitions can be removed; tracks stop at the ends", () => {
  assert.throws(() => moveClip(doc(), "c", 5, { sources, locked: new Set(["t1"]) }, "t1"), /locked/);
  const removed = setTransition(doc(), "b", null, 0, ctx);
  assert.equal(clip(removed, "b")?.transition, undefined);
  const engine = new EditorEngine(doc(), sources);
  assert.equal(engine.reorderTrack("t1", 1), false);
  assert.match(engine.state.notice ?? "", /cannot move/);
});
