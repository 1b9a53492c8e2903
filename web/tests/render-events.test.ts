// Unit tests of the render-event follower, against a stand-in EventSource (node has none).
import assert from "node:assert/strict";
import { test } from "node:test";
import { followRenderEvents, type RenderEventName } from "../src/lib/render-events";

class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static last: FakeEventSource | null = null;
  readyState = FakeEventSource.OPEN;
  onmessage: ((event: { data: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  private readonly listeners = new Map<string, (event: { data: string }) => void>();

  constructor(readonly url: string, readonly init: { withCredentials?: boolean }) {
    FakeEventSource.last = this;
  }
  addEventListener(name: string, listener: (event: { data: string }) => void) {
    this.listeners.set(name, listener);
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
  emit(name: string, data: string) {
    if (this.readyState === FakeEventSource.CLOSED) return;
    if (name === "message") this.onmessage?.({ data });
    else this.listeners.get(name)?.({ data });
  }
}
Object.assign(globalThis, { EventSource: FakeEventSource });

function source(): FakeEventSource {
  assert.ok(FakeEventSource.last);
  return FakeEventSource.last;
}

test("follows one render's events, with payloads, and stops at the terminal one", () => {
  const seen: [string, unknown][] = [];
  followRenderEvents("r/1", { onEvent: (name, payload) => seen.push([name, payload]) });
  const es = source();
  assert.equal(es.url, "/api/v1/renders/r%2F1/events");
  assert.equal(es.init.withCredentials, true);
  es.emit("started", "");
  es.emit("progress", '{"progress":0.5}');
  es.emit("progress", "not json");
  es.emit("message", '{"status":"rendering"}');
  es.emit("completed", '{"outputUrl":"/x.mp4"}');
  assert.equal(es.readyState, FakeEventSource.CLOSED);
  assert.deepEqual(seen, [
    ["started", {}],
    ["progress", { progress: 0.5 }],
    ["progress", {}],
    ["message", { status: "rendering" }],
    ["completed", { outputUrl: "/x.mp4" }],
  ]);
});

test("failed and cancelled are terminal too; stopping early closes the stream", () => {
  for (const name of ["failed", "cancelled"] as RenderEventName[]) {
    followRenderEvents("r", { onEvent: () => undefined });
    source().emit(name, "{}");
    assert.equal(source().readyState, FakeEventSource.CLOSED, name);
  }
  const stop = followRenderEvents("r", { onEvent: () => assert.fail("no events after stopping") });
  stop();
  assert.equal(source().readyState, FakeEventSource.CLOSED);
});

test("a reconnecting stream is left to the browser; one that gave up is reported once", () => {
  let gaveUp = 0;
  followRenderEvents("r", { onEvent: () => undefined, onGiveUp: () => gaveUp++ });
  const es = source();
  es.readyState = FakeEventSource.CONNECTING;
  es.onerror?.();
  assert.equal(gaveUp, 0);
  es.readyState = FakeEventSource.CLOSED;
  es.onerror?.();
  es.onerror?.();
  assert.equal(gaveUp, 1);
});
