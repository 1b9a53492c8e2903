import { useEffect, useMemo, useRef, useState } from "react";
import { ApiError, errorMessage } from "../../../lib/api-client";
import { renderPreview } from "../api/preview-render";
import { assetIdOfSrc, assetThumbnailUrl } from "../../../lib/asset-urls";
import type { EditorEngine, EditorState } from "../engine/editor-engine";
import { clipAt, timecode } from "../engine/model";
import { usePreviewFrame } from "../hooks/use-preview-frame";
import { useEnginePlayback } from "../../playback/use-engine-playback";

interface PreviewPanelProps {
  engine: EditorEngine;
  state: EditorState;
  playback: { playing: boolean; rate: number; toggle: () => void; setRate: (r: number) => void };
}

const STILL_WIDTH = 960;
const PLAY_WIDTH = 480;

/**
 * The engine's picture of the current (unsaved) document at the playhead. While scrubbing
 * requests are debounced and stale ones aborted; while playing, a new low-resolution frame
 * is asked for as soon as the previous one arrived.
 */
export function PreviewPanel({ engine, state, playback }: PreviewPanelProps) {
  const { doc, playhead } = state;
  const preview = usePreviewRender(engine, state.revision);
  const [requestT, setRequestT] = useState(playhead);
  const width = playback.playing ? PLAY_WIDTH : STILL_WIDTH;
  const enginePlayback = useEnginePlayback(engine, doc, playhead, playback);
  const frame = usePreviewFrame(doc, requestT, width, playback.playing ? 0 : 90, !enginePlayback.engaged);

  useEffect(() => {
    if (!playback.playing) setRequestT(playhead);
  }, [playhead, playback.playing]);
  useEffect(() => {
    if (playback.playing && (frame.shownAt === requestT || frame.error)) setRequestT(engine.state.playhead);
  }, [playback.playing, frame.shownAt, frame.error, requestT, engine]);

  const outW = doc.output.width ?? 1920;
  const outH = doc.output.height ?? 1080;
  const empty = doc.tracks.every((t) => t.clips.length === 0);

  // Without the engine's frame endpoint: the source thumbnail of the topmost visible picture.
  const fallback = useMemo(() => {
    if (!frame.unsupported) return null;
    for (let i = doc.tracks.length - 1; i >= 0; i--) {
      if (doc.tracks[i].hidden) continue;
      const clip = clipAt(doc.tracks[i], playhead, engine.sources);
      const id = clip ? assetIdOfSrc(clip.asset.src) : null;
      if (clip && id && clip.asset.type !== "audio") return assetThumbnailUrl(id);
    }
    return null;
  }, [frame.unsupported, doc, playhead, engine.sources]);

  const src = frame.unsupported ? fallback : frame.url;

  return (
    <section className="preview" aria-label="Preview" data-testid="preview">
      <div className="preview__stage">
        <div className="preview__canvas" style={{ aspectRatio: `${outW} / ${outH}`, background: doc.background ?? "#000" }}>
          {preview.video ? (
            <video
              ref={preview.videoRef}
              className="preview__image"
              src={preview.video.url}
              autoPlay
              muted={false}
              controls={false}
              data-testid="preview-video"
              onTimeUpdate={(e) => preview.video && engine.setPlayhead(preview.video.start + e.currentTarget.currentTime)}
              onEnded={preview.close}
            />
          ) : src && !empty ? (
            <img className="preview__image" src={src} alt={`Frame at ${timecode(playhead, engine.fps)}`} data-testid="preview-image" data-t={frame.shownAt ?? undefined} />
          ) : (
            <div className="preview__empty">{empty ? "Drag clips from the media library onto a track" : "No picture at the playhead"}</div>
          )}
          {enginePlayback.view}
          {frame.loading && !playback.playing && !preview.video && <span className="preview__spinner" aria-hidden="true" />}
          {preview.progress != null && (
            <div className="preview__render-progress" data-testid="preview-render-progress">
              Rendering preview {Math.round(preview.progress * 100)}%
              <span className="preview__bar"><span style={{ width: `${Math.round(preview.progress * 100)}%` }} /></span>
            </div>
          )}
        </div>
      </div>
      <div className="transport">
        <button type="button" className="transport__button" aria-label="Go to start (Home)" onClick={() => engine.setPlayhead(0)}>⏮</button>
        <button type="button" className="transport__button" aria-label="Previous frame (Left arrow)" onClick={() => engine.stepFrames(-1)} data-testid="frame-back">◀︎▏</button>
        <button type="button" className="transport__button transport__button--play" aria-label={playback.playing ? "Pause (Space)" : "Play (Space)"} onClick={playback.toggle} data-testid="play">
          {playback.playing ? "❚❚" : "▶"}
        </button>
        <button type="button" className="transport__button" aria-label="Next frame (Right arrow)" onClick={() => engine.stepFrames(1)} data-testid="frame-forward">▕▶︎</button>
        <button type="button" className="transport__button" aria-label="Go to end (End)" onClick={() => engine.setPlayhead(engine.duration)}>⏭</button>
        <span className="transport__time" data-testid="preview-timecode">
          {timecode(playhead, engine.fps)} <span className="muted">/ {timecode(engine.duration, engine.fps)}</span>
        </span>
        {playback.rate !== 0 && Math.abs(playback.rate) !== 1 && <span className="transport__rate">{playback.rate}×</span>}
        <button
          type="button"
          className={`tool ${preview.video || preview.progress != null ? "tool--accent" : ""}`}
          onClick={preview.video || preview.progress != null ? preview.close : () => preview.start(doc)}
          disabled={empty}
          title="Render the visible range at low resolution on the server and play it with sound"
          data-testid="preview-render"
        >
          {preview.video || preview.progress != null ? "Stop preview" : "Preview range"}
        </button>
        {preview.error && <span className="transport__error" role="alert">{preview.error}</span>}
        <span className="transport__info" data-testid="preview-latency" data-latency={frame.latencyMs ?? undefined}>
          {frame.unsupported
            ? "Engine preview unavailable on this server: showing source thumbnails"
            : frame.error
              ? `Preview: ${frame.error}`
              : frame.latencyMs != null
                ? `engine frame ${frame.latencyMs} ms · ${outW}×${outH}`
                : `${outW}×${outH}`}
        </span>
      </div>
    </section>
  );
}

