import { useRef, type KeyboardEvent, type PointerEvent } from "react";
import type { EditorEngine, EditorState } from "../engine/editor-engine";
import { clipLength, timecode } from "../engine/model";
import "../overview.css";

interface TimelineOverviewProps {
  engine: EditorEngine;
  state: EditorState;
}

/**
 * The whole timeline fitted to the width, not editable: one row per track with its clips, the
 * playhead, and a tap (or drag, or arrow keys) that moves the playhead. The phone's view.
 */
export function TimelineOverview({ engine, state }: TimelineOverviewProps) {
  const ref = useRef<HTMLDivElement>(null);
  const duration = Math.max(engine.duration, 1 / engine.fps);
  const percent = (t: number) => `${Math.min(100, Math.max(0, (t / duration) * 100))}%`;
  // Tracks are drawn top-down as the editor does: the last (topmost picture) first.
  const tracks = [...state.doc.tracks].reverse();

  const seekTo = (clientX: number) => {
    const box = ref.current?.getBoundingClientRect();
    if (!box || box.width === 0) return;
    engine.setPlayhead(Math.min(Math.max((clientX - box.left) / box.width, 0), 1) * engine.duration);
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    seekTo(e.clientX);
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (e.currentTarget.hasPointerCapture(e.pointerId)) seekTo(e.clientX);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const step = e.shiftKey ? 1 : 1 / engine.fps;
    if (e.key === "ArrowLeft") engine.setPlayhead(Math.max(0, state.playhead - step));
    else if (e.key === "ArrowRight") engine.setPlayhead(Math.min(engine.duration, state.playhead + step));
    else if (e.key === "Home") engine.setPlayhead(0);
    else if (e.key === "End") engine.setPlayhead(engine.duration);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div
      className="tl-overview"
      role="slider"
      tabIndex={0}
      aria-label="Timeline position"
      aria-valuemin={0}
      aria-valuemax={Number(engine.duration.toFixed(3))}
      aria-valuenow={Number(state.playhead.toFixed(3))}
      aria-valuetext={`${timecode(state.playhead, engine.fps)} of ${timecode(engine.duration, engine.fps)}`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onKeyDown={onKeyDown}
      data-testid="timeline-overview"
    >
      <div ref={ref} className="tl-overview__lanes">
      {tracks.map((track) => (
        <div key={track.id} className={`tl-overview__track ${track.hidden ? "tl-overview__track--hidden" : ""}`} data-track-id={track.id}>
          {track.clips.map((clip) => (
            <span
              key={clip.id}
              className={`tl-overview__clip tl-clip--${clip.asset.type}`}
              style={{ left: percent(clip.start), width: percent(clipLength(clip, engine.sources)) }}
              title={clip.asset.type}
              data-testid="overview-clip"
            />
          ))}
        </div>
      ))}
      <span className="tl-overview__playhead" style={{ left: percent(state.playhead) }} aria-hidden="true" data-testid="overview-playhead" />
      </div>
    </div>
  );
}
