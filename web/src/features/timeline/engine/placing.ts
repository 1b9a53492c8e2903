/**
 * Placing new clips (drops from the library, "add at the playhead"): pure operations like
 * edits.ts. On a free spot the clip is simply added; on an occupied one it is inserted (the
 * track ripples right from the drop point, a clip under it is cut there) or overwrites what
 * it covers (clips cut at its edges, clips inside removed). No target track means a new track.
 */
import type { Clip, TimelineDocument, Track } from "../../../types/timeline";
import { addClip, addTrack, EditRejected, normaliseTrack, splitClip, type EditContext } from "./edits";
import { clipEnd, clipLength, fpsOf, toFrame } from "./model";

const EPS = 1e-6;

export type PlaceMode = "insert" | "overwrite";

export interface PlaceTarget {
  /** The track to place on; null: a new track on top. */
  trackId: string | null;
  start: number;
  mode: PlaceMode;
}

function isFree(track: Track, start: number, end: number, ctx: EditContext): boolean {
  return track.clips.every((c) => clipEnd(c, ctx.sources) <= start + EPS || c.start >= end - EPS);
}

/** The first unlocked track (bottom layer first) with room for [start, start + length); null if none. */
export function firstFreeTrack(doc: TimelineDocument, start: number, length: number, ctx: EditContext): string | null {
  return doc.tracks.find((t) => !ctx.locked?.has(t.id) && isFree(t, start, start + length, ctx))?.id ?? null;
}

/** Cuts the clip of track `trackId` that spans `t` (if any) into two at `t`. */
function cutAt(doc: TimelineDocument, trackId: string, t: number, ctx: EditContext): TimelineDocument {
  const track = doc.tracks.find((tr) => tr.id === trackId);
  const spanning = track?.clips.find((c) => c.start < t - EPS && clipEnd(c, ctx.sources) > t + EPS);
  return spanning ? splitClip(doc, spanning.id, t, ctx).doc : doc;
}

function withTrack(doc: TimelineDocument, trackId: string, change: (track: Track) => Track, ctx: EditContext): TimelineDocument {
  return { ...doc, tracks: doc.tracks.map((t) => (t.id === trackId ? normaliseTrack(change(t), ctx.sources) : t)) };
}

/** Makes room for `length` seconds at `start` on the track: rippling (insert) or clearing (overwrite). */
export function makeRoom(doc: TimelineDocument, trackId: string, start: number, length: number, mode: PlaceMode, ctx: EditContext): TimelineDocument {
  const track = doc.tracks.find((t) => t.id === trackId);
  if (!track) throw new EditRejected(`No track ${trackId}.`);
  if (ctx.locked?.has(trackId)) throw new EditRejected(`Track “${track.name ?? track.id}” is locked.`);
  const end = start + length;
  if (isFree(track, start, end, ctx)) return doc;
  const fps = fpsOf(doc);
  if (mode === "insert") {
    const cut = cutAt(doc, trackId, start, ctx);
    return withTrack(cut, trackId, (t) => ({ ...t, clips: t.clips.map((c) => (c.start >= start - EPS ? { ...c, start: toFrame(c.start + length, fps) } : c)) }), ctx);
  }
  const cut = cutAt(cutAt(doc, trackId, start, ctx), trackId, end, ctx);
  return withTrack(cut, trackId, (t) => ({ ...t, clips: t.clips.filter((c) => c.start < start - EPS || c.start >= end - EPS) }), ctx);
}

/** Places a new clip at `target`; returns the document, the clip's id and its track. */
export function placeClip(
  doc: TimelineDocument,
  clip: Omit<Clip, "id">,
  target: PlaceTarget,
  ctx: EditContext,
): { doc: TimelineDocument; id: string; trackId: string } {
  let next = doc;
  let trackId = target.trackId;
  if (trackId == null) {
    const added = addTrack(next);
    next = added.doc;
    trackId = added.id;
  }
  const start = Math.max(0, toFrame(target.start, fpsOf(doc)));
  const length = clipLength({ ...clip, id: "" }, ctx.sources);
  if (length <= 0) throw new EditRejected("The clip has no length (unknown duration).");
  next = makeRoom(next, trackId, start, length, target.mode, ctx);
  const added = addClip(next, trackId, { ...clip, start }, ctx);
  return { doc: added.doc, id: added.id, trackId };
}

/** "Add at the playhead": the first track free there for the clip's length, else a new track. */
export function addAtTime(doc: TimelineDocument, clip: Omit<Clip, "id">, ctx: EditContext): { doc: TimelineDocument; id: string; trackId: string } {
  const length = clipLength({ ...clip, id: "" }, ctx.sources);
  const trackId = firstFreeTrack(doc, clip.start, length, ctx);
  return placeClip(doc, clip, { trackId, start: clip.start, mode: "insert" }, ctx);
}
