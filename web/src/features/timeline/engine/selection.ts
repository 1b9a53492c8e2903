/**
 * Multi-clip selection: pure queries and edits on many clips at once (the selection is a list
 * of clip ids, in the order they were picked). Like edits.ts, every edit returns a new
 * document or throws EditRejected with a reason a person can read — no internal ids in it:
 * the user picked clips with the mouse and knows them by track and time.
 */
import type { Clip, TimelineDocument, Track } from "../../../types/timeline";
import { EditRejected, normaliseTrack, overlapReason, splitClip, type EditContext } from "./edits";
import { clipEnd, clipLength, fpsOf, toFrame, uniqueId, type SourceDurations } from "./model";

const EPS = 1e-6;

// ----- selection queries -----

/** Every clip id of the document, bottom track first, each track in time order. */
export function allClipIds(doc: TimelineDocument): string[] {
  return doc.tracks.flatMap((t) => [...t.clips].sort((a, b) => a.start - b.start).map((c) => c.id));
}

/** Adds the clip to the selection or removes it (Shift/Ctrl-click). */
export function toggleInSelection(selected: readonly string[], clipId: string): string[] {
  return selected.includes(clipId) ? selected.filter((id) => id !== clipId) : [...selected, clipId];
}

/** The union of two selections, keeping the first one's order. */
export function unionSelection(a: readonly string[], b: readonly string[]): string[] {
  const seen = new Set(a);
  return [...a, ...b.filter((id) => !seen.has(id))];
}

/** The selection without ids the document no longer has (after undo, delete, a reload). */
export function pruneSelection(doc: TimelineDocument, selected: readonly string[]): readonly string[] {
  const present = new Set(doc.tracks.flatMap((t) => t.clips.map((c) => c.id)));
  return selected.every((id) => present.has(id)) ? selected : selected.filter((id) => present.has(id));
}

/**
 * The clips a marquee touches: on one of `trackIds`, overlapping the time span [t0, t1]
 * (either order; touching an edge counts, so a thin rectangle over a clip catches it).
 */
export function clipsInSpan(doc: TimelineDocument, t0: number, t1: number, trackIds: readonly string[], sources: SourceDurations = {}): string[] {
  const lo = Math.min(t0, t1);
  const hi = Math.max(t0, t1);
  const tracks = new Set(trackIds);
  return doc.tracks
    .filter((t) => tracks.has(t.id))
    .flatMap((t) => t.clips.filter((c) => c.start <= hi + EPS && clipEnd(c, sources) >= lo - EPS).map((c) => c.id));
}

// ----- helpers -----

interface Picked {
  clip: Clip;
  trackIndex: number;
}

function pick(doc: TimelineDocument, ids: readonly string[]): Picked[] {
  const wanted = new Set(ids);
  const picked: Picked[] = [];
  doc.tracks.forEach((track, trackIndex) => track.clips.forEach((clip) => wanted.has(clip.id) && picked.push({ clip, trackIndex })));
  if (picked.length === 0) throw new EditRejected("Select one or more clips first.");
  return picked;
}

function trackName(track: Track, index: number): string {
  return `“${track.name ?? `Track ${index + 1}`}”`;
}

function assertUnlocked(ctx: EditContext, doc: TimelineDocument, index: number): void {
  const track = doc.tracks[index];
  if (ctx.locked?.has(track.id)) throw new EditRejected(`Track ${trackName(track, index)} is locked.`);
}

/** The first clip of `track` not in `ignore` that overlaps [start, end). */
function blockerOn(track: Track, start: number, end: number, ignore: ReadonlySet<string>, sources: SourceDurations): Clip | null {
  return track.clips.find((c) => !ignore.has(c.id) && c.start < end - EPS && clipEnd(c, sources) > start + EPS) ?? null;
}

function normaliseAll(doc: TimelineDocument, indices: Iterable<number>, sources: SourceDurations): TimelineDocument {
  const tracks = doc.tracks.slice();
  for (const i of new Set(indices)) tracks[i] = normaliseTrack(tracks[i], sources);
  return { ...doc, tracks };
}

