/**
 * Fade lengths (spec: `fadeIn`/`fadeOut` in seconds). Pure like edits.ts: the fade-handle drag
 * previews with `clampFade` and commits once through `setFade`, so a drag is one undo step.
 */
import type { Clip, TimelineDocument } from "../../../types/timeline";
import { EditRejected, updateClip, type EditContext } from "./edits";
import { clipLength, findClip, fpsOf, toFrame } from "./model";

export type FadeEdge = "in" | "out";

/**
 * The fade length the clip may have at `edge`: frame-snapped, at least 0 and, as the server's
 * validation demands, fadeIn + fadeOut never longer than the clip.
 */
export function clampFade(clip: Clip, edge: FadeEdge, seconds: number, fps: number, length: number): number {
  const other = edge === "in" ? clip.fadeOut ?? 0 : clip.fadeIn ?? 0;
  const max = Math.max(0, Math.round((length - other) * 1e6) / 1e6);
  const snapped = toFrame(Math.max(0, seconds), fps);
  return Math.min(snapped, max);
}

/** Sets the clip's fade-in or fade-out (0 removes the key: back to the default). */
export function setFade(doc: TimelineDocument, clipId: string, edge: FadeEdge, seconds: number, ctx: EditContext): TimelineDocument {
  const found = findClip(doc, clipId);
  if (!found) throw new EditRejected(`No clip ${clipId}.`);
  if (!Number.isFinite(seconds)) throw new EditRejected("A fade length must be a number of seconds.");
  const value = clampFade(found.clip, edge, seconds, fpsOf(doc), clipLength(found.clip, ctx.sources));
  const key = edge === "in" ? "fadeIn" : "fadeOut";
  if ((found.clip[key] ?? 0) === value) return doc;
  return updateClip(doc, clipId, { [key]: value > 0 ? value : undefined }, ctx);
}
