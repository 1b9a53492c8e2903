// Unit tests of multi-clip selection and the edits on many clips (node --test; bundled by web/test-unit.sh).
import assert from "node:assert/strict";
import { test } from "node:test";
import { EditorEngine } from "../src/features/timeline/engine/editor-engine";
import { EditRejected } from "../src/features/timeline/engine/edits";
import {
  allClipIds,
  clipsInSpan,
  copyClips,
  moveClips,
  pasteClips,
  pruneSelection,
  rippleDeleteClips,
  splitClips,
  toggleInSelection,
  unionSelection,
} from "../src/features/timeline/engine/selection";
import type { TimelineDocument } from "../src/types/timeline";

const sources = { "asset:A": 10, "asset:B": 6 };
const ctx = { sources };

// v1: a [0,4) b [4,10) (fade from a) c [12,15);  v2: t [1,3) u [6,8);  v3: empty.
function doc(): TimelineDocument {
  return {
    version: 1,
    output: { width: 1280, height: 720, fps: 30 },
    tracks: [
      {
        id: "v1",
        name: "Video 1",
        clips: [
          { id: "a", asset: { type: "video", src: "asset:A" }, start: 0, length: 4, trim: 2 },
          { id: "b", asset: { type: "video", src: "asset:B" }, start: 4, length: 6, transition: { type: "fade", duration: 1 } },
          { id: "c", asset: { type: "image", src: "asset:I" }, start: 12, length: 3 },
        ],
      },
      {
        id: "v2",
        name: "Titles",
        clips: [
          { id: "t", asset: { type: "text", text: "Hi" }, start: 1, length: 2 },
          { id: "u", asset: { type: "text", text: "Bye" }, start: 6, length: 2 },
        ],
      },
      { id: "v3", name: "Top", clips: [] },
    ],
  };
}

function where(d: TimelineDocument, id: string): { track: string; start: number; length?: number; transition?: unknown } | null {
  for (const t of d.tracks) for (const c of t.clips) if (c.id === id) return { track: t.id, start: c.start, length: c.length, transition: c.transition };
  return null;
}

function ids(d: TimelineDocument): string[][] {
  return d.tracks.map((t) => t.clips.map((c) => c.id));
}

test("selection queries: toggle, union, prune, all, marquee span across tracks", () => {
  assert.deepEqual(toggleInSelection(["a"], "t"), ["a", "t"]);
  assert.deepEqual(toggleInSelection(["a", "t"], "a"), ["t"]);
  assert.deepEqual(unionSelection(["a", "t"], ["t", "c"]), ["a", "t", "c"]);
  assert.deepEqual(pruneSelection(doc(), ["a", "gone", "t"]), ["a", "t"]);
  assert.deepEqual(allClipIds(doc()), ["a", "b", "c", "t", "u"]);
  // A rectangle from 2.5 s back to 0.5 s over both tracks: touches a and t, not b (starts at 4).
  assert.deepEqual(clipsInSpan(doc(), 2.5, 0.5, ["v1", "v2"], sources), ["a", "t"]);
  // Only over the titles track, from 3.5 to 6.5: u only (t ends at 3).
  assert.deepEqual(clipsInSpan(doc(), 3.5, 6.5, ["v2"], sources), ["u"]);
  assert.deepEqual(clipsInSpan(doc(), 3.5, 6.5, ["v3"], sources), []);
});

test("moveClips moves every clip by the same offset and tracks, frame-accurately", () => {
  const before = doc();
  const after = moveClips(before, ["c", "u"], 2.01, 1, ctx);
  assert.deepEqual(where(after, "c"), { track: "v2", start: 14, length: 3, transition: undefined });
  assert.deepEqual(where(after, "u"), { track: "v3", start: 8, length: 2, transition: undefined });
  assert.deepEqual(before, doc(), "the input document is not mutated");
  // Clips of the group may pass each other's old places: u leaves v2 as c arrives there.
  const swapped = moveClips(doc(), ["t", "u"], 0, 1, ctx);
  assert.deepEqual(ids(swapped), [["a", "b", "c"], [], ["t", "u"]]);
});

