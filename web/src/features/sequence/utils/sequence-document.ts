import type { Asset, TimelineClip, TimelineDocument } from "../../../types/api";

/** One entry in the sequence; `key` is stable across reorders. */
export interface SequenceItem {
  key: string;
  asset: Asset;
}

export interface SequenceTracks {
  main: SequenceItem[];
  audio: SequenceItem[];
}

export interface OutputSettings {
  width: number;
  height: number;
  fps: number;
}

export interface OutputPreset extends OutputSettings {
  id: string;
  label: string;
}

export const OUTPUT_PRESETS: OutputPreset[] = [
  { id: "1080p", label: "1080p · 1920×1080", width: 1920, height: 1080, fps: 30 },
  { id: "720p", label: "720p · 1280×720", width: 1280, height: 720, fps: 30 },
  { id: "vertical", label: "Vertical · 1080×1920", width: 1080, height: 1920, fps: 30 },
  { id: "square", label: "Square · 1080×1080", width: 1080, height: 1080, fps: 30 },
];

/** Stills have no duration of their own. */
export const IMAGE_CLIP_MS = 5000;

export const MAIN_TRACK_ID = "main";
export const AUDIO_TRACK_ID = "audio";

/** Which track an asset goes on, or null when it cannot be placed in this simple sequence. */
export function trackFor(asset: Asset): keyof SequenceTracks | null {
  if (asset.kind === "video" || asset.kind === "image") return "main";
  if (asset.kind === "audio") return "audio";
  return null;
}

/**
 * Clip length in whole milliseconds. Rounded down so trim + length never runs past the
 * end of the source (a validation error), and kept integral so positions don't drift.
 */
export function clipLengthMs(asset: Asset): number | null {
  if (asset.kind === "image") return IMAGE_CLIP_MS;
  if (asset.duration == null || !Number.isFinite(asset.duration) || asset.duration <= 0) return null;
  return Math.floor(asset.duration * 1000);
}

export interface PlacedClip {
  item: SequenceItem;
  startMs: number;
  lengthMs: number;
}

/** Back-to-back positions of the items of one track, from 0. */
export function placeClips(items: SequenceItem[]): PlacedClip[] {
  let cursor = 0;
  const placed: PlacedClip[] = [];
  for (const item of items) {
    const lengthMs = clipLengthMs(item.asset);
    if (lengthMs == null) continue;
    placed.push({ item, startMs: cursor, lengthMs });
    cursor += lengthMs;
  }
  return placed;
}

export function totalDurationMs(tracks: SequenceTracks): number {
  const end = (items: SequenceItem[]) => placeClips(items).reduce((acc, c) => Math.max(acc, c.startMs + c.lengthMs), 0);
  return Math.max(end(tracks.main), end(tracks.audio));
}

export interface BuiltDocument {
  document: TimelineDocument;
  /** JSON Pointer of each clip → a human label, to make validation errors readable. */
  clipLabels: Map<string, string>;
}

/** Timeline document v1: track "main" with video/image clips back to back, track "audio" with audio clips from 0. */
export function buildDocument(tracks: SequenceTracks, output: OutputSettings): BuiltDocument {
  const clipLabels = new Map<string, string>();
  const documentTracks: TimelineDocument["tracks"] = [];
  const addTrack = (id: string, name: string, items: SequenceItem[], prefix: string) => {
    const trackIndex = documentTracks.length;
    const clips: TimelineClip[] = placeClips(items).map((placed, index) => {
      clipLabels.set(`/tracks/${trackIndex}/clips/${index}`, `${name} clip ${index + 1} “${placed.item.asset.name}”`);
      return {
        id: `${prefix}${index + 1}`,
        asset: { type: placed.item.asset.kind, src: `asset:${placed.item.asset.id}` },
        start: placed.startMs / 1000,
        length: placed.lengthMs / 1000,
      };
    });
    documentTracks.push({ id, name, clips });
  };
  addTrack(MAIN_TRACK_ID, "Main", tracks.main, "clip-");
  if (tracks.audio.length > 0) addTrack(AUDIO_TRACK_ID, "Audio", tracks.audio, "audio-");
  return {
    document: { version: 1, output: { width: output.width, height: output.height, fps: output.fps }, tracks: documentTracks },
    clipLabels,
  };
}

/** Turns a JSON Pointer from a validation error into "Main clip 2 “intro.mp4” › length". */
export function describePointer(pointer: string, clipLabels: Map<string, string>): string {
  const match = pointer.match(/^(\/tracks\/\d+\/clips\/\d+)(\/.*)?$/);
  if (match) {
    const label = clipLabels.get(match[1]);
    if (label) return match[2] ? `${label} › ${match[2].slice(1).replace(/\//g, " › ")}` : label;
  }
  const trimmed = pointer.replace(/^\//, "").replace(/\//g, " › ");
  return trimmed ? trimmed.charAt(0).toUpperCase() + trimmed.slice(1) : "Timeline";
}

let keyCounter = 0;
export function newItemKey(): string {
  keyCounter += 1;
  return `item-${Date.now().toString(36)}-${keyCounter}`;
}

/**
 * Reads back a document this editor wrote. Returns null when it holds anything the simple
 * sequence can't show (so the caller starts a new timeline instead of silently dropping clips).
 */
export function tracksFromDocument(document: TimelineDocument, assets: Asset[]): { tracks: SequenceTracks; output: OutputSettings } | null {
  const byId = new Map(assets.map((a) => [a.id, a]));
  const tracks: SequenceTracks = { main: [], audio: [] };
  for (const track of document.tracks ?? []) {
    if (track.id !== MAIN_TRACK_ID && track.id !== AUDIO_TRACK_ID) return null;
    const clips = [...(track.clips ?? [])].sort((a, b) => a.start - b.start);
    for (const clip of clips) {
      const src = typeof clip.asset?.src === "string" ? clip.asset.src : "";
      const asset = src.startsWith("asset:") ? byId.get(src.slice("asset:".length)) : undefined;
      if (!asset || asset.kind !== clip.asset.type) return null;
      const target = trackFor(asset);
      if (target !== (track.id === MAIN_TRACK_ID ? "main" : "audio")) return null;
      tracks[target].push({ key: newItemKey(), asset });
    }
  }
  const out = document.output ?? {};
  const preset = typeof out.preset === "string" ? OUTPUT_PRESETS.find((p) => p.id === out.preset) : undefined;
  const output: OutputSettings = {
    width: typeof out.width === "number" ? out.width : preset?.width ?? 1920,
    height: typeof out.height === "number" ? out.height : preset?.height ?? 1080,
    fps: typeof out.fps === "number" ? out.fps : preset?.fps ?? 30,
  };
  return { tracks, output };
}

/** Moves an element; out-of-range targets are clamped. */
export function moveItem<T>(list: T[], from: number, to: number): T[] {
  if (from < 0 || from >= list.length) return list;
  const target = Math.max(0, Math.min(list.length - 1, to));
  if (target === from) return list;
  const next = list.slice();
  const [moved] = next.splice(from, 1);
  next.splice(target, 0, moved);
  return next;
}
