/**
 * Pure edit operations: each takes a document and returns a new one (inputs are never
 * mutated), or throws EditRejected with a reason a person can read. After every edit the
 * touched tracks are normalised: clips sorted, transitions dropped where the cut no longer
 * exists and shortened to fit, so the editor only ever produces documents the spec allows.
 */
import type { Clip, TimelineDocument, Track, TransitionType } from "../../../types/timeline";
import {
  clipEnd,
  clipLength,
  findClip,
  fpsOf,
  isTimed,
  sortClips,
  timecode,
  toFrame,
  uniqueId,
  type SourceDurations,
} from "./model";

export class EditRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EditRejected";
  }
}

const EPS = 1e-6;

export interface EditContext {
  sources: SourceDurations;
  /** Ids of tracks the user locked: no edit may change their clips. */
  locked?: ReadonlySet<string>;
}

function replaceTrack(doc: TimelineDocument, index: number, track: Track): TimelineDocument {
  const tracks = doc.tracks.slice();
  tracks[index] = track;
  return { ...doc, tracks };
}

function assertUnlocked(ctx: EditContext, track: Track): void {
  if (ctx.locked?.has(track.id)) throw new EditRejected(`Track “${track.name ?? track.id}” is locked.`);
}

function requireClip(doc: TimelineDocument, clipId: string) {
  const found = findClip(doc, clipId);
  if (!found) throw new EditRejected(`No clip ${clipId}.`);
  return found;
}

/** Source seconds available after the clip's in-point (Infinity when unknown or not timed). */
export function sourceAvailable(clip: Clip, sources: SourceDurations): number {
  if (!isTimed(clip) || !clip.asset.src) return Infinity;
  const duration = sources[clip.asset.src];
  return duration == null ? Infinity : duration;
}

/** Writes the explicit length of every clip (documents loaded from elsewhere may omit it). */
export function withExplicitLengths(doc: TimelineDocument, sources: SourceDurations): TimelineDocument {
  let changed = false;
  const tracks = doc.tracks.map((t) => {
    if (t.clips.every((c) => c.length != null)) return t;
    changed = true;
    return { ...t, clips: t.clips.map((c) => (c.length != null ? c : { ...c, length: clipLength(c, sources) })) };
  });
  return changed ? { ...doc, tracks } : doc;
}

/** Clips sorted; transitions only where two clips touch, no longer than either clip. */
export function normaliseTrack(track: Track, sources: SourceDurations): Track {
  const sorted = sortClips(track);
  let changed = sorted !== track;
  const clips = sorted.clips.map((clip, i) => {
    if (!clip.transition) return clip;
    const previous = sorted.clips[i - 1];
    if (!previous || Math.abs(clipEnd(previous, sources) - clip.start) > EPS) {
      changed = true;
      const { transition: _dropped, ...rest } = clip;
      return rest;
    }
    const limit = Math.min(clipLength(previous, sources), clipLength(clip, sources));
    if (clip.transition.duration > limit + EPS) {
      changed = true;
      return { ...clip, transition: { ...clip.transition, duration: limit } };
    }
    return clip;
  });
  return changed ? { ...sorted, clips } : track;
}

function overlaps(track: Track, start: number, end: number, ignoreId: string | null, sources: SourceDurations): Clip | null {
  return track.clips.find((c) => c.id !== ignoreId && c.start < end - EPS && clipEnd(c, sources) > start + EPS) ?? null;
}

/** Why a move is refused, the way the user sees the timeline: the track's name and the time (no clip ids). */
export function overlapReason(doc: TimelineDocument, trackIndex: number, at: number): string {
  const track = doc.tracks[trackIndex];
  return `It would overlap another clip on “${track.name ?? `Track ${trackIndex + 1}`}” at ${timecode(at, fpsOf(doc))}; use another track or make room.`;
}