// ----- edits on many clips -----

/**
 * Moves every selected clip by `dt` seconds and `dTrack` tracks (up: +1), as one edit. The
 * offset is rounded to whole frames; a move before zero is held at zero for the earliest clip
 * so the clips keep their spacing. Refused when a clip would leave the tracks, land on a
 * locked track or overlap a clip that is not moving.
 */
export function moveClips(doc: TimelineDocument, ids: readonly string[], dt: number, dTrack: number, ctx: EditContext): TimelineDocument {
  const picked = pick(doc, ids);
  const fps = fpsOf(doc);
  const earliest = Math.min(...picked.map((p) => p.clip.start));
  const offset = Math.max(toFrame(dt, fps), -earliest);
  const lowest = Math.min(...picked.map((p) => p.trackIndex));
  const highest = Math.max(...picked.map((p) => p.trackIndex));
  if (lowest + dTrack < 0 || highest + dTrack >= doc.tracks.length) {
    throw new EditRejected(`The clips span ${highest - lowest + 1} tracks: there are not enough tracks ${dTrack > 0 ? "above" : "below"} to move them there.`);
  }
  if (Math.abs(offset) < EPS && dTrack === 0) return doc;
  const moving = new Set(picked.map((p) => p.clip.id));
  for (const p of picked) {
    assertUnlocked(ctx, doc, p.trackIndex);
    assertUnlocked(ctx, doc, p.trackIndex + dTrack);
  }
  const tracks = doc.tracks.map((t) => ({ ...t, clips: t.clips.filter((c) => !moving.has(c.id)) }));
  for (const p of picked) {
    const to = p.trackIndex + dTrack;
    const length = clipLength(p.clip, ctx.sources);
    const start = Math.max(0, toFrame(p.clip.start + offset, fps));
    const blocker = blockerOn(doc.tracks[to], start, start + length, moving, ctx.sources);
    if (blocker) {
      throw new EditRejected(overlapReason(doc, to, Math.max(start, blocker.start)));
    }
    tracks[to].clips.push({ ...p.clip, start, length });
  }
  const touched = picked.flatMap((p) => [p.trackIndex, p.trackIndex + dTrack]);
  return normaliseAll({ ...doc, tracks }, touched, ctx.sources);
}

/** Removes the clips and closes their gaps: on each track, later clips move left by the removed lengths before them. */
export function rippleDeleteClips(doc: TimelineDocument, ids: readonly string[], ctx: EditContext): TimelineDocument {
  const picked = pick(doc, ids);
  const fps = fpsOf(doc);
  const removing = new Set(picked.map((p) => p.clip.id));
  const touched = new Set(picked.map((p) => p.trackIndex));
  for (const i of touched) assertUnlocked(ctx, doc, i);
  const tracks = doc.tracks.map((track, i) => {
    if (!touched.has(i)) return track;
    const removed = track.clips.filter((c) => removing.has(c.id));
    const clips = track.clips
      .filter((c) => !removing.has(c.id))
      .map((c) => {
        const shift = removed.filter((r) => r.start < c.start - EPS).reduce((sum, r) => sum + clipLength(r, ctx.sources), 0);
        return shift > 0 ? { ...c, start: Math.max(0, toFrame(c.start - shift, fps)) } : c;
      });
    return { ...track, clips };
  });
  return normaliseAll({ ...doc, tracks }, touched, ctx.sources);
}

/** Splits every selected clip the time `t` falls inside; the others stay. Returns the right parts' ids. */
export function splitClips(doc: TimelineDocument, ids: readonly string[], t: number, ctx: EditContext): { doc: TimelineDocument; rightIds: string[] } {
  const picked = pick(doc, ids);
  const at = toFrame(t, fpsOf(doc));
  const under = picked.filter((p) => p.clip.start < at - EPS && clipEnd(p.clip, ctx.sources) > at + EPS);
  if (under.length === 0) throw new EditRejected("Put the playhead inside a selected clip to split it.");
  let next = doc;
  const rightIds: string[] = [];
  for (const p of under) {
    const result = splitClip(next, p.clip.id, at, ctx);
    next = result.doc;
    rightIds.push(result.rightId);
  }
  return { doc: next, rightIds };
}

