/**
 * Timeline document v1 (shared/timeline-spec.md): the one definition of the document the
 * editor engine edits, the API stores and renders, and the components show. Plain data, so
 * the framework-free engine and the node tests can use it too.
 */

export type Easing = "linear" | "easeIn" | "easeOut" | "easeInOut";
export type KeyframeProperty = "opacity" | "scale" | "offset.x" | "offset.y" | "volume";
export type Fit = "cover" | "contain" | "fill" | "none";
export type Anchor = "center" | "top" | "bottom" | "left" | "right" | "topLeft" | "topRight" | "bottomLeft" | "bottomRight";

export const TRANSITION_TYPES = [
  "fade", "fadeblack", "fadewhite", "wipeleft", "wiperight", "wipeup", "wipedown", "slideleft", "slideright",
  "slideup", "slidedown", "circleopen", "circleclose", "radial", "smoothleft", "smoothright", "pixelize", "zoomin",
] as const;
export type TransitionType = (typeof TRANSITION_TYPES)[number];

export const ANCHORS: Anchor[] = ["center", "top", "bottom", "left", "right", "topLeft", "topRight", "bottomLeft", "bottomRight"];
export const FITS: Fit[] = ["cover", "contain", "fill", "none"];
export const EASINGS: Easing[] = ["linear", "easeIn", "easeOut", "easeInOut"];
export const KEYFRAME_PROPERTIES: KeyframeProperty[] = ["opacity", "scale", "offset.x", "offset.y", "volume"];

export interface Font {
  family?: string;
  /** An uploaded font file (`asset:<id>`); wins over `family`. */
  src?: string;
  size?: number;
  weight?: number | string;
  color?: string;
}

export interface ClipAsset {
  type: "video" | "audio" | "image" | "text" | "color" | "captions";
  src?: string;
  text?: string;
  font?: Font;
  align?: "left" | "center" | "right";
  box?: { color?: string; padding?: number };
  outline?: { color?: string; width?: number };
  color?: string;
  audio?: boolean;
}

export type Effect =
  | { type: "blur"; amount: number }
  | { type: "grayscale" }
  | { type: "sepia" }
  | { type: "color"; brightness?: number; contrast?: number; saturation?: number }
  | { type: "kenburns"; from: { scale: number; x: number; y: number }; to: { scale: number; x: number; y: number } }
  | { type: "crop"; x: number; y: number; width: number; height: number }
  | { type: "flip"; horizontal?: boolean; vertical?: boolean }
  | { type: "rotate"; degrees: number }
  | { type: "chromakey"; color: string; similarity?: number; blend?: number };
export type EffectType = Effect["type"];

export interface Keyframes {
  property: KeyframeProperty;
  keys: { t: number; value: number; easing?: Easing }[];
}

export interface Clip {
  id: string;
  asset: ClipAsset;
  start: number;
  length?: number;
  trim?: number;
  speed?: number;
  fit?: Fit;
  scale?: number;
  position?: Anchor;
  offset?: { x: number; y: number };
  opacity?: number;
  volume?: number;
  fadeIn?: number;
  fadeOut?: number;
  transition?: { type: TransitionType; duration: number };
  effects?: Effect[];
  animate?: Keyframes[];
}

export interface Track {
  id: string;
  name?: string;
  muted?: boolean;
  hidden?: boolean;
  volume?: number;
  clips: Clip[];
}

export interface Output {
  width?: number;
  height?: number;
  fps?: number;
  format?: "mp4" | "webm" | "gif" | "jpg" | "png";
  preset?: string;
  range?: { start: number; end: number };
  /** The timeline's own size, which text sizes and other pixel lengths are written for. */
  canvas?: { width: number; height: number };
  [key: string]: unknown;
}

/** The canvas of `output`: its own `canvas`, else its size (1920×1080 by default). */
export function canvasOf(output: Output): { width: number; height: number } {
  return output.canvas ?? { width: output.width ?? 1920, height: output.height ?? 1080 };
}

export interface TimelineDocument {
  version: 1;
  output: Output;
  background?: string;
  tracks: Track[];
  merge?: Record<string, string>;
}
