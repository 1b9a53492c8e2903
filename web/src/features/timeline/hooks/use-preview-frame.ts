import { useEffect, useRef, useState } from "react";
import { ApiError } from "../../../lib/api-client";
import type { TimelineDocument } from "../../../types/timeline";
import { renderFrame } from "../api/timelines";

export interface PreviewFrame {
  url: string | null;
  /** The engine does not offer POST /timelines/frame (older server): the view falls back. */
  unsupported: boolean;
  loading: boolean;
  error: string | null;
  /** Milliseconds of the last request, measured in the browser. */
  latencyMs: number | null;
  /** The time the shown image belongs to. */
  shownAt: number | null;
}

/**
 * The engine's frame of the (unsaved) document at t. Requests are debounced while
 * scrubbing and a newer request aborts the older one, so only the latest frame arrives.
 * While playing, the next request starts as soon as the previous image arrived.
 */
export function usePreviewFrame(doc: TimelineDocument, t: number, width: number, delayMs: number, enabled: boolean): PreviewFrame {
  const [frame, setFrame] = useState<PreviewFrame>({ url: null, unsupported: false, loading: false, error: null, latencyMs: null, shownAt: null });
  const urlRef = useRef<string | null>(null);
  const unsupportedRef = useRef(false);

  useEffect(() => () => {
    if (urlRef.current) URL.revokeObjectURL(urlRef.current);
  }, []);

  useEffect(() => {
    if (!enabled || unsupportedRef.current || doc.tracks.every((tr) => tr.clips.length === 0)) return;
    const controller = new AbortController();
    const timer = window.setTimeout(async () => {
      setFrame((f) => ({ ...f, loading: true }));
      const started = performance.now();
      try {
        const url = await renderFrame(doc, t, width, controller.signal);
        if (controller.signal.aborted) {
          URL.revokeObjectURL(url);
          return;
        }
        if (urlRef.current) URL.revokeObjectURL(urlRef.current);
        urlRef.current = url;
        setFrame({ url, unsupported: false, loading: false, error: null, latencyMs: Math.round(performance.now() - started), shownAt: t });
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && (error.status === 404 || error.status === 405)) {
          unsupportedRef.current = true;
          setFrame((f) => ({ ...f, unsupported: true, loading: false }));
        } else {
          setFrame((f) => ({ ...f, loading: false, error: error instanceof Error ? error.message : String(error) }));
        }
      }
    }, delayMs);
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [doc, t, width, delayMs, enabled]);

  return frame;
}
