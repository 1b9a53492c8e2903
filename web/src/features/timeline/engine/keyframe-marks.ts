/**
 * Where a clip's keyframes sit (spec: `animate`, key times relative to the clip start), for the
 * diamonds drawn on clips. Keys of several properties at one time share one mark.
 */
import type { Clip, KeyframeProperty } from "../../../types/timeline";

export interface KeyframeMark {
  /** Seconds from the clip start. */
  t: number;
  keys: { property: KeyframeProperty; value: number }[];
}

const EPS = 1e-6;

/** Marks inside the clip (0…length), sorted by time; keys outside it are not drawn. */
export function keyframeMarks(clip: Clip, length: number): KeyframeMark[] {
  const marks: KeyframeMark[] = [];
  for (const track of clip.animate ?? []) {
    for (const key of track.keys) {
      if (key.t < -EPS || key.t > length + EPS) continue;
      const mark = marks.find((m) => Math.abs(m.t - key.t) < EPS);
      if (mark) mark.keys.push({ property: track.property, value: key.value });
      else marks.push({ t: key.t, keys: [{ property: track.property, value: key.value }] });
    }
  }
  return marks.sort((a, b) => a.t - b.t);
}

/** "opacity 0.5, scale 1.2 at 1.50 s" — what hovering a diamond says. */
export function describeMark(mark: KeyframeMark): string {
  const values = mark.keys.map((k) => `${k.property} ${Math.round(k.value * 1000) / 1000}`).join(", ");
  return `${values} at ${mark.t.toFixed(2)} s`;
}
