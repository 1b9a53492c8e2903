/** MIME type of an asset dragged from the media library onto the timeline; the data is the asset's JSON. */
export const ASSET_DRAG_TYPE = "application/x-cutroom-asset";
