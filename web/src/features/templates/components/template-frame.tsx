import { useEffect, useState } from "react";
import { API_BASE } from "../../../lib/api-client";
import type { Template } from "../api/templates";
import type { FrameOf } from "./frame-of";

/**
 * A preview frame of the template from the engine: its document (placeholders filled with the
 * defaults from `merge`) at a second in; if the engine refuses it (a required field without a
 * default), the saved timeline's frame it was made from.
 */
export function TemplateFrame({ template, frameOf, width = 320 }: { template: Template; frameOf: FrameOf; width?: number }) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    let made: string | null = null;
    frameOf(template.document, 1, width, controller.signal)
      .then((u) => {
        made = u;
        setUrl(u);
      })
      .catch(() => {
        if (controller.signal.aborted) return;
        if (template.timelineId) setUrl(`${API_BASE}/timelines/${encodeURIComponent(template.timelineId)}/frame?t=1&width=${width}`);
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
