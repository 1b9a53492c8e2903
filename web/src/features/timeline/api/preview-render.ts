import { API_BASE, api } from "../../../lib/api-client";
import { followRenderEvents } from "../../../lib/render-events";
import type { Render } from "../../../types/api";
import { canvasOf, type TimelineDocument } from "../../../types/timeline";

/**
 * A low-resolution render of part of the document (POST /renders with an inline timeline and
 * an output range), followed over its render events; resolves to the video's URL.
 * `onProgress` gets 0..1.
 */
export async function renderPreview(
  doc: TimelineDocument,
  range: { start: number; end: number },
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
): Promise<string> {
  const canvas = canvasOf(doc.output);
  const width = 640;
  const height = Math.max(16, Math.round((width * canvas.height) / canvas.width / 2) * 2);
  // `canvas` keeps text, padding and outlines at the timeline's own proportions.
  const output = { ...doc.output, width, height, canvas, format: "mp4" as const, range, video: { crf: 30, preset: "ultrafast" } };
  delete (output as { preset?: unknown }).preset;
  // No projectId: previews stay out of the project's render history.
  const created = await api.post<Render>("/renders", { timeline: { ...doc, output } }, { signal });
  return new Promise<string>((resolve, reject) => {
    const unfollow = followRenderEvents(created.id, {
      onEvent: (name, data) => {
        if (name === "progress" && data.progress != null) onProgress(data.progress);
        if (name === "completed") resolve(data.outputUrl || `${API_BASE}/renders/${encodeURIComponent(created.id)}/output`);
        else if (name === "failed" || name === "cancelled") reject(new Error(typeof data.error === "string" ? data.error : `Preview ${name}`));
      },
    });
    signal.addEventListener("abort", () => {
      unfollow();
      void api.delete(`/renders/${encodeURIComponent(created.id)}`).catch(() => undefined);
      reject(new DOMException("Preview cancelled", "AbortError"));
    });
  });
}
