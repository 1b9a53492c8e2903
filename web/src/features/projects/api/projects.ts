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
