import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, errorMessage } from "../../../lib/api-client";
import { followRenderEvents, RENDER_EVENT_STATUS } from "../../../lib/render-events";
import type { Render, RenderStatus } from "../../../types/api";
import { cancelRender, createRender, getRender, TERMINAL_STATUSES, type RenderRequest } from "../api/renders";

/**
 * Follows one render live over its server-sent events (lib/render-events), merging each
 * event's payload into the render. If the stream gives up, polls instead.
 */
export function useRenderJob(onFinished: (render: Render) => void) {
  const [render, setRender] = useState<Render | null>(null);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const unfollowRef = useRef<(() => void) | null>(null);
  const pollRef = useRef<number | null>(null);
  const finishedRef = useRef(onFinished);
  finishedRef.current = onFinished;

  const stop = useCallback(() => {
    unfollowRef.current?.();
    unfollowRef.current = null;
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
    (update: Partial<Render>, eventStatus?: RenderStatus) => {
      const previous = renderRef.current;
      if (!previous) return;
      const status = (update.status as RenderStatus | undefined) ?? eventStatus ?? previous.status;
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
      unfollowRef.current = followRenderEvents(initial.id, {
        onEvent: (name, payload) => apply(payload, name === "message" ? undefined : RENDER_EVENT_STATUS[name]),
        onGiveUp: () => {
          unfollowRef.current = null;
          poll(initial.id);
        },
      });
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
