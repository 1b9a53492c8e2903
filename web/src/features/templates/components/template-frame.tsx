import { useEffect, useState } from "react";
import { API_BASE } from "../../../lib/api-client";
import type { Template } from "../api/templates";
import type { FrameOf } from "./frame-of";

/** Half-way into the first second, or into the document when it is shorter (a frame past the end is black). */
function previewTime(template: Template): number {
  const ends = template.document.tracks.flatMap((t) => t.clips.map((c) => (typeof c.start === "number" ? c.start : 0) + (typeof c.length === "number" ? c.length : 0)));
  return Math.min(1, Math.max(0, ...ends) / 2);
}

/**
 * A preview frame of the template from the engine: its document (placeholders filled with the
 * defaults from `merge`) near its start; if the engine refuses it (a required field without a
 * default), the saved timeline's frame it was made from.
 */
export function TemplateFrame({ template, frameOf, width = 320 }: { template: Template; frameOf: FrameOf; width?: number }) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    let made: string | null = null;
    const t = previewTime(template);
    frameOf(template.document, t, width, controller.signal)
      .then((u) => {
        made = u;
        setUrl(u);
      })
      .catch(() => {
        if (controller.signal.aborted) return;
        if (template.timelineId) setUrl(`${API_BASE}/timelines/${encodeURIComponent(template.timelineId)}/frame?t=${t}&width=${width}`);
        else setFailed(true);
      });
    return () => {
      controller.abort();
      if (made) URL.revokeObjectURL(made);
    };
  }, [template, frameOf, width]);

  if (failed || !url) return <div className="project-card__placeholder" aria-busy={!failed}>{failed ? "No preview" : ""}</div>;
  return <img className="template-frame" src={url} alt={`First frame of ${template.name}`} onError={() => setFailed(true)} data-testid="template-frame" />;
}
