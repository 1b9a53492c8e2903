import { API_BASE } from "./api-client";

const base = (assetId: string) => `${API_BASE}/assets/${encodeURIComponent(assetId)}`;

/** URL of GET /assets/{id}/thumbnail (a JPEG), for <img src>. */
export function assetThumbnailUrl(assetId: string): string {
  return `${base(assetId)}/thumbnail`;
}

/** GET /assets/{id}/filmstrip: `count` frames of the whole source side by side (JPEG). */
export function assetFilmstripUrl(assetId: string, height: number, count: number): string {
  return `${base(assetId)}/filmstrip?height=${height}&count=${count}`;
}

/** GET /assets/{id}/waveform: the whole source's sound as a PNG. */
export function assetWaveformUrl(assetId: string, width: number, height: number): string {
  return `${base(assetId)}/waveform?width=${width}&height=${height}`;
}

/** The asset id of an `asset:<id>` source, or null. */
export function assetIdOfSrc(src: string | undefined): string | null {
  return src && src.startsWith("asset:") ? src.slice("asset:".length) : null;
}

/** GET /assets/{id}/content: the uploaded file itself (byte ranges, so <video> can seek). */
export function assetContentUrl(assetId: string): string {
  return `${base(assetId)}/content`;
}
