import { api } from "../../../lib/api-client";
import type { TimelineDocument } from "../../../types/timeline";
import type { Batch } from "../../batches/api/batches";

/** A clip of a group: `asset:<id>` alone, or with an in-point, a length and a label. */
export type MixClip = string | { src: string; trim?: number; length?: number; label?: string };

export interface MixGroup {
  name: string;
  clips: MixClip[];
  pick?: number;
  optional?: boolean;
  maxLength?: number;
}

/** The text layer: `text` or `texts` (used in turn), plus text asset and clip members kept as sent. */
export interface MixText {
  text?: string;
  texts?: string[];
  [member: string]: unknown;
}

export type MixCount = number | "all";

export interface Mix {
  id: string;
  name: string;
  groups?: MixGroup[];
  order?: string[];
  text?: MixText;
  output?: Record<string, unknown>;
  count?: MixCount;
  cap?: number;
  /** Distinct variants the mix can make; absent when an asset it names has been deleted. */
  combinations?: number | null;
  createdAt: string;
  updatedAt: string;
}

/** What POST/PATCH take: the spec members (`null` removes one on PATCH). */
export type MixBody = Record<string, unknown>;

export interface PlannedClip {
  group: string;
  src: string;
  label: string;
  start: number;
  trim: number;
  length: number;
}

export interface PlannedVariant {
  index: number;
  clips: PlannedClip[];
  duration: number;
  text?: string | null;
  document: TimelineDocument;
}

export interface MixPlan {
  mixId: string;
  seed: number;
  combinations: number;
  count: number;
  variants: PlannedVariant[];
}

const path = (id: string) => `/mixes/${encodeURIComponent(id)}`;

/** GET /mixes (the caller's, most recently edited first). */
export async function listMixes(): Promise<Mix[]> {
  const { data } = await api.list<Mix>("/mixes?limit=100");
  return data ?? [];
}

export const getMix = (id: string) => api.get<Mix>(path(id));
export const createMix = (body: MixBody) => api.post<Mix>("/mixes", body);
export const updateMix = (id: string, body: MixBody) => api.patch<Mix>(path(id), body);
export const deleteMix = (id: string) => api.delete(path(id));

/** POST /mixes/{id}/variants as a dry run: the planned variants of the saved mix (its own count). */
export const planVariants = (id: string, seed: number, signal?: AbortSignal) =>
  api.post<MixPlan>(`${path(id)}/variants`, { seed, dryRun: true }, { signal });

/** POST /mixes/{id}/variants {dryRun: false}: the same variants queued as one batch (202). */
export const renderVariants = (id: string, seed: number) => api.post<Batch>(`${path(id)}/variants`, { seed, dryRun: false });
