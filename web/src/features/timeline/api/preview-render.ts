import { API_BASE, api } from "../../../lib/api-client";
import type { TimelineDocument } from "../../../types/timeline";

interface RenderState {
  id: string;
  status: string;
  progress?: number;
  error?: string | null;
  outputUrl?: string | null;
}

/**
 * A low-resolution render of part of the document (POST /renders with an inline timeline and
 * an output range), followed over SSE; resolves to the video's URL. `onProgress` gets 0..1.
 */
export async function renderPreview(
  doc: TimelineDocument,
  range: { start: number; end: number },
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
): Promise<string> {
  const outW = doc.output.width ?? 1920;
  const outH = doc.output.height ?? 1080;
  const width = 640;
  const height = Math.max(16, Math.round((width * outH) / outW / 2) * 2);
  const output = { ...doc.output, width, height, format: "mp4" as const, range, video: { crf: 30, preset: "ultrafast" } };
  delete (output as { preset?: unknown }).preset;
  // No projectId: previews stay out of the project's render history.
  const created = await api.post<RenderState>("/renders", { timeline: { ...doc, output } }, { signal });
  return new Promise<string>((resolve, reject) => {
    const source = new EventSource(`${API_BASE}/renders/${encodeURIComponent(created.id)}/events`, { withCredentials: true });
    const finish = () => source.close();
    signal.addEventListener("abort", () => {
      finish();
      void api.delete(`/renders/${encodeURIComponent(created.id)}`).catch(() => undefined);
      reject(new DOMException("Preview cancelled", "AbortError"));
    });
    const handle = (name: string) => (event: MessageEvent<string>) => {
      let data: Partial<RenderState> = {};
      try {
        data = JSON.parse(event.data) as Partial<RenderState>;
      } catch {
        // keep going: the event name still says what happened
      }
      if (name === "progress" && data.progress != null) onProgress(data.progress);
      if (name === "completed") {
        finish();
        resolve(data.outputUrl || `${API_BASE}/renders/${encodeURIComponent(created.id)}/output`);
      } else if (name === "failed" || name === "cancelled") {
        finish();
        reject(new Error(data.error ?? `Preview ${name}`));
      }
    };
    for (const name of ["progress", "completed", "failed", "cancelled"]) source.addEventListener(name, handle(name) as EventListener);
  });
}
