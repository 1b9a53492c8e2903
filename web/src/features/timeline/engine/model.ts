/**
 * Pure queries on the timeline document (types/timeline.ts). Framework-free: this folder
 * never imports React or the DOM, so node tests exercise it directly.
 */
import type { Clip, TimelineDocument, Track } from "../../../types/timeline";

/** Source durations in seconds keyed by `src` (e.g. "asset:ID"); unknown sources are unbounded. */
export type SourceDurations = Readonly<Record<string, number | null | undefined>>;

export const DEFAULT_FPS = 30;
/** Editor-only state the document does not carry: the lock flag of tracks. */
export type LockedTracks = ReadonlySet<string>;

export function emptyDocument(width = 1920, height = 1080, fps = DEFAULT_FPS): TimelineDocument {
  return { version: 1, output: { width, height, fps }, tracks: [{ id: "v1", name: "Video 1", clips: [] }] };
}

export function fpsOf(doc: TimelineDocument): number {
  const fps = doc.output.fps;
  if (fps === 29.97) return 30000 / 1001;
  if (fps === 23.976) return 24000 / 1001;
  if (fps === 59.94) return 60000 / 1001;
  return fps && fps > 0 ? fps : DEFAULT_FPS;
}

/** Rounds a time to the nearest frame of the document's rate (times stay frame-accurate). */
export function toFrame(seconds: number, fps: number): number {
  const frames = Math.round(seconds * fps);
  // Reduce float noise such as 1.0000000000000002 so documents stay readable.
  return Math.round((frames / fps) * 1e6) / 1e6;
}

export function isTimed(clip: Clip): boolean {
  return clip.asset.type === "video" || clip.asset.type === "audio";
}

/** Length on the timeline; for video/audio without `length`, the rest of the source. */
export function clipLength(clip: Clip, sources: SourceDurations = {}): number {
  if (clip.length != null) return clip.length;
  if (isTimed(clip) && clip.asset.src) {
    const duration = sources[clip.asset.src];
    if (duration != null) return Math.max(0, (duration - (clip.trim ?? 0)) / (clip.speed ?? 1));
  }
  return 0;
}

export function clipEnd(clip: Clip, sources: SourceDurations = {}): number {
  return clip.start + clipLength(clip, sources);
}

export function documentDuration(doc: TimelineDocument, sources: SourceDurations = {}): number {
  let end = 0;
  for (const track of doc.tracks) for (const clip of track.clips) end = Math.max(end, clipEnd(clip, sources));
  return end;
}

export interface ClipLocation {
  trackIndex: number;
  clipIndex: number;
  track: Track;
  clip: Clip;
}

export function findClip(doc: TimelineDocument, clipId: string): ClipLocation | null {
  for (let trackIndex = 0; trackIndex < doc.tracks.length; trackIndex++) {
    const track = doc.tracks[trackIndex];
    const clipIndex = track.clips.findIndex((c) => c.id === clipId);
    if (clipIndex >= 0) return { trackIndex, clipIndex, track, clip: track.clips[clipIndex] };
  }
  return null;
}

/** The clip the JSON Pointer of a validation error points into (/tracks/1/clips/0/...), if any. */
export function clipIdForPointer(doc: TimelineDocument, pointer: string): string | null {
  const match = pointer.match(/^\/tracks\/(\d+)\/clips\/(\d+)/);
  if (!match) return null;
  return doc.tracks[Number(match[1])]?.clips[Number(match[2])]?.id ?? null;
}

/** A fresh id not used by any clip or track of the document. */
export function uniqueId(doc: TimelineDocument, prefix: string): string {
  const used = new Set<string>();
  for (const t of doc.tracks) {
    used.add(t.id);
    for (const c of t.clips) used.add(c.id);
  }
  for (let n = 1; ; n++) {
    const id = `${prefix}${n}`;
    if (!used.has(id)) return id;
  }
}

/** Sorts each track's clips by start (the engine does not need it; people reading JSON do). */
export function sortClips(track: Track): Track {
  const sorted = [...track.clips].sort((a, b) => a.start - b.start);
  return sorted.every((c, i) => c === track.clips[i]) ? track : { ...track, clips: sorted };
}

/** Frame-accurate timecode HH:MM:SS:FF. */
export function timecode(seconds: number, fps: number): string {
  const nominal = Math.round(fps);
  const totalFrames = Math.max(0, Math.round(seconds * fps));
  const frames = totalFrames % nominal;
  const totalSeconds = Math.floor(totalFrames / nominal);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(totalSeconds / 3600))}:${pad(Math.floor(totalSeconds / 60) % 60)}:${pad(totalSeconds % 60)}:${pad(frames)}`;
}

/** The clip of a track at time t (start inclusive, end exclusive). */
export function clipAt(track: Track, t: number, sources: SourceDurations = {}): Clip | null {
  return track.clips.find((c) => c.start <= t + 1e-9 && t < clipEnd(c, sources) - 1e-9) ?? null;
}