test("moveClips holds the earliest clip at zero and keeps the spacing", () => {
  const after = moveClips(doc(), ["t", "u"], -5, 0, ctx);
  assert.equal(where(after, "t")?.start, 0);
  assert.equal(where(after, "u")?.start, 5, "u keeps its 5 s after t");
});

test("moveClips refuses overlaps, locked tracks and moves past the last track, naming no ids", () => {
  assert.throws(() => moveClips(doc(), ["c", "u"], -3, 0, ctx), (e: Error) => {
    assert.ok(e instanceof EditRejected);
    assert.match(e.message, /It would overlap another clip on “Video 1” at 00:00:09:00/);
    assert.doesNotMatch(e.message, /\b(a|b|c|t|u)\b/);
    return true;
  });
  assert.throws(() => moveClips(doc(), ["a", "t"], 0, 2, ctx), /not enough tracks above/);
  assert.throws(() => moveClips(doc(), ["a", "t"], 0, -1, ctx), /not enough tracks below/);
  assert.throws(() => moveClips(doc(), ["c", "u"], 20, 0, { sources, locked: new Set(["v2"]) }), /“Titles” is locked/);
  assert.throws(() => moveClips(doc(), [], 1, 0, ctx), /Select one or more clips/);
  // Moving a (the clip b fades from) away drops the cut's transition.
  const after = moveClips(doc(), ["a", "t"], 20, 0, ctx);
  assert.equal(where(after, "b")?.transition, undefined);
});

test("rippleDeleteClips closes each gap on each track", () => {
  const after = rippleDeleteClips(doc(), ["a", "c", "t"], ctx);
  assert.deepEqual(ids(after), [["b"], ["u"], []]);
  assert.equal(where(after, "b")?.start, 0, "b moves left by a's 4 s");
  assert.equal(where(after, "b")?.transition, undefined, "no clip before b: no transition");
  assert.equal(where(after, "u")?.start, 4, "u moves left by t's 2 s");
  const middle = rippleDeleteClips(doc(), ["a", "b"], ctx);
  assert.equal(where(middle, "c")?.start, 2, "c moves left by a and b: 10 s");
});

test("splitClips cuts only the selected clips under the time", () => {
  const { doc: after, rightIds } = splitClips(doc(), ["b", "u", "c"], 7, ctx);
  assert.equal(rightIds.length, 2, "c (12–15) is not under 7 s");
  assert.deepEqual(rightIds.map((id) => where(after, id)?.start), [7, 7]);
  assert.equal(where(after, "b")?.length, 3);
  assert.equal(where(after, "u")?.length, 1);
  assert.throws(() => splitClips(doc(), ["c", "t"], 7, ctx), /Put the playhead inside a selected clip/);
});

test("copy and paste of many clips keeps relative times and tracks; the group moves past what is in the way", () => {
  const clipboard = copyClips(doc(), ["b", "c", "u"], sources);
  assert.deepEqual(clipboard.map((i) => [i.clip.id, i.offset, i.trackId]), [["b", 0, "v1"], ["c", 8, "v1"], ["u", 2, "v2"]]);
  assert.equal(clipboard[0].clip.transition, undefined, "b's transition fades from a, which is not copied");
  const { doc: after, ids: pasted } = pasteClips(doc(), clipboard, 20, ctx);
  assert.deepEqual(pasted.map((id) => where(after, id)), [
    { track: "v1", start: 20, length: 6, transition: undefined },
    { track: "v1", start: 28, length: 3, transition: undefined },
    { track: "v2", start: 22, length: 2, transition: undefined },
  ]);
  assert.equal(new Set(pasted).size, 3, "each pasted clip has its own id");
  // At 5 s, b's copy would overlap b; the group goes to the first time where all of it fits: 15 (after c).
  const { doc: later, ids: moved } = pasteClips(doc(), clipboard, 5, ctx);
  assert.deepEqual(moved.map((id) => where(later, id)?.start), [15, 23, 17]);
  // Copied together, a and b keep their transition.
  const pair = copyClips(doc(), ["a", "b"], sources);
  const { doc: withPair, ids: pairIds } = pasteClips(doc(), pair, 30, ctx);
  assert.deepEqual(where(withPair, pairIds[1])?.transition, { type: "fade", duration: 1 });
  assert.throws(() => pasteClips(doc(), clipboard, 0, ctx, 2), /need more tracks/);
});

