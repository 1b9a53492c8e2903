import { API_BASE } from "./api-client";

/** URL of GET /assets/{id}/thumbnail (a JPEG), for <img src>. */
export function assetThumbnailUrl(assetId: string): string {
  return `${API_BASE}/assets/${encodeURIComponent(assetId)}/thumbnail`;
}
