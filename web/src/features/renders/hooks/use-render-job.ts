import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, errorMessage } from "../../../lib/api-client";
import type { Render, RenderStatus } from "../../../types/api";
import { cancelRender, createRender, getRender, renderEventsUrl, TERMINAL_STATUSES, type RenderRequest } from "../api/renders";

const EVENT_STATUS: Record<string, RenderStatus> = {
  queued: "queued",
  started: "rendering",
  progress: "rendering",
  completed: "completed",
  failed: "failed",
  cancelled: "cancelled",
};

/**
 * Follows one render live: an EventSource on /renders/{id}/events, merging each event's
 * payload into the render; closed on a terminal event. If the stream gives up, polls instead.
 */
export function useRenderJob(onFinished: (render: Render) => void) {
  const [render, setRender] = useState<Render | null>(null);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const sourceRef = useRef<EventSource | null>(null);
  const pollRef = useRef<number | null>(null);
  const finishedRef = useRef(onFinished);
  finishedRef.current = onFinished;

  const stop = useCallback(() => {
    sourceRef.current?.close();
    sourceRef.current = null;
    if (pollRef.current != null) window.clearTimeout(pollRef.current);
    pollRef.current = null;
  }, []);

  useEffect(() => stop, [stop]);

  // The latest render, readable from event handlers without stale closures.
  const renderRef = useRef<Render | null>(null);
  const publish = useCallback((next: Render | null) => {
    renderRef.current = next;
    setRender(next);
  }, []);

  const apply = useCallback(
    (update: Partial<Render>, eventName?: string) => {
      const previous = renderRef.current;
      if (!previous) return;
      const status = (update.status as RenderStatus | undefined) ?? (eventName ? EVENT_STATUS[eventName] : undefined) ?? previous.status;
      const next: Render = { ...previous, ...update, id: previous.id, status };
      if (status === "completed") next.progress = 1;
      publish(next);
      if (TERMINAL_STATUSES.has(status) && !TERMINAL_STATUSES.has(previous.status)) {
        stop();
        finishedRef.current(next);
      }
    },
    [publish, stop],
  );

  const poll = useCallback(
    (id: string) => {
      pollRef.current = window.setTimeout(async () => {
        try {
          const fresh = await getRender(id);
          apply(fresh);
          if (TERMINAL_STATUSES.has(fresh.status)) return;
        } catch {
          // Keep trying: a restart of the server re-queues the job.
        }
        poll(id);
      }, 1000);
    },
    [apply],
  );

  const follow = useCallback(
    (initial: Render) => {
      stop();
      publish(initial.status === "completed" ? { ...initial, progress: 1 } : initial);
      if (TERMINAL_STATUSES.has(initial.status)) return;
      const source = new EventSource(renderEventsUrl(initial.id), { withCredentials: true });
      sourceRef.current = source;
      const handle = (name: string) => (event: MessageEvent<string>) => {
        let payload: Partial<Render> = {};
        try {
          payload = event.data ? (JSON.parse(event.data) as Partial<Render>) : {};
        } catch {
          // A payload that is not JSON still tells us the state changed.
        }
        apply(payload, name);
      };
      for (const name of Object.keys(EVENT_STATUS)) source.addEventListener(name, handle(name) as EventListener);
      source.onmessage = handle("message");
      source.onerror = () => {
        // CONNECTING means the browser is retrying with Last-Event-ID by itself; CLOSED means it gave up.
        if (source.readyState === EventSource.CLOSED && sourceRef.current === source) {
          sourceRef.current = null;
          poll(initial.id);
        }
      };
    },
    [apply, poll, publish, stop],
  );

  /** Builds the request via `prepare` (which saves the timeline first), then POST /renders and follow it. */
  const start = useCallback(
    async (prepare: () => Promise<RenderRequest>) => {
      setStarting(true);
      setStartError(null);
      try {
        const created = await createRender(await prepare());
        follow({ ...created, progress: created.progress ?? 0 });
        return created;
      } catch (error) {
        // A refused request (422) carries the server's reasons: show them, not just "invalid".
        const details = error instanceof ApiError && error.details.length ? `: ${error.details.map((d) => (d.path ? `${d.path} ${d.message}` : d.message)).join("; ")}` : "";
        setStartError(errorMessage(error) + details);
        return null;
      } finally {
        setStarting(false);
      }
    },
    [follow],
  );

  const cancel = useCallback(async () => {
    if (!render) return;
    try {
      await cancelRender(render.id);
      apply({ status: "cancelled" });
    } catch (error) {
      setStartError(errorMessage(error));
    }
  }, [render, apply]);

  return { render, starting, startError, start, cancel, show: follow };
}
