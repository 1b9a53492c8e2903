import { api } from "../../../lib/api-client";
import type { Asset } from "../../../types/api";

/** GET /projects/{id}/assets, every page (limit 100). */
export async function listAssets(projectId: string): Promise<Asset[]> {
  const all: Asset[] = [];
  for (let page = 1; page <= 50; page++) {
    const { data, meta } = await api.list<Asset>(`/projects/${encodeURIComponent(projectId)}/assets?page=${page}&limit=100`);
    all.push(...(data ?? []));
    const totalPages = meta.pagination?.totalPages ?? 1;
    if (page >= totalPages) break;
  }
  return all;
}

/** DELETE /assets/{id}; without `force` an asset clips use answers 409 ASSET_IN_USE naming each use. */
export async function deleteAsset(assetId: string, force = false): Promise<void> {
  await api.delete(`/assets/${encodeURIComponent(assetId)}${force ? "?force=true" : ""}`);
}

/** GET /assets/{id}. */
export const getAsset = (assetId: string) => api.get<Asset>(`/assets/${encodeURIComponent(assetId)}`);
