import { ProgressBar } from "../../../components/progress-bar";
import { StatusBadge } from "../../../components/status-badge";
import { formatEta } from "../../../lib/format";
import type { Render } from "../../../types/api";
import { renderErrorText } from "../api/renders";

interface RenderProgressProps {
  render: Render;
  onCancel: () => void;
}

/** Live state of one render: status, percentage, fps, ETA. */
export function RenderProgress({ render, onCancel }: RenderProgressProps) {
  const percent = Math.round(Math.max(0, Math.min(1, render.progress ?? 0)) * 100);
  const active = render.status === "queued" || render.status === "rendering";
  const tone = render.status === "completed" ? "success" : render.status === "failed" ? "error" : render.status === "cancelled" ? "muted" : "accent";
  const error = renderErrorText(render);

  let detail: string;
  if (render.status === "queued") {
    detail = render.queuePosition != null && render.queuePosition > 0 ? `Waiting in queue · position ${render.queuePosition}` : "Waiting to start…";
  } else if (render.status === "rendering") {
    const parts = [render.stage ? String(render.stage) : null];
    if (render.frame != null && render.totalFrames) parts.push(`frame ${render.frame} / ${render.totalFrames}`);
    detail = parts.filter(Boolean).join(" · ") || "Rendering…";
  } else if (render.status === "completed") {
    detail = "Done";
  } else if (render.status === "failed") {
    detail = error ?? "Render failed";
  } else {
    detail = "Cancelled";
  }

  return (
    <div className="render-progress" data-testid="render-progress-block" data-status={render.status}>
      <div className="render-progress__top">
        <StatusBadge status={render.status} />
        <span className="render-progress__percent" data-testid="render-percent">{percent}%</span>
      </div>
      <ProgressBar value={render.progress ?? 0} label="Render progress" tone={tone} size="large" testId="render-progress" />
      <div className="render-progress__stats">
        <span className={render.status === "failed" ? "field-error" : "muted"} data-testid="render-detail">{detail}</span>
        {render.status === "rendering" && (
          <span className="render-progress__numbers">
            <span>{render.fps != null ? `${render.fps.toFixed(1)} fps` : "— fps"}</span>
            <span>ETA {formatEta(render.etaSeconds)}</span>
          </span>
        )}
        {active && (
          <button type="button" className="button button--ghost button--small" onClick={onCancel} data-testid="render-cancel">
            Cancel
          </button>
        )}
      </div>
    </div>
  );
}
