import { createStore } from "../lib/create-store";

/** Whether the API wants a sign-in; flipped by the api-client's 401 handler. */
export const sessionStore = createStore<{ signInRequired: boolean }>({ signInRequired: false });

/** The project open in the workspace, shared by the sidebar and the workspace. */
export const selectedProjectStore = createStore<string | null>(readInitialProject());

function readInitialProject(): string | null {
  const fromHash = window.location.hash.match(/^#\/projects\/([^/]+)/);
  return fromHash ? decodeURIComponent(fromHash[1]) : null;
}

export function selectProject(id: string | null): void {
  selectedProjectStore.set(id);
  const hash = id ? `#/projects/${encodeURIComponent(id)}` : "";
  if (window.location.hash !== hash) window.history.pushState(null, "", hash || window.location.pathname);
}
