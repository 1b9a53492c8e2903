import { useCallback } from "react";
import { DownloadIcon, RenderIcon } from "../../../components/icons";
import { Panel } from "../../../components/panel";
import { notify } from "../../../stores/notifications-store";
import type { Render } from "../../../types/api";
import { renderErrorText, renderOutputUrl } from "../api/renders";
import { useRenderHistory } from "../hooks/use-render-history";
import { useRenderJob } from "../hooks/use-render-job";
import { RenderHistory } from "./render-history";
import { RenderProgress } from "./render-progress";

interface RenderPanelProps {
  projectId: string;
  /** Saves the sequence if needed and resolves to its timeline id. */
  prepare: () => Promise<string>;
  disabledReason: string | null;
}

/** Render button, live progress over SSE, the finished video and the project's render history. */
export function RenderPanel({ projectId, prepare, disabledReason }: RenderPanelProps) {
  const history = useRenderHistory(projectId);
  const onFinished = useCallback(
    (render: Render) => {
      void history.reload();
      if (render.status === "completed") notify("Render finished.", "success");
      else if (render.status === "failed") notify(`Render failed: ${renderErrorText(render) ?? "unknown error"}`, "error", 8000);
    },
    [history.reload],
  );
  const job = useRenderJob(onFinished);
  const busy = job.starting || job.render?.status === "queued" || job.render?.status === "rendering";

  async function handleRender() {
    const created = await job.start(prepare);
    if (created) void history.reload();
  }

  const render = job.render;
  return (
    <Panel
      title="Render"
      className="render-panel"
      testId="render-panel"
      actions={
        <button
          type="button"
          className="button button--primary button--large"
          onClick={() => void handleRender()}
          disabled={busy || disabledReason != null}
          title={disabledReason ?? "Save the sequence and render it"}
          data-testid="render-button"
        >
          <RenderIcon /> {job.starting ? "Starting…" : busy ? "Rendering…" : "Render"}
        </button>
      }
    >
      {job.startError && (
        <div className="alert alert--error" role="alert" data-testid="render-error">
          <p className="alert__title">Could not start the render: {job.startError}</p>
        </div>
      )}
      {!render && !job.startError && (
        <p className="muted">{disabledReason ?? "Renders run on the server; you can keep editing while they run."}</p>
      )}
      {render && <RenderProgress render={render} onCancel={() => void job.cancel()} />}
      {render?.status === "completed" && (
        <div className="player">
          <video
            key={render.id}
            className="player__video"
            controls
            preload="auto"
            src={renderOutputUrl(render)}
            data-testid="render-video"
          />
          <a className="button button--secondary" href={renderOutputUrl(render)} download data-testid="render-download">
            <DownloadIcon /> Download
          </a>
        </div>
      )}
      <RenderHistory renders={history.renders} currentId={render?.id ?? null} error={history.error} onShow={job.show} />
    </Panel>
  );
}
