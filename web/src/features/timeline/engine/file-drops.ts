/**
 * Files dropped from the computer onto the timeline land one after another from the drop
 * point: each placed like a library drop (insert semantics), the next starting where the
 * previous ended, on the same track (the track the first one made, when dropped below the last).
 */
import type { Asset } from "../../../types/api";
import { dropAsset } from "./asset-clips";
import type { EditorEngine } from "./editor-engine";
import { clipEnd, findClip } from "./model";
import type { PlaceTarget } from "./placing";

/** Places one uploaded asset at `target`; returns where the next file of the same drop goes (unchanged if refused). */
export function placeDroppedAsset(engine: EditorEngine, asset: Asset, target: PlaceTarget): PlaceTarget {
  const id = dropAsset(engine, asset, target);
  const placed = id ? findClip(engine.state.doc, id) : null;
  if (!placed) return target;
  return { ...target, trackId: placed.track.id, start: clipEnd(placed.clip, engine.sources) };
}
