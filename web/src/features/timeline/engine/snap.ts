/** Snapping of dragged times to the playhead and to clip edges. */
import type { TimelineDocument } from "../../../types/timeline";
import { clipEnd, type SourceDurations } from "./model";

export interface SnapResult {
  /** The adjusted start of the dragged span. */
  start: number;
  /** The time of the snap line to draw, or null when nothing snapped. */
  line: number | null;
}

/** Edges other than those of the clips being dragged, plus the playhead and zero. */
export function snapTargets(doc: TimelineDocument, excludeIds: ReadonlySet<string>, playhead: number, sources: SourceDurations = {}): number[] {
  const targets = [0, playhead];
  for (const track of doc.tracks)
    for (const clip of track.clips) if (!excludeIds.has(clip.id)) targets.push(clip.start, clipEnd(clip, sources));
  return targets;
}

/**
 * Snaps a span [start, start+length] so that either edge lands on the nearest target
 * within `threshold` seconds (the caller turns pixels into seconds at the current zoom).
 * Use length 0 to snap a single point (a trim edge, the playhead).
 */
export function snapSpan(start: number, length: number, targets: readonly number[], threshold: number): SnapResult {
  let best: { distance: number; start: number; line: number } | null = null;
  for (const target of targets) {
    for (const [edge, offset] of [[start, 0], [start + length, length]] as const) {
      const distance = Math.abs(edge - target);
      if (distance <= threshold && (!best || distance < best.distance)) best = { distance, start: target - offset, line: target };
    }
  }
  return best ? { start: best.start, line: best.line } : { start, line: null };
}