/** Moves a clip to `start` on the track `toTrackId` (default: its own). Refuses overlaps. */
export function moveClip(doc: TimelineDocument, clipId: string, start: number, ctx: EditContext, toTrackId?: string): TimelineDocument {
  const from = requireClip(doc, clipId);
  const toIndex = toTrackId ? doc.tracks.findIndex((t) => t.id === toTrackId) : from.trackIndex;
  if (toIndex < 0) throw new EditRejected(`No track ${toTrackId}.`);
  assertUnlocked(ctx, from.track);
  assertUnlocked(ctx, doc.tracks[toIndex]);
  const fps = fpsOf(doc);
  const newStart = Math.max(0, toFrame(start, fps));
  const length = clipLength(from.clip, ctx.sources);
  const blocker = overlaps(doc.tracks[toIndex], newStart, newStart + length, clipId, ctx.sources);
  if (blocker) throw new EditRejected(overlapReason(doc, toIndex, Math.max(newStart, blocker.start)));
  const moved: Clip = { ...from.clip, start: newStart, length };
  let next = replaceTrack(doc, from.trackIndex, { ...from.track, clips: from.track.clips.filter((c) => c.id !== clipId) });
  const target = next.tracks[toIndex];
  next = replaceTrack(next, toIndex, { ...target, clips: [...target.clips, moved] });
  return normaliseTracks(next, [from.trackIndex, toIndex], ctx.sources);
}

function normaliseTracks(doc: TimelineDocument, indices: number[], sources: SourceDurations): TimelineDocument {
  let next = doc;
  for (const i of new Set(indices)) next = replaceTrack(next, i, normaliseTrack(next.tracks[i], sources));
  return next;
}

/** Drags the clip's left edge to `newStart`: the out-point stays, the in-point follows. */
export function trimStart(doc: TimelineDocument, clipId: string, newStart: number, ctx: EditContext): TimelineDocument {
  const { track, trackIndex, clip } = requireClip(doc, clipId);
  assertUnlocked(ctx, track);
  const fps = fpsOf(doc);
  const speed = clip.speed ?? 1;
  const end = clipEnd(clip, ctx.sources);
  const trim = clip.trim ?? 0;
  // Bounds: not before 0, not before the source's first frame, not into the previous clip, at least one frame long.
  let lower = Math.max(0, isTimed(clip) ? clip.start - trim / speed : 0);
  for (const other of track.clips) {
    const otherEnd = clipEnd(other, ctx.sources);
    if (other.id !== clipId && otherEnd <= clip.start + EPS) lower = Math.max(lower, otherEnd);
  }
  const upper = end - 1 / fps;
  const start = Math.min(Math.max(toFrame(newStart, fps), lower), upper);
  const delta = start - clip.start;
  const updated: Clip = { ...clip, start, length: toFrame(end - start, fps) };
  if (isTimed(clip)) updated.trim = Math.max(0, Math.round((trim + delta * speed) * 1e6) / 1e6);
  return normaliseTracks(replaceTrack(doc, trackIndex, { ...track, clips: track.clips.map((c) => (c.id === clipId ? updated : c)) }), [trackIndex], ctx.sources);
}

/** Drags the clip's right edge to `newEnd`: bounded by the source's end and the next clip. */
export function trimEnd(doc: TimelineDocument, clipId: string, newEnd: number, ctx: EditContext): TimelineDocument {
  const { track, trackIndex, clip } = requireClip(doc, clipId);
  assertUnlocked(ctx, track);
  const fps = fpsOf(doc);
  const speed = clip.speed ?? 1;
  let upper = clip.start + (sourceAvailable(clip, ctx.sources) - (clip.trim ?? 0)) / speed;
  for (const other of track.clips) {
    if (other.id !== clipId && other.start >= clip.start + EPS) upper = Math.min(upper, other.start);
  }
  const lower = clip.start + 1 / fps;
  const end = Math.min(Math.max(toFrame(newEnd, fps), lower), upper);
  // Keep the exact source end when bounded by it (not rounded past the source by a frame).
  const length = end === upper ? Math.round((upper - clip.start) * 1e6) / 1e6 : toFrame(end - clip.start, fps);
  const updated: Clip = { ...clip, length };
  return normaliseTracks(replaceTrack(doc, trackIndex, { ...track, clips: track.clips.map((c) => (c.id === clipId ? updated : c)) }), [trackIndex], ctx.sources);
}

