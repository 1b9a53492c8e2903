/**
 * The server's playback segments (POST /timelines/segments): segment i holds the whole output
 * frames from i × round(2 s × fps), two seconds' worth. The same arithmetic as the engine's
 * PlaybackSegments, so the player asks for the segment under the playhead before it has seen one.
 */

/** The exact frame rate a document's fps means: 29.97, 23.976, 59.94 (47.952, 119.88) are n×1000/1001. */
export function frameRate(fps: number): { num: number; den: number } {
  for (const base of [24, 30, 48, 60, 120]) {
    if (Math.abs(fps - (base * 1000) / 1001) < 0.005) return { num: base * 1000, den: 1001 };
  }
  const millis = Math.round(fps * 1000);
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const divisor = Math.max(1, gcd(millis, 1000));
  return { num: millis / divisor, den: 1000 / divisor };
}

export const SEGMENT_SECONDS = 2;

export function framesPerSegment(fps: number): number {
  const { num, den } = frameRate(fps);
  return Math.max(1, Math.round((SEGMENT_SECONDS * num) / den));
}

/** Seconds one (full) segment lasts. */
export function segmentDuration(fps: number): number {
  const { num, den } = frameRate(fps);
  return (framesPerSegment(fps) * den) / num;
}

/** The segment showing timeline time t (the frame on screen at t is the one started last). */
export function segmentAt(t: number, fps: number): number {
  const { num, den } = frameRate(fps);
  const frame = Math.floor((Math.max(0, t) * num) / den + 1e-6);
  return Math.floor(frame / framesPerSegment(fps));
}

/** Start time of segment i in seconds. */
export function segmentStart(index: number, fps: number): number {
  const { num, den } = frameRate(fps);
  return (index * framesPerSegment(fps) * den) / num;
}

/**
 * Which segments to have from `current` on: `ahead` of them, stopping at `count` (when known).
 * The player fetches these in order and keeps what it has.
 */
export function wantedSegments(current: number, ahead: number, count: number | null): number[] {
  const wanted: number[] = [];
  for (let i = current; i < current + ahead && (count == null || i < count); i++) wanted.push(i);
  return wanted;
}
