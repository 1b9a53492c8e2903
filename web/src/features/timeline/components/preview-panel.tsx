import { useEffect, useMemo, useState } from "react";
import { assetIdOfSrc, assetThumbnailUrl } from "../../../lib/asset-urls";
import type { EditorEngine, EditorState } from "../engine/editor-engine";
import { clipAt, timecode } from "../engine/model";
import { usePreviewFrame } from "../hooks/use-preview-frame";

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
  const [requestT, setRequestT] = useState(playhead);
  const width = playback.playing ? PLAY_WIDTH : STILL_WIDTH;
  const frame = usePreviewFrame(doc, requestT, width, playback.playing ? 0 : 90, true);

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
          {src && !empty ? (
            <img className="preview__image" src={src} alt={`Frame at ${timecode(playhead, engine.fps)}`} data-testid="preview-image" data-t={frame.shownAt ?? undefined} />
          ) : (
            <div className="preview__empty">{empty ? "Drag clips from the media library onto a track" : "No picture at the playhead"}</div>
          )}
          {frame.loading && !playback.playing && <span className="preview__spinner" aria-hidden="true" />}
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
