// Unit tests of the playback segment arithmetic: the same frame grid as the engine's PlaybackSegments.
import assert from "node:assert/strict";
import { test } from "node:test";
import { frameRate, framesPerSegment, segmentAt, segmentDuration, segmentStart, wantedSegments } from "../src/features/playback/segments";

test("frame rates: NTSC names mean n×1000/1001, others are exact", () => {
  assert.deepEqual(frameRate(29.97), { num: 30000, den: 1001 });
  assert.deepEqual(frameRate(30000 / 1001), { num: 30000, den: 1001 });
  assert.deepEqual(frameRate(23.976), { num: 24000, den: 1001 });
  assert.deepEqual(frameRate(25), { num: 25, den: 1 });
  assert.deepEqual(frameRate(12.5), { num: 25, den: 2 });
});

test("segments are two seconds of whole frames", () => {
  assert.equal(framesPerSegment(30), 60);
  assert.equal(framesPerSegment(29.97), 60);
  assert.equal(framesPerSegment(12), 24);
  assert.equal(segmentDuration(25), 2);
  assert.ok(Math.abs(segmentDuration(29.97) - 2.002) < 1e-9);
  assert.ok(Math.abs(segmentStart(3, 29.97) - 6.006) < 1e-9);
});

test("the segment under the playhead: a frame start belongs to the segment it starts", () => {
  assert.equal(segmentAt(0, 30), 0);
  assert.equal(segmentAt(1.99, 30), 0);
  assert.equal(segmentAt(2, 30), 1);
  assert.equal(segmentAt(59 / 30, 30), 0);
  assert.equal(segmentAt(60 / 30, 30), 1);
  // 29.97: segment 1 starts at 2.002 s.
  assert.equal(segmentAt(2.001, 29.97), 0);
  assert.equal(segmentAt(segmentStart(1, 29.97), 29.97), 1);
  assert.equal(segmentAt(-1, 30), 0);
});

test("wanted segments stop at the end", () => {
  assert.deepEqual(wantedSegments(0, 3, null), [0, 1, 2]);
  assert.deepEqual(wantedSegments(23, 3, 25), [23, 24]);
  assert.deepEqual(wantedSegments(25, 3, 25), []);
});
