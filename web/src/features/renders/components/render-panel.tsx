import { useCallback, useState } from "react";
import { DownloadIcon, RenderIcon } from "../../../components/icons";
import { notify } from "../../../stores/notifications-store";
import type { Render } from "../../../types/api";
import { canvasOf, type TimelineDocument } from "../../../types/timeline";
import { renderErrorText, renderOutputUrl, type RenderRequest } from "../api/renders";
import { useRenderHistory } from "../hooks/use-render-history";
import { useRenderJob } from "../hooks/use-render-job";
import { RenderHistory } from "./render-history";
import { RenderProgress } from "./render-progress";

interface RenderPanelProps {
  projectId: string;
  /** Saves the timeline if needed and resolves to its id. */
  save: () => Promise<string>;
  /** The current document, for renders with other output settings. */
  getDocument: () => TimelineDocument;
  disabledReason: string | null;
}

type Choice = "timeline" | "1080p" | "720p" | "vertical" | "square" | "gif-preview" | "custom";

const CHOICES: { value: Choice; label: string }[] = [
  { value: "timeline", label: "As the timeline" },
  { value: "1080p", label: "1080p" },
  { value: "720p", label: "720p" },
  { value: "vertical", label: "Vertical 9:16" },
  { value: "square", label: "Square 1:1" },
  { value: "gif-preview", label: "GIF preview" },
  { value: "custom", label: "Custom…" },
];

interface Custom {
  width: number;
  height: number;
  fps: number;
  format: "mp4" | "webm" | "gif";
}

/** Output choice, the render button, live progress over SSE, the finished video and the project's history. */
export function RenderPanel({ projectId, save, getDocument, disabledReason }: RenderPanelProps) {
  const history = useRenderHistory(projectId);
  const [choice, setChoice] = useState<Choice>("timeline");
  const [custom, setCustom] = useState<Custom>({ width: 1280, height: 720, fps: 30, format: "mp4" });
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

  async function prepare(): Promise<RenderRequest> {
    const timelineId = await save();
    if (choice === "timeline") return { timelineId };
    const doc = getDocument();
    const { width: _w, height: _h, fps: _f, preset: _p, ...others } = doc.output;
    // Another size than the timeline's own: text and pixel lengths scale with it (output.canvas).
    const rest = { ...others, canvas: canvasOf(doc.output) };
    let output: TimelineDocument["output"];
    if (choice === "custom") {
      output = { ...rest, width: custom.width, height: custom.height, fps: custom.fps, format: custom.format };
      if (custom.format === "gif") output.audio = null;
      if (custom.format === "webm") output = { ...output, video: { codec: "vp9" }, audio: { codec: "opus" } };
    } else {
      // Presets are expanded by the server (timeline spec); the GIF preset renders no sound.
      output = { ...rest, preset: choice };
      if (choice === "gif-preview") output = { ...output, format: "gif", audio: null };
    }
    return { timeline: { ...doc, output }, projectId };
  }

  async function handleRender() {
    const created = await job.start(prepare);
    if (created) void history.reload();
  }

  const render = job.render;
  const isGif = render?.outputUrl?.endsWith(".gif");
  return (
    <div className="render-panel" data-testid="render-panel">
      <div className="render-panel__settings">
        <label className="num-field">
          <span className="num-field__label">Output</span>
          <select className="select props__select" value={choice} onChange={(e) => setChoice(e.target.value as Choice)} data-testid="render-preset">
            {CHOICES.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
          </select>
        </label>
        {choice === "custom" && (
          <div className="render-panel__custom">
            <label>W <input className="input" type="number" step={2} min={16} max={7680} value={custom.width} onChange={(e) => setCustom({ ...custom, width: Number(e.target.value) })} /></label>
            <label>H <input className="input" type="number" step={2} min={16} max={7680} value={custom.height} onChange={(e) => setCustom({ ...custom, height: Number(e.target.value) })} /></label>
            <label>fps <input className="input" type="number" min={1} max={120} value={custom.fps} onChange={(e) => setCustom({ ...custom, fps: Number(e.target.value) })} /></label>
            <label>
              <span className="visually-hidden">Format</span>
              <select className="select" value={custom.format} onChange={(e) => setCustom({ ...custom, format: e.target.value as Custom["format"] })}>
                <option value="mp4">mp4</option>
                <option value="webm">webm</option>
                <option value="gif">gif</option>
              </select>
            </label>
          </div>
        )}
        <button
          type="button"
          className="button button--primary button--large button--block"
          onClick={() => void handleRender()}
          disabled={busy || disabledReason != null}
          title={disabledReason ?? "Save the timeline and render it"}
          data-testid="render-button"
        >
          <RenderIcon /> {job.starting ? "Starting…" : busy ? "Rendering…" : "Render"}
        </button>
        {disabledReason && <p className="muted render-panel__reason">{disabledReason}</p>}
      </div>
      {job.startError && (
        <div className="alert alert--error" role="alert" data-testid="render-error">
          <p className="alert__title">The server refused the render</p>
          <p>{job.startError}</p>
        </div>
      )}
      {render && <RenderProgress render={render} onCancel={() => void job.cancel()} />}
      {render?.status === "completed" && (
        <div className="player">
          {isGif ? (
            <img className="player__video" src={renderOutputUrl(render)} alt="Rendered GIF" />
          ) : (
            <video key={render.id} className="player__video" controls preload="auto" src={renderOutputUrl(render)} data-testid="render-video" />
          )}
          <a className="button button--secondary button--small" href={renderOutputUrl(render)} download data-testid="render-download">
            <DownloadIcon /> Download
          </a>
        </div>
      )}
      <RenderHistory renders={history.renders} currentId={render?.id ?? null} error={history.error} onShow={job.show} />
    </div>
  );
}
