import { api } from "../../../lib/api-client";
import type { Project } from "../../../types/api";

/** GET /projects (first 100, newest first as the server orders them). */
export async function listProjects(): Promise<Project[]> {
  const { data } = await api.list<Project>("/projects?limit=100");
  return data ?? [];
}

/** POST /projects {name} */
export function createProject(name: string): Promise<Project> {
  return api.post<Project>("/projects", { name });
}

/** PATCH /projects/{id} {name} */
export function renameProject(id: string, name: string): Promise<Project> {
  return api.patch<Project>(`/projects/${encodeURIComponent(id)}`, { name });
}

/** DELETE /projects/{id} (its media, timelines and renders go with it) */
export function deleteProject(id: string): Promise<unknown> {
  return api.delete<unknown>(`/projects/${encodeURIComponent(id)}`);
}

/** URL of the newest completed render's video, for the dashboard's thumbnail, or null. */
export async function latestRenderUrl(projectId: string): Promise<string | null> {
  const { data } = await api.list<{ id: string; status: string; createdAt?: string; outputUrl?: string | null }>(
    `/renders?projectId=${encodeURIComponent(projectId)}&status=completed&limit=20`,
  );
  const done = (data ?? []).filter((r) => r.status === "completed").sort((a, b) => (b.createdAt ?? "").localeCompare(a.createdAt ?? ""))[0];
  if (!done) return null;
  return done.outputUrl || `/api/v1/renders/${encodeURIComponent(done.id)}/output`;
}
