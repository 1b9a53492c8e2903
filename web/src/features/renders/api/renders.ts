import { API_BASE, api } from "../../../lib/api-client";
import type { Render } from "../../../types/api";
import type { TimelineDocument } from "../../../types/timeline";

/** What POST /renders takes: a saved timeline, or an inline document (with changed output settings). */
export type RenderRequest = { timelineId: string } | { timeline: TimelineDocument; projectId: string };

/** POST /renders → 202 with the queued render. */
export function createRender(request: RenderRequest): Promise<Render> {
  return api.post<Render>("/renders", request);
}

/** GET /renders?projectId= */
export async function listRenders(projectId: string): Promise<Render[]> {
  const { data } = await api.list<Render>(`/renders?projectId=${encodeURIComponent(projectId)}&limit=50`);
  return data ?? [];
}

/** GET /renders/{id} */
export function getRender(id: string): Promise<Render> {
  return api.get<Render>(`/renders/${encodeURIComponent(id)}`);
}

/** DELETE /renders/{id} (cancel) */
export function cancelRender(id: string): Promise<unknown> {
  return api.delete<unknown>(`/renders/${encodeURIComponent(id)}`);
}

/** GET /renders/{id}/output, used when a render object carries no outputUrl. */
export function renderOutputUrl(render: Pick<Render, "id" | "outputUrl">): string {
  return render.outputUrl || `${API_BASE}/renders/${encodeURIComponent(render.id)}/output`;
}

export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(["completed", "failed", "cancelled"]);

/** The error of a render as text (the server may send a string or an object). */
export function renderErrorText(render: Pick<Render, "error">): string | null {
  if (!render.error) return null;
  if (typeof render.error === "string") return render.error;
  return render.error.message ?? render.error.code ?? "Render failed";
}
