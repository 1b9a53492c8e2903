/**
 * New clips made from library assets: the whole duration (images 5 s, captions up to their last
 * cue), placed at the playhead or where dropped. Framework-free like the rest of the engine.
 */
import type { Asset } from "../../../types/api";
import type { Clip } from "../../../types/timeline";
import type { EditorEngine } from "./editor-engine";
import { EditRejected } from "./edits";
import type { PlaceTarget } from "./placing";

/** The clip an asset becomes (start 0), or a reason it cannot be one. */
export function clipForAsset(asset: Asset): Omit<Clip, "id"> | string {
  if (asset.kind === "font") return `${asset.name}: a font is used from a text clip's Font file, not placed on the timeline.`;
  const type = asset.kind;
  const length = type === "image" ? 5 : type === "captions" ? Math.max(1, asset.duration ?? 10) : asset.duration ?? 0;
  return { asset: { type, src: `asset:${asset.id}` }, start: 0, length };
}

/** Records a refused edit: nothing changes, the reason shows as the editor's notice. */
export function refuse(engine: EditorEngine, reason: string): null {
  engine.run("Add clip", () => {
    throw new EditRejected(reason);
  });
  return null;
}

/** "Add at the playhead": the first track free there, else a new track. */
export function addAssetAtPlayhead(engine: EditorEngine, asset: Asset): string | null {
  const clip = clipForAsset(asset);
  if (typeof clip === "string") return refuse(engine, clip);
  const { start: _s, ...rest } = clip;
  return engine.addAtPlayhead(rest);
}

/** A drop from the library onto a track (or below the last one: `trackId` null makes a track). */
export function dropAsset(engine: EditorEngine, asset: Asset, target: PlaceTarget): string | null {
  const clip = clipForAsset(asset);
  if (typeof clip === "string") return refuse(engine, clip);
  return engine.placeClip({ ...clip, start: target.start }, target);
}
