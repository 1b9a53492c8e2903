/** MIME type of an asset dragged from the media library onto the timeline; the data is the asset's JSON. */
export const ASSET_DRAG_TYPE = "application/x-cutroom-asset";

/** A clip of a mix's group being moved (within its column or to another); the data is the clip's key. */
export const MIX_CLIP_DRAG_TYPE = "application/x-cutroom-mix-clip";
