import type { Render, RenderStatus } from "../types/api";
import { API_BASE } from "./api-client";

export type RenderEventName = "queued" | "started" | "progress" | "completed" | "failed" | "cancelled";

/** The events of GET /renders/{id}/events, each with the render status it announces. */
export const RENDER_EVENT_STATUS: Readonly<Record<RenderEventName, RenderStatus>> = {
  queued: "queued",
  started: "rendering",
  progress: "rendering",
  completed: "completed",
  failed: "failed",
  cancelled: "cancelled",
};

const TERMINAL_EVENTS: ReadonlySet<string> = new Set<RenderStatus>(["completed", "failed", "cancelled"]);

export interface RenderEventHandlers {
  /**
   * Each event with its payload, the render's snapshot (empty when the payload is not JSON:
   * the event's name still says what happened). Unnamed events arrive as "message".
   */
  onEvent: (name: RenderEventName | "message", payload: Partial<Render>) => void;
  /** The browser stopped reconnecting; until then it resumes by itself with Last-Event-ID. */
  onGiveUp?: () => void;
}

/** GET /renders/{id}/events: the server-sent-events stream of one render. */
export function renderEventsUrl(id: string): string {
  return `${API_BASE}/renders/${encodeURIComponent(id)}/events`;
}

/**
 * Follows one render's events until a terminal one (completed, failed, cancelled), then
 * closes the stream: the server ends it there, and a reconnect would only replay nothing.
 * Returns a function that stops following early.
 */
export function followRenderEvents(id: string, handlers: RenderEventHandlers): () => void {
  const source = new EventSource(renderEventsUrl(id), { withCredentials: true });
  let open = true;
  const close = () => {
    open = false;
    source.close();
  };
  const handle = (name: RenderEventName | "message") => (event: MessageEvent<string>) => {
    if (!open) return;
    let payload: Partial<Render> = {};
    try {
      payload = event.data ? (JSON.parse(event.data) as Partial<Render>) : {};
    } catch {
      // Not JSON: the event's name alone is still worth passing on.
    }
    if (TERMINAL_EVENTS.has(name)) close();
    handlers.onEvent(name, payload);
  };
  for (const name of Object.keys(RENDER_EVENT_STATUS) as RenderEventName[]) source.addEventListener(name, handle(name) as EventListener);
  source.onmessage = handle("message");
  source.onerror = () => {
    // CONNECTING means the browser is retrying with Last-Event-ID by itself; CLOSED means it gave up.
    if (open && source.readyState === EventSource.CLOSED) {
      open = false;
      handlers.onGiveUp?.();
    }
  };
  return close;
}
