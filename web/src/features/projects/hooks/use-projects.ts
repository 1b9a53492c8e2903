import { useCallback, useEffect } from "react";
import { ApiError, errorMessage } from "../../../lib/api-client";
import { createStore, useStore } from "../../../lib/create-store";
import type { Project } from "../../../types/api";
import { createProject, deleteProject, listProjects, renameProject } from "../api/projects";

interface ProjectsState {
  projects: Project[];
  status: "idle" | "loading" | "ready" | "error";
  error: string | null;
}

const projectsStore = createStore<ProjectsState>({ projects: [], status: "idle", error: null });

async function load(): Promise<void> {
  projectsStore.set((s) => ({ ...s, status: s.projects.length ? s.status : "loading", error: null }));
  try {
    const projects = await listProjects();
    projectsStore.set({ projects, status: "ready", error: null });
  } catch (error) {
    const message = error instanceof ApiError && error.status === 401 ? null : errorMessage(error);
    projectsStore.set((s) => ({ ...s, status: "error", error: message }));
  }
}

/** Forgets the list (on sign-out or a change of user): the next dashboard loads the new user's projects. */
export function clearProjects(): void {
  projectsStore.set({ projects: [], status: "idle", error: null });
}

/** The project list, shared by every component that needs it. */
export function useProjects() {
  const state = useStore(projectsStore);

  useEffect(() => {
    if (projectsStore.get().status === "idle") void load();
  }, []);

  const create = useCallback(async (name: string): Promise<Project> => {
    const project = await createProject(name);
    projectsStore.set((s) => ({ ...s, projects: [project, ...s.projects.filter((p) => p.id !== project.id)] }));
    return project;
  }, []);

  const rename = useCallback(async (id: string, name: string) => {
    const project = await renameProject(id, name);
    projectsStore.set((s) => ({ ...s, projects: s.projects.map((p) => (p.id === id ? { ...p, ...project } : p)) }));
  }, []);

  const remove = useCallback(async (id: string) => {
    await deleteProject(id);
    projectsStore.set((s) => ({ ...s, projects: s.projects.filter((p) => p.id !== id) }));
  }, []);

  return { ...state, reload: load, create, rename, remove };
}
