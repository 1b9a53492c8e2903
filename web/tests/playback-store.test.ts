// Unit tests of the player's segment store: one fetch per segment and revision, and after an edit
// a revalidation by key (If-None-Match) that keeps the bytes of unchanged segments.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SegmentStore } from "../src/features/playback/segment-store";
import type { TimelineDocument } from "../src/types/timeline";

interface Sent {
  index: number;
  ifNoneMatch: string | null;
}

/** A fake server: segment i of a document has key "<title>-i" when i is 1, else "k-i". */
function fakeServer(sent: Sent[]) {
  return async (_url: string, init: { body: string; headers: Record<string, string> }) => {
    const { document, index } = JSON.parse(init.body) as { document: TimelineDocument; index: number };
    const title = String(document.merge?.TITLE ?? "");
    const key = index === 1 ? `${title}-${index}` : `k-${index}`;
    const ifNoneMatch = init.headers["If-None-Match"] ?? null;
    sent.push({ index, ifNoneMatch });
    const headers = new Headers({ ETag: `"${key}"`, "Cutroom-Segment-Start": String(index * 2), "Cutroom-Segment-End": String(index * 2 + 2), "Cutroom-Segment-Count": "3" });
    if (ifNoneMatch === `"${key}"`) return new Response(null, { status: 304, headers });
    return new Response(new Uint8Array([index, title.length]), { status: 200, headers });
  };
}

const doc = (title: string): TimelineDocument => ({ version: 1, output: { width: 640, height: 360, fps: 30 }, tracks: [], merge: { TITLE: title } }) as TimelineDocument;

test("one request per segment and revision; an edit revalidates by key and keeps unchanged bytes", async () => {
  const sent: Sent[] = [];
  (globalThis as { fetch: unknown }).fetch = fakeServer(sent);
  const store = new SegmentStore(640);
  const first = doc("a");
  const [s0, s1] = await Promise.all([store.get(first, 0), store.get(first, 1)]);
  await store.get(first, 0);
  assert.deepEqual(sent, [{ index: 0, ifNoneMatch: null }, { index: 1, ifNoneMatch: null }]);
  assert.equal(s0.key, "k-0");
  assert.equal(s1.start, 2);
  assert.equal(s1.count, 3);

  const edited = doc("bb");
  const [e0, e1] = await Promise.all([store.get(edited, 0), store.get(edited, 1)]);
  assert.deepEqual(sent.slice(2), [{ index: 0, ifNoneMatch: '"k-0"' }, { index: 1, ifNoneMatch: '"a-1"' }]);
  // Segment 0 did not change: 304, the same bytes; segment 1 did: new key and bytes.
  assert.equal(e0.bytes, s0.bytes);
  assert.equal(e1.key, "bb-1");
  assert.notEqual(e1.bytes, s1.bytes);
});

test("a failed request is asked again", async () => {
  let calls = 0;
  (globalThis as { fetch: unknown }).fetch = async () => {
    calls++;
    if (calls === 1) return new Response(JSON.stringify({ error: { code: "X", message: "busy", details: [] } }), { status: 503 });
    return new Response(new Uint8Array([1]), { status: 200, headers: { ETag: '"k"', "Cutroom-Segment-Start": "0", "Cutroom-Segment-End": "2", "Cutroom-Segment-Count": "1" } });
  };
  const store = new SegmentStore(640);
  const d = doc("x");
  await assert.rejects(store.get(d, 0));
  const segment = await store.get(d, 0);
  assert.equal(segment.key, "k");
  assert.equal(calls, 2);
});