/** Cuts the clip at time t into two clips; returns the document and the id of the right part. */
export function splitClip(doc: TimelineDocument, clipId: string, t: number, ctx: EditContext): { doc: TimelineDocument; rightId: string } {
  const { track, trackIndex, clip } = requireClip(doc, clipId);
  assertUnlocked(ctx, track);
  const fps = fpsOf(doc);
  const at = toFrame(t, fps);
  const end = clipEnd(clip, ctx.sources);
  if (at <= clip.start + EPS || at >= end - EPS) throw new EditRejected("Put the playhead inside the clip to split it.");
  const speed = clip.speed ?? 1;
  const leftLength = toFrame(at - clip.start, fps);
  const rightId = uniqueId(doc, `${clip.id.replace(/-\d+$/, "")}-`);
  const { fadeOut, transition: _t, ...rightBase } = clip;
  const left: Clip = { ...clip, length: leftLength };
  // The fade-out belongs to the end of the original clip, which is now the right part.
  delete left.fadeOut;
  const right: Clip = { ...rightBase, id: rightId, start: at, length: Math.round((end - at) * 1e6) / 1e6 };
  delete right.fadeIn;
  if (fadeOut) right.fadeOut = fadeOut;
  if (isTimed(clip)) right.trim = Math.round(((clip.trim ?? 0) + leftLength * speed) * 1e6) / 1e6;
  if (clip.animate?.length) {
    // Keyframe times are relative to the clip start: shift the right part's keys.
    right.animate = clip.animate.map((k) => ({ ...k, keys: k.keys.map((key) => ({ ...key, t: Math.round((key.t - leftLength) * 1e6) / 1e6 })) }));
  }
  const clips = track.clips.flatMap((c) => (c.id === clipId ? [left, right] : [c]));
  return { doc: normaliseTracks(replaceTrack(doc, trackIndex, { ...track, clips }), [trackIndex], ctx.sources), rightId };
}

/** Removes clips, leaving gaps. */
export function deleteClips(doc: TimelineDocument, clipIds: readonly string[], ctx: EditContext): TimelineDocument {
  const ids = new Set(clipIds);
  let next = doc;
  doc.tracks.forEach((track, i) => {
    if (!track.clips.some((c) => ids.has(c.id))) return;
    assertUnlocked(ctx, track);
    next = replaceTrack(next, i, normaliseTrack({ ...track, clips: track.clips.filter((c) => !ids.has(c.id)) }, ctx.sources));
  });
  if (next === doc) throw new EditRejected("Nothing selected to delete.");
  return next;
}

/** Removes a clip and closes the gap: later clips on its track move left by its length. */
export function rippleDelete(doc: TimelineDocument, clipId: string, ctx: EditContext): TimelineDocument {
  const { track, trackIndex, clip } = requireClip(doc, clipId);
  assertUnlocked(ctx, track);
  const length = clipLength(clip, ctx.sources);
  const fps = fpsOf(doc);
  const clips = track.clips
    .filter((c) => c.id !== clipId)
    .map((c) => (c.start >= clip.start + EPS ? { ...c, start: Math.max(0, toFrame(c.start - length, fps)) } : c));
  return normaliseTracks(replaceTrack(doc, trackIndex, { ...track, clips }), [trackIndex], ctx.sources);
}

/** Inserts a copy of `clip` on a track at `start`, or at the first free spot after it. */
export function pasteClip(doc: TimelineDocument, clip: Clip, trackId: string, start: number, ctx: EditContext): { doc: TimelineDocument; id: string } {
  const trackIndex = doc.tracks.findIndex((t) => t.id === trackId);
  if (trackIndex < 0) throw new EditRejected(`No track ${trackId}.`);
  const track = doc.tracks[trackIndex];
  assertUnlocked(ctx, track);
  const fps = fpsOf(doc);
  const length = clipLength(clip, ctx.sources);
  let at = Math.max(0, toFrame(start, fps));
  for (;;) {
    const blocker = overlaps(track, at, at + length, null, ctx.sources);
    if (!blocker) break;
    at = clipEnd(blocker, ctx.sources);
  }
  const id = uniqueId(doc, "c");
  const { transition: _t, ...rest } = clip;
  const copy: Clip = { ...structuredCopy(rest), id, start: at, length };
  return { doc: normaliseTracks(replaceTrack(doc, trackIndex, { ...track, clips: [...track.clips, copy] }), [trackIndex], ctx.sources), id };
}

function structuredCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Replaces clip fields (properties panel); `undefined` values remove the key (back to default). */
export function updateClip(doc: TimelineDocument, clipId: string, patch: Partial<Clip>, ctx: EditContext): TimelineDocument {
  const { track, trackIndex, clip } = requireClip(doc, clipId);
  assertUnlocked(ctx, track);
  const updated: Clip = { ...clip, ...patch, id: clip.id };
  for (const key of Object.keys(patch) as (keyof Clip)[]) if (patch[key] === undefined) delete updated[key];
  if (updated.length != null) {
    const blocker = overlaps(track, updated.start, updated.start + updated.length, clipId, ctx.sources);
    if (blocker) throw new EditRejected(`It would overlap clip ${blocker.id}.`);
  }
  return normaliseTracks(replaceTrack(doc, trackIndex, { ...track, clips: track.clips.map((c) => (c.id === clipId ? updated : c)) }), [trackIndex], ctx.sources);
}

