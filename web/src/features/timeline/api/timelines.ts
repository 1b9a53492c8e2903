import { API_BASE, api, ApiError, errorFromResponse } from "../../../lib/api-client";
import type { Timeline } from "../../../types/api";
import type { TimelineDocument } from "../../../types/timeline";

/** GET /projects/{id}/timelines */
export async function listTimelines(projectId: string): Promise<Timeline[]> {
  const { data } = await api.list<Timeline>(`/projects/${encodeURIComponent(projectId)}/timelines?limit=100`);
  return data ?? [];
}

/** GET /timelines/{id} */
export function getTimeline(id: string): Promise<Timeline> {
  return api.get<Timeline>(`/timelines/${encodeURIComponent(id)}`);
}

/** POST /projects/{id}/timelines {name, document} */
export function createTimeline(projectId: string, name: string, document: TimelineDocument): Promise<Timeline> {
  return api.post<Timeline>(`/projects/${encodeURIComponent(projectId)}/timelines`, { name, document });
}

/** PUT /timelines/{id} {name, document} with If-Match: <version>; a stale version answers 409. */
export function updateTimeline(id: string, version: Timeline["version"], name: string, document: TimelineDocument): Promise<Timeline> {
  return api.put<Timeline>(`/timelines/${encodeURIComponent(id)}`, { name, document }, { headers: { "If-Match": String(version) } });
}

/** POST /timelines/validate: resolves to [] when valid, else every problem with its JSON Pointer. */
export async function validateTimeline(document: TimelineDocument, signal?: AbortSignal): Promise<ApiError["details"]> {
  try {
    await api.post<unknown>("/timelines/validate", document, { signal });
    return [];
  } catch (error) {
    if (error instanceof ApiError && error.status === 422) return error.details.length ? error.details : [{ message: error.message }];
    throw error;
  }
}

/**
 * POST /timelines/frame {document, t, width}: the engine's picture of an unsaved document
 * at time t, as an object URL (the caller revokes it). Rejects with ApiError (404/405 when
 * the server does not offer the endpoint).
 */
export async function renderFrame(document: TimelineDocument, t: number, width: number, signal: AbortSignal): Promise<string> {
  const response = await fetch(`${API_BASE}/timelines/frame`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "image/jpeg" },
    body: JSON.stringify({ document, t, width }),
    credentials: "same-origin",
    signal,
  });
  if (!response.ok) throw errorFromResponse(response.status, await response.text(), response.statusText);
  return URL.createObjectURL(await response.blob());
}
