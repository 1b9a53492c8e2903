import { API_BASE, api, ApiError, errorFromResponse } from "../../../lib/api-client";

export interface BatchCounts {
  queued: number;
  rendering: number;
  completed: number;
  failed: number;
  cancelled: number;
  /** Renders deleted since the batch was queued (with their project): the counts add up to `total`. */
  deleted: number;
}

export interface Batch {
  id: string;
  templateId?: string;
  mixId?: string;
  total: number;
  status: "active" | "finished";
  counts: BatchCounts;
  progress: number;
  createdAt: string;
  finishedAt?: string;
}

const path = (id: string) => `/batches/${encodeURIComponent(id)}`;

export const getBatch = (id: string) => api.get<Batch>(path(id));
export const cancelBatch = (id: string) => api.post<Batch>(`${path(id)}/cancel`);
export const retryBatch = (id: string) => api.post<Batch>(`${path(id)}/retry`);
export const batchEventsUrl = (id: string) => `${API_BASE}${path(id)}/events`;

/** The ZIP of the finished outputs, each named by its row's value in `column` (or `render-<row>`). */
export function batchArchiveUrl(id: string, column: string | null): string {
  return `${API_BASE}${path(id)}/archive${column ? `?name=${encodeURIComponent(column)}` : ""}`;
}

/**
 * POST /templates/{id}/renders with the CSV itself (text/csv), so the server reads it exactly as
 * an API caller's file: empty cells take defaults, numbers are read from cells. A dry run answers
 * `{valid, rows}`; otherwise the queued batch. Problems throw ApiError (422, `/rows/N/FIELD`).
 */
export async function submitCsv(templateId: string, csv: string, dryRun: boolean): Promise<Batch | { valid: true; rows?: number }> {
  let response: Response;
  try {
    response = await fetch(`${API_BASE}/templates/${encodeURIComponent(templateId)}/renders${dryRun ? "?dryRun=true" : ""}`, {
      method: "POST",
      headers: { "Content-Type": "text/csv; charset=utf-8", Accept: "application/json" },
      body: csv,
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "NETWORK_ERROR", "Cannot reach the Cutroom server.");
  }
  const text = await response.text();
  if (!response.ok) throw errorFromResponse(response.status, text, response.statusText, response.headers.get("Retry-After"));
  return (JSON.parse(text) as { data: Batch | { valid: true; rows?: number } }).data;
}