/** Puts a transition on the cut before `clipId` (the previous clip must touch it). */
export function setTransition(doc: TimelineDocument, clipId: string, type: TransitionType | null, duration: number, ctx: EditContext): TimelineDocument {
  const { track, trackIndex, clip } = requireClip(doc, clipId);
  assertUnlocked(ctx, track);
  if (type === null) {
    const { transition: _t, ...rest } = clip;
    return replaceTrack(doc, trackIndex, { ...track, clips: track.clips.map((c) => (c.id === clipId ? rest : c)) });
  }
  const sorted = sortClips(track).clips;
  const previous = sorted[sorted.findIndex((c) => c.id === clipId) - 1];
  if (!previous || Math.abs(clipEnd(previous, ctx.sources) - clip.start) > EPS) throw new EditRejected("A transition needs a clip that ends exactly where this one starts.");
  const limit = Math.min(clipLength(previous, ctx.sources), clipLength(clip, ctx.sources));
  const updated: Clip = { ...clip, transition: { type, duration: Math.min(Math.max(duration, 1 / fpsOf(doc)), limit) } };
  return replaceTrack(doc, trackIndex, { ...track, clips: track.clips.map((c) => (c.id === clipId ? updated : c)) });
}

/** Adds a clip (from the library or a new text clip); refuses overlaps. */
export function addClip(doc: TimelineDocument, trackId: string, clip: Omit<Clip, "id">, ctx: EditContext): { doc: TimelineDocument; id: string } {
  const trackIndex = doc.tracks.findIndex((t) => t.id === trackId);
  if (trackIndex < 0) throw new EditRejected(`No track ${trackId}.`);
  const track = doc.tracks[trackIndex];
  assertUnlocked(ctx, track);
  const fps = fpsOf(doc);
  const start = Math.max(0, toFrame(clip.start, fps));
  const length = clipLength({ ...clip, id: "" }, ctx.sources);
  if (length <= 0) throw new EditRejected("The clip has no length (unknown duration).");
  const blocker = overlaps(track, start, start + length, null, ctx.sources);
  if (blocker) throw new EditRejected(`There is already clip ${blocker.id} there.`);
  const id = uniqueId(doc, "c");
  return { doc: replaceTrack(doc, trackIndex, normaliseTrack({ ...track, clips: [...track.clips, { ...clip, id, start, length }] }, ctx.sources)), id };
}

// ----- tracks -----

export function addTrack(doc: TimelineDocument, name?: string): { doc: TimelineDocument; id: string } {
  const id = uniqueId(doc, "t");
  return { doc: { ...doc, tracks: [...doc.tracks, { id, name: name ?? `Track ${doc.tracks.length + 1}`, clips: [] }] }, id };
}

export function removeTrack(doc: TimelineDocument, trackId: string, ctx: EditContext): TimelineDocument {
  const track = doc.tracks.find((t) => t.id === trackId);
  if (!track) throw new EditRejected(`No track ${trackId}.`);
  assertUnlocked(ctx, track);
  return { ...doc, tracks: doc.tracks.filter((t) => t.id !== trackId) };
}

/** Moves a track up (towards the top layer, +1) or down (-1) in the stacking order. */
export function reorderTrack(doc: TimelineDocument, trackId: string, direction: 1 | -1): TimelineDocument {
  const from = doc.tracks.findIndex((t) => t.id === trackId);
  const to = from + direction;
  if (from < 0 || to < 0 || to >= doc.tracks.length) throw new EditRejected("The track cannot move further.");
  const tracks = doc.tracks.slice();
  [tracks[from], tracks[to]] = [tracks[to], tracks[from]];
  return { ...doc, tracks };
}

export function setTrackFlags(doc: TimelineDocument, trackId: string, patch: Partial<Pick<Track, "muted" | "hidden" | "name" | "volume">>): TimelineDocument {
  const index = doc.tracks.findIndex((t) => t.id === trackId);
  if (index < 0) throw new EditRejected(`No track ${trackId}.`);
  const updated: Track = { ...doc.tracks[index], ...patch };
  if (updated.muted === false) delete updated.muted;
  if (updated.hidden === false) delete updated.hidden;
  return replaceTrack(doc, index, updated);
}
