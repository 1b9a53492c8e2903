// Unit tests of placing new clips: insert (ripple), overwrite, new track, add at the playhead, each undone.
import assert from "node:assert/strict";
import { test } from "node:test";
import { EditorEngine } from "../src/features/timeline/engine/editor-engine";
import { EditRejected } from "../src/features/timeline/engine/edits";
import { addAtTime, firstFreeTrack, placeClip } from "../src/features/timeline/engine/placing";
import type { Clip, TimelineDocument } from "../src/types/timeline";

const sources = { "asset:A": 10, "asset:B": 6, "asset:N": 2 };
const ctx = { sources };

function doc(): TimelineDocument {
  return {
    version: 1,
    output: { width: 1280, height: 720, fps: 30 },
    tracks: [
      {
        id: "v1",
        clips: [
          { id: "a", asset: { type: "video", src: "asset:A" }, start: 0, length: 4, trim: 1 },
          { id: "b", asset: { type: "video", src: "asset:B" }, start: 4, length: 6, transition: { type: "fade", duration: 1 } },
        ],
      },
      { id: "t1", clips: [{ id: "title", asset: { type: "text", text: "Hi" }, start: 1, length: 2 }] },
    ],
  };
}

const newClip: Omit<Clip, "id"> = { asset: { type: "video", src: "asset:N" }, start: 0, length: 2 };

function spans(d: TimelineDocument, trackId: string) {
  return d.tracks.find((t) => t.id === trackId)!.clips.map((c) => `${c.asset.src ?? c.asset.type}@${c.start}+${c.length}${c.trim ? ` trim ${c.trim}` : ""}`);
}

test("insert on an occupied spot cuts the clip there and ripples the rest of the track right", () => {
  const before = doc();
  const { doc: after, trackId } = placeClip(before, newClip, { trackId: "v1", start: 2, mode: "insert" }, ctx);
  assert.equal(trackId, "v1");
  assert.deepEqual(spans(after, "v1"), ["asset:A@0+2 trim 1", "asset:N@2+2", "asset:A@4+2 trim 3", "asset:B@6+6"]);
  // b still touches a's right part, so its transition stays.
  assert.equal(after.tracks[0].clips[3].transition?.type, "fade");
  assert.deepEqual(spans(after, "t1"), ["text@1+2"], "other tracks do not move");
  assert.deepEqual(before, doc(), "the input document is not mutated");
});

test("insert at a cut moves the clips after it without cutting anything", () => {
  const after = placeClip(doc(), newClip, { trackId: "v1", start: 4, mode: "insert" }, ctx).doc;
  assert.deepEqual(spans(after, "v1"), ["asset:A@0+4 trim 1", "asset:N@4+2", "asset:B@6+6"]);
  assert.equal(after.tracks[0].clips[2].transition, undefined, "b no longer touches a: its transition goes");
});

test("overwrite cuts the clips at the new clip's edges and removes what it covers", () => {
  const after = placeClip(doc(), { ...newClip, length: 3 }, { trackId: "v1", start: 3, mode: "overwrite" }, ctx).doc;
  assert.deepEqual(spans(after, "v1"), ["asset:A@0+3 trim 1", "asset:N@3+3", "asset:B@6+4 trim 2"]);
});

test("a free spot just adds; no track (a drop below the last one) makes a new track", () => {
  const free = placeClip(doc(), newClip, { trackId: "t1", start: 5, mode: "insert" }, ctx).doc;
  assert.deepEqual(spans(free, "t1"), ["text@1+2", "asset:N@5+2"]);
  const placed = placeClip(doc(), newClip, { trackId: null, start: 1, mode: "insert" }, ctx);
  assert.equal(placed.doc.tracks.length, 3);
  assert.equal(placed.doc.tracks[2].id, placed.trackId);
  assert.deepEqual(spans(placed.doc, placed.trackId), ["asset:N@1+2"]);
});

test("add at the playhead takes the first free track there, else a new one", () => {
  assert.equal(firstFreeTrack(doc(), 1, 2, ctx), null, "v1 and t1 are both taken at 1..3");
  assert.equal(firstFreeTrack(doc(), 3, 2, ctx), "t1");
  assert.equal(addAtTime(doc(), { ...newClip, start: 3 }, ctx).trackId, "t1");
  const onNew = addAtTime(doc(), { ...newClip, start: 1 }, ctx);
  assert.equal(onNew.doc.tracks.length, 3);
  assert.deepEqual(spans(onNew.doc, onNew.trackId), ["asset:N@1+2"]);
  assert.equal(addAtTime(doc(), { ...newClip, start: 20 }, ctx).trackId, "v1", "after everything: the bottom track");
  assert.equal(firstFreeTrack(doc(), 3, 2, { sources, locked: new Set(["t1"]) }), null, "locked tracks are skipped");
});

test("placing on a locked track is refused and changes nothing", () => {
  assert.throws(() => placeClip(doc(), newClip, { trackId: "v1", start: 2, mode: "insert" }, { sources, locked: new Set(["v1"]) }), EditRejected);
});

test("each placement is one undo step, undone exactly (new track included)", () => {
  const cases: [string, (e: EditorEngine) => string | null][] = [
    ["insert", (e) => e.placeClip(newClip, { trackId: "v1", start: 2, mode: "insert" })],
    ["overwrite", (e) => e.placeClip(newClip, { trackId: "v1", start: 3, mode: "overwrite" })],
    ["new track", (e) => e.placeClip(newClip, { trackId: null, start: 0, mode: "insert" })],
    ["add at playhead", (e) => (e.setPlayhead(1), e.addAtPlayhead({ asset: newClip.asset, length: 2 }))],
  ];
  for (const [name, act] of cases) {
    const engine = new EditorEngine(doc(), sources);
    const start = engine.state.doc;
    const id = act(engine);
    assert.ok(id, `${name}: placed`);
    assert.equal(engine.state.selection, id, `${name}: the new clip is selected`);
    const after = engine.state.doc;
    assert.notDeepEqual(after, start);
    engine.undo();
    assert.deepEqual(engine.state.doc, start, `${name}: undo restores the document`);
    assert.equal(engine.state.canUndo, false, `${name}: a single undo step`);
    engine.redo();
    assert.deepEqual(engine.state.doc, after, `${name}: redo`);
  }
});