// ----- copy and paste -----

/** Copied clips with their times relative to the earliest and their tracks. */
export interface ClipboardItem {
  clip: Clip;
  /** Seconds after the earliest copied clip's start. */
  offset: number;
  trackId: string;
  trackIndex: number;
}

/**
 * Copies the clips (deep copies). A transition is kept only when the clip it fades from is
 * copied too: pasted elsewhere, the cut it belonged to would not exist.
 */
export function copyClips(doc: TimelineDocument, ids: readonly string[], sources: SourceDurations = {}): ClipboardItem[] {
  const picked = pick(doc, ids);
  const copied = new Set(picked.map((p) => p.clip.id));
  const earliest = Math.min(...picked.map((p) => p.clip.start));
  return picked.map(({ clip, trackIndex }) => {
    const track = doc.tracks[trackIndex];
    const previous = track.clips.find((c) => c.id !== clip.id && Math.abs(clipEnd(c, sources) - clip.start) < EPS);
    const copy = JSON.parse(JSON.stringify({ ...clip, length: clipLength(clip, sources) })) as Clip;
    if (copy.transition && !(previous && copied.has(previous.id))) delete copy.transition;
    return { clip: copy, offset: clip.start - earliest, trackId: track.id, trackIndex };
  });
}

/**
 * Pastes copied clips at `start`, keeping their relative times and tracks: each goes to the
 * track it was copied from (by id; by position if that track is gone), shifted by `trackShift`
 * tracks. Where something is in the way, the whole group moves later to the first time it fits.
 */
export function pasteClips(
  doc: TimelineDocument,
  items: readonly ClipboardItem[],
  start: number,
  ctx: EditContext,
  trackShift = 0,
): { doc: TimelineDocument; ids: string[] } {
  if (items.length === 0) throw new EditRejected("Copy clips first.");
  const fps = fpsOf(doc);
  const placed = items.map((item) => {
    const byId = doc.tracks.findIndex((t) => t.id === item.trackId);
    return { item, to: (byId >= 0 ? byId : item.trackIndex) + trackShift, length: clipLength(item.clip, ctx.sources) };
  });
  for (const p of placed) {
    if (p.to < 0 || p.to >= doc.tracks.length) throw new EditRejected("The copied clips need more tracks than there are: add a track first.");
    assertUnlocked(ctx, doc, p.to);
  }
  const none = new Set<string>();
  let at = Math.max(0, toFrame(start, fps));
  // `at` only grows and each blocker is passed for good, so this ends.
  for (let moved = true; moved; ) {
    moved = false;
    for (const p of placed) {
      const from = toFrame(at + p.item.offset, fps);
      const blocker = blockerOn(doc.tracks[p.to], from, from + p.length, none, ctx.sources);
      if (blocker) {
        at = Math.max(at, toFrame(clipEnd(blocker, ctx.sources) - p.item.offset, fps));
        moved = true;
      }
    }
  }
  const tracks = doc.tracks.map((t) => ({ ...t, clips: t.clips.slice() }));
  const ids: string[] = [];
  // New ids are picked as the clips go in, so two pasted clips never share one.
  let next: TimelineDocument = { ...doc, tracks };
  for (const p of placed) {
    const id = uniqueId(next, "c");
    tracks[p.to].clips.push({ ...(JSON.parse(JSON.stringify(p.item.clip)) as Clip), id, start: toFrame(at + p.item.offset, fps), length: p.length });
    next = { ...doc, tracks };
    ids.push(id);
  }
  return { doc: normaliseAll(next, placed.map((p) => p.to), ctx.sources), ids };
}
