import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { fpsOf } from "../timeline/engine/model";
import type { ReactElement } from "react";
import type { EditorEngine } from "../timeline/engine/editor-engine";
import type { TimelineDocument } from "../../types/timeline";
import { EnginePlayer, enginePlaybackDriving, enginePlaybackSupported } from "./engine-player";
import { SegmentStore } from "./segment-store";
import { segmentAt } from "./segments";

/** Width of playback segments (the engine composes them at this size; `output.canvas` keeps the document's layout). */
export const PLAYBACK_WIDTH = 640;
/**
 * The playhead (and the document) resting this long (ms) prefetches the segment under it, so Space
 * starts at once; long enough that typing in a title does not queue a render per key.
 */
const IDLE_PREFETCH_MS = 350;

interface Playback {
  rate: number;
  setRate: (rate: number) => void;
}

export interface EnginePlayback {
  /** The engine's segments are playing (or about to): the still-frame loop should rest. */
  engaged: boolean;
  /** The <video> to lay over the preview; shown once its first picture is there. */
  view: ReactElement;
  error: string | null;
}

/**
 * Playback from the engine: while the editor plays forward (Space, L), a <video> plays the
 * server's rendered segments of the current document with sound, and the playhead follows the
 * video's clock. Backward shuttle (J) and browsers without MSE/H.264 keep the editor's own clock
 * and still frames. Scrubbing is untouched; a resting playhead prefetches its segment.
 */
export function useEnginePlayback(engine: EditorEngine, doc: TimelineDocument, playhead: number, playback: Playback): EnginePlayback {
  const supported = useMemo(enginePlaybackSupported, []);
  const videoRef = useRef<HTMLVideoElement>(null);
  const store = useMemo(() => new SegmentStore(PLAYBACK_WIDTH), []);
  const playerRef = useRef<EnginePlayer | null>(null);
  const [showing, setShowing] = useState(false);
  /** Milliseconds from the start of playing to its first picture (shown as data-start-ms, for tests and benchmarks). */
  const [startMs, setStartMs] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const engaged = supported && playback.rate > 0 && error == null;
  const playbackRef = useRef(playback);
  playbackRef.current = playback;

  useLayoutEffect(() => {
    enginePlaybackDriving.active = engaged;
    return () => {
      enginePlaybackDriving.active = false;
    };
  }, [engaged]);

  // An edit may have fixed what failed: try the engine again.
  useEffect(() => setError(null), [doc]);

  useEffect(() => {
    const video = videoRef.current;
    if (!engaged || !video) return;
    let reported: number | null = null;
    const asked = performance.now();
    const player = new EnginePlayer(video, store, {
      onTime(t) {
        const fps = engine.fps;
        // The user moved the playhead while playing: the video follows it.
        if (reported != null && Math.abs(engine.state.playhead - reported) > 1.5 / fps) {
          player.seek(engine.state.playhead);
          reported = engine.state.playhead;
          return;
        }
        // The sound may run a few milliseconds past the pictures (AAC priming): the playhead stops at the end.
        engine.setPlayhead(Math.min(t, engine.duration));
        reported = engine.state.playhead;
        video.dataset.stalls = String(player.stalls);
      },
      onPlaying: () => {
        setShowing(true);
        setStartMs(Math.round(performance.now() - asked));
      },
      onEnded: () => playbackRef.current.setRate(0),
      onError: (message) => setError(message),
    });
    playerRef.current = player;
    const start = engine.state.playhead >= engine.duration - 1e-3 ? 0 : engine.state.playhead;
    void player.start(engine.state.doc, start, playbackRef.current.rate);
    return () => {
      player.stop();
      playerRef.current = null;
      setShowing(false);
    };
  }, [engaged, engine, store]);

  useEffect(() => {
    if (engaged) playerRef.current?.setDoc(doc);
  }, [engaged, doc]);

  useEffect(() => {
    if (engaged) playerRef.current?.setRate(playback.rate);
  }, [engaged, playback.rate]);

  // Idle prefetch: the segment under a resting playhead, fetched once per revision.
  useEffect(() => {
    if (!supported || engaged || doc.tracks.every((t) => t.clips.length === 0)) return;
    const timer = window.setTimeout(() => {
      store.get(doc, segmentAt(playhead, fpsOf(doc))).catch(() => undefined);
    }, IDLE_PREFETCH_MS);
    return () => window.clearTimeout(timer);
  }, [supported, engaged, doc, playhead, store]);

  const view = (
    <>
    <video
      ref={videoRef}
      playsInline
      data-testid="engine-video"
      data-showing={showing ? "true" : "false"}
      data-start-ms={startMs ?? undefined}
      style={{
        position: "absolute",
        inset: 0,
        width: "100%",
        height: "100%",
        objectFit: "contain",
        visibility: engaged && showing ? "visible" : "hidden",
      }}
    />
    {error && (
      <span className="transport__error" role="alert" data-testid="engine-playback-error" style={{ position: "absolute", left: 8, bottom: 8 }}>
        Playback: {error}
      </span>
    )}
    </>
  );
  return { engaged, view, error };
}
