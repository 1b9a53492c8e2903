import { api } from "../../../lib/api-client";
import type { Timeline, TimelineDocument } from "../../../types/api";

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