/** A low-resolution server render of the visible range, played in place; any edit makes it stale and closes it. */
function usePreviewRender(engine: EditorEngine, revision: number) {
  const [video, setVideo] = useState<{ url: string; start: number } | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const abortRef = useRef<AbortController | null>(null);
  const videoRef = useRef<HTMLVideoElement>(null);

  const close = () => {
    abortRef.current?.abort();
    abortRef.current = null;
    setVideo(null);
    setProgress(null);
  };
  useEffect(() => close, []);
  useEffect(() => {
    close();
  }, [revision]);

  const start = (doc: EditorState["doc"]) => {
    close();
    setError(null);
    const { viewport, playhead } = engine.state;
    const from = Math.max(0, Math.min(playhead, engine.duration - 0.1));
    const to = Math.min(engine.duration, Math.max(viewport.end, from + 1));
    const controller = new AbortController();
    abortRef.current = controller;
    setProgress(0);
    renderPreview(doc, { start: from, end: to }, setProgress, controller.signal)
      .then((url) => {
        if (controller.signal.aborted) return;
        setProgress(null);
        setVideo({ url, start: from });
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        setProgress(null);
        const details = err instanceof ApiError && err.details.length ? ` (${err.details.map((d) => d.message).join("; ")})` : "";
        setError(`Preview render: ${errorMessage(err)}${details}`);
      });
  };

  return { video, progress, error, start, close, videoRef };
}
