// Unit tests of the player's segment store: one fetch per segment and revision, and after an edit
// a revalidation by key (If-None-Match) that keeps the bytes of unchanged segments.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SegmentStore, isAbort, segmentsToAbort } from "../src/features/playback/segment-store";
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

/** A fake server that answers only when told: requests stay on their way until `release`. */
function heldServer() {
  const held: { index: number; signal: AbortSignal; release: () => void }[] = [];
  const fetch = (_url: string, init: { body: string; signal?: AbortSignal }) =>
    new Promise<Response>((resolve, reject) => {
      const { index } = JSON.parse(init.body) as { index: number };
      const signal = init.signal as AbortSignal;
      const headers = { ETag: `"k-${index}"`, "Cutroom-Segment-Start": String(index * 2), "Cutroom-Segment-End": String(index * 2 + 2), "Cutroom-Segment-Count": "9" };
      signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      held.push({ index, signal, release: () => resolve(new Response(new Uint8Array([index]), { status: 200, headers })) });
    });
  return { held, fetch };
}

test("keepOnly aborts the requests no longer wanted; the wanted ones arrive; an aborted one is asked again later", async () => {
  const server = heldServer();
  (globalThis as { fetch: unknown }).fetch = server.fetch;
  const store = new SegmentStore(640);
  const d = doc("x");
  const requests = [0, 1, 2, 3].map((i) => store.get(d, i));
  const outcomes = requests.map((r) => r.then(() => "ok", (e: unknown) => (isAbort(e) ? "aborted" : "failed")));
  assert.deepEqual(store.pending, [0, 1, 2, 3]);
  // A seek to segment 2: 0 and 1 are no longer wanted.
  store.keepOnly([2, 3, 4]);
  assert.deepEqual(server.held.map((h) => h.signal.aborted), [true, true, false, false]);
  assert.deepEqual(store.pending, [2, 3]);
  for (const h of server.held) h.release();
  assert.deepEqual(await Promise.all(outcomes), ["aborted", "aborted", "ok", "ok"]);
  assert.deepEqual(store.pending, []);
  // Segment 0 wanted again: a new request, not the aborted one.
  const again = store.get(d, 0);
  assert.equal(server.held.length, 5);
  server.held[4].release();
  assert.equal((await again).key, "k-0");
});

test("an edit aborts the older revision's requests; stopping (keepOnly nothing) aborts everything", async () => {
  const server = heldServer();
  (globalThis as { fetch: unknown }).fetch = server.fetch;
  const store = new SegmentStore(640);
  const old = store.get(doc("a"), 1).catch((e: unknown) => e);
  const edited = store.get(doc("b"), 1);
  assert.equal(server.held.length, 2);
  assert.equal(server.held[0].signal.aborted, true);
  assert.equal(server.held[1].signal.aborted, false);
  assert.ok(isAbort(await old));
  server.held[1].release();
  assert.equal((await edited).index, 1);

  const pending = store.get(doc("b"), 2).catch((e: unknown) => e);
  store.keepOnly([]);
  assert.ok(isAbort(await pending));
  assert.deepEqual(store.pending, []);
});

test("segmentsToAbort: what is on its way and not wanted", () => {
  assert.deepEqual(segmentsToAbort([0, 1, 5, 6], [5, 6, 7]), [0, 1]);
  assert.deepEqual(segmentsToAbort([3], []), [3]);
  assert.deepEqual(segmentsToAbort([], [1]), []);
});
