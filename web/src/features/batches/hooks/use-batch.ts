import { useCallback, useEffect, useState } from "react";
import { errorMessage } from "../../../lib/api-client";
import { batchEventsUrl, getBatch, type Batch } from "../api/batches";

export interface RenderLine {
  id: string;
  status: string;
  progress: number;
}

/**
 * A batch, live: GET /batches/{id}, then its events (SSE) until the `batch` event that says it
 * finished. `batch` events carry the counts; render events update a line per render. `follow`
 * again (after a retry) reopens the stream, which the server had ended.
 */
export function useBatch(id: string) {
  const [batch, setBatch] = useState<Batch | null>(null);
  const [renders, setRenders] = useState<Map<string, RenderLine>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let open = true;
    getBatch(id).then((b) => open && setBatch(b), (e) => open && setError(errorMessage(e)));
    const source = new EventSource(batchEventsUrl(id), { withCredentials: true });
    source.addEventListener("batch", (event) => {
      const next = JSON.parse((event as MessageEvent<string>).data) as Batch;
      setBatch(next);
      // The server ends the stream after a finished batch; closing keeps the browser from reconnecting.
      if (next.status === "finished") source.close();
    });
    for (const name of ["queued", "started", "progress", "completed", "failed", "cancelled"]) {
      source.addEventListener(name, (event) => {
        try {
          const r = JSON.parse((event as MessageEvent<string>).data) as RenderLine;
          setRenders((m) => new Map(m).set(r.id, { id: r.id, status: r.status, progress: r.progress ?? 0 }));
        } catch {
          // A payload that is not JSON says nothing about which render.
        }
      });
    }
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED && open) setError("Lost the live progress; reload to see the latest.");
    };
    return () => {
      open = false;
      source.close();
    };
  }, [id, generation]);

  const follow = useCallback((b?: Batch) => {
    if (b) setBatch(b);
    setGeneration((g) => g + 1);
  }, []);

  return { batch, renders, error, follow };
}