test("engine: click, toggle, select all and clear", () => {
  const engine = new EditorEngine(doc(), sources);
  engine.select("a");
  engine.toggleSelect("t");
  assert.deepEqual(engine.state.selectedIds, ["a", "t"]);
  assert.equal(engine.state.selection, "t", "the last picked clip is the one the panel shows");
  engine.toggleSelect("t");
  assert.deepEqual(engine.state.selectedIds, ["a"]);
  assert.equal(engine.state.selection, "a");
  engine.selectAll();
  assert.equal(engine.state.selectedIds.length, 5);
  engine.select("b");
  assert.deepEqual(engine.state.selectedIds, ["b"], "a plain click selects one");
  engine.select(null);
  assert.deepEqual(engine.state.selectedIds, []);
  assert.equal(engine.state.selection, null);
});

test("engine: deleting two clips is one undo step; undo restores both", () => {
  const engine = new EditorEngine(doc(), sources);
  engine.selectClips(["a", "u"]);
  assert.ok(engine.deleteSelection());
  assert.deepEqual(ids(engine.state.doc), [["b", "c"], ["t"], []]);
  assert.deepEqual(engine.state.selectedIds, []);
  assert.equal(engine.state.undoLabel, "Delete 2 clips");
  engine.undo();
  assert.deepEqual(engine.state.doc, doc());
  assert.equal(engine.state.canUndo, false, "one step");
  engine.selectClips(["a", "t"]);
  assert.ok(engine.deleteSelection(true));
  assert.equal(where(engine.state.doc, "b")?.start, 0);
  assert.equal(where(engine.state.doc, "u")?.start, 4);
  engine.undo();
  assert.deepEqual(engine.state.doc, doc());
});

test("engine: moving, nudging and splitting the selection are one undo step each; a refusal records nothing", () => {
  const engine = new EditorEngine(doc(), sources);
  engine.selectClips(["c", "u"]);
  assert.ok(engine.moveSelection(2, 1));
  assert.equal(engine.state.undoLabel, "Move 2 clips");
  assert.deepEqual(engine.state.selectedIds, ["c", "u"], "the moved clips stay selected");
  engine.undo();
  assert.deepEqual(engine.state.doc, doc());
  assert.equal(engine.moveSelection(-3), false);
  assert.match(engine.state.notice ?? "", /overlap/);
  assert.equal(engine.state.canUndo, false);
  assert.ok(engine.moveSelection(1 / 30));
  assert.equal(where(engine.state.doc, "u")?.start, 6.033333);
  engine.undo();
  engine.setPlayhead(7);
  engine.selectClips(["b", "u"]);
  assert.ok(engine.splitAtPlayhead());
  assert.equal(engine.state.selectedIds.length, 2, "the right parts are selected");
  assert.equal(engine.state.doc.tracks[0].clips.length + engine.state.doc.tracks[1].clips.length, 7);
  engine.undo();
  assert.deepEqual(engine.state.doc, doc());
});

test("engine: copy/paste of two clips at the playhead; undo takes both away", () => {
  const engine = new EditorEngine(doc(), sources);
  engine.selectClips(["c", "u"]);
  assert.ok(engine.copySelection());
  engine.setPlayhead(20);
  assert.ok(engine.paste());
  const pasted = engine.state.selectedIds;
  assert.equal(pasted.length, 2);
  assert.deepEqual(pasted.map((id) => where(engine.state.doc, id)), [
    { track: "v1", start: 26, length: 3, transition: undefined },
    { track: "v2", start: 20, length: 2, transition: undefined },
  ]);
  assert.equal(engine.state.undoLabel, "Paste 2 clips");
  engine.undo();
  assert.deepEqual(engine.state.doc, doc());
  assert.deepEqual(engine.state.selectedIds, [], "undo drops the pasted clips from the selection");
  // One copied clip still pastes onto the selected clip's track.
  engine.select("t");
  engine.copySelection();
  engine.select("c");
  engine.setPlayhead(30);
  assert.ok(engine.paste());
  assert.equal(where(engine.state.doc, engine.state.selection ?? "")?.track, "v1");
});
