import { useCallback, useEffect, useRef, useState } from "react";
import type { EditorEngine } from "../engine/editor-engine";
import { enginePlaybackDriving } from "../../playback/engine-player";

/** Real-time playback of the playhead (rate 1 = forward, -1 = backward, 2/4 = faster, as J/K/L do). */
export function usePlayback(engine: EditorEngine) {
  const [rate, setRate] = useState(0);
  const last = useRef<number | null>(null);

  useEffect(() => {
    if (rate === 0) return;
    let frame = 0;
    last.current = null;
    const tick = (now: number) => {
      if (enginePlaybackDriving.active) {
        // The engine's <video> moves the playhead (features/playback).
      } else if (last.current != null) {
        const next = engine.state.playhead + ((now - last.current) / 1000) * rate;
        const end = engine.duration;
        if (next >= end || next <= 0) {
          engine.setPlayhead(Math.min(Math.max(next, 0), end));
          setRate(0);
          return;
        }
        engine.setPlayhead(next);
      }
      last.current = now;
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [rate, engine]);

  const toggle = useCallback(() => {
    setRate((r) => {
      if (r !== 0) return 0;
      if (engine.state.playhead >= engine.duration - 1e-3) engine.setPlayhead(0);
      return 1;
    });
  }, [engine]);

  return { rate, playing: rate !== 0, setRate, toggle };
}
